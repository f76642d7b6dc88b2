"""E-mail to a project: reminders of reports soon due, and notices when a coordinator
returns or approves a report. Mail is queued with the change; the unit of work (or the
command) sends it after the commit."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.call.models import Application
from app.core.mail import queue_mail
from app.core.types import utcnow
from app.extensions import db
from app.followup.models import ProjectReport
from app.followup.rules import EDITABLE_STATES
from app.ledger.models import Grant


def recipients(grant: Grant) -> list[str]:
    """The confirmed applicants of the organisation whose application the grant came from."""
    if grant.application_id is None:
        return []
    application = db.session.get(Application, grant.application_id)
    if application is None:
        return []
    return list(db.session.scalars(
        select(User.email).where(
            User.organisation_id == application.organisation_id,
            User.role == Role.APPLICANT, User.active.is_(True),
            User.email_confirmed_at.is_not(None),
        ).order_by(User.email)
    ))


def notify(report: ProjectReport, subject: str, template: str) -> None:
    """Queue an e-mail about `report` to each of the project's applicants."""
    for address in recipients(report.grant):
        queue_mail(address, f"{subject}: {report.grant.title[:200]}", template, report=report,
                   grant=report.grant)


def send_reminders(today: date, days_before: int = 14) -> int:
    """E-mail the projects whose reports are due within `days_before` days and not yet in;
    each report is reminded once per due date. Returns how many reports were reminded."""
    due = db.session.scalars(
        select(ProjectReport)
        .where(
            ProjectReport.state.in_(EDITABLE_STATES),
            ProjectReport.due_on <= today + timedelta(days=days_before),
            ProjectReport.reminded_at.is_(None),
        )
        .options(selectinload(ProjectReport.grant))
        .order_by(ProjectReport.due_on, ProjectReport.id)
        .with_for_update(skip_locked=True, of=ProjectReport)
    ).all()
    reminded = 0
    for report in due:
        if report.grant.closed_at is not None:
            continue
        if not recipients(report.grant):
            continue
        notify(report, f"Påminnelse: {report.kind.word} senast {report.due_on}",
               "report_reminder")
        report.reminded_at = utcnow()
        reminded += 1
    db.session.flush()
    return reminded
