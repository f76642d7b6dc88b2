"""Fixtures of the accounts' tests: applicants need a call and organisations to belong to;
login protection needs apps of its own on the same database, as gunicorn's workers are;
the two-factor tests listen to the security log and turn on what production requires."""

import json
import logging

import pytest

from app import create_app
from app.extensions import db
from tests.call.conftest import World, world  # noqa: F401 - fixtures shared with the call's tests


@pytest.fixture
def second_app(app):
    """Return a factory of apps on the test database with settings of their own (each one
    stands in for another worker process)."""
    made = []

    def make(**settings):
        other = create_app({
            "APP_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": app.config["SECRET_KEY"],  # as every worker has the same
            **settings,
        })
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def security_log(caplog):
    """Return a function giving the security events written so far, as dicts."""
    caplog.set_level(logging.INFO, logger="stimulansmedel.security")

    def events(name: str | None = None) -> list[dict]:
        found = [json.loads(r.getMessage()) for r in caplog.records
                 if r.name == "stimulansmedel.security"]
        return [e for e in found if name is None or e["event"] == name]

    return events


@pytest.fixture
def roles_required(app, monkeypatch):
    """Turn on what production has: administrators and coordinators must use two factors."""
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin,coordinator")
