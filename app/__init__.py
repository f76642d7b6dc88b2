"""Stimulansmedel: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.core.labels import use_translator
from app.core.reading import connections
from app.core.reading import figures as figures_cache
from app.core.types import MAX_ID
from app.extensions import babel, csrf, db, login_manager, mail, migrate
from app.web import input_guard
from app.web.i18n import select_locale
from app.web.outage import (
    DATABASE_FREE_ENDPOINTS,
    bare_page,
    is_database_unavailable,
    unavailable_page,
)
from app.web.outage import init_app as init_outage

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | dict | None = None) -> Flask:
    """Create the application: settings from the environment, overridden by `config` if a dict."""
    from config import load_config, request_limit

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    # An id in a URL beyond what the database's integers hold answers 404 instead of
    # overflowing in the query: `<int:…>` everywhere, pages and API alike.
    app.url_map.converters["int"] = DatabaseInteger
    overrides = config if isinstance(config, dict) else {}
    settings = load_config(
        config if isinstance(config, str) else overrides.get("APP_ENV"), app.instance_path
    )
    app.config.from_object(settings)
    app.config.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" in overrides and "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:
        # The engine's options follow the database actually used (a PostgreSQL connect
        # timeout means nothing to SQLite, which refuses it).
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = settings.engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"])
    if "MAX_CONTENT_LENGTH" not in overrides:
        app.config["MAX_CONTENT_LENGTH"] = request_limit(app.config["ATTACHMENT_MAX_BYTES"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    use_translator(gettext)
    _configure_sqlite(app)
    with app.app_context():
        connections.init_engine(db.engine)
    # Tables whose changes show in no cached figures: accounts and their sessions, login
    # counts, the audit log, e-mail and report jobs (a login must not empty the cache).
    figures_cache.untracked("user", "recovery_code", "account_setting", "throttle_hit",
                            "api_token", "audit_entry", "outbound_email", "report_job")
    figures_cache.init_app(app)
    _configure_login()
    _behind_the_load_balancer(app)

    from app import api, cli
    from app.accounts.views import bp as auth_bp
    from app.admin.views import bp as admin_bp
    from app.call.pool import applications_tally
    from app.call.views import applicant_bp as applications_bp
    from app.call.views import bp as calls_bp
    from app.followup.views import bp as projects_bp
    from app.jobs.views import bp as jobs_bp
    from app.ledger.views import bp as funds_bp
    from app.privacy.views import bp as privacy_bp
    from app.web import unit_of_work
    from app.web.health import bp as health_bp
    from app.web.templating import register_template_helpers

    app.register_blueprint(auth_bp)
    app.register_blueprint(funds_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(calls_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(health_bp)
    cli.register(app)
    # The call's kept sums follow every flush of every session (registered once a process).
    applications_tally.register()
    register_template_helpers(app)
    init_outage(app)
    unit_of_work.init_app(app)
    input_guard.init_app(app)
    _register_error_handlers(app)
    api.init_app(app)  # after the error handlers: it answers them with problem details under /api/
    _security_headers(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


class DatabaseInteger(IntegerConverter):
    """`<int:…>` that never hands a view a number the database's id columns cannot hold (INTEGER:
    32 bits on PostgreSQL).

    Such a number can name no row, so it is read as 0, which names none either: the view
    answers its own 404 (a page or an API problem), where the query would have overflowed.
    """

    LARGEST = MAX_ID

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if abs(number) <= self.LARGEST else 0


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite leaves foreign keys off unless asked, and fails at once on a locked database.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _configure_sqlite(app: Flask) -> None:
    """Turn on foreign keys and a busy timeout on this app's SQLite engine."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        if not event.contains(db.engine, "connect", _sqlite_pragmas):
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _configure_login() -> None:
    from app.accounts.login import load_session_user

    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Logga in för att se sidan.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_session_user)


def _behind_the_load_balancer(app: Flask) -> None:
    """Read the client's address from the proxies (PROXY_COUNT), and answer the load
    balancer's health checks whatever Host they name.

    TRUSTED_HOSTS refuses every other host (400) before a view runs; the checks at
    HOST_CHECK_EXEMPT (/healthz, /readyz) name the machine instead, so they are handed to the
    app under the site's own host.
    """
    if app.config.get("PROXY_COUNT"):
        # Only the client's address and scheme: the host stays the one asked for, checked
        # against TRUSTED_HOSTS, and never the one links are built from.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    exempt = frozenset(app.config.get("HOST_CHECK_EXEMPT") or ())
    site_host = app.config.get("SERVER_NAME")
    if not exempt or not site_host or not app.config.get("TRUSTED_HOSTS"):
        return
    inner = app.wsgi_app

    def wsgi_app(environ, start_response):
        if environ.get("PATH_INFO") in exempt:
            environ["HTTP_HOST"] = site_host
        return inner(environ, start_response)

    app.wsgi_app = wsgi_app


ERROR_PAGES = {
    400: (lazy_gettext("Formuläret har gått ut"), lazy_gettext("Ladda om sidan och försök igen.")),
    403: (lazy_gettext("Ingen behörighet"), lazy_gettext("Du har inte behörighet att göra detta.")),
    404: (lazy_gettext("Sidan finns inte"), lazy_gettext("Sidan du söker finns inte.")),
    413: (lazy_gettext("Filen är för stor"), lazy_gettext("Filen är större än vad som tillåts.")),
    429: (lazy_gettext("För många försök"),
          lazy_gettext("För många försök. Vänta en stund och försök igen.")),
    500: (lazy_gettext("Något gick fel"),
          lazy_gettext("Ett oväntat fel inträffade och det du gjorde sparades inte. Felet har "
                       "loggats; försök igen om en stund.")),
}


def _register_error_handlers(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def page(code: int):
        title, text = ERROR_PAGES[code]
        return render_template("error.html", code=code, title=title, text=text), code

    for code in (403, 404, 413, 429):
        app.register_error_handler(code, lambda e, code=code: page(code))
    app.register_error_handler(CSRFError, lambda e: page(400))

    def server_error(error):
        # Flask has logged the exception with its traceback before calling this. A database
        # that went away during the commit after the view also arrives here.
        if is_database_unavailable(getattr(error, "original_exception", None)):
            return unavailable_page()
        refused = input_guard.refusal_instead_of_error()
        if refused is not None:  # it broke on a character no text may hold: say so
            return refused
        title, text = ERROR_PAGES[500]
        return bare_page(500, title, text)

    app.register_error_handler(500, server_error)


def _security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        if app.config.get("HSTS_SECONDS"):
            response.headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains")
        # What a logged-in person sees (pages, lists, downloads) is personal: never cached.
        if request.endpoint not in DATABASE_FREE_ENDPOINTS and current_user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        return response
