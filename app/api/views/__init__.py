"""The API's resources, one module each, and the blueprint they share the making of."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import request, url_for
from flask_smorest import Blueprint
from werkzeug.exceptions import NotFound

from app.api.auth import authenticate
from app.api.problems import ApiProblem
from app.api.schemas import MAX_YEAR, MIN_YEAR, ProblemSchema
from app.extensions import db

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


def found(model, ident: int, detail: str):
    """Load a row by its id, or answer 404 with `detail`."""
    try:
        return db.get_or_404(model, ident)
    except NotFound:
        raise ApiProblem(404, detail) from None


def found_first(load: Callable[[int], object], argument: str):
    """Answer 404 for an id that names nothing (or nothing the user may see) before the
    request's body is read, so no body's errors tell whether a row exists:
    `@found_first(readable, "application_id")` under the role's rule."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            load(kwargs[argument])
            return view(*args, **kwargs)

        return wrapped

    return decorator


def page_of(rows: list, args: dict, endpoint: str) -> dict:
    """A page of `rows` as every list of the API answers it: `items`, `next` (the URL of the
    following page, null on the last) and `total`."""
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    following = None
    if start + per_page < len(rows):
        query = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
        following = url_for(endpoint, **query, page=page + 1, per_page=per_page)
    return {"items": rows[start:start + per_page], "next": following, "total": len(rows)}


from app.api.views import (  # noqa: E402 (they use the above)
    allocations,
    applications,
    calls,
    exchange,
    grants,
    jobs,
    reports,
    years,
)

BLUEPRINTS = [allocations.blp, exchange.blp, years.blp, calls.blp, applications.blp,
              grants.blp, reports.blp, jobs.blp]
