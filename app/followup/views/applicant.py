"""The applicant's side of project follow-up: the project page of a granted application, with
its money, requisitions, reports and history across years, and the report form.

An applicant sees only their own organisation's projects: another organisation's answer 404,
as for applications, so no route tells whether a project exists. Staff may read every project;
only those who may report (queries.may_report) change anything.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.call.models import Application
from app.call.rules import may_read_application
from app.core.errors import DomainError
from app.extensions import db
from app.followup import queries
from app.followup import reports as project_reports
from app.followup.models import ProjectReport
from app.followup.report_forms import read_report_form, read_requisition, values_of
from app.followup.rules import EDITABLE_STATES, SPLIT_LABELS
from app.followup.views import bp
from app.ledger import payments
from app.ledger.models import Grant
from app.ledger.project_money import grant_money
from app.web.access import current_actor
from app.web.messages import sentence
from app.web.unit_of_work import abandon, checkpoint


@bp.app_context_processor
def _request_flag() -> dict:
    """Lets an e-mail template tell whether it can link back (a request, or SERVER_NAME set):
    `flask projects remind` renders reminders outside any request."""
    return {"in_request": has_request_context()}


def _application(application_id: int, *, write: bool = False) -> Application:
    """The application, if the current user may see it; 404 for another organisation's.
    Writing is for applicants and coordinators only: anybody else gets 403 at once."""
    if write and not (current_user.is_applicant or current_user.can_edit_money):
        abort(403)
    application = db.get_or_404(Application, application_id)
    if not may_read_application(current_user, application):
        abort(404)
    return application


def _grant_of(application: Application) -> Grant:
    grant = queries.grant_of_application(application.id)
    if grant is None:
        abort(404)
    return grant


def _writer(grant: Grant) -> None:
    """Only those who may report change a project: others are refused (403)."""
    if not queries.may_report(current_user, grant):
        abort(403)


def _report_of(grant: Grant, report_id: int) -> ProjectReport:
    report = db.get_or_404(ProjectReport, report_id)
    if report.grant_id != grant.id:
        abort(404)
    return report


def _may_write(report: ProjectReport) -> bool:
    return (queries.may_report(current_user, report.grant)
            and report.grant.closed_at is None
            and report.state in EDITABLE_STATES)


def _linked_applications(history: tuple[queries.HistoryEntry, ...]) -> dict[int, int]:
    """The history's grants whose application the current user may open: grant → application."""
    return {
        entry.grant.id: entry.grant.application_id for entry in history
        if entry.organisation_id is not None and entry.grant.application_id is not None
        and (current_user.is_staff or entry.organisation_id == current_user.organisation_id)
    }


def _render_project(application: Application, grant: Grant, *, requisition_values=None,
                    requisition_errors=None, status: int = 200):
    overview = queries.project_overview(grant)
    history = queries.visible_history(overview, current_user)
    return render_template(
        "followup/applicant/project.html",
        application=application, grant=grant, project=overview, history=history,
        linked=_linked_applications(history),
        may_report=queries.may_report(current_user, grant),
        requisition_values=requisition_values or {},
        requisition_errors=requisition_errors or {},
    ), status


@bp.get("/ansokningar/<int:application_id>/projekt")
@login_required
def application_project(application_id: int):
    """The project of a granted application: money, requisitions, reports and history."""
    application = _application(application_id)
    return _render_project(application, _grant_of(application))


@bp.post("/ansokningar/<int:application_id>/projekt/rekvirera")
@login_required
def applicant_requisition(application_id: int):
    """The project asks to be paid ("rekvirera")."""
    application = _application(application_id, write=True)
    grant = _grant_of(application)
    _writer(grant)
    amount, text, errors = read_requisition(request.form)
    values = {"amount": request.form.get("amount", ""), "text": request.form.get("text", "")}
    if not errors:
        try:
            payments.request_payment(grant.id, amount, text, current_actor())
        except DomainError as error:
            abandon()
            errors["amount"] = error.message
    if errors:
        flash(_("Rekvisitionen skickades inte: rätta felen nedan."), "error")
        return _render_project(application, grant, requisition_values=values,
                               requisition_errors={k: sentence(DomainError(v))
                                                   for k, v in errors.items()},
                               status=400)
    flash(_("Rekvisitionen är skickad till samordnaren."), "success")
    return redirect(url_for(".application_project", application_id=application.id)
                    + "#rekvisitioner")


def _render_report(application: Application, grant: Grant, report: ProjectReport,
                   values: dict[str, str], errors: dict[str, str], message: str | None = None,
                   status: int = 200):
    return render_template(
        "followup/applicant/report.html",
        application=application, grant=grant, report=report, values=values,
        errors={k: sentence(DomainError(v)) for k, v in errors.items()},
        message=message, editable=_may_write(report), money=grant_money(grant),
        split_labels=SPLIT_LABELS,
    ), status


@bp.route("/ansokningar/<int:application_id>/projekt/rapporter/<int:report_id>",
          methods=["GET", "POST"])
@login_required
def write_report(application_id: int, report_id: int):
    """Write, save and submit a project report; read-only once it is in."""
    application = _application(application_id, write=request.method == "POST")
    grant = _grant_of(application)
    report = _report_of(grant, report_id)
    if request.method == "GET":
        return _render_report(application, grant, report, values_of(report), {})

    _writer(grant)
    read = read_report_form(report, request.form)
    if read.errors:
        return _render_report(application, grant, report, read.values, read.errors,
                              _("Inget sparades: rätta felen nedan."), 400)
    submitting = request.form.get("action") == "submit"
    try:
        project_reports.save_report(report.id, read.data, current_actor())
    except DomainError as error:
        abandon()
        report = _report_of(grant, report_id)
        return _render_report(application, grant, report, read.values, {},
                              sentence(error), 400)
    # The draft is kept even if the submission below is refused: commit it on its own.
    checkpoint()
    if not submitting:
        flash(_("Utkastet är sparat."), "success")
        return redirect(url_for(".write_report", application_id=application.id,
                                report_id=report.id))
    try:
        project_reports.submit_report(report.id, current_actor())
    except DomainError as error:
        abandon()
        report = _report_of(grant, report_id)
        return _render_report(
            application, grant, report, read.values, {},
            _("Utkastet är sparat men rapporten lämnades inte in: %(reason)s",
              reason=sentence(error)), 400)
    flash(_("Rapporten är inlämnad. Samordnaren granskar den."), "success")
    return redirect(url_for(".application_project", application_id=application.id)
                    + "#rapporter")
