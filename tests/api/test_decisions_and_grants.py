"""Deciding an application, a project with its payments, and registering a payment over the
API, with the web's rules of the pool, the grant and attestation."""

from __future__ import annotations

from app.call.models import Application, Call
from app.call.rules import ApplicationState
from app.extensions import db
from tests.call.factories import make_application

PROBLEM = "application/problem+json"
DECISION = {"outcome": "granted", "body": "SVOM", "decided_on": "2022-06-10",
            "paragraph": "§130", "diary_number": "RUN 290 2022"}


def test_a_coordinator_grants_an_application_under_review(api, call_world):
    """Is the decision registered with a project for the applied amount, as a decimal
    string, and does a second decision get 409?"""
    coordinator = api("coordinator")
    url = f"/api/v1/applications/{call_world.a_review_id}/decision"
    response = coordinator.post(url, json=DECISION)
    assert response.status_code == 201, response.get_json()
    decision = response.get_json()
    assert decision["amount"] == "300000.00" and decision["sequence"] == 3
    assert decision["diary_number"] == "RUN/290/2022" and decision["grant_id"]
    application = coordinator.get(f"/api/v1/applications/{call_world.a_review_id}").get_json()
    assert application["state"] == "granted" and application["grant_id"] == decision["grant_id"]
    again = coordinator.post(url, json=DECISION)
    assert again.status_code == 409 and again.mimetype == PROBLEM


def test_a_decision_is_checked_as_the_form_checks_it(api, call_world):
    coordinator = api("coordinator")
    url = f"/api/v1/applications/{call_world.a_review_id}/decision"
    cases = {
        "amount": {**DECISION, "outcome": "partly_granted"},
        "conditions": {**DECISION, "outcome": "partly_granted", "amount": "100000.00"},
        "reason": {**DECISION, "outcome": "rejected"},
        "diary_number": {**DECISION, "diary_number": "inget nummer"},
        "decided_on": {key: v for key, v in DECISION.items() if key != "decided_on"},
    }
    for field, body in cases.items():
        response = coordinator.post(url, json=body)
        assert response.status_code == 422, field
        assert response.get_json()["errors"][0]["field"] == field, response.get_json()
    beyond = coordinator.post(url, json={**DECISION, "outcome": "partly_granted",
                                         "amount": "300000.00", "conditions": "Hälften"})
    assert beyond.status_code == 409  # what was applied for is data, not the request
    assert "mindre än det sökta beloppet" in beyond.get_json()["detail"]
    state = coordinator.get(f"/api/v1/applications/{call_world.a_review_id}").get_json()
    assert state["state"] == "under_review"


def test_a_decision_beyond_the_pool_is_refused(app, api, call_world):
    """The pool of 1 000 000 kr has 400 000 granted: 700 000 more does not fit."""
    with app.app_context():
        call = db.session.get(Call, call_world.call_id)
        big = make_application(call, db.session.get(Application, call_world.a_draft_id)
                               .organisation, state=ApplicationState.UNDER_REVIEW,
                               amount_kr=700_000, title="För stort")
        big_id = big.id
        db.session.commit()
    coordinator = api("coordinator")
    response = coordinator.post(f"/api/v1/applications/{big_id}/decision", json=DECISION)
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert response.get_json()["detail"].startswith("Beslutet kan inte fattas")
    assert coordinator.get(f"/api/v1/applications/{big_id}").get_json()["state"] == \
        "under_review"
    decided = coordinator.post(f"/api/v1/applications/{call_world.a_granted_id}/decision",
                               json=DECISION)
    assert decided.status_code == 409  # already decided


def test_only_coordinators_decide_and_a_draft_is_not_found(api, call_world):
    url = f"/api/v1/applications/{call_world.a_review_id}/decision"
    assert api("viewer").post(url, json=DECISION).status_code == 403
    assert api(email=call_world.a_email).post(url, json=DECISION).status_code == 403
    draft = api("coordinator").post(f"/api/v1/applications/{call_world.a_draft_id}/decision",
                                    json=DECISION)
    assert draft.status_code == 404


def test_a_project_with_its_payments_and_reports(api, call_world):
    url = f"/api/v1/grants/{call_world.a_grant_id}"
    project = api("viewer").get(url).get_json()
    assert project["amount"] == "200000.00" and project["paid"] == "0.00"
    assert project["earmark"] == "samverkan" and project["year"] == 2022
    assert project["payments"] == [] and isinstance(project["reports"], list)
    own = api(email=call_world.a_email).get(url)
    assert own.status_code == 200 and own.get_json()["title"] == "A:s beviljade projekt"
    stranger = api(email=call_world.b_email).get(url)
    assert stranger.status_code == 404 and stranger.mimetype == PROBLEM
    assert api(email=call_world.b_email).get(
        f"/api/v1/grants/{call_world.b_grant_id}").status_code == 200


def test_a_payment_at_most_the_threshold_is_attested_at_once(api, call_world):
    coordinator = api("coordinator")
    url = f"/api/v1/grants/{call_world.a_grant_id}/payments"
    response = coordinator.post(url, json={"amount": "50000.00", "paid_on": "2022-07-01",
                                           "reference": "VER-1"})
    assert response.status_code == 201, response.get_json()
    payment = response.get_json()
    assert payment["state"] == "approved" and payment["amount"] == "50000.00"
    project = coordinator.get(f"/api/v1/grants/{call_world.a_grant_id}").get_json()
    assert project["paid"] == "50000.00" and len(project["payments"]) == 1


def test_a_payment_above_the_threshold_waits_for_a_second_person(api, call_world):
    coordinator = api("coordinator")
    response = coordinator.post(f"/api/v1/grants/{call_world.a_grant_id}/payments",
                                json={"amount": "50000.01", "paid_on": "2022-07-01",
                                      "reference": "VER-2"})
    assert response.status_code == 201
    assert response.get_json()["state"] == "pending"
    project = coordinator.get(f"/api/v1/grants/{call_world.a_grant_id}").get_json()
    assert project["paid"] == "0.00" and project["payments"][0]["state"] == "pending"


def test_a_payment_is_refused_as_on_the_project_page(api, call_world):
    coordinator = api("coordinator")
    url = f"/api/v1/grants/{call_world.a_grant_id}/payments"
    too_much = coordinator.post(url, json={"amount": "200000.01", "paid_on": "2022-07-01",
                                           "reference": "VER-3"})
    assert too_much.status_code == 409 and too_much.mimetype == PROBLEM
    no_reference = coordinator.post(url, json={"amount": "10.00", "paid_on": "2022-07-01"})
    assert no_reference.status_code == 422
    assert [(e["field"], "referens" in e["message"]) for e in no_reference.get_json()[
        "errors"]] == [("reference", True)]
    as_number = coordinator.post(url, json={"amount": 10, "paid_on": "2022-07-01",
                                            "reference": "VER-4"})
    assert as_number.get_json()["errors"][0]["field"] == "amount"
    zero = coordinator.post(url, json={"amount": "0.00", "paid_on": "2022-07-01",
                                       "reference": "VER-5"})
    assert zero.status_code == 422 and zero.get_json()["errors"][0]["field"] == "amount"
    assert coordinator.get(f"/api/v1/grants/{call_world.a_grant_id}").get_json()[
        "payments"] == []
    assert api("viewer").post(url, json={"amount": "10.00", "paid_on": "2022-07-01",
                                         "reference": "V"}).status_code == 403
    assert coordinator.post("/api/v1/grants/999999/payments", json={
        "amount": "10.00", "paid_on": "2022-07-01", "reference": "V"}).status_code == 404
