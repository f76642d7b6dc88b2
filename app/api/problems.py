"""Every error under /api/ as JSON problem details (RFC 9457), never an HTML page.

`ApiProblem` is what the API's views raise; `install_error_handlers` takes over the app's
error handlers so that the same errors the pages answer with a page (403, 404, 413, 429,
the 500 and the 503 of a database outage, app/web/outage.py) are answered here with
`application/problem+json` when the path is under /api/, and by the page otherwise.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.core.errors import DomainError
from app.web.messages import sentence
from app.web.outage import RETRY_AFTER, is_database_unavailable

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
API_PREFIX = "/api/"

#: The title of each status, and what to do about it when the error says no more.
STATUS_TEXTS = {
    400: (_l("Felaktig begäran"), _l("Begäran kunde inte läsas.")),
    401: (_l("Inte inloggad"),
          _l("Skicka en giltig API-nyckel i huvudet Authorization: Bearer <nyckel>.")),
    403: (_l("Ingen behörighet"), _l("Du har inte behörighet att göra detta.")),
    404: (_l("Finns inte"), _l("Det du söker finns inte.")),
    405: (_l("Metoden tillåts inte"), _l("Adressen tar inte emot den metoden.")),
    409: (_l("Går inte att göra nu"), _l("Begäran strider mot hur det ser ut just nu.")),
    413: (_l("För stor begäran"), _l("Innehållet är större än vad som tillåts.")),
    415: (_l("Fel innehållstyp"), _l("Innehållet har en typ som inte tas emot här.")),
    422: (_l("Uppgifterna kunde inte användas"), _l("Rätta fälten som anges och försök igen.")),
    429: (_l("För många försök"), _l("För många försök. Vänta en stund och försök igen.")),
    500: (_l("Något gick fel"),
          _l("Ett oväntat fel inträffade och inget sparades. Felet har loggats; försök igen "
             "om en stund.")),
    503: (_l("Tjänsten är tillfälligt otillgänglig"),
          _l("Databasen svarar inte just nu. Försök igen om en stund.")),
}


class ApiProblem(HTTPException):
    """An error of the API with its status, what went wrong and, for invalid input, each
    field in error: `errors` is a list of {"field", "message"} (and "line", "location")."""

    def __init__(self, status: int, detail: str | None = None, *,
                 errors: list[dict] | None = None, headers: dict | None = None,
                 kind: str | None = None) -> None:
        super().__init__(description=detail)
        self.code = status
        self.detail = detail
        self.errors = errors
        self.extra_headers = headers or {}
        self.kind = kind


def refusal(error: DomainError, status: int = 409) -> ApiProblem:
    """A refusal of the domain as a problem: its message, at its field when it names one (the
    operation's input is named as the request's body is)."""
    text = sentence(error)
    errors = None
    if error.field is not None:
        errors = [{"field": error.field, "location": "json", "message": text}]
    return ApiProblem(status, text, errors=errors)


def is_api_request() -> bool:
    """Whether the request is one for the API (its path is under /api/)."""
    return request.path.startswith(API_PREFIX)


def problem_type(status: int, kind: str | None = None) -> str:
    """The problem's type: a section of the API's documentation that describes it."""
    return f"/api/v1/docs#problem-{kind or status}"


def problem_response(status: int, detail: str | None = None, *, errors: list[dict] | None = None,
                     headers: dict | None = None, kind: str | None = None):
    """Answer a problem-details document with this status."""
    title, default = STATUS_TEXTS.get(status, (_l("Fel"), _l("Begäran kunde inte utföras.")))
    body = {"type": problem_type(status, kind), "title": str(title), "status": status,
            "detail": str(detail) if detail else str(default)}
    if errors is not None:
        body["errors"] = errors
    # Swedish as it reads: the titles and messages are for people too.
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_MIMETYPE)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def validation_errors(messages: object, location: str | None = None) -> list[dict]:
    """Flatten marshmallow's nested messages into one {"field", "location", "message"} each."""
    found: list[dict] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, (list, tuple)):
            for inner in value:
                walk(inner, path)
        else:
            found.append({"field": path or None, "location": location, "message": str(value)})

    if isinstance(messages, dict) and location is None:
        # webargs keys the messages by where they were read: {"query": {"year": [...]}}
        for where, inner in messages.items():
            found += validation_errors(inner, str(where))
        return found
    walk(messages, "")
    return found


def _answer_http(error: HTTPException):
    if isinstance(error, ApiProblem):
        return problem_response(error.code, error.detail, errors=error.errors,
                                headers=error.extra_headers, kind=error.kind)
    status = error.code or 500
    if status == 500:
        original = getattr(error, "original_exception", None)
        if is_database_unavailable(original):
            return _unavailable(original)
        return problem_response(500)
    data = getattr(error, "data", None) or {}  # webargs' invalid input: its messages
    headers = {}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if status == 429:
        headers["Retry-After"] = str(RETRY_AFTER)
    if "messages" in data:
        return problem_response(status, _("Några uppgifter i begäran kunde inte användas."),
                                errors=validation_errors(data["messages"]), headers=headers,
                                kind="validation")
    return problem_response(status, headers=headers)


def _unavailable(error: BaseException | None):
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    current_app.logger.warning("Databasen svarar inte (%s %s): %s", request.method,
                               request.path, reason)
    return problem_response(503, headers={"Retry-After": str(RETRY_AFTER)})


def _answer(error: BaseException):
    """Answer an error of an API request with problem details."""
    if isinstance(error, HTTPException):
        return _answer_http(error)
    if is_database_unavailable(error):
        return _unavailable(error)
    raise error  # any other error is a bug: Flask logs it and the 500 handler answers


def _for_api_too(handler: Callable) -> Callable:
    def handle(error):
        if is_api_request():
            return _answer(error)
        return handler(error)

    handle.__wrapped__ = handler  # type: ignore[attr-defined]
    return handle


def _web_default(error: HTTPException):
    return error  # what Flask answers when no page is registered for the status


def install_error_handlers(app: Flask) -> None:
    """Make every error handler of the app answer problem details under /api/: wrap those the
    factory registered (pages of 403, 404, 413, 429, 500 and the outage's 503), and add one
    for every other HTTP error (400, 401, 405, 409, 415, 422, …)."""
    for handlers in app.error_handler_spec[None].values():
        for exc_class, handler in list(handlers.items()):
            handlers[exc_class] = _for_api_too(handler)
    app.register_error_handler(HTTPException, _for_api_too(_web_default))
