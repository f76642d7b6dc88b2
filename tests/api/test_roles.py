"""The API allows a token exactly what the web allows its user."""

from __future__ import annotations

import re

import pytest

YAML = "application/yaml"

CALLS = {
    "list": ("GET", "/api/v1/allocations?year=2020"),
    "detail": ("GET", "/api/v1/allocations/samverkan/2020"),
    "export": ("GET", "/api/v1/export?year=2020"),
    "import": ("POST", "/api/v1/import"),
    "close": ("POST", "/api/v1/years/2020/close"),
    "reopen": ("POST", "/api/v1/years/2020/reopen"),
}
ALLOWED = {
    "applicant": set(),
    "viewer": {"list", "detail"},
    "coordinator": {"list", "detail", "export", "import", "close"},
    "admin": set(CALLS),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_gets_what_the_web_gives_it(api, imported_2020, data_2020, role):
    """Is every call refused 403 to a role the pages refuse, and answered to the others?"""
    caller = api(role)
    for name, (method, url) in CALLS.items():
        body = {"data": data_2020.encode(), "content_type": YAML} if name == "import" else {}
        response = caller.open(url, method, **body)
        if name in ALLOWED[role]:
            assert response.status_code not in (401, 403), (role, name, response.get_json())
        else:
            assert response.status_code == 403, (role, name)
            assert response.get_json()["title"] == "Ingen behörighet"


def test_a_viewer_cannot_change_anything(app, api, imported_2020, data_2020):
    """Does a viewer's import and close leave the year open and the ledger as it was?"""
    viewer = api("viewer")
    before = viewer.get("/api/v1/allocations?year=2020").get_json()
    assert viewer.post("/api/v1/import?replace=true", data=data_2020.encode(),
                       content_type=YAML).status_code == 403
    assert viewer.post("/api/v1/years/2020/close").status_code == 403
    after = viewer.get("/api/v1/allocations?year=2020").get_json()
    assert after == before
    assert not any(row["closed"] for row in after["items"])


def test_a_coordinator_closes_but_only_an_admin_reopens(api, imported_2020):
    coordinator, admin = api("coordinator"), api("admin")
    assert coordinator.post("/api/v1/years/2020/close").status_code == 200
    again = coordinator.post("/api/v1/years/2020/close")
    assert again.status_code == 409
    assert "redan stängt" in again.get_json()["detail"]
    assert coordinator.post("/api/v1/years/2020/reopen").status_code == 403
    reopened = admin.post("/api/v1/years/2020/reopen")
    assert reopened.status_code == 200 and reopened.get_json()["closed"] is False
    rows = admin.get("/api/v1/allocations?year=2020").get_json()["items"]
    assert all(row["carry_over"] is None for row in rows)


def test_the_export_is_the_command_line_s_document(api, imported_2020, runner):
    """Does the API's export give the same document as `flask funds export`?"""
    response = api("coordinator").get("/api/v1/export?year=2020")
    assert response.status_code == 200
    assert response.mimetype == YAML
    cli = runner.invoke(args=["funds", "export", "--year", "2020"])
    assert response.get_data(as_text=True) == cli.stdout


def test_one_allocation_has_its_lines_and_grants(api, imported_2020):
    detail = api("viewer").get("/api/v1/allocations/samverkan/2020").get_json()
    assert detail["received"] == "6203183.00" and detail["result"] == "72151.00"
    assert detail["lines"] and all(isinstance(line["kind"], str) for line in detail["lines"])
    amounts = [line["spent"] for line in detail["lines"] if line["spent"] is not None]
    assert amounts and all(re.fullmatch(r"-?[0-9]+\.[0-9]{2}", a) for a in amounts)


def test_the_list_is_paged_with_a_next_link(api, imported_2020):
    caller = api("viewer")
    first = caller.get("/api/v1/allocations?year=2020&per_page=2").get_json()
    assert len(first["items"]) == 2 and first["total"] == 3
    assert first["next"].startswith("/api/v1/allocations?")
    second = caller.get(first["next"]).get_json()
    assert len(second["items"]) == 1 and second["next"] is None
    names = [row["earmark"] for row in first["items"] + second["items"]]
    assert sorted(names) == ["brukarmiljonen", "samverkan", "suicidprevention"]
