"""Walking the routes: the world built once, a logged-in session for each actor, a URL for each
endpoint filled with A's ids, and what a response must be for an actor allowed or refused."""

from __future__ import annotations

from flask import Flask, url_for
from werkzeug.test import TestResponse

from app.extensions import db
from tests.conftest import login, reset_database
from tests.ledger.factories import snapshot
from tests.web.route_rules import RULES, Rule
from tests.web.route_world import (
    ACTORS,
    ANONYMOUS,
    APPLICANT_A,
    APPLICANT_B,
    World,
    build_world,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}
#: What an allowed GET answers: a page, a download, a redirect on, or not modified.
ALLOWED_GET = {200, 302, 304}
#: What an allowed POST must never answer (a validation error page is fine).
REFUSED_OR_BROKEN = {401, 403, 404, 405, 500}


def route_methods(rule) -> set[str]:
    return set(rule.methods) - IGNORED_METHODS


def unruled(app: Flask, rules: dict[str, Rule] = RULES) -> list[str]:
    """Name every route of the app's URL map whose rule is missing or does not declare exactly
    the methods it takes."""
    problems = []
    for url_rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        declared = rules.get(url_rule.endpoint)
        if declared is None:
            problems.append(f"{url_rule.endpoint} ({url_rule.rule}) has no rule")
        elif set(declared.methods) != route_methods(url_rule):
            problems.append(f"{url_rule.endpoint} takes {sorted(route_methods(url_rule))} "
                            f"but its rule declares {sorted(declared.methods)}")
    return problems


class Walk:
    """The world of the walk and a saved session per actor; rebuilt when a request changed it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.build()

    def build(self) -> None:
        reset_database(self.app)
        self.world: World = build_world(self.app)
        self.sessions: dict[str, dict] = {ANONYMOUS: {}}
        for actor in ACTORS:
            if actor == ANONYMOUS:
                continue
            client = self.app.test_client()
            response = login(client, self.world.emails[actor])
            assert response.status_code == 200, (actor, response.status_code)
            with client.session_transaction() as session:
                assert session.get("_user_id"), f"{actor} could not log in"
                self.sessions[actor] = dict(session)

    def client(self, actor: str, app: Flask | None = None, *, bearer: bool = False):
        """A fresh test client holding the actor's session (a logout in one test stays there),
        or with `bearer` the actor's API token instead (the API never reads a session)."""
        client = (app or self.app).test_client()
        if bearer:
            if actor in self.world.tokens:
                client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {self.world.tokens[actor]}"
            return client
        if self.sessions[actor]:
            with client.session_transaction() as session:
                session.update(self.sessions[actor])
        return client

    def url(self, endpoint: str, **ids: str) -> str:
        """The endpoint's URL with the ids of A's objects (or the world's values `ids` names
        for some parameters), and the query its rule needs."""
        rule = RULES[endpoint]
        url_rule = next((r for r in self.app.url_map.iter_rules() if r.endpoint == endpoint),
                        None)
        assert url_rule is not None, f"{endpoint} has a rule but no route: remove the rule"
        values = dict(self.world.values)
        for name, key in {**rule.ids, **ids}.items():
            values[name] = values[key]
        return self.url_of(endpoint, {name: values[name] for name in url_rule.arguments})

    def url_of(self, endpoint: str, values: dict) -> str:
        """The endpoint's URL with these values, and the query its rule needs."""
        with self.app.test_request_context():
            url = url_for(endpoint, **values)
        query = RULES[endpoint].query
        return f"{url}?{query}" if query else url

    def state(self):
        """Every row of the database, to tell whether a request changed anything."""
        with self.app.app_context():
            rows = snapshot()
            db.session.remove()
        # Calling the API notes when a token was last used: a record of the call, not a change.
        columns = list(db.metadata.tables["api_token"].columns.keys())
        used = columns.index("last_used_at")
        rows["api_token"] = [row[:used] + row[used + 1:] for row in rows["api_token"]]
        return rows


def is_login_redirect(response: TestResponse) -> bool:
    return (response.status_code == 302
            and response.headers.get("Location", "").startswith("/login?next="))


def leaks(world: World, actor: str, response: TestResponse) -> list[str]:
    """The titles of applications the actor must not see that the response shows: an
    applicant's of the other organisation, anonymous anybody's."""
    hidden = {APPLICANT_A: world.b_titles, APPLICANT_B: world.a_titles,
              ANONYMOUS: world.a_titles + world.b_titles}.get(actor, ())
    body = response.get_data()  # bytes: downloads are not text
    return [title for title in hidden if title.encode() in body]
