"""The JSON API under /api/v1: flask-smorest on the app's own Flask, personal tokens for who
acts, problem details for every error, and its documentation at /api/v1/docs.

Adding an endpoint: a view in `views/<resource>.py` on a `resource_blueprint`, its schemas in
`schemas.py`, its rule from `auth.py` (`staff_only`, `money_only`, `admin_only`), and a line
in tests/web/route_rules.py. The blueprint is listed in `views/__init__.py` (BLUEPRINTS).
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from app.api.auth import start_api_request
from app.api.problems import install_error_handlers, is_api_request
from app.api.schemas import Kronor, ProblemSchema, install_document_rules
from app.api.views import BLUEPRINTS
from app.api.views.docs import bp as docs_bp
from app.api.views.exchange import EXCHANGE_VALUE
from app.extensions import csrf

VERSION = "v1"
PREFIX = f"/api/{VERSION}"


class StimulansApi(Api):
    """flask-smorest's Api with problem details as its error schema; the errors themselves are
    answered by app/api/problems.py for the whole app, so Api registers no handler."""

    ERROR_SCHEMA = ProblemSchema
    # No catch-all `default` answer: it said application/json, and it made any status look
    # documented. Each endpoint lists its problems (views/__init__.py, `problems`).
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """Leave the errors to app/api/problems.py, which also answers the pages' own."""


def init_app(app: Flask) -> None:
    """Register the API on the app: after its error handlers, which it takes over for /api/."""
    if not app.config.get("API_MAX_BODY_BYTES"):
        app.config["API_MAX_BODY_BYTES"] = app.config["IMPORT_MAX_BYTES"]
    app.config.setdefault("API_TOKEN_MAX_FAILURES", 20)
    app.config.update(
        API_TITLE="Stimulansmedel",
        API_VERSION=VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": "Fondernas siffror, importen och exporten av "
                                    "stimulansmedel/1, årsbokslutet, utlysningar, "
                                    "ansökningar och beslut, projekt och utbetalningar, "
                                    "årsrapporterna. Se /api/v1/docs."},
            "security": [{"bearerAuth": []}],
        },
    )
    api = StimulansApi()
    api.init_app(app)
    api.register_field(Kronor, "string", "decimal")
    install_document_rules(api)
    api.spec.components.schema("ExchangeValue", EXCHANGE_VALUE)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer",
                       "description": "En personlig API-nyckel (sidan API-nycklar eller "
                                      "`flask users token`)."})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)  # a token, never a cookie: nothing for a forged form to ride on
    app.register_blueprint(docs_bp)
    app.extensions["stimulansmedel_api"] = api
    # Before every other hook, so that none of them reads the session's user for the API.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    install_error_handlers(app)


def _start() -> None:
    if is_api_request():
        start_api_request()
