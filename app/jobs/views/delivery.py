"""Answer a report download: the file at once when the report is small, else a job and the
way to its progress page. The report views of the ledger and the call call `report_response`."""

from __future__ import annotations

from io import BytesIO

from flask import Response, current_app, redirect, send_file, url_for
from flask_login import current_user

from app.jobs import kinds, queue
from app.jobs.kinds import BuiltReport
from app.jobs.rules import build_inline
from app.jobs.worker import dispatch


def report_response(kind: str, parameters: dict) -> Response:
    """Send the report now if it has at most REPORT_INLINE_MAX_ROWS rows; else queue it and
    send the person to its progress page (303). Raise DomainError for a report that cannot
    be made (an unknown fund, a year without allocations)."""
    if build_inline(kinds.size(kind, parameters), current_app.config["REPORT_INLINE_MAX_ROWS"]):
        return file_response(kinds.build(kind, parameters))
    job, new = queue.enqueue(kind, parameters, current_user.id)
    response = redirect(url_for("jobs.status", job_id=job.id), 303)
    if new:
        # Only once the request has committed the job can a worker see it.
        app, job_id = current_app._get_current_object(), job.id
        response.call_on_close(lambda: dispatch(app, job_id))
    return response


def file_response(built: BuiltReport) -> Response:
    """Send a report's file as a download that no cache keeps."""
    response = send_file(BytesIO(built.content), mimetype=built.mimetype, as_attachment=True,
                         download_name=built.filename)
    # Exactly the registered type: send_file would add a second charset to "text/csv; charset=…".
    response.headers["Content-Type"] = built.mimetype
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
