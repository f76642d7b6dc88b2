"""A small world for walking every route: a year with an allocation, its lines and a call,
organisations A and B each with a draft and a granted application, A's project with a payment,
a pending payment, a requisition and a report, an attachment, a finished report job the
coordinator asked for, and one account of each role.

Every URL of the walk is filled with ids of A's objects, so applicant B is the stranger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.accounts.api_tokens import create_token
from app.accounts.models import Organisation
from app.accounts.tokens import (
    confirmation_token,
    email_change_token,
    password_token,
    reset_token,
)
from app.accounts.users import create_user, find_by_email
from app.call import attachments, decisions
from app.call.models import Application
from app.call.rules import ApplicationState, CallState
from app.core.audit import Actor
from app.core.models import AuditEntry
from app.core.types import utcnow
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.rules import ReportInput, ReportKind, ReportLineInput
from app.jobs.models import ReportJob
from app.jobs.rules import JobState
from app.ledger import payments
from app.ledger.models import GoalArea, Grant
from tests.call.factories import create_applicant, make_application, make_call, make_pool
from tests.conftest import PASSWORD
from tests.followup.factories import REGISTRAR, pay
from tests.support import kronor

FIXTURE = Actor(label="fixture")
YEAR = 2022
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ANONYMOUS, APPLICANT_A, APPLICANT_B = "anonymous", "applicant_a", "applicant_b"
VIEWER, COORDINATOR, ADMIN = "viewer", "coordinator", "admin"
#: The six actors of the walk.
ACTORS = (ANONYMOUS, APPLICANT_A, APPLICANT_B, VIEWER, COORDINATOR, ADMIN)

#: Titles that only A's pages may show: applicant B must never see them.
A_DRAFT_TITLE = "Hemligt utkast från organisation A"
A_GRANTED_TITLE = "Beviljat projekt hos organisation A"
A_REVIEW_TITLE = "Ansökan under bedömning hos organisation A"
#: And B's, that applicant A must never see.
B_DRAFT_TITLE = "Utkast från organisation B"
B_GRANTED_TITLE = "Beviljat projekt hos organisation B"


@dataclass
class World:
    """The ids of the world and each actor's e-mail; `values` fills a URL's parameters."""

    emails: dict[str, str]
    values: dict[str, object]
    a_titles: tuple[str, ...] = (A_DRAFT_TITLE, A_GRANTED_TITLE, A_REVIEW_TITLE)
    b_titles: tuple[str, ...] = (B_DRAFT_TITLE, B_GRANTED_TITLE)
    user_ids: dict[str, int] = field(default_factory=dict)
    #: Each logged-in actor's personal API token, for the API's routes.
    tokens: dict[str, str] = field(default_factory=dict)


def _grant(call, organisation: Organisation, title: str) -> tuple[Application, Grant]:
    """Submit and decide an application: a real grant with its application_id."""
    application = make_application(call, organisation, title=title, amount_kr=200_000,
                                   state=ApplicationState.UNDER_REVIEW)
    decision = decisions.decide(application.id, "granted", None, "", "", "SVOM",
                                date(YEAR, 6, 10), "§125", "", FIXTURE)
    return application, decision.grant


def _organisation(name: str) -> Organisation:
    org = Organisation(name=name, kind="municipality")
    db.session.add(org)
    db.session.flush()
    return org


def build_world(app) -> World:
    """Build the world, commit it, and return its ids."""
    with app.app_context():
        line_id = make_pool(1_000_000, year=YEAR)
        call = make_call(line_id)
        org_a, org_b = _organisation("A-stads kommun"), _organisation("B-byns kommun")
        emails = {
            APPLICANT_A: create_applicant(org_a.id, "sokande-a@example.se"),
            APPLICANT_B: create_applicant(org_b.id, "sokande-b@example.se"),
        }
        for role in (VIEWER, COORDINATOR, ADMIN):
            emails[role] = f"{role}@example.se"
            create_user(emails[role], PASSWORD, role, FIXTURE)
        # A colleague of A who has not yet confirmed the address nor chosen a password: the
        # signed links of the accounts' e-mails are for this account.
        colleague = create_user("kollega-a@example.se", PASSWORD, "applicant", FIXTURE,
                                organisation=org_a, confirmed=False)

        draft = make_application(call, org_a, title=A_DRAFT_TITLE, state=ApplicationState.DRAFT)
        attachment = attachments.add_attachment(draft, "plan.pdf", PDF, FIXTURE)
        b_draft = make_application(call, org_b, title=B_DRAFT_TITLE,
                                   state=ApplicationState.DRAFT)
        under_review = make_application(call, org_a, title=A_REVIEW_TITLE,
                                        state=ApplicationState.UNDER_REVIEW)
        granted, grant = _grant(call, org_a, A_GRANTED_TITLE)
        b_granted, _ = _grant(call, org_b, B_GRANTED_TITLE)
        draft_call = make_call(line_id, state=CallState.DRAFT, title="Utlysning som utkast")

        pay(grant, 50_000)  # registered and attested
        pending = payments.register_payment(payments.PaymentInput(
            grant_id=grant.id, amount=kronor(10_000), paid_on=date(YEAR, 7, 1),
            reference="VER-2"), REGISTRAR)
        requisition = payments.request_payment(grant.id, kronor(20_000), "Första delen",
                                               REGISTRAR)
        report = project_reports.schedule_report(grant.id, ReportKind.INTERIM,
                                                 date(YEAR + 1, 1, 31), REGISTRAR)
        project_reports.save_report(report.id, ReportInput(
            lines=[ReportLineInput("Personal", kronor(40_000))], to_return=0,
            text="Halvvägs.", results=[]), REGISTRAR)
        project_reports.submit_report(report.id, REGISTRAR)
        # A finished report job the coordinator asked for: its page and its file.
        job = ReportJob(kind="decisions_pdf", parameters={"call_id": call.id, "lang": "sv"},
                        state=JobState.DONE, progress=100, filename="beslutsunderlag.pdf",
                        mimetype="application/pdf", content=PDF,
                        requested_by_id=find_by_email(emails[COORDINATOR]).id,
                        created_at=utcnow(), started_at=utcnow(), finished_at=utcnow())
        db.session.add(job)
        db.session.flush()
        tokens, token_ids = {}, {}
        for actor, email in emails.items():
            token, tokens[actor] = create_token(find_by_email(email), "Vandringen", None,
                                                FIXTURE)
            token_ids[actor] = token.id

        values = {
            "allocation_id": grant.line.allocation_id, "line_id": line_id, "grant_id": grant.id,
            "year": YEAR, "kind": "followup", "earmark": "samverkan", "fmt": "csv",
            "call_id": call.id, "target": "closed",
            "app_id": draft.id, "att_id": attachment.id, "application_id": granted.id,
            "review_application_id": under_review.id, "draft_call_id": draft_call.id,
            "b_app_id": b_draft.id, "b_application_id": b_granted.id,
            "report_id": report.id, "payment_id": pending.id, "requisition_id": requisition.id,
            "user_id": find_by_email(emails[APPLICANT_A]).id,
            "confirm_token": confirmation_token(colleague),
            "password_token": password_token(colleague),
            "reset_token": reset_token(colleague),
            "email_token": email_change_token(colleague, "ny-kollega-a@example.se"),
            "filename": "app.css", "job_id": job.id,
            "token_id": token_ids[APPLICANT_A], "version": 1,
            "area_id": db.session.scalar(select(GoalArea.id).where(GoalArea.year == YEAR)
                                         .order_by(GoalArea.id).limit(1)),
        }
        db.session.commit()
        world = World(emails=emails, values=values, tokens=tokens)
        world.user_ids = {role: find_by_email(email).id for role, email in emails.items()}
        db.session.remove()
    return world


def audit_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEntry))
        db.session.remove()
    return count
