"""The probes a load balancer and an orchestrator call every few seconds: /healthz (the process
answers) and /readyz (the database answers), without login, cookies or queries they need not."""

from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import login
from tests.support import count_queries
from tests.web.test_outage import UNREACHABLE


@pytest.fixture
def down_client(tmp_path):
    down = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": UNREACHABLE,
                       "SECRET_KEY": "test-secret", "UPLOAD_FOLDER": str(tmp_path)})
    yield down.test_client()
    with down.app_context():
        db.engine.dispose()


def test_healthz_answers_without_the_database_or_a_cookie(app, client, make_user):
    login(client, make_user("coordinator"))  # even a browser with a session asks nothing
    with count_queries(app) as statements:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert statements == []
    assert "Set-Cookie" not in response.headers


def test_healthz_answers_200_while_the_database_is_down(down_client):
    response = down_client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_answers_200_when_the_database_answers(app, client):
    with count_queries(app) as statements:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert len(statements) == 1  # SELECT 1, nothing more
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_answers_503_with_json_while_the_database_is_down(down_client):
    response = down_client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    assert response.headers["Retry-After"].isdigit()
    assert "Set-Cookie" not in response.headers


def test_the_probes_need_no_login(client):
    for url in ("/healthz", "/readyz"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "application/json", url
