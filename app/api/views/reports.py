"""The year-end reports over the API: a fund's follow-up or budget of a year, or the year's
workbook, the same files as the web's downloads (app/jobs/kinds.py builds both). A report too
large to build in the request is answered 202 with the address of its job."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _

from app.api.auth import api_user, staff_only
from app.api.problems import ApiProblem
from app.api.project_schemas import JobSchema
from app.api.views import YEAR_IN_PATH, problems, resource_blueprint
from app.api.views.jobs import job_response
from app.core.errors import DomainError
from app.jobs import kinds, queue
from app.jobs.rules import build_inline
from app.jobs.views.delivery import file_response
from app.jobs.worker import dispatch
from app.web.i18n import select_locale
from app.web.messages import sentence
from app.year_reports.downloads import REPORT_MIMETYPES

blp = resource_blueprint("api_reports", "/api/v1/reports",
                         "Årsrapporterna: en fonds uppföljning eller budget för ett år (PDF, "
                         "Excel, CSV) och årets arbetsbok (Excel). För regionens personal.")

FUND_KINDS = ("followup", "budget")
YEAR_KIND = "year"


def _job_of(kind: str, earmark: str, year: int, fmt: str) -> tuple[str, dict]:
    """The report job's kind and parameters of a URL; 404 for a report that does not exist."""
    lang = select_locale()
    if kind in FUND_KINDS and fmt in REPORT_MIMETYPES:
        return kinds.FUND_REPORT, {"kind": kind, "earmark": earmark, "year": year, "fmt": fmt,
                                   "lang": lang}
    if kind == YEAR_KIND and fmt == "xlsx":
        return kinds.YEAR_WORKBOOK, {"year": year, "lang": lang}
    raise ApiProblem(404, _("Rapporten finns inte: välj followup eller budget som pdf, xlsx "
                            "eller csv, eller year som xlsx."))


@blp.route(f"/<kind>/<earmark>/{YEAR_IN_PATH}.<fmt>", methods=["GET"])
@staff_only
@blp.response(200, description="Rapportens fil, samma som webbens nedladdning",
              content_type="application/octet-stream")
@blp.alt_response(202, schema=JobSchema, description="Rapporten är stor och byggs av en "
                  "arbetare: följ Location (GET /api/v1/jobs/{id}) tills download finns")
@problems(blp, {404: "Ingen sådan rapport, fond eller tilldelning det året"})
def download_report(kind: str, earmark: str, year: int, fmt: str):
    """A fund's follow-up or budget, or the year's workbook (`year`, xlsx only)

    `earmark` är fondens kod; för `year` gäller den inte (skriv t.ex. `alla`). Små rapporter
    skickas direkt; en stor besvaras 202 med jobbets adress i `Location`.
    """
    job_kind, parameters = _job_of(kind, earmark, year, fmt)
    try:
        if build_inline(kinds.size(job_kind, parameters),
                        current_app.config["REPORT_INLINE_MAX_ROWS"]):
            return file_response(kinds.build(job_kind, parameters))
        job, new = queue.enqueue(job_kind, parameters, api_user().id)
    except DomainError as exc:
        raise ApiProblem(404, sentence(exc)) from None
    response = job_response(job, 202, {"Location": url_for("api_jobs.get_job", job_id=job.id)})
    if new:
        # Only once the request has committed the job can a worker see it.
        app, job_id = current_app._get_current_object(), job.id
        response.call_on_close(lambda: dispatch(app, job_id))
    return response
