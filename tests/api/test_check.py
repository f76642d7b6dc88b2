"""The API's check: the 2020 file imported and the year closed through the API, then the
figures read back as the dashboard shows them."""

from __future__ import annotations


def test_import_close_and_read_2020(api, client, data_2020):
    """Imported and closed through the API, does 2020 give the seed's figures as decimal
    strings, and nothing without a token?"""
    coordinator = api("coordinator")
    imported = coordinator.post("/api/v1/import", data=data_2020.encode(),
                                content_type="application/yaml")
    assert imported.status_code == 201, imported.get_json()
    assert "samverkan 2020" in imported.get_json()["created"]

    closed = coordinator.post("/api/v1/years/2020/close")
    assert closed.status_code == 200, closed.get_json()
    carried = {c["earmark"]: c["amount"] for c in closed.get_json()["carry_overs"]}
    assert carried["samverkan"] == "72151.00"

    response = coordinator.get("/api/v1/allocations?year=2020")
    assert response.status_code == 200
    rows = {row["earmark"]: row for row in response.get_json()["items"]}
    samverkan = rows["samverkan"]
    assert samverkan["received"] == "6203183.00"
    assert samverkan["used"] == "6131032.00"
    assert samverkan["result"] == "72151.00"
    assert samverkan["carry_over"] == "72151.00"
    assert samverkan["closed"] is True
    prevention = rows["suicidprevention"]
    assert prevention["result"] == prevention["carry_over"] == "108928.00"
    assert all(isinstance(row[k], str) for row in rows.values()
               for k in ("received", "available", "carried_in", "covered"))

    anonymous = client.get("/api/v1/allocations?year=2020")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert anonymous.mimetype == "application/problem+json"
