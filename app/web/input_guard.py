"""The request's last line against characters no text may hold (app/core/text.py).

Forms refuse them at the field (app/core/forms.py), and the operations that read a posted
form by hand (the application's draft, the project report) name the field too. What no
form reads is refused here before any view runs, with a page or a JSON answer saying what
was wrong: the path, the query string (searches and filters), the names of posted fields and
files, and a JSON body. Should a posted value still reach something that breaks on it, the
answer is the same refusal instead of a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.core.security_log import security_event
from app.core.text import Forbidden, clean_text, first_forbidden, first_forbidden_in


def init_app(app: Flask) -> None:
    """Refuse forbidden characters in every request before its view runs."""
    app.before_request(_refuse_forbidden_outside_forms)


def _first_in_strings(pairs) -> tuple[Callable[[], str], Forbidden] | None:
    """The first (where, found) among (where, text) pairs; `where` is named only when found,
    so an ordinary request translates nothing and loads nobody."""
    for where, text in pairs:
        if isinstance(text, str) and (found := first_forbidden(text)) is not None:
            return where, found
    return None


def _field(name: str) -> Callable[[], str]:
    return lambda: _("fältet ”%(name)s”", name=clean_text(name))


def _named(text: LazyString) -> Callable[[], str]:
    return lambda: str(text)


def _outside_forms() -> tuple[Callable[[], str], Forbidden] | None:
    """Return where the request holds a forbidden character that no form checks."""
    field_name = _named(_l("ett fältnamn"))
    pairs = [(_named(_l("adressen")), request.path)]
    for key, value in request.args.items(multi=True):
        pairs += [(field_name, key), (_field(key), value)]
    pairs += [(field_name, key) for key in request.form]
    for key, file in request.files.items(multi=True):
        pairs += [(field_name, key), (_named(_l("filnamnet")), file.filename)]
    found = _first_in_strings(pairs)
    if found is None and request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # nested too deep to read: no view reads it either
            body = None
        inside = first_forbidden_in(body)
        if inside is not None:
            found = (_field(inside[0]) if inside[0] else _named(_l("innehållet")), inside[1])
    return found


def _posted_values() -> tuple[Callable[[], str], Forbidden] | None:
    return _first_in_strings((_field(key), value)
                             for key, value in request.form.items(multi=True))


def _refuse_forbidden_outside_forms():
    found = _outside_forms()
    return None if found is None else _refusal(*found)


def refusal_instead_of_error() -> tuple[Response | str, int] | None:
    """The refusal to answer instead of a server error when the request held a forbidden
    character (something broke on it), else None; the factory's 500 handler asks first."""
    found = _outside_forms() or _posted_values()
    return None if found is None else _refusal(*found)


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _refusal(where: Callable[[], str], found: Forbidden) -> tuple[Response | str, int]:
    security_event("input.forbidden_character", outcome="refused", address=request.remote_addr,
                   path=request.path.encode("unicode_escape").decode("ascii"),
                   code=found.code)
    text = _("Det du skickade innehåller ett tecken som inte får finnas i text (tecken "
             "%(code)s på plats %(place)s i %(where)s). Ta bort det och försök igen.",
             code=found.code, place=found.place, where=where())
    if request.path.startswith("/api/"):  # the API answers problem details (RFC 9457)
        response = jsonify(type="/api/v1/docs#problem-400", title=_("Otillåtet tecken"),
                           status=400, detail=text)
        response.mimetype = "application/problem+json"
        return response, 400
    if _wants_json():
        return jsonify(ok=False, error=text), 400
    return render_template("error.html", code=400, title=_("Otillåtet tecken"), text=text), 400
