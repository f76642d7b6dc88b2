"""The project pages in English: no Swedish name of a state, a kind of report, a rating or a
payment shows on the staff project page, the applicant's project page or a report page; and
every action follow-up writes to the audit log has a name."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select

from app.core.audit import Actor, AuditAction
from app.core.models import AuditEntry
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.models import FollowupAction
from app.followup.rules import Rating, ReportInput, ReportKind, ReportLineInput, ReportState
from app.ledger import payments
from app.ledger.models import PaymentKind, PaymentState
from tests.conftest import login
from tests.followup.test_applicant_project import COORDINATOR, build_project

#: What each page would show in Swedish, had the labels not been translated.
SWEDISH = [str(member._label) for member in (*ReportKind, *ReportState, *Rating, *PaymentKind,
                                             *PaymentState)] + ["pågår", "slutrapport inlämnad"]
OTHER = Actor(label="annan@example.se")


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ")


def in_english(client) -> None:
    assert client.post("/lang", data={"lang": "en", "next": "/"}).status_code == 302


def swedish_labels_on(page: str) -> list[str]:
    """The Swedish labels that show on the page (as whole cell or list texts)."""
    return [word for word in SWEDISH if f">{word}<" in page or f" {word}<" in page
            or f">{word} " in page or f"({word})" in page or f": {word}" in page]


@pytest.fixture
def project(app):
    """A project with an approved, rated interim report, a submitted final report, an
    attested payment and one waiting for attestation."""
    with app.test_request_context():
        built = build_project()  # paid 100 000 kr, an interim report asked for
        project_reports.save_report(built.report_id, ReportInput(
            lines=[ReportLineInput("Personal", 50_000 * 100)], text="Halvvägs"), COORDINATOR)
        project_reports.submit_report(built.report_id, COORDINATOR)
        project_reports.approve_report(built.report_id, Rating.POSITIVE, "Bra", OTHER)
        final = project_reports.schedule_report(built.grant_id, ReportKind.FINAL,
                                                date(2023, 12, 31), COORDINATOR)
        project_reports.save_report(final.id, ReportInput(
            lines=[ReportLineInput("Personal", 100_000 * 100)], text="Klart"), COORDINATOR)
        project_reports.submit_report(final.id, COORDINATOR)
        payments.register_payment(payments.PaymentInput(
            grant_id=built.grant_id, amount=10_000 * 100, paid_on=date(2022, 7, 1),
            reference="VER-9"), COORDINATOR)
        db.session.commit()
        db.session.remove()
    return built


def test_the_staff_project_page_in_english(project, as_role):
    client = as_role("coordinator")
    in_english(client)
    page = page_text(client.get(f"/projekt/{project.grant_id}"))
    for english in ("final report submitted", "Interim report", "Final report", "Approved",
                    "Submitted", "Positive development", "Payment", "Awaiting approval"):
        assert english in page, english
    assert swedish_labels_on(page) == []


def test_the_applicant_project_page_in_english(app, client, project):
    login(client, project.applicant)
    in_english(client)
    page = page_text(client.get(project.page))
    for english in ("Interim report", "Final report", "Approved", "Submitted"):
        assert english in page, english
    assert swedish_labels_on(page) == []


def test_the_report_pages_in_english(app, client, project, make_user):
    login(client, project.applicant)
    in_english(client)
    page = page_text(client.get(project.report_page))
    assert "Interim report" in page and "Positive development" in page
    assert swedish_labels_on(page) == []
    staff = app.test_client()
    login(staff, make_user("viewer"))
    in_english(staff)
    page = page_text(staff.get(f"/projekt/rapporter/{project.report_id}"))
    assert "Interim report" in page and "Approved" in page and "Positive development" in page
    assert swedish_labels_on(page) == []


def test_the_lists_in_english(project, as_role):
    client = as_role("viewer")
    in_english(client)
    for url in ("/projekt", "/projekt/rapportlista", "/utbetalningar"):
        assert swedish_labels_on(page_text(client.get(url))) == [], url


def test_every_action_follow_up_logged_has_a_name(app, project):
    """Is each action the fixture's reports wrote to the audit log named, not a raw code?"""
    with app.app_context():
        codes = set(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("report.%"))))
    assert codes == {"report.schedule", "report.save", "report.submit", "report.approve"}
    for code in codes:
        assert AuditAction.label_of(code) == FollowupAction(code).label != code
