"""Changes to report jobs: enqueue one, claim the next, record its progress and its end,
purge the old. Each flushes and never commits (the request or the worker commits)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update

from app.core.types import utcnow
from app.extensions import db
from app.jobs import queries
from app.jobs.kinds import BuiltReport
from app.jobs.models import ReportJob
from app.jobs.rules import ABANDONED_AFTER, KEEP_FOR, JobState, can_move


def enqueue(kind: str, parameters: dict, user_id: int | None) -> tuple[ReportJob, bool]:
    """Queue a report for a person, or return the same report already waiting for them.

    Return the job and whether it is new: asking twice (a reload, a second click) while the
    first is still queued or running does not build it twice."""
    if user_id is not None:
        for waiting in queries.unfinished_jobs(kind, user_id):
            if waiting.parameters == parameters:
                return waiting, False
    job = ReportJob(kind=kind, parameters=dict(parameters), state=JobState.QUEUED,
                    progress=0, requested_by_id=user_id, created_at=utcnow())
    db.session.add(job)
    db.session.flush()
    return job, True


def claim(job_id: int | None = None) -> ReportJob | None:
    """Mark the oldest queued job (or the one named) running and return it; None if none.

    On PostgreSQL the candidate row is locked with SKIP LOCKED, so workers polling at once
    never take the same job nor wait on each other; SQLite ignores the lock and serialises
    writers itself. Either way the update names the state it expects, so a job is claimed
    once only."""
    candidate = select(ReportJob.id).where(ReportJob.state == JobState.QUEUED)
    if job_id is not None:
        candidate = candidate.where(ReportJob.id == job_id)
    candidate = candidate.order_by(ReportJob.id).limit(1).with_for_update(skip_locked=True)
    found = db.session.scalar(candidate)
    if found is None:
        return None
    claimed = db.session.execute(
        update(ReportJob).where(ReportJob.id == found, ReportJob.state == JobState.QUEUED)
        .values(state=JobState.RUNNING, started_at=utcnow(), progress=10)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return None
    job = db.session.get(ReportJob, found)
    db.session.refresh(job)
    return job


def set_progress(job: ReportJob, percent: int) -> None:
    """Record how far a running job has come (0–100)."""
    job.progress = max(0, min(100, int(percent)))
    db.session.flush()


def finish(job: ReportJob, built: BuiltReport) -> None:
    """Keep a built report's file and mark its job done."""
    _move(job, JobState.DONE)
    job.content, job.filename, job.mimetype = built.content, built.filename, built.mimetype
    job.progress = 100
    db.session.flush()


def fail(job: ReportJob, message: str) -> None:
    """Mark a job failed with the message its page shows."""
    _move(job, JobState.FAILED)
    job.error = message
    db.session.flush()


def _move(job: ReportJob, state: JobState) -> None:
    if not can_move(job.state, state):
        raise ValueError(f"a {job.state} job cannot become {state}")
    job.state = state
    job.finished_at = utcnow()


def purge(now: datetime | None = None) -> tuple[int, int]:
    """Delete the jobs whose files have been kept long enough (finished, or never started,
    over a day ago) and fail the ones whose worker died. Return (deleted, failed)."""
    now = now or utcnow()
    abandoned = db.session.execute(
        update(ReportJob).where(ReportJob.state == JobState.RUNNING,
                                ReportJob.started_at < now - ABANDONED_AFTER)
        .values(state=JobState.FAILED, finished_at=now,
                error="Rapporten blev inte klar: arbetet avbröts. Beställ den igen.")
        .execution_options(synchronize_session=False)).rowcount
    old = now - KEEP_FOR
    deleted = db.session.execute(
        delete(ReportJob).where(or_(
            ReportJob.finished_at < old,
            (ReportJob.state == JobState.QUEUED) & (ReportJob.created_at < old)))
        .execution_options(synchronize_session=False)).rowcount
    return deleted, abandoned
