"""The API's resources, one module each, and the blueprint they share the making of."""

from __future__ import annotations

from flask_smorest import Blueprint

from app.api.auth import authenticate
from app.api.schemas import MAX_YEAR, MIN_YEAR, ProblemSchema

PROBLEM_TYPE = "application/problem+json"
#: A year in a path: outside the years the app keeps it matches no route (404), so a year too
#: large for the database's integer never reaches a query.
YEAR_IN_PATH = f"<int(min={MIN_YEAR},max={MAX_YEAR}):year>"
#: What every endpoint may answer besides its success.
COMMON_PROBLEMS = {
    # app/web/input_guard.py answers it on any path, before the view reads its parameters.
    400: "Ett tecken som inte får finnas i text i adressen, parametrarna eller huvudena",
    401: "Ingen, okänd, utgången eller återkallad API-nyckel",
    403: "Nyckelns användare får inte göra detta",
    429: "För många misslyckade nycklar från adressen",
    503: "Databasen svarar inte just nu",
}
#: The headers a problem comes with, described so that a client may rely on them.
PROBLEM_HEADERS = {
    401: {"WWW-Authenticate": {"description": 'Bearer realm="Stimulansmedel"',
                               "required": True, "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Sekunder att vänta", "required": True,
                          "schema": {"type": "integer"}}},
    503: {"Retry-After": {"description": "Sekunder att vänta", "required": True,
                          "schema": {"type": "integer"}}},
}


def resource_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """Make a resource's blueprint: every request on it acts as its token's user."""
    blp = Blueprint(name, __name__, url_prefix=url_prefix, description=description)
    blp.before_request(authenticate)
    return blp


def problems(blp: Blueprint, described: dict[int, str] | None = None):
    """Document the problems an endpoint answers besides the common ones:
    `@problems(blp, {404: "Året finns inte", 409: "Året kan inte stängas"})`."""
    documented = {**COMMON_PROBLEMS, **(described or {})}

    def decorator(view):
        for status, text in sorted(documented.items(), reverse=True):
            view = blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_TYPE,
                                    description=text,
                                    headers=PROBLEM_HEADERS.get(status))(view)
        return view

    return decorator


from app.api.views import allocations, exchange, years  # noqa: E402 (they use the above)

BLUEPRINTS = [allocations.blp, exchange.blp, years.blp]
