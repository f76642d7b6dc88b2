"""A report job's pages: its progress, its state as JSON for the page's script, its file."""

from __future__ import annotations

from flask import abort, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.types import utcnow
from app.jobs import queries
from app.jobs.kinds import BuiltReport
from app.jobs.models import KIND_TITLES, ReportJob
from app.jobs.rules import JobState, is_expired, may_fetch
from app.jobs.views import bp
from app.jobs.views.delivery import file_response

#: How often the page asks for news, in seconds (the script, and the refresh without it).
POLL_SECONDS = 2


def _job_or_404(job_id: int) -> ReportJob:
    """Load a job the logged-in person may see; anyone else gets 404, so no id tells
    whether somebody else's report exists."""
    job = queries.job(job_id)
    if job is None or not may_fetch(job.requested_by_id, current_user.id,
                                    current_user.is_staff):
        abort(404)
    return job


def _state(job: ReportJob) -> dict:
    expired = job.state is JobState.DONE and is_expired(job.finished_at, utcnow())
    return {
        "state": job.state.value,
        "label": job.state.label,
        "progress": job.progress,
        "finished": job.state in (JobState.DONE, JobState.FAILED),
        "expired": expired,
        "error": job.error,
        "download": (url_for("jobs.download", job_id=job.id)
                     if job.state is JobState.DONE and not expired else None),
    }


@bp.get("/<int:job_id>")
@login_required
def status(job_id: int):
    """Show how far a report has come, and offer its file when it is ready."""
    job = _job_or_404(job_id)
    return render_template("jobs/status.html", job=job, state=_state(job),
                           title=KIND_TITLES.get(job.kind, _("Rapport")),
                           poll_seconds=POLL_SECONDS)


@bp.get("/<int:job_id>/status.json")
@login_required
def status_json(job_id: int):
    """Tell the progress page's script the job's state, progress and where its file is."""
    job = _job_or_404(job_id)
    response = jsonify(_state(job))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<int:job_id>/fil")
@login_required
def download(job_id: int):
    """Send a finished report's file (until it expires, a day after it was made)."""
    job = _job_or_404(job_id)
    if job.state is not JobState.DONE:
        return render_template("jobs/status.html", job=job, state=_state(job),
                               title=KIND_TITLES.get(job.kind, _("Rapport")),
                               poll_seconds=POLL_SECONDS), 409
    if is_expired(job.finished_at, utcnow()):
        return render_template(
            "error.html", code=410, title=_("Rapporten har gått ut"),
            text=_("En färdig rapport sparas i ett dygn. Beställ den igen från "
                   "rapportens sida.")), 410
    return file_response(BuiltReport(job.content, job.filename, job.mimetype))
