"""The coordinators' side of project follow-up: the list of granted projects, a project's page
with its money, payments, requisitions, reports and history, the review of a report, and the
list of reports. The payment pages are the ledger's (app/ledger/views/payments.py).

Every view loads, authorises, then acts through an operation; the unit of work commits once
and delivers the e-mail it queued. A refusal (DomainError) is shown on the page with
everything typed kept.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.errors import DomainError
from app.core.money import format_amount
from app.extensions import db
from app.followup import history, project_list, queries
from app.followup import reports as report_operations
from app.followup.closing import release_destination
from app.followup.forms import (
    ApproveReportForm,
    DueDateForm,
    LinkForm,
    ReturnReportForm,
    ScheduleReportForm,
)
from app.followup.models import ProjectReport
from app.followup.rules import ProjectState, ReportKind, ReportState, flows_back
from app.followup.views import bp
from app.ledger import payments as payment_operations
from app.ledger.forms import ConfirmForm, PaymentForm, ReasonForm, optional_id
from app.ledger.models import Grant
from app.ledger.project_money import grant_money
from app.web.access import coordinator_required, current_actor, staff_required
from app.web.exports import DATE, MONEY, NUMBER, Column, export_response
from app.web.unit_of_work import refuse

PER_PAGE = 50


def _int_arg(name: str) -> int | None:
    return request.args.get(name, type=int)


def _enum_arg(name: str, enum):
    """The member of `enum` a query argument names, or None (an unknown value filters nothing)."""
    value = request.args.get(name)
    return enum(value) if value in {m.value for m in enum} else None


def _export_format() -> str | None:
    return request.args.get("format") or None


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


# --- the list of granted projects ------------------------------------------------------------

PROJECT_COLUMNS = [
    Column(_l("År"), lambda r: r.year, NUMBER, 8),
    Column(_l("Fond"), lambda r: r.fund),
    Column(_l("Projekt"), lambda r: r.title, width=40),
    Column(_l("Projektägare"), lambda r: r.owner, width=30),
    Column(_l("Beviljat"), lambda r: r.money.amount, MONEY, 14),
    Column(_l("Utbetalt"), lambda r: r.money.paid_gross, MONEY, 14),
    Column(_l("Förbrukat"), lambda r: r.used, MONEY, 14),
    Column(_l("Återbetalt"), lambda r: r.money.refunded, MONEY, 14),
    Column(_l("Ej utbetalt"), lambda r: r.money.never_paid, MONEY, 14),
    Column(_l("Status"), lambda r: r.state.label, width=20),
]


@bp.get("/projekt")
@staff_required
def index():
    """List the granted projects with their money, filtered by year, fund and state, a page at
    a time (`?after=<id>` or `?before=<id>` of the project the page follows or precedes)."""
    state = _enum_arg("state", ProjectState)
    line = queries.call_line(_int_arg("line"))
    filters = {"year": _int_arg("year"), "fund": _int_arg("fund"),
               "state": state.value if state else None, "line": line.id if line else None}
    query = queries.projects_select(filters["year"], filters["fund"], state, filters["line"])
    if (fmt := _export_format()) is not None:
        rows = queries.project_rows(queries.all_rows(query))
        return export_response("projekt", PROJECT_COLUMNS, rows, fmt, title=_("Projekt"))
    page = project_list.projects_page(
        filters["year"], filters["fund"], state, filters["line"], per_page=PER_PAGE,
        after=request.args.get("after", type=int), before=request.args.get("before", type=int))
    return render_template(
        "followup/index.html", page=page, rows=queries.project_rows(page.items),
        total=project_list.projects_count(filters["year"], filters["fund"], state,
                                          filters["line"]),
        filters=filters, active={k: v for k, v in filters.items() if v}, line=line,
        without_line={k: v for k, v in filters.items() if v and k != "line"},
        years=queries.list_years(), earmarks=queries.list_earmarks(), states=list(ProjectState),
    )


# --- one project ---------------------------------------------------------------------------

def payment_form_for(grant: Grant, *, posted: bool = False, requisitions=None) -> PaymentForm:
    """The payment form of a project's page: empty with the grant's own fund chosen, or as
    posted."""
    if requisitions is None:
        requisitions = payment_operations.requisitions_with_paid(grant.id)
    sources = queries.payment_sources(grant)
    if posted:
        return PaymentForm.for_grant(grant, sources, list(requisitions))
    return PaymentForm.for_grant(grant, sources, list(requisitions), formdata=None,
                                 data={"allocation": grant.line.allocation_id})


def render_project(grant: Grant, *, payment_form: PaymentForm | None = None,
                   schedule_form: ScheduleReportForm | None = None,
                   link_form: LinkForm | None = None,
                   candidates: queries.LinkCandidates | None = None, status: int = 200):
    """The coordinators' page of a project; a form given is shown as posted, with its errors."""
    overview = queries.project_overview(grant)
    if candidates is None:
        candidates = queries.link_candidates(grant, request.args.get("tidigare", ""))
    return render_template(
        "followup/show.html", grant=grant, project=overview,
        payment_form=payment_form or payment_form_for(grant,
                                                      requisitions=overview.requisitions),
        schedule_form=schedule_form or ScheduleReportForm(
            prefix="report", formdata=None, due_on=report_operations.final_report_due(grant)),
        link_form=link_form or LinkForm(prefix="link", formdata=None,
                                        data={"previous": grant.previous_grant_id},
                                        candidates=candidates.choices),
        link_candidates=candidates,
        reason_form=ReasonForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
        threshold=payment_operations.attest_threshold(),
        can_edit=current_user.can_edit_money,
    ), status


@bp.get("/projekt/<int:grant_id>")
@staff_required
def show(grant_id: int):
    """A granted project: facts, money, payments, requisitions, reports and history."""
    return render_project(db.get_or_404(Grant, grant_id))


@bp.post("/projekt/<int:grant_id>/rapporter")
@coordinator_required
def schedule_report(grant_id: int):
    """Ask the project for an interim or final report by a date."""
    grant = db.get_or_404(Grant, grant_id)
    form = ScheduleReportForm(prefix="report")
    if form.validate_on_submit():
        try:
            report_operations.schedule_report(grant.id, form.kind.data, form.due_on.data,
                                              current_actor())
        except DomainError as error:
            refuse(error, form=form)
        else:
            flash(_("Rapporten är begärd."), "success")
            return redirect(url_for("projects.show", grant_id=grant.id, _anchor="reports"))
    return render_project(db.get_or_404(Grant, grant_id), schedule_form=form, status=422)


@bp.post("/projekt/<int:grant_id>/tidigare")
@coordinator_required
def link_previous(grant_id: int):
    """Link the grant to the same project's grant of an earlier year, or unlink it."""
    grant = db.get_or_404(Grant, grant_id)
    previous = optional_id(request.form.get("link-previous"))
    try:
        history.link_previous(grant.id, previous, current_actor())
    except DomainError as error:
        offered = queries.link_candidates(grant, request.form.get("tidigare", ""))
        form = LinkForm(prefix="link", candidates=offered.choices)
        refuse(error, form=form, field="previous")
        return render_project(db.get_or_404(Grant, grant_id), link_form=form,
                              candidates=offered, status=422)
    flash(_("Projektet är länkat till det tidigare beviljandet.") if previous else _(
        "Länken till det tidigare beviljandet är borttagen."), "success")
    return redirect(url_for("projects.show", grant_id=grant.id, _anchor="history"))


# --- reviewing a report --------------------------------------------------------------------

def _review_page(report: ProjectReport, *, approve_form=None, return_form=None, confirm=False,
                 due_form=None, status: int = 200):
    grant = report.grant
    return render_template(
        "followup/review.html", report=report, grant=grant, money=grant_money(grant),
        approve_form=approve_form or ApproveReportForm(prefix="approve", formdata=None),
        return_form=return_form or ReturnReportForm(prefix="return", formdata=None),
        confirm=confirm, flows_back=flows_back(grant.amount, report.used),
        back_to=release_destination(grant),
        due_form=due_form or DueDateForm(prefix="due", formdata=None, due_on=report.due_on),
        can_decide=current_user.can_edit_money and report.state is ReportState.SUBMITTED,
    ), status


def _reviewed(report_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("projects.review_report", report_id=report_id))


@bp.route("/projekt/rapporter/<int:report_id>", methods=["GET", "POST"])
@staff_required
def review_report(report_id: int):
    """Show a project's report; a coordinator approves it with a rating, or returns it."""
    if request.method == "POST" and not current_user.can_edit_money:
        abort(403)
    report = db.get_or_404(ProjectReport, report_id)
    if request.method == "GET":
        return _review_page(report)
    if request.form.get("action") == "return":
        form = ReturnReportForm(prefix="return")
        if form.validate_on_submit():
            try:
                report_operations.return_report(report.id, form.message.data, current_actor())
            except DomainError as error:
                refuse(error, form=form)
            else:
                return _reviewed(report_id, _("Rapporten är återsänd till projektet."))
        return _review_page(db.get_or_404(ProjectReport, report_id), return_form=form,
                            status=422)
    form = ApproveReportForm(prefix="approve")
    if not form.validate_on_submit():
        return _review_page(report, approve_form=form, status=422)
    if report.kind is ReportKind.FINAL and request.form.get("confirmed") != "1":
        # Approving the final report closes the project: ask first, saying what flows back.
        return _review_page(report, approve_form=form, confirm=True)
    try:
        report_operations.approve_report(report.id, form.rating.data, form.comment.data or "",
                                         current_actor())
    except DomainError as error:
        refuse(error, form=form)
        return _review_page(db.get_or_404(ProjectReport, report_id), approve_form=form,
                            status=422)
    if report.kind is not ReportKind.FINAL:
        return _reviewed(report_id, _("Rapporten är godkänd."))
    grant = report.grant
    return _reviewed(report_id, _(
        "Slutrapporten är godkänd och projektet avslutat; %(amount)s går tillbaka till "
        "%(fund)s.", amount=format_amount(grant_money(grant).released, unit=True),
        fund=release_destination(grant).label))


@bp.post("/projekt/rapporter/<int:report_id>/senast")
@coordinator_required
def change_due_date(report_id: int):
    """Move the date a report is due; the project gets a new reminder before it."""
    report = db.get_or_404(ProjectReport, report_id)
    form = DueDateForm(prefix="due")
    if form.validate_on_submit():
        try:
            report_operations.change_due_date(report.id, form.due_on.data, current_actor())
        except DomainError as error:
            refuse(error, form=form)
        else:
            return _reviewed(report_id, _("Sista dagen är ändrad."))
    return _review_page(db.get_or_404(ProjectReport, report_id), due_form=form, status=422)


# --- all reports ---------------------------------------------------------------------------

REPORT_COLUMNS = [
    Column(_l("Projekt"), lambda r: r.grant.title, width=40),
    Column(_l("Projektägare"), lambda r: r.grant.owner, width=30),
    Column(_l("Rapport"), lambda r: r.kind.label, width=14),
    Column(_l("Senast"), lambda r: r.due_on, DATE, 12),
    Column(_l("Status"), lambda r: r.state.label, width=20),
    Column(_l("Förbrukat"), lambda r: r.used, MONEY, 14),
    Column(_l("Att återbetala"), lambda r: r.to_return, MONEY, 14),
    Column(_l("Bedömning"), lambda r: r.rating.label if r.rating else None),
]


@bp.get("/projekt/rapportlista")
@staff_required
def reports():
    """All project reports, filtered by state, kind and whether they are overdue."""
    state, kind = _enum_arg("state", ReportState), _enum_arg("kind", ReportKind)
    overdue = request.args.get("overdue") == "1"
    filters = {"state": state.value if state else None, "kind": kind.value if kind else None,
               "overdue": "1" if overdue else None}
    query = queries.reports_select(state, kind, date.today() if overdue else None)
    if (fmt := _export_format()) is not None:
        return export_response("rapporter", REPORT_COLUMNS, queries.all_rows(query), fmt,
                               title=_("Rapporter"))
    return render_template(
        "followup/reports.html",
        page=db.paginate(query, page=_page_number(), per_page=PER_PAGE, error_out=False),
        filters=filters, active={k: v for k, v in filters.items() if v},
        report_states=list(ReportState), report_kinds=list(ReportKind), today=date.today(),
    )
