"""Calls over the API: who sees which, and a new call with the web form's rules."""

from __future__ import annotations

import re

from app.core.audit import Actor
from app.extensions import db
from app.ledger.goal_areas.lists import retire_area
from app.ledger.lines import GrantInput, add_grant
from app.ledger.queries import call_sums

PROBLEM = "application/problem+json"


def _new_call(world, **changes) -> dict:
    body = {"line_id": world.line_id, "title": "Utlysning via API:t",
            "description": "Lokala projekt.", "opens_at": "2022-03-01T08:00",
            "closes_at": "2022-04-15T23:59", "goal_area_ids": world.goal_area_ids[:1],
            "max_per_project": "250000.00",
            "questions": [{"text": "Hur sprids resultaten?", "required": True},
                          {"text": "Vem leder arbetet?"}],
            "criteria": ["Samverkan", "Hållbarhet"]}
    body.update(changes)
    return body


def test_an_applicant_sees_only_the_open_calls(api, call_world):
    """Does an applicant's list hold the open call but not the draft, which staff see?"""
    applicant = api(email=call_world.a_email).get("/api/v1/calls").get_json()
    assert [c["id"] for c in applicant["items"]] == [call_world.call_id]
    assert applicant["items"][0]["open_now"] is True
    assert applicant["items"][0]["pool"] == "1000000.00"
    staff = api("viewer").get("/api/v1/calls").get_json()
    assert {c["id"] for c in staff["items"]} == {call_world.call_id, call_world.draft_call_id}
    assert staff["total"] == 2 and staff["next"] is None


def test_the_list_is_paged_with_a_next_link(api, call_world):
    caller = api("viewer")
    first = caller.get("/api/v1/calls?per_page=1").get_json()
    assert len(first["items"]) == 1 and first["next"].startswith("/api/v1/calls?")
    second = caller.get(first["next"]).get_json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert caller.get("/api/v1/calls?per_page=0").status_code == 400


def test_a_draft_call_is_not_found_for_an_applicant(api, call_world):
    url = f"/api/v1/calls/{call_world.draft_call_id}"
    refused = api(email=call_world.a_email).get(url)
    assert refused.status_code == 404 and refused.mimetype == PROBLEM
    assert refused.get_json()["detail"] == "Utlysningen finns inte."
    assert api("viewer").get(url).get_json()["state"] == "draft"
    assert api("viewer").get("/api/v1/calls/999999").status_code == 404


def test_a_coordinator_creates_a_draft_call(api, call_world):
    """Is the new call a draft, its Swedish times kept in UTC, its amounts decimal strings?"""
    response = api("coordinator").post("/api/v1/calls", json=_new_call(call_world))
    assert response.status_code == 201, response.get_json()
    call = response.get_json()
    assert response.headers["Location"] == f"/api/v1/calls/{call['id']}"
    assert call["state"] == "draft" and call["max_per_project"] == "250000.00"
    assert call["opens_at"].startswith("2022-03-01T07:00")  # 08:00 Swedish winter time
    assert [q["key"] for q in call["questions"]] == ["q1", "q2"]
    assert call["questions"][0]["required"] is True and call["questions"][1]["required"] is False
    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", call["pool"])
    assert api("viewer").get(response.headers["Location"]).get_json()["title"] == \
        "Utlysning via API:t"


def test_a_call_missing_its_fields_is_refused_at_each(api, call_world):
    response = api("coordinator").post("/api/v1/calls", json={"title": "  "})
    assert response.status_code == 422 and response.mimetype == PROBLEM
    fields = {e["field"]: e["message"] for e in response.get_json()["errors"]}
    assert fields["line_id"] == "Välj potten."
    assert fields["goal_area_ids"] == "Välj minst ett målområde."
    assert {"opens_at", "closes_at"} <= set(fields)


def test_the_call_rules_of_the_web_refuse_at_the_field(api, call_world):
    """Does a call that closes before it opens get the web's message at closes_at, and change
    nothing?"""
    coordinator = api("coordinator")
    response = coordinator.post("/api/v1/calls", json=_new_call(
        call_world, opens_at="2022-04-15T08:00", closes_at="2022-03-01T08:00"))
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["detail"] == "Utlysningen måste stänga efter att den öppnar."
    assert problem["errors"][0]["field"] == "closes_at"
    too_much = coordinator.post("/api/v1/calls", json=_new_call(
        call_world, max_per_project="2000000.00"))
    assert too_much.status_code == 409  # more than the pot holds: a rule of the data
    assert too_much.get_json()["errors"][0]["field"] == "max_per_project"
    assert coordinator.get("/api/v1/calls").get_json()["total"] == 2


def test_amounts_must_be_decimal_strings(api, call_world):
    response = api("coordinator").post("/api/v1/calls",
                                       json=_new_call(call_world, max_per_project=250000.5))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "max_per_project"


def test_only_coordinators_create_calls(api, call_world):
    for caller in (api("viewer"), api(email=call_world.a_email)):
        response = caller.post("/api/v1/calls", json=_new_call(call_world))
        assert response.status_code == 403
    assert api("viewer").get("/api/v1/calls").get_json()["total"] == 2


def _refused_as_the_data_stands(api, world) -> dict:
    """Post a new call that fits the schema; return its problem, a 409 that created nothing."""
    coordinator = api("coordinator")
    response = coordinator.post("/api/v1/calls", json=_new_call(world))
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert coordinator.get("/api/v1/calls").get_json()["total"] == 2
    return response.get_json()


def test_a_call_on_a_pot_granted_in_full_is_refused_at_the_pot(app, api, call_world):
    """With the rest of the pool granted, is a new call on it refused as the data stands
    (409), saying so at line_id?"""
    with app.app_context():
        left = 100_000_000 - call_sums([call_world.line_id])[call_world.line_id].granted
        add_grant(call_world.line_id, GrantInput(
            title="Resten", owner="Krokoms kommun", amount=left,
            goal_areas=["Stärka barn och ungas psykiska hälsa"]), Actor(label="fixture"))
        db.session.commit()
        db.session.remove()
    problem = _refused_as_the_data_stands(api, call_world)
    assert "är redan beviljad i sin helhet" in problem["detail"]
    assert problem["errors"] == [{"field": "line_id", "location": "json",
                                  "message": problem["detail"]}]


def test_a_retired_goal_area_is_refused_at_its_field(app, api, call_world):
    """Is a new call with a goal area retired from its year's list refused as the data stands
    (409) at goal_area_ids, naming the area?"""
    with app.app_context():
        name = retire_area(call_world.goal_area_ids[0], Actor(label="fixture")).name
        db.session.commit()
        db.session.remove()
    problem = _refused_as_the_data_stands(api, call_world)
    assert problem["detail"] == (f"Målområdet {name} har utgått ur 2022 års lista och kan "
                                 "inte väljas.")
    assert [e["field"] for e in problem["errors"]] == ["goal_area_ids"]
