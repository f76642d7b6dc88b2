"""The applicant's side of project follow-up: the project page, requisitions and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.call import decisions
from app.call.models import Application
from app.call.rules import ApplicationState
from app.core.audit import Actor
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.models import ProjectReport
from app.followup.rules import Rating, ReportKind, ReportState
from app.ledger import payments
from app.ledger.models import Grant, Requisition
from tests.call.factories import (
    complete_form,
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import login
from tests.followup.factories import ATTESTER, REGISTRAR, final_report, pay
from tests.support import queries_of_page

COORDINATOR = Actor(label="samordnare@example.se")
INDICATORS = [
    {"name": "Antal utbildade", "kind": "count", "split": True},
    {"name": "Rutin införd", "kind": "yes_no", "split": False},
    {"name": "Andel nöjda", "kind": "percent", "split": False},
]


@dataclass
class Project:
    application_id: int
    grant_id: int
    report_id: int
    applicant: str
    stranger: str
    stranger_application_id: int

    @property
    def page(self) -> str:
        return f"/ansokningar/{self.application_id}/projekt"

    @property
    def report_page(self) -> str:
        return f"{self.page}/rapporter/{self.report_id}"


def grant_application(call, org, *, title: str = "MÖTAS", amount_kr: int = 300_000,
                      indicators=None, continues_grant_id: int | None = None):
    """Submit and decide an application in full: a real Grant with application_id."""
    application = make_application(call, org, amount_kr=amount_kr, title=title,
                                   state=ApplicationState.UNDER_REVIEW)
    application.indicators = indicators if indicators is not None else INDICATORS
    application.continues_grant_id = continues_grant_id
    db.session.flush()
    decision = decisions.decide(application.id, "granted", None, "", "", "SVOM",
                                date(2022, 6, 10), "§125", "", COORDINATOR)
    return application, decision.grant


def build_project(*, paid_kr: int = 100_000, kind: ReportKind = ReportKind.INTERIM) -> Project:
    call = make_call(make_pool(1_000_000))
    org = make_organisation("Ragunda kommun")
    applicant = make_applicant(org)
    other = make_organisation("Bräcke kommun")
    stranger = make_applicant(other)
    application, grant = grant_application(call, org)
    other_application, _ = grant_application(call, other, title="Annat projekt", amount_kr=50_000)
    if paid_kr:
        pay(grant, paid_kr)
    report = project_reports.schedule_report(grant.id, kind, date(2022, 12, 31), COORDINATOR)
    db.session.commit()
    return Project(application.id, grant.id, report.id, applicant, stranger,
                   other_application.id)


@pytest.fixture
def project(app) -> Project:
    with app.test_request_context():
        built = build_project()
        db.session.remove()
    return built


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def report_form(**overrides) -> dict:
    data = {
        "line-0-used": "60 000",
        "to_return": "0",
        "result-0-value": "40",
        "result-0-women": "25",
        "result-0-men": "15",
        "result-1-value": "yes",
        "result-2-value": "87,5",
        "text": "Vi utbildade 40 personer.",
        "action": "save",
    }
    data.update(overrides)
    return data


# --- the project page -----------------------------------------------------------------------

def test_the_applicant_sees_the_project_with_its_money_and_reports(app, client, project):
    login(client, project.applicant)
    page = text(client.get(project.page))
    assert "MÖTAS" in page
    assert "300 000 kr" in page  # granted
    assert "100 000 kr" in page  # paid
    assert "200 000 kr" in page  # not yet paid
    assert "Delrapport" in page and "2022-12-31" in page and "Ej inlämnad" in page
    assert f"/rapporter/{project.report_id}" in page
    assert "Rekvirera" in page


def test_the_application_page_and_list_link_to_the_project(app, client, project):
    login(client, project.applicant)
    assert project.page in text(client.get(f"/ansokningar/{project.application_id}"))
    assert project.page in text(client.get("/ansokningar"))


def test_a_pending_payment_is_not_counted_as_paid(app, client, project):
    with app.test_request_context():
        payments.register_payment(payments.PaymentInput(
            grant_id=project.grant_id, amount=50_000 * 100, paid_on=date(2022, 7, 1),
            reference="VER-2"), REGISTRAR)
        db.session.commit()
    login(client, project.applicant)
    page = text(client.get(project.page))
    assert '<dd class="num" id="paid">100 000 kr</dd>' in page
    assert '<dd class="num" id="not-paid">200 000 kr</dd>' in page
    # What waits for attestation may no longer be requested, though it is not paid yet.
    assert "Högst 150 000 kr." in page


def test_an_application_without_a_grant_has_no_project_page(app, client):
    with app.test_request_context():
        call = make_call(make_pool(1_000_000))
        org = make_organisation()
        email = make_applicant(org)
        application = make_application(call, org)
        db.session.commit()
        app_id = application.id
    login(client, email)
    assert client.get(f"/ansokningar/{app_id}/projekt").status_code == 404


def test_staff_may_read_the_project_page_but_a_viewer_cannot_post(app, client, as_role, project):
    as_role("viewer")
    assert client.get(project.page).status_code == 200
    assert client.get(project.report_page).status_code == 200
    assert client.post(project.report_page, data=report_form()).status_code == 403
    assert client.post(f"{project.page}/rekvirera",
                       data={"amount": "1 000", "text": "x"}).status_code == 403
    with app.test_request_context():
        assert db.session.get(ProjectReport, project.report_id).text == ""
        assert db.session.query(Requisition).count() == 0


def test_another_organisation_gets_404_everywhere(app, client, project):
    login(client, project.stranger)
    assert client.get(f"/ansokningar/{project.stranger_application_id}/projekt").status_code == 200
    assert client.get(project.page).status_code == 404
    assert client.get(project.report_page).status_code == 404
    assert client.post(project.report_page, data=report_form()).status_code == 404
    assert client.post(f"{project.page}/rekvirera",
                       data={"amount": "1 000", "text": "x"}).status_code == 404
    # Their own application's page does not reach this project's report either.
    assert client.get(f"/ansokningar/{project.stranger_application_id}/projekt/rapporter/"
                      f"{project.report_id}").status_code == 404
    with app.test_request_context():
        assert db.session.get(ProjectReport, project.report_id).text == ""
        assert db.session.query(Requisition).count() == 0


# --- requisitions ---------------------------------------------------------------------------

def test_the_applicant_requests_payment(app, client, project):
    login(client, project.applicant)
    response = client.post(f"{project.page}/rekvirera",
                           data={"amount": "50 000,50", "text": "Första halvåret"},
                           follow_redirects=True)
    assert response.status_code == 200
    page = text(response)
    assert "Rekvisitionen är skickad" in page
    assert "50 000,50 kr" in page and "Första halvåret" in page
    with app.test_request_context():
        requisition = db.session.query(Requisition).one()
        assert requisition.amount == 5_000_050
        assert requisition.created_by == project.applicant


def test_a_requisition_above_what_is_not_yet_paid_is_refused(app, client, project):
    login(client, project.applicant)
    response = client.post(f"{project.page}/rekvirera",
                           data={"amount": "200 000,01", "text": "Resten"})
    assert response.status_code == 400
    page = text(response)
    assert ("Högst 200 000 kr kan begäras: 300 000 kr beviljat, 100 000 kr redan begärt "
            "eller utbetalt." in page)
    assert 'value="200 000,01"' in page and "Resten" in page
    with app.test_request_context():
        assert db.session.query(Requisition).count() == 0


def test_open_requisitions_limit_the_next_one_at_the_amount_field(app, client, project):
    """Can an applicant file requisitions until they pass the grant? No: the second one is
    refused at the amount field, saying how much may still be requested."""
    login(client, project.applicant)
    assert client.post(f"{project.page}/rekvirera",
                       data={"amount": "150 000", "text": "Första"}).status_code == 302
    page = text(client.get(project.page))
    assert "Högst 50 000 kr." in page
    response = client.post(f"{project.page}/rekvirera", data={"amount": "50 001", "text": "Andra"})
    assert response.status_code == 400
    page = text(response)
    assert ('<p class="ds-validation-message" id="req-amount-error">Högst 50 000 kr kan begäras: '
            "300 000 kr beviljat, 250 000 kr redan begärt eller utbetalt.</p>" in page)
    assert 'value="50 001"' in page and "Andra" in page
    with app.test_request_context():
        assert db.session.query(Requisition).count() == 1


def test_a_malformed_requisition_amount_is_named(app, client, project):
    login(client, project.applicant)
    response = client.post(f"{project.page}/rekvirera", data={"amount": "tio", "text": "Text"})
    assert response.status_code == 400
    assert "kan inte läsas som belopp" in text(response)


# --- reports --------------------------------------------------------------------------------

def test_the_applicant_saves_a_draft_comes_back_and_submits(app, client, project):
    login(client, project.applicant)
    page = text(client.get(project.report_page))
    assert "2022 Personal: Projektledare" in page
    assert "300 000 kr" in page  # budgeted
    assert 'name="result-0-women"' in page and 'name="result-1-women"' not in page

    response = client.post(project.report_page, data=report_form())
    assert response.status_code == 302
    with app.test_request_context():
        report = db.session.get(ProjectReport, project.report_id)
        assert report.state is ReportState.DRAFT
        assert report.used == 6_000_000
        assert report.results[0]["value"] == 40
        assert report.results[0]["women"] == 25 and report.results[0]["men"] == 15
        assert report.results[1]["value"] is True
        assert report.results[2]["value"] == "87.5"

    page = text(client.get(project.report_page))  # back later: the draft is there
    assert 'value="60 000"' in page and 'value="25"' in page and 'value="15"' in page
    assert 'value="87,5"' in page and "Vi utbildade 40 personer." in page
    assert 'name="result-0-women"' in page  # still split by sex after saving

    response = client.post(project.report_page, data=report_form(action="submit"),
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Rapporten är inlämnad" in text(response)
    with app.test_request_context():
        report = db.session.get(ProjectReport, project.report_id)
        assert report.state is ReportState.SUBMITTED
        assert report.submitted_by == project.applicant
    page = text(client.get(project.report_page))
    assert 'name="line-0-used"' not in page  # read-only now
    assert "60 000 kr" in page and "kvinnor 25" in page
    assert client.post(project.report_page, data=report_form(text="Ändrat")).status_code == 400
    with app.test_request_context():
        assert db.session.get(ProjectReport, project.report_id).text == "Vi utbildade 40 personer."


def test_a_malformed_amount_keeps_the_rest_and_names_the_field(app, client, project):
    login(client, project.applicant)
    response = client.post(project.report_page,
                           data=report_form(**{"line-0-used": "60 000 kronor",
                                               "text": "Min långa text"}))
    assert response.status_code == 400
    page = text(response)
    assert "2022 Personal: Projektledare: ”60 000 kronor” kan inte läsas som belopp" in page
    assert 'id="line-0-used" value="60 000 kronor" aria-invalid="true"' in page
    assert "Min långa text" in page and 'value="25"' in page and 'value="87,5"' in page
    with app.test_request_context():
        assert db.session.get(ProjectReport, project.report_id).text == ""


def test_a_negative_return_is_refused_in_swedish(app, client, project):
    login(client, project.applicant)
    response = client.post(project.report_page, data=report_form(to_return="-5 000"))
    assert response.status_code == 400
    page = text(response)
    assert "Att återbetala kan inte vara ett negativt belopp." in page
    assert 'value="-5 000"' in page and "Vi utbildade 40 personer." in page
    with app.test_request_context():
        assert db.session.get(ProjectReport, project.report_id).to_return == 0


def test_a_refused_submission_keeps_the_draft(app, client, project):
    login(client, project.applicant)
    # More to return than has been paid: saved as a draft, not submitted.
    response = client.post(project.report_page,
                           data=report_form(to_return="150 000", action="submit"))
    assert response.status_code == 400
    page = text(response)
    assert "Utkastet är sparat men rapporten lämnades inte in" in page
    assert "mer än det som är utbetalt (100 000 kr)" in page
    with app.test_request_context():
        report = db.session.get(ProjectReport, project.report_id)
        assert report.state is ReportState.DRAFT
        assert report.to_return == 15_000_000 and report.used == 6_000_000


def test_a_returned_report_shows_the_message_and_an_approved_one_the_rating(app, client,
                                                                            project):
    login(client, project.applicant)
    client.post(project.report_page, data=report_form(action="submit"))
    with app.test_request_context():
        project_reports.return_report(project.report_id, "Lägg till deltagarlistan.",
                                      COORDINATOR)
        db.session.commit()
    assert "Lägg till deltagarlistan." in text(client.get(project.page))
    page = text(client.get(project.report_page))
    assert "Lägg till deltagarlistan." in page and 'name="line-0-used"' in page
    client.post(project.report_page, data=report_form(action="submit"))
    with app.test_request_context():
        project_reports.approve_report(project.report_id, Rating.PARTLY_POSITIVE,
                                       "Bra arbete med skolorna.", COORDINATOR)
        db.session.commit()
    page = text(client.get(project.report_page))
    assert "Delvis positiv utveckling" in page and "Bra arbete med skolorna." in page
    assert 'name="line-0-used"' not in page


def test_a_closed_projects_report_cannot_be_changed(app, client, project):
    with app.test_request_context():
        grant = db.session.get(Grant, project.grant_id)
        final_report(grant, 100_000, 0)  # closes the project
        # An interim report still open when the project closed.
        report = db.session.get(ProjectReport, project.report_id)
        assert report.state is ReportState.DRAFT
        db.session.commit()
    login(client, project.applicant)
    page = text(client.get(project.report_page))
    assert "Projektet är avslutat" in page and 'name="line-0-used"' not in page
    response = client.post(project.report_page, data=report_form())
    assert response.status_code == 400
    assert "Projektet är avslutat; rapporter kan inte längre ändras." in text(response)
    response = client.post(f"{project.page}/rekvirera", data={"amount": "1 000", "text": ""})
    assert response.status_code == 400
    assert "projektet är avslutat" in text(response).lower()
    with app.test_request_context():
        assert db.session.get(ProjectReport, project.report_id).text == ""


# --- projects across years ------------------------------------------------------------------

def test_an_application_continuing_an_earlier_grant_shows_both_years(app, client):
    with app.test_request_context():
        first_call = make_call(make_pool(1_000_000, year=2022), title="Utlysning 2022")
        org = make_organisation("Strömsunds kommun")
        email = make_applicant(org)
        _, first = grant_application(first_call, org, title="MÖTAS 2022")
        pay(first, 80_000)
        final_report(first, 80_000, 0)
        second_call = make_call(make_pool(1_000_000, year=2023), title="Utlysning 2023")
        draft = make_application(second_call, org, state=ApplicationState.DRAFT,
                                 title="MÖTAS 2023")
        db.session.commit()
        first_id, draft_id = first.id, draft.id
    login(client, email)
    page = text(client.get(f"/ansokningar/{draft_id}"))
    assert f'<option value="{first_id}">2022: MÖTAS 2022</option>' in page
    with app.test_request_context():
        call = db.session.get(Application, draft_id).call
        form = complete_form(call, title="MÖTAS 2023", continues_grant_id=str(first_id))
    assert client.post(f"/ansokningar/{draft_id}", data=form).status_code == 302
    with app.test_request_context():
        application = db.session.get(Application, draft_id)
        assert application.continues_grant_id == first_id
        application.state = ApplicationState.UNDER_REVIEW
        db.session.flush()
        decision = decisions.decide(draft_id, "granted", None, "", "", "SVOM",
                                    date(2023, 6, 10), "§12", "", COORDINATOR)
        assert decision.grant.previous_grant_id == first_id
        db.session.commit()
    page = text(client.get(f"/ansokningar/{draft_id}/projekt"))
    assert "Projektet genom åren" in page
    assert "2022" in page and "MÖTAS 2022" in page and "80 000 kr" in page
    assert "2023" in page and "MÖTAS 2023" in page
    assert "Slutrapport" in page and "Godkänd" in page


def test_a_grant_already_continued_is_not_linked_twice(app):
    with app.test_request_context():
        first_call = make_call(make_pool(1_000_000, year=2022))
        org = make_organisation()
        _, first = grant_application(first_call, org, title="Första")
        second_call = make_call(make_pool(1_000_000, year=2023))
        _, second = grant_application(second_call, org, title="Andra",
                                      continues_grant_id=first.id)
        _, third = grant_application(second_call, org, title="Tredje",
                                     continues_grant_id=first.id)
        assert second.previous_grant_id == first.id
        assert third.previous_grant_id is None


def test_another_organisations_grant_cannot_be_continued(app, client):
    with app.test_request_context():
        first_call = make_call(make_pool(1_000_000, year=2022))
        org, other = make_organisation(), make_organisation()
        _, foreign = grant_application(first_call, other, title="Deras projekt")
        email = make_applicant(org)
        second_call = make_call(make_pool(1_000_000, year=2023))
        draft = make_application(second_call, org, state=ApplicationState.DRAFT)
        db.session.commit()
        foreign_id, draft_id = foreign.id, draft.id
    login(client, email)
    page = text(client.get(f"/ansokningar/{draft_id}"))
    assert "Deras projekt" not in page
    response = client.post(f"/ansokningar/{draft_id}",
                           data={"title": "X", "continues_grant_id": str(foreign_id)})
    assert response.status_code == 400
    assert "Välj ett av organisationens tidigare beviljade projekt" in text(response)
    with app.test_request_context():
        assert db.session.get(Application, draft_id).continues_grant_id is None


__all__ = ["ATTESTER", "build_project"]


def test_indicators_typed_on_the_application_become_the_reports_questions(app, client):
    """The application form takes indicators as lines of text; a percentage and a yes/no
    question say so by their ending, and the report asks for each in its own way."""
    with app.test_request_context():
        call = make_call(make_pool(1_000_000))
        org = make_organisation("Ragunda kommun")
        applicant = make_applicant(org)
        application, grant = grant_application(call, org, indicators=[
            "Antal utbildade", "Andel nöjda deltagare (%)", "Rutin införd (ja/nej)"])
        report = project_reports.schedule_report(grant.id, ReportKind.FINAL, date(2023, 12, 31),
                                                 COORDINATOR)
        db.session.commit()
        page = f"/ansokningar/{application.id}/projekt/rapporter/{report.id}"
        db.session.remove()
    login(client, applicant)
    html = text(client.get(page))
    assert "Andel nöjda deltagare" in html and "(%)" not in html.split("Andel nöjda deltagare")[1][:5]
    assert 'id="result-0-women"' in html  # a count may be split
    assert 'id="result-1-women"' not in html  # a percentage is not
    assert 'id="result-2-women"' not in html
    response = client.post(page, data={"result-1-value": "120", "text": "x", "action": "save"})
    assert "mellan 0 och 100" in text(response)


def test_the_project_page_asks_the_database_as_often_for_1_as_for_20_payments(
        app, client, project):
    login(client, project.applicant)
    with app.test_request_context():
        grant = db.session.get(Grant, project.grant_id)
        payments.request_payment(grant.id, 1_000 * 100, "R", REGISTRAR)
        db.session.commit()
    few = queries_of_page(app, client, project.page)
    with app.test_request_context():
        grant = db.session.get(Grant, project.grant_id)
        for n in range(19):
            pay(grant, 1_000, reference=f"V{n}")
            payments.request_payment(grant.id, 1_000 * 100, f"R{n}", REGISTRAR)
        project_reports.schedule_report(grant.id, ReportKind.FINAL, date(2023, 12, 31),
                                        COORDINATOR)
        db.session.commit()
    assert queries_of_page(app, client, project.page) == few
