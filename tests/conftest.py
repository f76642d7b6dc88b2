"""Fixtures shared by every test.

The database is the one DATABASE_URL names (PostgreSQL in CI's second run), else a fresh SQLite
file. The schema is built once per run by the real Alembic migrations; every test then starts
from the migrated state (the seeded earmarks, nothing else).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reportlab.platypus import Table
from sqlalchemy import MetaData, insert, select, text

from app import create_app
from app.call.pool import applications_tally
from app.core.audit import Actor
from app.extensions import db

DATA_2020 = Path(__file__).resolve().parent.parent / "app" / "data" / "jamtland-2020.yaml"
PASSWORD = "ett-langt-losenord"
#: How many coordinators act at the same moment in the PostgreSQL concurrency tests.
CONCURRENT_REQUESTS = 20
#: The earmark rows the migration seeds, read once per run; every test starts from them.
_seed_earmarks: list[dict] = []


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    from flask_migrate import upgrade

    app = create_app({
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "localhost",
        # Uploads of the whole run go to one temporary folder, never into instance/.
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
    })
    with app.app_context():
        # Start from nothing, whatever an earlier run left, then migrate as production does.
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        earmark = db.metadata.tables["earmark"]
        _seed_earmarks[:] = [dict(row._mapping) for row in db.session.execute(select(earmark))]
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close pooled connections before the interpreter does


def reset_database(app) -> None:
    """Empty every table and put back the earmarks the migration seeds."""
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            conn.execute(insert(db.metadata.tables["earmark"]), _seed_earmarks)


@pytest.fixture(autouse=True)
def _clean_database(app):
    yield
    _kept_sums_agree(app)
    reset_database(app)


def _kept_sums_agree(app) -> None:
    """After every test, whatever it did: the call's kept sums are those of its rows."""
    with app.app_context():
        db.session.remove()
        differences = applications_tally.differences(db.session)
        db.session.remove()
    assert not differences, f"call_tally (stored, computed) differs: {differences}"


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def actor() -> Actor:
    return Actor(label="test@example.se")


@pytest.fixture
def data_2020() -> str:
    return DATA_2020.read_text(encoding="utf-8")


@pytest.fixture
def imported_2020(app, data_2020):
    """The real 2020 follow-up of seed 003, imported and committed."""
    from app.ledger.exchange.importing import import_document

    with app.app_context():
        import_document(data_2020, Actor(label="fixture"))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def make_user(app):
    """Create an account with a role and return its e-mail; the password is PASSWORD."""
    from app.accounts.users import create_user

    def make(role: str = "coordinator", email: str | None = None) -> str:
        email = email or f"{role}-{os.urandom(3).hex()}@example.se"
        with app.app_context():
            create_user(email, PASSWORD, role, Actor(label="fixture"))
            db.session.commit()
            db.session.remove()
        return email

    return make


def login(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password},
                       follow_redirects=True)


@pytest.fixture
def as_role(client, make_user):
    """Log the test client in with a new account of the given role; return the client."""

    def log_in(role: str):
        email = make_user(role)
        response = login(client, email)
        assert response.status_code == 200
        return client

    return log_in


@pytest.fixture(scope="module")
def wide_app(app):
    """The same PostgreSQL database with a connection for every concurrent request, so all of
    them can wait on a lock at once; skips on SQLite, which serialises writers anyway."""
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://…")
    wide = create_app({
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": CONCURRENT_REQUESTS + 2, "max_overflow": 0},
    })
    yield wide
    with wide.app_context():
        db.engine.dispose()


@pytest.fixture
def table_rows(monkeypatch):
    """Count the rows of every Table made: ReportLab lays out and styles each of them."""
    made = [0]
    original = Table.__init__

    def counted(self, data, *args, **kwargs):
        made[0] += len(data)
        original(self, data, *args, **kwargs)

    monkeypatch.setattr(Table, "__init__", counted)
    return made
