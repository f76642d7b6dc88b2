"""When the database does not answer: a 503 page in the reader's language, never a bare 500.

PostgreSQL stopped, restarting or out of connections shows up as SQLAlchemy's
`OperationalError` (or a pool timeout) wherever the request first needs the database: the
check before the view, the logged-in user's loader, the view itself or the commit after it.
Every one of them ends here. Nothing is kept between requests: the pool's pre-ping replaces
dead connections, so the first request after the database is back is answered as usual.
"""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc as sa_exc

from app.extensions import db, login_manager

#: How long a client (or a proxy) is asked to wait before trying again, in seconds.
RETRY_AFTER = 30
#: Pages answered without the database: the stylesheet and the probes.
DATABASE_FREE_ENDPOINTS = frozenset({"static", "health.healthz", "health.readyz"})
_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def is_database_unavailable(error: BaseException | None) -> bool:
    """Tell whether `error` means the database cannot be reached (rather than a bug)."""
    if isinstance(error, _UNAVAILABLE):
        return True
    return isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated


def database_reachable() -> bool:
    """Ask the database for `SELECT 1` on a connection of its own, outside the request's session."""
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except sa_exc.SQLAlchemyError:
        return False
    return True


def init_app(app: Flask) -> None:
    """Check the database before each page, and answer 503 when it is unavailable."""
    app.before_request(_require_database)
    for error in _UNAVAILABLE:
        app.register_error_handler(error, _unavailable)
    app.register_error_handler(sa_exc.DBAPIError, _database_error)


def _require_database() -> None:
    # A page that needs no query (the login form) would otherwise be shown and then fail when
    # sent, losing what was typed; taking the request's connection now costs nothing extra,
    # since the view uses the same one, and the pool pings it on checkout.
    if request.endpoint not in DATABASE_FREE_ENDPOINTS:
        db.session.connection()


def _database_error(error: sa_exc.DBAPIError):
    if is_database_unavailable(error):
        return _unavailable(error)
    raise error  # any other database error is a bug: the 500 handler answers it


def _unavailable(error: BaseException):
    # One line per request, not a traceback: an outage would otherwise flood the log.
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    current_app.logger.warning("Databasen svarar inte (%s %s): %s", request.method,
                               request.path, reason)
    return unavailable_page()


def unavailable_page():
    """Answer 503 with Retry-After and a page that needs no database."""
    response = bare_page(503, _l("Tjänsten är tillfälligt otillgänglig"),
                         _l("Databasen svarar inte just nu. Försök igen om en stund; om du "
                           "just sparade något, kontrollera att det finns kvar när tjänsten "
                           "fungerar igen."))
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def bare_page(code: int, title, text):
    """Render an error page that touches neither the database nor the logged-in account.

    The person's account may be unloaded or expired by a failed transaction, so the page is
    shown as to a visitor (in the language chosen in the session): without the user menu, and
    never cached. `title` and `text` are lazy texts, translated only once that is so."""
    g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user
    title, text = str(title), str(text)
    try:
        body = render_template("error.html", code=code, title=title, text=text, bare=True)
        response = current_app.make_response((body, code))
    except Exception:  # noqa: BLE001 - the last answer must not fail in turn
        current_app.logger.exception("Felsidan kunde inte visas")
        response = current_app.response_class(f"{title}\n\n{text}\n", status=code,
                                              mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response
