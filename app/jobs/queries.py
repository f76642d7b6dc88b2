"""What the report jobs read: how large a report would be, and the jobs themselves."""

from __future__ import annotations

from sqlalchemy import func, select

from app.call.models import Decision
from app.extensions import db
from app.jobs.models import ReportJob
from app.jobs.rules import JobState
from app.ledger.models import Allocation, Earmark, Grant, Line


def grants_of_fund(earmark_code: str, year: int) -> int:
    """Count the grants of one fund's allocation of a year (one query)."""
    return db.session.scalar(
        select(func.count(Grant.id)).join(Line, Grant.line_id == Line.id)
        .join(Allocation, Line.allocation_id == Allocation.id)
        .join(Earmark, Allocation.earmark_id == Earmark.id)
        .where(Earmark.code == earmark_code, Allocation.year == int(year))
    ) or 0


def grants_of_year(year: int) -> int:
    """Count the grants of every allocation of a year (one query)."""
    return db.session.scalar(
        select(func.count(Grant.id)).join(Line, Grant.line_id == Line.id)
        .join(Allocation, Line.allocation_id == Allocation.id)
        .where(Allocation.year == int(year))
    ) or 0


def decisions_of_call(call_id: int) -> int:
    """Count the decisions of a call (one query)."""
    return db.session.scalar(
        select(func.count(Decision.id)).where(Decision.call_id == int(call_id))) or 0


def job(job_id: int) -> ReportJob | None:
    """Return a job without its file."""
    return db.session.get(ReportJob, job_id)


def unfinished_jobs(kind: str, user_id: int) -> list[ReportJob]:
    """Return a person's queued and running jobs of one kind, the newest first."""
    return list(db.session.scalars(
        select(ReportJob).where(
            ReportJob.kind == kind, ReportJob.requested_by_id == user_id,
            ReportJob.state.in_([JobState.QUEUED, JobState.RUNNING]))
        .order_by(ReportJob.id.desc())))
