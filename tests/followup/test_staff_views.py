"""The coordinators' project pages: the list, a project's page with its payments and
attestation, report reviews, the attestation queue, exports and who may do what."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.followup import reports as project_reports
from app.followup.models import ProjectReport
from app.followup.rules import ReportInput, ReportKind, ReportLineInput
from app.ledger import payments
from app.ledger.models import Grant, Payment, PaymentState
from tests.conftest import login
from tests.followup.factories import (
    ATTESTER,
    final_report,
    grant,
    grant_by_title,
    import_year,
    pay,
    pool_year,
)
from tests.support import kronor, queries_of_page

NBSP = "\u00a0"


def text(response) -> str:
    return response.get_data(as_text=True).replace(NBSP, " ").replace("&nbsp;", " ")


@pytest.fixture
def project(app) -> dict:
    """A 2022 call pool with one project granted 500 000 kr; returns its ids."""
    with app.app_context():
        import_year(pool_year(grants=(grant("Första hjälpen", 500_000),
                                      grant("Unga vuxna", 100_000, owner="Bergs kommun"))))
        db.session.commit()
        first = grant_by_title("Första hjälpen")
        ids = {"grant": first.id, "allocation": first.line.allocation_id,
               "other": grant_by_title("Unga vuxna").id}
        db.session.remove()
    return ids


def coordinator_client(app, make_user):
    client = app.test_client()
    assert login(client, make_user("coordinator")).status_code == 200
    return client


def payment_form(project: dict, **fields) -> dict:
    data = {"pay-kind": "payment", "pay-amount": "300 000", "pay-paid_on": "2022-06-01",
            "pay-reference": "VER-7", "pay-allocation": str(project["allocation"]),
            "pay-requisition": "", "pay-note": ""}
    data.update(fields)
    return data


def payment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Payment))


def summary(page: str, heading: str) -> str:
    match = re.search(rf"<dt>{heading}</dt><dd class=\"num\">(.*?)</dd>", page)
    assert match, heading
    return match.group(1)


# --- the project page and payments -------------------------------------------------------

def test_a_payment_above_granted_is_refused_and_nothing_is_saved(app, project, as_role):
    client = as_role("coordinator")
    response = client.post(f"/projekt/{project['grant']}/utbetalningar",
                           data=payment_form(project, **{"pay-amount": "600 000"}))
    assert response.status_code == 422
    page = text(response)
    assert "Utbetalt skulle bli mer än beviljat (500 000 kr)" in page
    assert "högst 500 000 kr kan betalas ut" in page
    assert 'value="600 000"' in page and 'value="VER-7"' in page  # what was typed is kept
    assert payment_count(app) == 0


def test_the_registrar_cannot_attest_but_another_coordinator_can(app, project, make_user):
    anna = coordinator_client(app, make_user)
    bo = coordinator_client(app, make_user)
    url = f"/projekt/{project['grant']}"
    response = anna.post(f"{url}/utbetalningar", data=payment_form(project))
    assert response.status_code == 302
    page = text(anna.get(response.location))
    assert "300 000 kr är registrerat och väntar på attest av en annan samordnare." in page
    assert "en annan samordnare måste attestera" in page
    assert "/attestera" not in page
    assert summary(page, "Utbetalt") == "0 kr"
    with app.app_context():
        payment_id = db.session.scalar(select(Payment.id))

    refused = anna.post(f"/utbetalningar/{payment_id}/attestera", follow_redirects=True)
    assert "kan inte själv attestera den" in text(refused)
    with app.app_context():
        assert db.session.get(Payment, payment_id).state is PaymentState.PENDING

    page = text(bo.get(url))
    assert f"/utbetalningar/{payment_id}/attestera" in page
    response = bo.post(f"/utbetalningar/{payment_id}/attestera", data={"next": url})
    assert response.status_code == 302 and response.location.endswith(url)
    page = text(bo.get(url))
    assert "300 000 kr är attesterat." in page
    assert summary(page, "Utbetalt") == "300 000 kr"
    assert summary(page, "Ej utbetalt") == "200 000 kr"


def test_a_pending_payment_is_rejected_with_a_reason(app, project, make_user):
    anna = coordinator_client(app, make_user)
    bo = coordinator_client(app, make_user)
    anna.post(f"/projekt/{project['grant']}/utbetalningar", data=payment_form(project))
    with app.app_context():
        payment_id = db.session.scalar(select(Payment.id))
    page = text(bo.post(f"/utbetalningar/{payment_id}/avsla", data={"reason": ""},
                        follow_redirects=True))
    assert "Skriv varför utbetalningen avslås." in page
    page = text(bo.post(f"/utbetalningar/{payment_id}/avsla",
                        data={"reason": "Fel konto"}, follow_redirects=True))
    assert "Utbetalningen är avslagen." in page and "Fel konto" in page
    with app.app_context():
        assert db.session.get(Payment, payment_id).state is PaymentState.REJECTED


def test_a_payment_on_a_requisition_and_a_declined_requisition(app, project, as_role):
    with app.app_context():
        first = payments.request_payment(project["grant"], kronor(100_000), "Vår", ATTESTER)
        second = payments.request_payment(project["grant"], kronor(50_000), "Höst", ATTESTER)
        db.session.commit()
        first_id, second_id = first.id, second.id
    client = as_role("coordinator")
    page = text(client.get(f"/projekt/{project['grant']}"))
    assert f'<option value="{first_id}">' in page and "Öppen" in page
    response = client.post(f"/projekt/{project['grant']}/utbetalningar", data=payment_form(
        project, **{"pay-amount": "100 000", "pay-requisition": str(first_id)}))
    assert response.status_code == 302
    page = text(client.post(f"/rekvisitioner/{second_id}/avsla", data={"reason": "Ej styrkt"},
                            follow_redirects=True))
    assert "Rekvisitionen är avslagen." in page and "Avslagen: Ej styrkt" in page
    with app.app_context():
        assert db.session.scalar(select(Payment.requisition_id)) == first_id


def test_the_project_page_shows_facts_money_and_reports(app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        project_reports.schedule_report(project["grant"], ReportKind.INTERIM, date(2022, 9, 30),
                                        ATTESTER)
        db.session.commit()
    page = text(as_role("viewer").get(f"/projekt/{project['grant']}"))
    assert "Krokoms kommun" in page and "Stärka barn och ungas psykiska hälsa" in page
    assert summary(page, "Beviljat") == "500 000 kr"
    assert summary(page, "Utbetalt") == "300 000 kr"
    assert "Delrapport" in page and "2022-09-30" in page and "Ej inlämnad" in page
    assert "pågår" in page
    # A viewer sees, but gets no forms.
    assert "Registrera utbetalning" not in page and "Begär rapporten" not in page


def test_a_report_is_scheduled_and_a_bad_date_is_shown_at_the_form(app, project, as_role):
    client = as_role("coordinator")
    url = f"/projekt/{project['grant']}/rapporter"
    response = client.post(url, data={"report-kind": "final", "report-due_on": "inte ett datum"})
    assert response.status_code == 422
    assert 'value="inte ett datum"' in text(response)
    assert 'aria-invalid="true" class="ds-input" id="report-due_on"' in text(response)
    response = client.post(url, data={"report-kind": "final", "report-due_on": "2023-12-31"})
    assert response.status_code == 302
    response = client.post(url, data={"report-kind": "final", "report-due_on": "2024-01-31"})
    assert response.status_code == 422
    assert "Projektet har redan en slutrapport" in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProjectReport)) == 1


def test_a_grant_is_linked_to_the_same_projects_earlier_grant(app, project, as_role):
    with app.app_context():
        import_year(pool_year(2023, grants=(grant("Första hjälpen 2", 400_000),)))
        db.session.commit()
        later = grant_by_title("Första hjälpen 2").id
    client = as_role("coordinator")
    page = text(client.get(f"/projekt/{later}"))
    assert f'<option value="{project["grant"]}">2022' in page
    response = client.post(f"/projekt/{later}/tidigare", data={"link-previous": project["grant"]})
    assert response.status_code == 302
    page = text(client.get(f"/projekt/{project['grant']}"))
    assert "Beviljanden av samma projekt" in page and "Första hjälpen 2" in page
    # A grant of a later year cannot come before.
    response = client.post(f"/projekt/{project['grant']}/tidigare", data={"link-previous": later})
    assert response.status_code == 422
    client.post(f"/projekt/{later}/tidigare", data={"link-previous": ""})
    with app.app_context():
        assert db.session.get(Grant, later).previous_grant_id is None


# --- who may do what ------------------------------------------------------------------------

def test_applicants_are_kept_out_of_the_staff_pages(app, project, client):
    from tests.call.factories import make_applicant, make_organisation

    with app.app_context():
        email = make_applicant(make_organisation())
        db.session.commit()
    assert login(client, email).status_code == 200
    gid = project["grant"]
    for url in (f"/projekt/{gid}", "/projekt", "/utbetalningar", "/projekt/rapportlista",
                "/admin/attestgrans"):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/projekt/{gid}/utbetalningar",
                       data=payment_form(project)).status_code in (403, 404)
    with app.app_context():
        payments.register_payment(payments.PaymentInput(
            grant_id=gid, amount=kronor(1), paid_on=date(2022, 1, 1), reference="V"), ATTESTER)
        db.session.commit()
        payment_id = db.session.scalar(select(Payment.id))
    assert client.post(f"/utbetalningar/{payment_id}/attestera").status_code in (403, 404)
    assert client.post(f"/utbetalningar/{payment_id}/avsla",
                       data={"reason": "x"}).status_code in (403, 404)
    with app.app_context():
        assert db.session.get(Payment, payment_id).state is PaymentState.PENDING


def test_a_viewer_sees_but_may_not_post(app, project, as_role):
    client = as_role("viewer")
    gid = project["grant"]
    assert client.get(f"/projekt/{gid}").status_code == 200
    assert client.get("/utbetalningar").status_code == 200
    assert client.post(f"/projekt/{gid}/utbetalningar",
                       data=payment_form(project)).status_code == 403
    assert client.post(f"/projekt/{gid}/rapporter", data={}).status_code == 403
    assert client.post(f"/projekt/{gid}/tidigare", data={}).status_code == 403
    assert client.get("/admin/attestgrans").status_code == 403
    assert payment_count(app) == 0


def test_the_review_page_refuses_a_viewers_decision(app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        report_id = final_report(db.session.get(Grant, project["grant"]), 280_000, 20_000,
                                 approve=False).id
        db.session.commit()
    client = as_role("viewer")
    page = text(client.get(f"/projekt/rapporter/{report_id}"))
    assert "Godkänn rapporten" not in page and "Antal utbildade" in page
    assert client.post(f"/projekt/rapporter/{report_id}", data={
        "action": "approve", "approve-rating": "positive"}).status_code == 403


# --- reviewing reports ----------------------------------------------------------------------

def test_approving_the_final_report_closes_the_project_and_says_what_flows_back(
        app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        report_id = final_report(db.session.get(Grant, project["grant"]), 280_000, 20_000,
                                 approve=False).id
        db.session.commit()
    client = as_role("coordinator")
    url = f"/projekt/rapporter/{report_id}"
    page = text(client.get(url))
    assert "Vi utbildade 40 personer." in page and "Antal utbildade" in page
    assert "Positiv utveckling" in page and "Målet ska kvarstå" in page
    assert "220 000 kr går tillbaka" in page

    # Without a rating it is refused at the form.
    response = client.post(url, data={"action": "approve", "approve-comment": "Bra"})
    assert response.status_code == 422 and "Välj en bedömning." in text(response)

    confirm = client.post(url, data={"action": "approve", "approve-rating": "positive",
                                     "approve-comment": "Väl genomfört"})
    page = text(confirm)
    assert confirm.status_code == 200
    assert "Godkänn slutrapporten och avsluta projektet?" in page
    assert "20 000 kr bokas som återbetalt och 220 000 kr går tillbaka" in page
    with app.app_context():
        assert db.session.get(Grant, project["grant"]).closed_at is None

    response = client.post(url, data={"action": "approve", "approve-rating": "positive",
                                      "approve-comment": "Väl genomfört", "confirmed": "1"})
    assert response.status_code == 302
    page = text(client.get(response.location))
    assert "Slutrapporten är godkänd och projektet avslutat; 220 000 kr går tillbaka" in page
    assert "Projektet är avslutat; 220 000 kr gick tillbaka" in page
    assert "Väl genomfört" in page and "Godkänd" in page
    with app.app_context():
        grant_obj = db.session.get(Grant, project["grant"])
        assert grant_obj.closed_at is not None
        assert (grant_obj.paid, grant_obj.returned) == (kronor(300_000), kronor(20_000))
    page = text(client.get(f"/projekt/{project['grant']}"))
    assert "avslutat" in page
    assert re.search(r"<dt>Tillbaka till [^<]*</dt><dd class=\"num\"><strong>220 000 kr</strong>",
                     page)


def test_a_report_is_returned_with_a_message(app, project, as_role):
    with app.app_context():
        report_id = final_report(db.session.get(Grant, project["grant"]), 0, 0,
                                 approve=False).id
        db.session.commit()
    client = as_role("coordinator")
    url = f"/projekt/rapporter/{report_id}"
    response = client.post(url, data={"action": "return", "return-message": ""})
    assert response.status_code == 422
    assert "Skriv vad projektet ska komplettera." in text(response)
    response = client.post(url, data={"action": "return", "return-message": "Fyll i resultaten"})
    page = text(client.get(response.location))
    assert "Rapporten är återsänd till projektet." in page and "Fyll i resultaten" in page
    assert "Återsänd för komplettering" in page


# --- lists and exports ----------------------------------------------------------------------

def test_the_project_list_filters_and_exports_with_swedish_headings(app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        db.session.commit()
    client = as_role("viewer")
    page = text(client.get("/projekt"))
    assert "Första hjälpen" in page and "Unga vuxna" in page and "pågår" in page
    assert "300 000 kr" in page and "200 000 kr" in page
    assert "Ladda ner" in page and "format=xlsx" in page
    assert "Inga beviljade projekt matchar." in text(client.get("/projekt?state=closed"))
    assert "Inga beviljade projekt matchar." in text(client.get("/projekt?year=2019"))

    response = client.get("/projekt?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("År", "Fond", "Projekt", "Projektägare", "Beviljat", "Utbetalt",
                       "Förbrukat", "Återbetalt", "Ej utbetalt", "Status")
    first = next(r for r in rows if r[2] == "Första hjälpen")
    assert first[0] == 2022 and first[3] == "Krokoms kommun"
    assert (first[4], first[5], first[6], first[7], first[8]) == (500000, 300000, None, 0, 200000)
    assert first[9] == "pågår"
    assert len(rows) == 3

    csv_text = client.get("/projekt?format=csv&state=running").data.decode("utf-8-sig")
    assert csv_text.startswith("År;Fond;Projekt;Projektägare;Beviljat;Utbetalt;")
    assert "Första hjälpen" in csv_text


def test_the_project_list_takes_the_same_queries_for_2_and_40_projects(app, project, as_role):
    client = as_role("viewer")
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 100_000)
        db.session.commit()
    few = queries_of_page(app, client, "/projekt")
    with app.app_context():
        import_year(pool_year(2023, grants=tuple(
            grant(f"Projekt {n}", 10_000, owner=f"Kommun {n}") for n in range(38))))
        db.session.commit()
        for n in range(0, 38, 5):
            pay(grant_by_title(f"Projekt {n}"), 1_000)
        final_report(grant_by_title("Projekt 0"), 1_000, 0)
        db.session.commit()
    many = queries_of_page(app, client, "/projekt")
    assert many == few
    assert queries_of_page(app, client, "/utbetalningar") == queries_of_page(
        app, client, "/utbetalningar?state=approved")


def test_the_payment_list_puts_the_attestation_queue_first_and_exports(app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 100_000)
        payments.register_payment(payments.PaymentInput(
            grant_id=project["other"], amount=kronor(40_000), paid_on=date(2022, 1, 1),
            reference="V-9"), ATTESTER)
        db.session.commit()
    client = as_role("coordinator")
    page = text(client.get("/utbetalningar"))
    assert page.index("Unga vuxna") < page.index("Första hjälpen")
    assert "Väntar på attest" in page and "/attestera" in page
    page = text(client.get("/utbetalningar?state=approved"))
    assert "Unga vuxna" not in page.split("<tbody>")[1]
    response = client.get("/utbetalningar?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Datum", "Projekt", "Projektägare", "Slag", "Belopp")
    assert {(r[1], r[4], r[7]) for r in rows[1:]} == {
        ("Första hjälpen", 100000, "Attesterad"), ("Unga vuxna", 40000, "Väntar på attest")}


def test_the_report_list_filters_overdue_reports_and_exports(app, project, as_role):
    with app.app_context():
        project_reports.schedule_report(project["grant"], ReportKind.INTERIM, date(2020, 1, 31),
                                        ATTESTER)
        project_reports.schedule_report(project["other"], ReportKind.FINAL, date(2999, 1, 31),
                                        ATTESTER)
        db.session.commit()
    client = as_role("viewer")
    page = text(client.get("/projekt/rapportlista"))
    assert "Första hjälpen" in page and "Unga vuxna" in page and "försenad" in page
    page = text(client.get("/projekt/rapportlista?overdue=1"))
    assert "Första hjälpen" in page and "Unga vuxna" not in page
    page = text(client.get("/projekt/rapportlista?kind=final"))
    assert "Unga vuxna" in page and "Första hjälpen" not in page
    csv_text = client.get("/projekt/rapportlista?format=csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == (
        "Projekt;Projektägare;Rapport;Senast;Status;Förbrukat;Att återbetala;Bedömning")
    assert "Delrapport;2020-01-31;Ej inlämnad" in csv_text


def test_empty_lists_say_so(as_role):
    client = as_role("viewer")
    assert "Inga projekt är beviljade än." in text(client.get("/projekt"))
    assert "Inga utbetalningar är registrerade än." in text(client.get("/utbetalningar"))
    assert "Inga rapporter är begärda än." in text(client.get("/projekt/rapportlista"))


# --- the attestation threshold ----------------------------------------------------------------

def test_an_administrator_sets_the_threshold_and_small_payments_need_no_second(
        app, project, as_role, make_user):
    admin = as_role("admin")
    assert "0 kr" in text(admin.get("/admin/attestgrans"))
    response = admin.post("/admin/attestgrans", data={"amount": "-5"})
    assert response.status_code == 200 and 'value="-5"' in text(response)
    assert "negativ" in text(response)
    with app.app_context():
        assert payments.attest_threshold() == 0
    response = admin.post("/admin/attestgrans", data={"amount": "50 000"})
    page = text(admin.get(response.location))
    assert "Attestgränsen är 50 000 kr." in page
    assert "utbetalningar över 50 000 kr måste attesteras" in page

    coordinator = coordinator_client(app, make_user)
    assert coordinator.get("/admin/attestgrans").status_code == 403
    response = coordinator.post(f"/projekt/{project['grant']}/utbetalningar",
                                data=payment_form(project, **{"pay-amount": "50 000"}))
    assert "50 000 kr är registrerat och attesterat." in text(
        coordinator.get(response.location))


def test_the_navigation_and_the_allocation_page_link_to_projects(app, project, as_role):
    client = as_role("viewer")
    page = text(client.get(f"/allocations/{project['allocation']}"))
    assert f'href="/projekt/{project["grant"]}"' in page
    assert 'href="/projekt"' in page and 'href="/utbetalningar"' in page


def test_an_interim_report_is_approved_without_closing_the_project(app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        report = project_reports.schedule_report(project["grant"], ReportKind.INTERIM,
                                                 date(2022, 9, 30), ATTESTER)
        project_reports.save_report(report.id, ReportInput(
            lines=[ReportLineInput("Personal", kronor(120_000))], text="Halvvägs"),
            ATTESTER)
        project_reports.submit_report(report.id, ATTESTER)
        db.session.commit()
        report_id = report.id
    client = as_role("coordinator")
    url = f"/projekt/rapporter/{report_id}"
    response = client.post(url, data={"action": "approve", "approve-rating": "keep"})
    assert response.status_code == 302
    page = text(client.get(response.location))
    assert "Rapporten är godkänd." in page and "Målet ska kvarstå" in page
    page = text(client.get(f"/projekt/{project['grant']}"))
    assert summary(page, "Förbrukat enligt godkänd rapport") == "120 000 kr"
    assert "pågår" in page
    with app.app_context():
        assert db.session.get(Grant, project["grant"]).closed_at is None


def test_a_submitted_final_report_shows_in_the_list_state(app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        final_report(db.session.get(Grant, project["grant"]), 300_000, 0, approve=False)
        db.session.commit()
    client = as_role("viewer")
    page = text(client.get("/projekt?state=final_submitted"))
    assert "slutrapport inlämnad" in page and "Första hjälpen" in page
    assert "Unga vuxna" not in page
    assert "Unga vuxna" in text(client.get("/projekt?state=running"))


def test_a_refund_is_registered_beside_what_was_paid(app, project, make_user):
    anna = coordinator_client(app, make_user)
    bo = coordinator_client(app, make_user)
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        db.session.commit()
    url = f"/projekt/{project['grant']}"
    page = text(anna.get(url))
    assert re.search(rf'<option selected value="{project["allocation"]}">[^<]*projektets egen',
                     page)
    response = anna.post(f"{url}/utbetalningar", data=payment_form(
        project, **{"pay-kind": "refund", "pay-amount": "400 000", "pay-reference": ""}))
    assert response.status_code == 422
    assert "Återbetalningen är större än det som är utbetalt från den fonden" in text(response)
    anna.post(f"{url}/utbetalningar", data=payment_form(
        project, **{"pay-kind": "refund", "pay-amount": "25 000,50", "pay-reference": ""}))
    with app.app_context():
        payment_id = db.session.scalar(select(Payment.id).where(Payment.amount == 2_500_050))
    bo.post(f"/utbetalningar/{payment_id}/attestera")
    page = text(bo.get(url))
    assert summary(page, "Utbetalt") == "300 000 kr"
    assert summary(page, "Återbetalt") == "25 000,50 kr"
    assert summary(page, "Ej utbetalt") == "200 000 kr"


def test_a_payment_from_another_fund_is_shown_with_that_fund(app, make_user):
    from tests.ledger.factories import allocation_id

    with app.app_context():
        import_year(
            pool_year(2021, grants=(grant("MHFA JGY", 600_000),)),
            pool_year(2021, earmark="suicidprevention", received=2_000_000, pool=1_500_000),
        )
        db.session.commit()
        gid = grant_by_title("MHFA JGY").id
        other = allocation_id("suicidprevention", 2021)
        own = db.session.get(Grant, gid).line.allocation_id
    anna = coordinator_client(app, make_user)
    bo = coordinator_client(app, make_user)
    response = anna.post(f"/projekt/{gid}/utbetalningar", data=payment_form(
        {"allocation": own}, **{"pay-amount": "200 000", "pay-allocation": str(other)}))
    assert response.status_code == 302
    with app.app_context():
        payment_id = db.session.scalar(select(Payment.id))
    bo.post(f"/utbetalningar/{payment_id}/attestera")
    page = text(bo.get(f"/projekt/{gid}"))
    match = re.search(r"<dt>Varav betalt av ([^<]*)</dt><dd class=\"num\">200 000 kr</dd>", page)
    assert match and "2021" in match.group(1)
    assert summary(page, "Utbetalt") == "200 000 kr"
    page = text(bo.get("/utbetalningar?fund=999999"))
    assert "Inga utbetalningar matchar." in page


def test_the_pages_render_in_english_too(app, project, as_role):
    with app.app_context():
        pay(db.session.get(Grant, project["grant"]), 300_000)
        report_id = final_report(db.session.get(Grant, project["grant"]), 280_000, 20_000,
                                 approve=False).id
        db.session.commit()
    client = as_role("admin")
    assert client.post("/lang", data={"lang": "en"}).status_code == 302
    for url in (f"/projekt/{project['grant']}", "/projekt", "/utbetalningar",
                "/projekt/rapportlista", f"/projekt/rapporter/{report_id}", "/admin/attestgrans"):
        assert client.get(url).status_code == 200, url


def test_a_coordinator_moves_a_reports_due_date_and_it_is_reminded_again(app, project, as_role):
    client = as_role("coordinator")
    client.post(f"/projekt/{project['grant']}/rapporter",
                data={"report-kind": "interim", "report-due_on": "2023-06-30"})
    with app.app_context():
        report = db.session.scalar(select(ProjectReport))
        report.reminded_at = report.created_at
        db.session.commit()
        report_id = report.id
    url = f"/projekt/rapporter/{report_id}/senast"
    response = client.post(url, data={"due-due_on": "30 juni"})
    assert response.status_code == 422
    assert 'value="30 juni"' in text(response)
    response = client.post(url, data={"due-due_on": "2023-09-30"}, follow_redirects=True)
    assert "Sista dagen är ändrad." in text(response)
    assert "2023-09-30" in text(response)
    with app.app_context():
        report = db.session.get(ProjectReport, report_id)
        assert (report.due_on, report.reminded_at) == (date(2023, 9, 30), None)


def test_a_project_of_a_closed_year_sends_its_unused_money_to_the_next_open_year(
        app, project, as_role):
    with app.app_context():
        import_year(pool_year(2023, received=900_000, pool=400_000))
        pay(db.session.get(Grant, project["grant"]), 300_000)
        from app.ledger import years as funds
        from tests.followup.factories import REGISTRAR
        funds.close_year(2022, REGISTRAR)
        report = final_report(db.session.get(Grant, project["grant"]), 280_000, 20_000,
                              approve=False)
        db.session.commit()
        report_id = report.id
    client = as_role("coordinator")
    page = text(client.get(f"/projekt/{project['grant']}"))
    assert "Går tillbaka till Samverkansmedel 2023 när projektet avslutas" in page
    response = client.post(f"/projekt/rapporter/{report_id}", data={
        "approve-rating": "positive", "approve-comment": "", "confirmed": "1"},
        follow_redirects=True)
    assert "220 000 kr går tillbaka till Samverkansmedel 2023" in text(response)


def test_the_project_page_takes_the_same_queries_for_1_and_25_payments(app, project, as_role):
    """Payments from several funds, on requisitions, with reports: the page does not ask the
    database once per row."""
    from app.ledger import payments as payment_service
    from tests.followup.factories import REGISTRAR
    from tests.ledger.factories import allocation_id

    client = as_role("viewer")
    with app.app_context():
        import_year(pool_year(2022, earmark="suicidprevention", received=2_000_000,
                              pool=1_500_000),
                    pool_year(2022, earmark="brukarmiljonen", received=2_000_000, pool=1_500_000))
        # One of each kind first: a page may skip a query for what is not there at all.
        first = db.session.get(Grant, project["grant"])
        pay(first, 1_000)
        pay(first, 1_000, allocation_id=allocation_id("suicidprevention", 2022))
        requisition = payment_service.request_payment(first.id, 1_000 * 100, "R", REGISTRAR)
        pay(first, 1_000, requisition_id=requisition.id)
        project_reports.schedule_report(first.id, ReportKind.INTERIM, date(2022, 9, 30),
                                        REGISTRAR)
        db.session.commit()
    url = f"/projekt/{project['grant']}"
    few = queries_of_page(app, client, url)
    with app.app_context():
        first = db.session.get(Grant, project["grant"])
        for n in range(8):
            requisition = payment_service.request_payment(first.id, 1_000 * 100, f"R{n}",
                                                          REGISTRAR)
            payment_service.register_payment(payment_service.PaymentInput(
                grant_id=first.id, amount=1_000 * 100, paid_on=date(2022, 7, 1),
                reference=f"V{n}", requisition_id=requisition.id), REGISTRAR)
        for code in ("suicidprevention", "brukarmiljonen"):
            for n in range(8):
                pay(first, 1_000, allocation_id=allocation_id(code, 2022))
        project_reports.schedule_report(first.id, ReportKind.INTERIM, date(2022, 12, 31),
                                        REGISTRAR)
        db.session.commit()
    assert queries_of_page(app, client, url) == few
