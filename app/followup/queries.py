"""Reading project follow-up: a project's reports and history, the reports that count, and who
may report. Every function asks the database a fixed number of times."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role, User
from app.call.models import Application
from app.extensions import db
from app.followup.models import ProjectReport, ProjectReportLine
from app.followup.rules import ReportKind, ReportState
from app.ledger.models import Grant


def may_report(user: User, grant: Grant) -> bool:
    """Who may write a project's report: coordinators, and applicants of the organisation
    whose application the grant came from."""
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    if user.role is not Role.APPLICANT or grant.application_id is None:
        return False
    application = db.session.get(Application, grant.application_id)
    return application is not None and application.organisation_id == user.organisation_id


def reports_of_grant(grant_id: int) -> list[ProjectReport]:
    return list(db.session.scalars(
        select(ProjectReport).where(ProjectReport.grant_id == grant_id)
        .options(selectinload(ProjectReport.lines))
        .order_by(ProjectReport.due_on, ProjectReport.id)
    ))


def project_history(grant: Grant) -> list[Grant]:
    """The project's grants across the years, earliest first: follow the links back to the
    first grant, then forward through the grants that continue it."""
    seen = {grant.id}
    first = grant
    while first.previous_grant_id is not None and first.previous_grant_id not in seen:
        first = db.session.get(Grant, first.previous_grant_id)
        seen.add(first.id)
    chain = [first]
    while True:
        following = db.session.scalar(
            select(Grant).where(Grant.previous_grant_id == chain[-1].id).order_by(Grant.id).limit(1)
        )
        if following is None or following in chain:
            return chain
        chain.append(following)


def counting_reports(grant_ids: list[int]) -> dict:
    """Each grant's approved report that counts, with the money it reports as used: the final
    report, else the latest approved interim one (one query). Grants with no approved report
    are missing from the answer."""
    if not grant_ids:
        return {}
    used = (
        select(func.coalesce(func.sum(ProjectReportLine.used), 0))
        .where(ProjectReportLine.report_id == ProjectReport.id)
        .scalar_subquery()
    )
    best: dict[int, tuple[tuple, ProjectReport, int]] = {}
    for report, total in db.session.execute(
        select(ProjectReport, used)
        .where(ProjectReport.grant_id.in_(grant_ids), ProjectReport.state == ReportState.APPROVED)
        .order_by(ProjectReport.id)
    ):
        key = (report.kind is ReportKind.FINAL, report.approved_at, report.id)
        if report.grant_id not in best or key > best[report.grant_id][0]:
            best[report.grant_id] = (key, report, int(total))
    return {gid: (report, total) for gid, (_, report, total) in best.items()}


def reported_used(grant_ids: list[int]) -> dict[int, int]:
    """What each grant's project reports as used in its report that counts (one query)."""
    return {gid: total for gid, (_, total) in counting_reports(grant_ids).items()}
