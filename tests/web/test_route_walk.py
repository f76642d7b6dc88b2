"""Every route of the app for six actors: does each get exactly what tests/web/route_rules.py
says, with real ids of organisation A's objects, and never a 500?"""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import IntegerConverter

from app import create_app
from app.extensions import db
from tests.conftest import reset_database
from tests.web.route_rules import RULES, rule
from tests.web.route_walk import (
    ALLOWED_GET,
    REFUSED_OR_BROKEN,
    Walk,
    is_login_redirect,
    leaks,
    unruled,
)
from tests.web.route_world import (
    ACTORS,
    ADMIN,
    ANONYMOUS,
    APPLICANT_A,
    APPLICANT_B,
    COORDINATOR,
    VIEWER,
)

CASES = [
    pytest.param(endpoint, method, actor, id=f"{endpoint}-{method}-{actor}")
    for endpoint, declared in RULES.items()
    for method in declared.methods
    for actor in ACTORS
]


@pytest.fixture(autouse=True)
def _clean_database():
    """The walk keeps one world for the whole module (it rebuilds it when a request changed
    it), instead of emptying the database after every test."""
    yield


@pytest.fixture(scope="module")
def walk(app):
    walk = Walk(app)
    yield walk
    reset_database(app)


def test_every_route_has_a_rule(app):
    """Does every route of the URL map say who may use it, method by method?"""
    problems = unruled(app)
    assert not problems, "add a line for each to tests/web/route_rules.py:\n" + "\n".join(
        problems)


def test_a_new_route_without_a_rule_is_named():
    """Would a route added tomorrow without a rule fail, naming its endpoint?"""
    new = Flask(__name__)
    new.add_url_rule("/ny-sida", "reports.new_page", lambda: "", methods=["GET", "POST"])
    new.add_url_rule("/hamta", "reports.download", lambda: "")
    problems = unruled(new, {"static": rule(get=set()), "reports.download": rule(post=set())})
    assert problems == [
        "reports.download takes ['GET'] but its rule declares ['POST']",
        "reports.new_page (/ny-sida) has no rule",
    ]


@pytest.mark.parametrize("endpoint, method, actor", CASES)
def test_route(walk, endpoint, method, actor):
    """Does the actor get in where the table allows, and nowhere else?"""
    declared = RULES[endpoint]
    url = walk.url(endpoint)
    allowed = actor in declared.methods[method]
    before = walk.state()
    response = walk.client(actor, bearer=declared.bearer).open(url, method=method, data={})
    response.get_data()  # read it all, then close a static file's handle
    response.close()
    status = response.status_code
    changed = walk.state() != before
    if changed:
        walk.build()  # the next test starts from the world as built
    assert status != 500, f"{method} {url} as {actor}: 500"
    shown = leaks(walk.world, actor, response)
    assert not shown, f"{method} {url} shows {actor} {shown}"
    if method == "GET" and not declared.get_changes:
        assert not changed, f"GET {url} as {actor} changed the database"

    if allowed and method == "GET":
        assert status in ALLOWED_GET and not is_login_redirect(response), (
            f"GET {url} as {actor} (allowed): {status} {response.headers.get('Location', '')}")
    elif allowed:
        assert status not in REFUSED_OR_BROKEN and not is_login_redirect(response), (
            f"{method} {url} as {actor} (allowed): {status}")
    else:
        expected = declared.refusal(actor)
        if expected == "login":
            assert is_login_redirect(response), (
                f"{method} {url} as {actor}: {status} {response.headers.get('Location', '')}, "
                "not the login page")
        else:
            assert status == expected, f"{method} {url} as {actor}: {status}, not {expected}"
        if status == 403:
            assert "Ingen behörighet" in response.get_data(as_text=True)
        assert not changed, f"{method} {url} as {actor} was refused but changed the database"


@pytest.fixture(scope="module")
def csrf_app(app):
    """A second app on the same database with CSRF protection on, as in production."""
    protected = create_app({
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SERVER_NAME": "localhost",
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
        "WTF_CSRF_ENABLED": True,
    })
    yield protected
    with protected.app_context():
        db.session.remove()
        db.engine.dispose()


# The API takes a token, never a cookie, so it needs no CSRF token (tests/api/test_tokens.py).
CHANGES = [(endpoint, method) for endpoint, declared in RULES.items()
           for method in declared.methods if method != "GET" and not declared.bearer]


@pytest.mark.parametrize("actor", [ANONYMOUS, ADMIN])
def test_every_post_without_the_token_is_refused(walk, csrf_app, actor):
    """With CSRF protection on, does every form refuse a post that lacks the token (400),
    whoever sends it, and change nothing?"""
    before = walk.state()
    answers = {}
    for endpoint, method in CHANGES:
        response = walk.client(actor, csrf_app).open(walk.url(endpoint), method=method,
                                                     data={})
        response.close()
        answers[f"{method} {endpoint}"] = response.status_code
    assert answers == {f"{method} {endpoint}": 400 for endpoint, method in CHANGES}
    assert walk.state() == before


# A route with two ids checks that the second belongs to the first: a stranger may not reach
# A's attachment or report through their own application.
NESTED = [
    ("applications.download", "GET", {"app_id": "b_app_id"}),
    ("applications.delete_attachment", "POST", {"app_id": "b_app_id"}),
    ("projects.write_report", "GET", {"application_id": "b_application_id"}),
    ("projects.write_report", "POST", {"application_id": "b_application_id"}),
]


@pytest.mark.parametrize("endpoint, method, ids", NESTED,
                         ids=[f"{e}-{m}" for e, m, _ in NESTED])
def test_a_stranger_cannot_reach_a_child_through_their_own_parent(walk, endpoint, method, ids):
    """Can applicant B open A's attachment or report under B's own application? No: 404."""
    before = walk.state()
    response = walk.client(APPLICANT_B).open(walk.url(endpoint, **ids), method=method, data={})
    assert response.status_code == 404
    assert walk.state() == before


def _first_allowed(declared, method: str) -> str:
    return next(actor for actor in (ADMIN, APPLICANT_A, COORDINATOR, VIEWER, APPLICANT_B,
                                    ANONYMOUS) if actor in declared.methods[method])


def test_an_unknown_id_is_not_found(walk):
    """Does a URL naming nothing that exists answer 404 (a bad signed link 400), never a 500,
    to someone who may use the route?"""
    before = walk.state()
    answers, expected = {}, {}
    for url_rule in walk.app.url_map.iter_rules():
        if not url_rule.arguments or url_rule.endpoint == "static":
            continue
        declared = RULES[url_rule.endpoint]
        values = {name: 999_999 if isinstance(url_rule._converters[name], IntegerConverter)
                  else "okand" for name in url_rule.arguments}
        for method in declared.methods:
            key = f"{method} {url_rule.endpoint}"
            response = walk.client(_first_allowed(declared, method), bearer=declared.bearer).open(
                walk.url_of(url_rule.endpoint, values), method=method, data={})
            answers[key] = response.status_code
            expected[key] = 400 if "token" in url_rule.arguments else 404
    assert answers == expected
    assert walk.state() == before
