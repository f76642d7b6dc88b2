"""Fixtures for the report jobs: the threshold lowered so a real report becomes a job."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs import worker
from app.jobs.models import ReportJob


@pytest.fixture
def jobs_for_all(app, monkeypatch):
    """Every report with at least one row goes to a job, queued in the table."""
    monkeypatch.setitem(app.config, "REPORT_INLINE_MAX_ROWS", 0)
    monkeypatch.setitem(app.config, "REPORT_QUEUE", "database")
    monkeypatch.setitem(app.config, "REPORT_JOBS_IN_THREAD", False)
    return app


def job_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(ReportJob))
        db.session.remove()
    return count


def work_one(app):
    """Let a worker build the oldest queued job, as `flask jobs work` does; return the state
    it ended in (None when none waited)."""
    with app.app_context():
        job = worker.work_one()
        state = None if job is None else job.state
        db.session.remove()
    return state
