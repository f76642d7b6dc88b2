"""Applications over the API: an applicant starts, writes and submits their organisation's,
staff read, and another organisation's applicant is told it does not exist."""

from __future__ import annotations

from datetime import date

from app.call import applications as service
from app.call.models import Application
from app.extensions import db
from tests.call.factories import FIXTURE

PROBLEM = "application/problem+json"


def _complete(world) -> dict:
    return {
        "title": "Första hjälpen till psykisk hälsa", "summary": "Utbildning i MHFA.",
        "background": "Många unga mår dåligt.", "aim": "Fler vuxna som kan ge stöd.",
        "target_group": "Personal på gymnasiet.", "owner": "A-stads kommun",
        "user_participation": "JLB deltar.", "long_term_plan": "Blir ordinarie.",
        "partners": ["Region Jämtland Härjedalen", "JLB"],
        "indicators": ["Antal utbildade"], "goal_area_ids": world.goal_area_ids[:1],
        "period_start": "2022-09-01", "period_end": "2023-06-30",
        "budget": [{"year": 2022, "category": "staff", "description": "Instruktörer",
                    "amount": "120000.00"},
                   {"year": 2023, "category": "material", "description": "Böcker",
                    "amount": "8500.50"}],
        "answers": {"q1": "Genom elevhälsan."},
    }


def _start(api, world):
    applicant = api(email=world.a_email)
    response = applicant.post(f"/api/v1/calls/{world.call_id}/applications")
    assert response.status_code == 201, response.get_json()
    return applicant, response


def test_an_applicant_starts_a_draft_for_their_organisation(api, call_world):
    applicant, response = _start(api, call_world)
    draft = response.get_json()
    assert response.headers["Location"] == f"/api/v1/applications/{draft['id']}"
    assert draft["state"] == "draft" and draft["editable"] is True
    assert draft["organisation"] == "A-stads kommun"
    assert {m["field"] for m in draft["missing"]} >= {"title", "partners", "budget"}
    assert api("viewer").post(f"/api/v1/calls/{call_world.call_id}/applications"
                              ).status_code == 403


def test_a_draft_call_takes_no_application(api, call_world):
    response = api(email=call_world.a_email).post(
        f"/api/v1/calls/{call_world.draft_call_id}/applications")
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_the_draft_is_patched_field_by_field(api, call_world):
    """Does a PATCH keep what it leaves out, replace the budget and show amounts as strings?"""
    applicant, response = _start(api, call_world)
    url = response.headers["Location"]
    first = applicant.patch(url, json={"title": "Ett namn", "partners": ["JLB"]})
    assert first.status_code == 200, first.get_json()
    second = applicant.patch(url, json={"budget": _complete(call_world)["budget"]}).get_json()
    assert second["title"] == "Ett namn" and second["partners"] == ["JLB"]
    assert [row["amount"] for row in second["budget"]] == ["120000.00", "8500.50"]
    assert second["amount_applied"] == "128500.50"
    assert applicant.get(url).get_json()["budget"] == second["budget"]
    assert api("viewer").get(url).status_code == 404  # a draft is its applicants' own


def test_a_bad_row_saves_nothing_and_names_its_field(api, call_world):
    applicant, response = _start(api, call_world)
    url = response.headers["Location"]
    row = {"year": 1999, "category": "staff", "description": "", "amount": "1.00"}
    refused = applicant.patch(url, json={"title": "Nytt", "budget": [row]})
    assert refused.status_code == 422 and refused.mimetype == PROBLEM
    error = refused.get_json()["errors"][0]
    assert (error["field"], error["location"]) == ("budget.0.year", "json")
    assert error["message"] == "Ange året med fyra siffror."
    wrong_amount = applicant.patch(url, json={"budget": [{**row, "year": 2022,
                                                          "amount": 1000}]})
    assert wrong_amount.status_code == 422
    long = applicant.patch(url, json={"title": "Nytt", "summary": "x" * 30_000})
    assert long.status_code == 422
    assert long.get_json()["errors"][0]["field"] == "summary"
    assert applicant.get(url).get_json()["title"] == ""


def test_another_organisation_is_told_it_does_not_exist(api, call_world):
    stranger = api(email=call_world.b_email)
    url = f"/api/v1/applications/{call_world.a_draft_id}"
    for response in (stranger.get(url), stranger.patch(url, json={"title": "Kapad"}),
                     stranger.post(url + "/submit")):
        assert response.status_code == 404, response.get_json()
        assert response.get_json()["detail"] == "Ansökan finns inte."
    assert api(email=call_world.a_email).get(url).get_json()["title"] == "A:s utkast"


def test_staff_read_but_never_write_an_application(api, call_world):
    """Staff read what was sent in; a draft is its applicants' own (404), and no change is
    theirs to make (403)."""
    url = f"/api/v1/applications/{call_world.a_draft_id}"
    for role in ("viewer", "coordinator"):
        caller = api(role)
        assert caller.get(f"/api/v1/applications/{call_world.a_review_id}").status_code == 200
        assert caller.get(url).status_code == 404
        assert caller.patch(url, json={"title": "Personalens"}).status_code == 403
        assert caller.post(url + "/submit").status_code == 403


def test_an_incomplete_application_is_refused_with_each_missing_part(api, call_world):
    applicant, response = _start(api, call_world)
    url = response.headers["Location"]
    applicant.patch(url, json={"title": "Bara ett namn"})
    refused = applicant.post(url + "/submit")
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.get_json()["errors"]}
    assert {"summary", "partners", "goal_area_ids", "budget", "answers.q1"} <= fields
    assert "title" not in fields
    assert applicant.get(url).get_json()["state"] == "draft"


def test_a_complete_application_is_submitted_and_then_frozen(api, call_world, app):
    applicant, response = _start(api, call_world)
    url = response.headers["Location"]
    assert applicant.patch(url, json=_complete(call_world)).status_code == 200
    submitted = applicant.post(url + "/submit")
    assert submitted.status_code == 200, submitted.get_json()
    body = submitted.get_json()
    assert body["state"] == "submitted" and body["version"] == 1 and body["missing"] == []
    again = applicant.patch(url, json={"title": "Ändrad"})
    assert again.status_code == 409 and again.mimetype == PROBLEM
    assert again.get_json()["detail"] == "Ansökan är inskickad och kan inte ändras."
    assert applicant.post(url + "/submit").status_code == 409
    assert applicant.get(url).get_json()["title"] == "Första hjälpen till psykisk hälsa"


def test_a_stranger_s_invalid_body_still_gets_404(api, call_world):
    """Does a body full of errors tell another organisation nothing of A's draft?"""
    response = api(email=call_world.b_email).patch(
        f"/api/v1/applications/{call_world.a_draft_id}", json={"budget": "inte en lista"})
    assert response.status_code == 404


def test_a_grant_not_of_the_organisation_is_refused_at_its_field(api, call_world):
    """Can a draft say it continues another organisation's project? No: 422, nothing saved."""
    applicant = api(email=call_world.a_email)
    url = f"/api/v1/applications/{call_world.a_draft_id}"
    refused = applicant.patch(url, json={"title": "Fortsättning",
                                         "continues_grant_id": call_world.b_grant_id})
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "continues_grant_id"
    assert applicant.get(url).get_json()["title"] == "A:s utkast"
    unknown = applicant.patch(url, json={"colour": "blå"})
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0] == {"field": "colour", "location": "json",
                                               "message": "Okänt fält."}


#: What the web's save keeps as typed (app/call/views/applicant.py): a row whose amount and
#: an end date that cannot be read, beside a row and a start date that can.
TYPED_ON_THE_WEB = {
    "period_start": "2022-09-01", "period_end": "2022-06-31",
    "budget": [{"year": "2022", "category": "staff", "description": "Instruktörer",
                "amount": "120 000"},
               {"year": "2022", "category": "material", "description": "Kursböcker",
                "amount": "8 500 kr ungefär"}],
}


def _typed_on_the_web(app, application_id: int) -> dict:
    """Save the draft as the web's form does with TYPED_ON_THE_WEB; return its `unread`."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        given = service.draft_input_of(application)
        given.period_start, given.period_end = (TYPED_ON_THE_WEB["period_start"],
                                                TYPED_ON_THE_WEB["period_end"])
        given.budget = TYPED_ON_THE_WEB["budget"]
        assert set(service.save_draft(application, given, FIXTURE)) == {
            "period_end", "budget-1-amount"}
        unread = dict(application.unread)
        db.session.commit()
        db.session.remove()
    return unread


def _saved(app, application_id: int) -> dict:
    """What the draft holds in the database."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        saved = {"title": application.title, "unread": application.unread,
                 "period_start": application.period_start,
                 "amounts": [line.amount for line in application.budget_lines]}
        db.session.remove()
    return saved


def test_a_patch_of_the_title_keeps_what_the_web_kept_as_typed(app, api, call_world):
    """Does a PATCH of the title alone keep the budget, the dates and what the web's save
    kept as typed because it could not be read?"""
    unread = _typed_on_the_web(app, call_world.a_draft_id)
    url = f"/api/v1/applications/{call_world.a_draft_id}"
    response = api(email=call_world.a_email).patch(url, json={"title": "Nytt namn"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["period_start"] == "2022-09-01" and body["period_end"] is None
    assert {"budget.1.amount", "period_end"} <= {m["field"] for m in body["missing"]}
    assert _saved(app, call_world.a_draft_id) == {
        "title": "Nytt namn", "unread": unread, "period_start": date(2022, 9, 1),
        "amounts": [12_000_000]}


def test_a_patch_of_the_budget_replaces_only_the_rows_kept_as_typed(app, api, call_world):
    """Does a PATCH that sets the budget replace the rows, as the web's save does, and clear
    only the rows kept as typed, not the date? And is a bad row of it still refused whole?"""
    _typed_on_the_web(app, call_world.a_draft_id)
    applicant = api(email=call_world.a_email)
    url = f"/api/v1/applications/{call_world.a_draft_id}"
    bad = {"year": 1999, "category": "staff", "description": "", "amount": "1.00"}
    refused = applicant.patch(url, json={"title": "Nytt", "budget": [bad]})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["budget.0.year"]
    assert _saved(app, call_world.a_draft_id)["unread"]["budget"] == TYPED_ON_THE_WEB["budget"]
    response = applicant.patch(url, json={"budget": _complete(call_world)["budget"]})
    assert response.status_code == 200, response.get_json()
    assert _saved(app, call_world.a_draft_id) == {
        "title": "A:s utkast", "unread": {"period_end": "2022-06-31"},
        "period_start": date(2022, 9, 1), "amounts": [12_000_000, 850_050]}
