"""Project reports: a coordinator asks for interim and final reports with due dates, the
project writes and submits them, a coordinator returns or approves them. Approving the final
report closes the project (closing.py). Every change is audited; nothing here commits."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.call.models import Application
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.core.types import utcnow
from app.extensions import db
from app.followup.closing import close_project
from app.followup.models import FollowupAction, ProjectReport, ProjectReportLine
from app.followup.reminders import notify
from app.followup.rules import (
    Rating,
    ReportInput,
    ReportKind,
    ReportState,
    check_final_report,
    check_report_editable,
    check_report_figures,
    check_report_money,
    clean_results,
    granted_budget,
    may_move,
    report_questions,
)
from app.ledger.guards import lock_allocation
from app.ledger.models import Allocation, Grant, Line
from app.ledger.project_money import grant_money
from app.ledger.rules import default_report_due


def report_snapshot(report: ProjectReport) -> dict:
    return {
        "grant_id": report.grant_id,
        "kind": report.kind,
        "due_on": report.due_on,
        "state": report.state,
        "used": report.used,
        "to_return": report.to_return,
        "lines": [{"label": ln.label, "budgeted": ln.budgeted, "used": ln.used} for ln in report.lines],
        "results": report.results,
        "rating": report.rating,
        "text": report.text,
    }


def _report(report_id: int) -> ProjectReport:
    report = db.session.get(ProjectReport, report_id)
    if report is None:
        raise DomainError(_("rapporten finns inte"))
    return report


# --- asking for reports --------------------------------------------------------------------

def final_report_due(grant: Grant) -> date:
    """The day the grant's final report is due: as stated, else the end of the year after
    the grant's year ("följs upp i slutet av 2022")."""
    return grant.report_due or default_report_due(grant.line.allocation.year)


def schedule_due_final_reports(today: date, days_before: int, actor: Actor) -> int:
    """Ask for the final report of every open project of a call whose final report falls due
    within `days_before` days and has not been asked for, due when the grant says (the
    reminders then follow it). Returns how many were asked for."""
    has_final = select(ProjectReport.id).where(
        ProjectReport.grant_id == Grant.id, ProjectReport.kind == ReportKind.FINAL).exists()
    candidates = db.session.execute(
        select(Grant.id, Grant.report_due, Allocation.year)
        .join(Line, Line.id == Grant.line_id).join(Allocation, Allocation.id == Line.allocation_id)
        .where(Grant.closed_at.is_(None), Grant.application_id.is_not(None), ~has_final)
        .order_by(Grant.id)
    ).all()
    horizon = today + timedelta(days=days_before)
    asked = 0
    for grant_id, stated, year in candidates:
        due = stated or default_report_due(year)
        if due <= horizon:
            schedule_report(grant_id, ReportKind.FINAL, due, actor)
            asked += 1
    return asked


def schedule_report(grant_id: int, kind: ReportKind | str, due_on: date, actor: Actor) -> ProjectReport:
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError(_("projektet finns inte"))
    kind = ReportKind(kind)
    if grant.closed_at is not None:
        raise DomainError(_("projektet är avslutat; det går inte att begära fler rapporter"))
    if kind is ReportKind.FINAL and db.session.scalar(
        select(ProjectReport.id).where(
            ProjectReport.grant_id == grant.id, ProjectReport.kind == ReportKind.FINAL
        )
    ):
        raise DomainError(_("projektet har redan en slutrapport"))
    report = ProjectReport(grant_id=grant.id, kind=kind, due_on=due_on, results=[])
    application = db.session.get(Application, grant.application_id) if grant.application_id else None
    # The report starts from the project's own budget lines and indicators, each line at its
    # share of what was granted (a project granted less than it asked for reports against that).
    budget_lines = application.budget_lines if application else []
    granted = granted_budget([line.amount for line in budget_lines], grant.amount)
    for position, (line, budgeted) in enumerate(zip(budget_lines, granted, strict=True)):
        label = f"{line.year} {line.category.swedish}"
        if line.description:
            label += f": {line.description}"
        report.lines.append(ProjectReportLine(position=position, label=label[:500],
                                              budgeted=budgeted, used=0))
    if application:
        report.results = report_questions(application.indicators)
    db.session.add(report)
    db.session.flush()
    audit.record(actor, FollowupAction.REPORT_SCHEDULE, "project_report", report.id,
                 year=grant.line.allocation.year,
                 summary=f"Begärde {kind.word} för {grant.title[:200]} senast {due_on}",
                 after=report_snapshot(report))
    return report


def change_due_date(report_id: int, due_on: date, actor: Actor) -> ProjectReport:
    report = _report(report_id)
    if report.state is ReportState.APPROVED:
        raise DomainError(_("rapporten är redan godkänd"))
    before = {"due_on": report.due_on}
    report.due_on = due_on
    report.reminded_at = None
    db.session.flush()
    audit.record(actor, FollowupAction.REPORT_DUE, "project_report", report.id,
                 summary=f"Ändrade sista dag för {report.kind.word} till {due_on}",
                 before=before, after={"due_on": due_on})
    return report


# --- writing and submitting ----------------------------------------------------------------

def save_report(report_id: int, data: ReportInput, actor: Actor) -> ProjectReport:
    """Save what the project has written so far (a draft may be incomplete)."""
    report = _report(report_id)
    check_report_editable(report.state, report.grant.closed_at is not None)
    check_report_money(data)
    before = report_snapshot(report)
    report.lines.clear()
    db.session.flush()
    for position, line in enumerate(data.lines):
        report.lines.append(ProjectReportLine(position=position, label=line.label.strip()[:500],
                                              budgeted=line.budgeted, used=line.used))
    report.to_return = data.to_return
    report.text = data.text.strip()
    # Whether an indicator is split by sex is the application's, not the form's: keep it.
    splits = {r.get("name"): bool(r.get("split")) for r in report.results or []
              if isinstance(r, dict)}
    results = clean_results(data.results)
    for row in results:
        if splits.get(row["name"]):
            row["split"] = True
    report.results = results
    db.session.flush()
    audit.record(actor, FollowupAction.REPORT_SAVE, "project_report", report.id,
                 summary=f"Sparade {report.kind.word} för {report.grant.title[:200]}",
                 before=before, after=report_snapshot(report))
    return report


def submit_report(report_id: int, actor: Actor) -> ProjectReport:
    report = _report(report_id)
    check_report_editable(report.state, report.grant.closed_at is not None)
    money = grant_money(report.grant)
    reason = check_report_figures(report.grant.amount, report.used, report.to_return)
    if reason is None and report.to_return > money.paid:
        reason = _("att återbetala %(to_return)s är mer än det som är utbetalt (%(paid)s)",
                   to_return=format_amount(report.to_return, unit=True),
                   paid=format_amount(money.paid, unit=True))
    if reason is None and report.kind is ReportKind.FINAL:
        reason = check_final_report(money, report.used, report.to_return)
    if reason is None and not report.text.strip():
        reason = _("beskriv kort vad projektet har gjort och uppnått")
    if reason:
        raise DomainError(reason)
    report.state = ReportState.SUBMITTED
    report.submitted_at = utcnow()
    report.submitted_by = actor.label
    db.session.flush()
    audit.record(actor, FollowupAction.REPORT_SUBMIT, "project_report", report.id,
                 summary=f"Lämnade in {report.kind.word} för {report.grant.title[:200]}: "
                 f"förbrukat {format_amount(report.used, unit=True)}, att återbetala "
                 f"{format_amount(report.to_return, unit=True)}",
                 after=report_snapshot(report))
    return report


# --- the coordinator's decision -------------------------------------------------------------

def return_report(report_id: int, message: str, actor: Actor) -> ProjectReport:
    report = _report(report_id)
    if not may_move(report.state, ReportState.RETURNED):
        raise DomainError(_("bara en inlämnad rapport kan återsändas"))
    if not message.strip():
        raise DomainError(_("skriv vad projektet ska komplettera"))
    report.state = ReportState.RETURNED
    report.return_message = message.strip()
    db.session.flush()
    audit.record(actor, FollowupAction.REPORT_RETURN, "project_report", report.id,
                 summary=f"Återsände {report.kind.word} för {report.grant.title[:150]}: "
                 f"{message.strip()[:150]}")
    notify(report, "Rapporten behöver kompletteras", "report_returned")
    return report


def approve_report(report_id: int, rating: Rating | str, comment: str, actor: Actor) -> ProjectReport:
    """Approve a submitted report with the plan's rating. A final report closes the project:
    the money to return is booked back to the funds that paid it, and what the project did not
    use flows back into its allocation's remainder."""
    report = _report(report_id)
    grant = report.grant
    own = lock_allocation(grant.line.allocation_id)
    db.session.refresh(report)
    if not may_move(report.state, ReportState.APPROVED):
        raise DomainError(_("bara en inlämnad rapport kan godkännas"))
    try:
        rating = Rating(rating)
    except ValueError:
        raise DomainError(_("välj en bedömning på femgradiga skalan")) from None
    before = report_snapshot(report)
    if report.kind is ReportKind.FINAL:
        close_project(report, own, actor)
    report.state = ReportState.APPROVED
    report.rating = rating
    report.coordinator_comment = comment.strip()
    report.approved_at = utcnow()
    report.approved_by = actor.label
    db.session.flush()
    audit.record(actor, FollowupAction.REPORT_APPROVE, "project_report", report.id, year=own.year,
                 summary=f"Godkände {report.kind.word} för {grant.title[:200]}",
                 before=before, after=report_snapshot(report))
    notify(report, "Rapporten är godkänd", "report_approved")
    return report
