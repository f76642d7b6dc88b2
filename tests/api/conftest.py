"""Fixtures of the API's tests: an account of a role with a token, and calling with it."""

from __future__ import annotations

import pytest

from app.accounts.api_tokens import create_token
from app.accounts.models import Organisation
from app.accounts.users import find_by_email
from app.core.audit import Actor
from app.extensions import db
from tests.api.call_world import build_call_world
from tests.call.factories import create_applicant


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make_token(app, make_user):
    """Create an account of the role (or use `email`) with a token; return the token."""

    def make(role: str = "coordinator", *, email: str | None = None, days: int | None = None,
             name: str = "Test") -> str:
        with app.app_context():
            if email is None and role == "applicant":
                organisation = Organisation(name="Sökande kommun", kind="municipality")
                db.session.add(organisation)
                db.session.flush()
                email = create_applicant(organisation.id)
                db.session.commit()
            email = email or make_user(role)
            user = find_by_email(email)
            _token, secret = create_token(user, name, days, Actor(label="fixture"))
            db.session.commit()
            db.session.remove()
        return secret

    return make


@pytest.fixture
def api(client, make_token):
    """Call the API with a new token of a role: `api("viewer").get(url)`."""

    class Caller:
        def __init__(self, token: str) -> None:
            self.token = token

        def open(self, url: str, method: str = "GET", **kwargs):
            headers = {**bearer(self.token), **kwargs.pop("headers", {})}
            return client.open(url, method=method, headers=headers, **kwargs)

        def get(self, url: str, **kwargs):
            return self.open(url, "GET", **kwargs)

        def post(self, url: str, **kwargs):
            return self.open(url, "POST", **kwargs)

        def patch(self, url: str, **kwargs):
            return self.open(url, "PATCH", **kwargs)

    return lambda role="coordinator", email=None: Caller(make_token(role, email=email))


@pytest.fixture
def call_world(app):
    """A call with A's draft, A's application under review, A's and B's granted projects."""
    return build_call_world(app)
