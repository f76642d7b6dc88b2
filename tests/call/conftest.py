"""Fixtures of the applicant side: an open call, two organisations and their applicants."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from tests.call import factories


@dataclass
class World:
    call_id: int
    org_id: int
    other_org_id: int
    applicant: str
    colleague: str
    stranger: str


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        call_id = factories.create_call()
        org = factories.create_organisation("Krokoms kommun")
        other = factories.create_organisation("Åre kommun")
        w = World(call_id, org, other, factories.create_applicant(org),
                  factories.create_applicant(org), factories.create_applicant(other))
        db.session.commit()
        db.session.remove()
    return w


@pytest.fixture
def new_application(app, client, world):
    """Start a draft as `world.applicant` and return its id (the client stays logged in)."""
    from tests.conftest import login

    def start(email: str | None = None) -> int:
        login(client, email or world.applicant)
        response = client.post(f"/utlysningar/{world.call_id}/ansok")
        assert response.status_code == 302, response.status_code
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])

    return start
