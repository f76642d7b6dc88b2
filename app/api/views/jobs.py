"""Report jobs over the API: how far a large report has come, and its file when it is done
(app/jobs/). A report endpoint answers 202 with the job's address when the report is too
large to build in the request."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import gettext as _

from app.api.auth import api_user
from app.api.problems import ApiProblem
from app.api.project_schemas import JobSchema
from app.api.views import problems, resource_blueprint
from app.core.types import utcnow
from app.jobs import queries
from app.jobs.kinds import BuiltReport
from app.jobs.models import ReportJob
from app.jobs.rules import JobState, is_expired, may_fetch
from app.jobs.views.delivery import file_response

blp = resource_blueprint("api_jobs", "/api/v1/jobs",
                         "Rapportjobb: en stor rapport byggs av en arbetare; följ dess läge "
                         "och hämta filen när den är klar.")

NOT_FOUND = {404: "Jobbet finns inte, eller är någon annans"}


def job_or_404(job_id: int) -> ReportJob:
    """A job the token's user may see (who asked, or staff); 404 for anyone else's."""
    job = queries.job(job_id)
    user = api_user()
    if job is None or not may_fetch(job.requested_by_id, user.id, user.is_staff):
        raise ApiProblem(404, _("Rapportjobbet finns inte."))
    return job


def job_data(job: ReportJob) -> dict:
    expired = job.state is JobState.DONE and is_expired(job.finished_at, utcnow())
    return {
        "id": job.id, "state": job.state.value, "label": job.state.label,
        "progress": job.progress, "finished": job.state in (JobState.DONE, JobState.FAILED),
        "expired": expired, "error": job.error,
        "download": (url_for("api_jobs.download_job", job_id=job.id)
                     if job.state is JobState.DONE and not expired else None),
    }


def job_response(job: ReportJob, status: int = 200, headers: dict | None = None):
    """The job's state as the API answers it, never cached."""
    response = jsonify(JobSchema().dump(job_data(job)))
    response.status_code = status
    response.headers["Cache-Control"] = "private, no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@blp.route("/<int:job_id>", methods=["GET"])
@blp.response(200, JobSchema)
@problems(blp, NOT_FOUND)
def get_job(job_id: int):
    """A report job's state and progress, and its file's address when it is done"""
    return job_response(job_or_404(job_id))


@blp.route("/<int:job_id>/file", methods=["GET"])
@blp.response(200, description="Rapportens fil (PDF, Excel eller CSV)",
              content_type="application/octet-stream")
@problems(blp, {**NOT_FOUND, 409: "Rapporten är inte klar än", 410: "Filen har gått ut (den "
                                                                    "sparas ett dygn)"})
def download_job(job_id: int):
    """A finished report's file"""
    job = job_or_404(job_id)
    if job.state is not JobState.DONE:
        raise ApiProblem(409, _("Rapporten är inte klar än: %(state)s.", state=job.state.label))
    if is_expired(job.finished_at, utcnow()):
        raise ApiProblem(410, _("En färdig rapport sparas i ett dygn. Beställ den igen."))
    return file_response(BuiltReport(job.content, job.filename, job.mimetype))
