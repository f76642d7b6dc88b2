"""The API's payments keep the fund's spending window as the project page does
(tests/ledger/test_spending_window.py): refused with the date, an administrator's reason
overrides it."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.api.conftest import bearer
from tests.followup.factories import grant, grant_by_title, import_year, pool_year


@pytest.fixture
def project(app) -> dict:
    with app.app_context():
        import_year(pool_year(grants=(grant("Första hjälpen", 500_000),)))
        db.session.commit()
        ids = {"grant": grant_by_title("Första hjälpen").id}
        db.session.remove()
    return ids


def test_the_api_holds_the_window_too(app, client, project, make_token):
    url = f"/api/v1/grants/{project['grant']}/payments"
    body = {"amount": "1000", "paid_on": "2024-01-15", "reference": "VER-9"}
    response = client.post(url, json=body, headers=bearer(make_token("coordinator")))
    assert response.status_code == 409
    assert "daterad 2024-01-15" in response.get_json()["detail"]
    assert [e["field"] for e in response.get_json()["errors"]] == ["paid_on"]
    response = client.post(url, json={**body, "window_override": "Slutfaktura"},
                           headers=bearer(make_token("coordinator")))
    assert response.status_code == 409 and "inte administratör" in response.get_json()["detail"]
    response = client.post(url, json={**body, "window_override": "Slutfaktura"},
                           headers=bearer(make_token("admin")))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["window_override"] == "Slutfaktura"
