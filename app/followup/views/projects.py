"""The coordinators' side of project follow-up: the list of granted projects, a project's page
with its money, payments, requisitions, reports and history, the review of a report, the
attestation queue, the list of reports and the attestation threshold.

Every view loads, authorises, then acts through a service; a change is committed once, the
e-mails it queued are delivered, and the answer is a redirect. A refusal of the service
(DomainError) is shown on the page with everything typed kept. Lists take a fixed number of
queries whatever their length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.call.models import Decision
from app.core.errors import DomainError
from app.core.money import format_amount
from app.extensions import db
from app.followup import reports as report_service
from app.followup.forms import (
    ApproveReportForm,
    DueDateForm,
    LinkForm,
    PaymentForm,
    ReasonForm,
    ReturnReportForm,
    ScheduleReportForm,
    ThresholdForm,
    optional_id,
)
from app.followup.models import (
    RATING_LABELS,
    REPORT_KIND_LABELS,
    REPORT_STATE_LABELS,
    ProjectReport,
    ReportKind,
    ReportState,
)
from app.followup.views import bp
from app.ledger import payments as payment_service
from app.ledger.forms import ConfirmForm
from app.ledger.models import (
    PAYMENT_KIND_LABELS,
    PAYMENT_STATE_LABELS,
    Allocation,
    Earmark,
    Grant,
    Line,
    Payment,
    PaymentState,
    Requisition,
)
from app.ledger.rules import GrantMoney
from app.ledger.project_money import load_project_money, reported_used
from app.web.access import admin_required, coordinator_required, current_actor, staff_required
from app.web.exports import DATE, MONEY, NUMBER, Column, export_response
from app.web.messages import safe_next, sentence
from app.web.unit_of_work import abandon

PER_PAGE = 50

#: The states of a project in the list, in the order of its life.
PROJECT_STATES = {
    "running": _l("pågår"),
    "final_submitted": _l("slutrapport inlämnad"),
    "closed": _l("avslutat"),
}


# --- small shared steps --------------------------------------------------------------------

@dataclass
class Page:
    """One page of a list: its rows, and where it is in the whole."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _paginate(query, page: int, *, scalars: bool = True) -> Page:
    """Return a page of `query`: two queries (the count and the rows)."""
    page = max(page, 1)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    items = list(rows.unique().scalars() if scalars else rows.all())
    return Page(items, page, PER_PAGE, total or 0)


def _done(endpoint: str, message: str | None = None, **values):
    """Commit the request's one change, send its e-mails, and redirect."""
    if message:
        flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _refused(exc: DomainError) -> None:
    abandon()
    flash(sentence(exc), "error")


def _int_arg(name: str) -> int | None:
    return request.args.get(name, type=int)


def _years() -> list[int]:
    return list(db.session.scalars(select(Allocation.year).distinct().order_by(Allocation.year.desc())))


def _earmarks() -> list[Earmark]:
    return list(db.session.scalars(select(Earmark).order_by(Earmark.sort_order, Earmark.code)))


def _export_format() -> str | None:
    return request.args.get("format") or None


# --- the list of granted projects ------------------------------------------------------------

@dataclass
class ProjectRow:
    grant_id: int
    year: int
    fund: str
    title: str
    owner: str
    money: GrantMoney
    used: int | None
    state: str

    @property
    def state_label(self) -> str:
        return str(PROJECT_STATES[self.state])


def _final_submitted():
    return exists().where(
        ProjectReport.grant_id == Grant.id,
        ProjectReport.kind == ReportKind.FINAL,
        ProjectReport.state.in_([ReportState.SUBMITTED, ReportState.APPROVED]),
    )


def _project_query(year: int | None, earmark_id: int | None, state: str | None):
    submitted = _final_submitted()
    state_expr = case(
        (Grant.closed_at.is_not(None), "closed"),
        (submitted, "final_submitted"),
        else_="running",
    )
    query = (
        select(Grant.id, Allocation.year, Earmark.name, Grant.title, Grant.owner, state_expr)
        .join(Line, Line.id == Grant.line_id)
        .join(Allocation, Allocation.id == Line.allocation_id)
        .join(Earmark, Earmark.id == Allocation.earmark_id)
        .order_by(Allocation.year.desc(), Earmark.sort_order, Earmark.code, Line.position,
                  Grant.position, Grant.id)
    )
    if year:
        query = query.where(Allocation.year == year)
    if earmark_id:
        query = query.where(Allocation.earmark_id == earmark_id)
    if state == "closed":
        query = query.where(Grant.closed_at.is_not(None))
    elif state == "final_submitted":
        query = query.where(Grant.closed_at.is_(None), submitted)
    elif state == "running":
        query = query.where(Grant.closed_at.is_(None), ~submitted)
    return query


def _project_rows(rows) -> list[ProjectRow]:
    rows = list(rows)
    money = load_project_money()
    used = reported_used([row[0] for row in rows])
    return [
        ProjectRow(grant_id, year, fund, title, owner, money.money(grant_id), used.get(grant_id),
                   state)
        for grant_id, year, fund, title, owner, state in rows
    ]


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
    Column(_l("Status"), lambda r: r.state_label, width=20),
]


@bp.get("/projekt")
@staff_required
def index():
    """List the granted projects with their money, filtered by year, fund and state."""
    filters = {
        "year": _int_arg("year"),
        "fund": _int_arg("fund"),
        "state": request.args.get("state") if request.args.get("state") in PROJECT_STATES else None,
    }
    query = _project_query(filters["year"], filters["fund"], filters["state"])
    if (fmt := _export_format()) is not None:
        rows = _project_rows(db.session.execute(query))
        return export_response("projekt", PROJECT_COLUMNS, rows, fmt, title=_("Projekt"))
    page = _paginate(query, request.args.get("page", 1, type=int), scalars=False)
    page.items = _project_rows(page.items)
    active = {k: v for k, v in filters.items() if v}
    return render_template(
        "followup/index.html", page=page, filters=filters, active=active, years=_years(),
        earmarks=_earmarks(), states=PROJECT_STATES,
    )


# --- one project ---------------------------------------------------------------------------

def _allocation_choices(grant: Grant) -> list[tuple[int, str]]:
    """The allocations a payment may come from: the grant's own first."""
    own = grant.line.allocation
    others = db.session.scalars(
        select(Allocation).join(Allocation.earmark).where(Allocation.id != own.id)
        .order_by(Allocation.year.desc(), Earmark.sort_order, Earmark.code)
    )
    return [(own.id, _("%(fund)s (projektets egen)", fund=own.label))] + [
        (a.id, a.label) for a in others
    ]


def _open_requisitions(requisitions: list[tuple[Requisition, int]]) -> list[tuple[int, str]]:
    """The requisitions a payment may be made on: not declined, not yet paid in full."""
    return [
        (r.id, _("%(date)s: %(amount)s", date=r.created_at.date().isoformat(),
                 amount=format_amount(r.amount, unit=True)))
        for r, paid in requisitions if r.declined_reason is None and paid < r.amount
    ]


def _link_candidates(grant: Grant) -> list[tuple[int, str]]:
    """Grants of earlier years the grant may continue: the same owner's first."""
    year = grant.line.allocation.year
    rows = db.session.execute(
        select(Grant.id, Grant.title, Grant.owner, Allocation.year, Earmark.name)
        .join(Line, Line.id == Grant.line_id)
        .join(Allocation, Allocation.id == Line.allocation_id)
        .join(Earmark, Earmark.id == Allocation.earmark_id)
        .where(Allocation.year < year, Grant.id != grant.id)
        .order_by(case((Grant.owner == grant.owner, 0), else_=1), Allocation.year.desc(),
                  Grant.title, Grant.id)
    )
    return [(gid, f"{y} {fund}: {title[:80]} ({owner})") for gid, title, owner, y, fund in rows]


def _show_page(grant: Grant, *, payment_form: PaymentForm | None = None,
               schedule_form: ScheduleReportForm | None = None,
               link_form: LinkForm | None = None, status: int = 200):
    own = grant.line.allocation
    history = report_service.project_history(grant)
    history_allocations = sorted({g.line.allocation_id for g in history} | {own.id})
    project_money = load_project_money(history_allocations)
    money = project_money.money(grant.id)
    others = project_money.paid_by_others(grant.id)
    other_labels = {a.id: a.label for a in db.session.scalars(
        select(Allocation).where(Allocation.id.in_([p.source_allocation_id for p in others]))
    )} if others else {}
    used = reported_used([g.id for g in history])
    reports_by_grant: dict[int, list[ProjectReport]] = {g.id: [] for g in history}
    for report in db.session.scalars(
        select(ProjectReport).where(ProjectReport.grant_id.in_([g.id for g in history]))
        .options(selectinload(ProjectReport.lines))
        .order_by(ProjectReport.due_on, ProjectReport.id)
    ):
        reports_by_grant[report.grant_id].append(report)
    reports = reports_by_grant[grant.id]
    payments = list(db.session.scalars(
        select(Payment).where(Payment.grant_id == grant.id)
        .options(joinedload(Payment.allocation), joinedload(Payment.requisition))
        .order_by(Payment.paid_on, Payment.id)
    ))
    requisitions = payment_service.requisitions_with_paid(grant.id)
    if payment_form is None:
        payment_form = PaymentForm(prefix="pay", formdata=None, data={"allocation": own.id},
                                   allocations=_allocation_choices(grant),
                                   requisitions=_open_requisitions(requisitions))
    schedule_form = schedule_form or ScheduleReportForm(prefix="report", formdata=None)
    link_form = link_form or LinkForm(prefix="link", formdata=None,
                                      data={"previous": grant.previous_grant_id},
                                      candidates=_link_candidates(grant))
    found_by = [Decision.grant_id == grant.id]
    if grant.application_id is not None:
        found_by.append(Decision.application_id == grant.application_id)
    decision = db.session.scalar(select(Decision).where(or_(*found_by)).limit(1))
    return render_template(
        "followup/show.html", grant=grant, own=own, money=money, others=others,
        back_to=report_service.release_destination(grant),
        other_labels=other_labels, used=used.get(grant.id), payments=payments,
        requisitions=requisitions, reports=reports, history=history,
        history_money={g.id: project_money.money(g.id) for g in history},
        history_used=used, reports_by_grant=reports_by_grant, payment_form=payment_form,
        schedule_form=schedule_form, link_form=link_form, reason_form=ReasonForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None), decision=decision,
        threshold=payment_service.attest_threshold(),
        can_edit=current_user.can_edit_money, labels=_labels(),
        project_state=_project_state(grant, reports),
    ), status


def _project_state(grant: Grant, reports: list[ProjectReport]) -> str:
    if grant.closed_at is not None:
        return str(PROJECT_STATES["closed"])
    if any(r.kind is ReportKind.FINAL and r.state in (ReportState.SUBMITTED, ReportState.APPROVED)
           for r in reports):
        return str(PROJECT_STATES["final_submitted"])
    return str(PROJECT_STATES["running"])


def _labels() -> dict:
    return {
        "payment_kind": PAYMENT_KIND_LABELS, "payment_state": PAYMENT_STATE_LABELS,
        "report_kind": REPORT_KIND_LABELS, "report_state": REPORT_STATE_LABELS,
        "rating": RATING_LABELS,
    }


@bp.get("/projekt/<int:grant_id>")
@staff_required
def show(grant_id: int):
    """A granted project: facts, money, payments, requisitions, reports and history."""
    grant = db.get_or_404(Grant, grant_id)
    return _show_page(grant)


@bp.post("/projekt/<int:grant_id>/utbetalningar")
@coordinator_required
def register_payment(grant_id: int):
    """Register a payment or a refund; above the threshold it waits for another coordinator."""
    grant = db.get_or_404(Grant, grant_id)
    form = PaymentForm(prefix="pay", allocations=_allocation_choices(grant),
                       requisitions=_open_requisitions(payment_service.requisitions_with_paid(grant.id)))
    if form.validate_on_submit():
        try:
            payment = payment_service.register_payment(form.payment_input(grant.id),
                                                       current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            amount = format_amount(payment.amount, unit=True)
            if payment.state is PaymentState.PENDING:
                message = _("%(amount)s är registrerat och väntar på attest av en annan "
                            "samordnare.", amount=amount)
            else:
                message = _("%(amount)s är registrerat och attesterat.", amount=amount)
            return _done("projects.show", message, grant_id=grant.id, _anchor="payments")
    # Show the form again as typed, with the refusal.
    return _show_page(db.session.get(Grant, grant_id), payment_form=form, status=422)


def _back(default: str):
    return redirect(safe_next(request.form.get("next")) or default)


@bp.post("/utbetalningar/<int:payment_id>/attestera")
@coordinator_required
def approve_payment(payment_id: int):
    """Attest a pending payment: another coordinator than the one who registered it."""
    payment = db.get_or_404(Payment, payment_id)
    default = url_for("projects.show", grant_id=payment.grant_id, _anchor="payments")
    try:
        payment = payment_service.approve_payment(payment.id, current_actor())
    except DomainError as exc:
        _refused(exc)
        return _back(default)
    amount = format_amount(payment.amount, unit=True)
    flash(_("%(amount)s är attesterat.", amount=amount), "success")
    return _back(default)


@bp.post("/utbetalningar/<int:payment_id>/avsla")
@coordinator_required
def reject_payment(payment_id: int):
    """Reject a pending payment, with a reason."""
    payment = db.get_or_404(Payment, payment_id)
    default = url_for("projects.show", grant_id=payment.grant_id, _anchor="payments")
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Skriv varför utbetalningen avslås."), "error")
        return _back(default)
    try:
        payment_service.reject_payment(payment.id, form.reason.data, current_actor())
    except DomainError as exc:
        _refused(exc)
        return _back(default)
    flash(_("Utbetalningen är avslagen."), "success")
    return _back(default)


@bp.post("/rekvisitioner/<int:requisition_id>/avsla")
@coordinator_required
def decline_requisition(requisition_id: int):
    """Decline a project's requisition, with a reason."""
    requisition = db.get_or_404(Requisition, requisition_id)
    default = url_for("projects.show", grant_id=requisition.grant_id, _anchor="requisitions")
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Skriv varför rekvisitionen avslås."), "error")
        return redirect(default)
    try:
        payment_service.decline_requisition(requisition.id, form.reason.data, current_actor())
    except DomainError as exc:
        _refused(exc)
        return redirect(default)
    flash(_("Rekvisitionen är avslagen."), "success")
    return redirect(default)


@bp.post("/projekt/<int:grant_id>/rapporter")
@coordinator_required
def schedule_report(grant_id: int):
    """Ask the project for an interim or final report by a date."""
    grant = db.get_or_404(Grant, grant_id)
    form = ScheduleReportForm(prefix="report")
    if form.validate_on_submit():
        try:
            report_service.schedule_report(grant.id, form.kind.data, form.due_on.data,
                                           current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("projects.show", _("Rapporten är begärd."), grant_id=grant.id,
                         _anchor="reports")
    return _show_page(db.session.get(Grant, grant_id), schedule_form=form, status=422)


@bp.post("/projekt/<int:grant_id>/tidigare")
@coordinator_required
def link_previous(grant_id: int):
    """Link the grant to the same project's grant of an earlier year, or unlink it."""
    grant = db.get_or_404(Grant, grant_id)
    previous = optional_id(request.form.get("link-previous"))
    try:
        report_service.link_previous(grant.id, previous, current_actor())
    except DomainError as exc:
        abandon()
        form = LinkForm(prefix="link", candidates=_link_candidates(grant))
        form.form_errors.append(sentence(exc))
        return _show_page(db.session.get(Grant, grant_id), link_form=form, status=422)
    message = _("Projektet är länkat till det tidigare beviljandet.") if previous else _(
        "Länken till det tidigare beviljandet är borttagen.")
    return _done("projects.show", message, grant_id=grant.id, _anchor="history")


# --- reviewing a report --------------------------------------------------------------------

def _review_page(report: ProjectReport, *, approve_form=None, return_form=None, confirm=False,
                 due_form=None, status: int = 200):
    grant = report.grant
    money = load_project_money([grant.line.allocation_id]).money(grant.id)
    return render_template(
        "followup/review.html", report=report, grant=grant, money=money,
        approve_form=approve_form or ApproveReportForm(prefix="approve", formdata=None),
        return_form=return_form or ReturnReportForm(prefix="return", formdata=None),
        confirm=confirm, flows_back=grant.amount - report.used, labels=_labels(),
        back_to=report_service.release_destination(grant),
        due_form=due_form or DueDateForm(prefix="due", formdata=None, due_on=report.due_on),
        can_decide=current_user.can_edit_money and report.state is ReportState.SUBMITTED,
    ), status


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
                report_service.return_report(report.id, form.message.data, current_actor())
            except DomainError as exc:
                abandon()
                form.form_errors.append(sentence(exc))
            else:
                return _done("projects.review_report", _("Rapporten är återsänd till projektet."),
                             report_id=report_id)
        return _review_page(db.session.get(ProjectReport, report_id), return_form=form,
                            status=422)
    form = ApproveReportForm(prefix="approve")
    if not form.validate_on_submit():
        return _review_page(report, approve_form=form, status=422)
    if report.kind is ReportKind.FINAL and request.form.get("confirmed") != "1":
        # Approving the final report closes the project: ask first, saying what flows back.
        return _review_page(report, approve_form=form, confirm=True)
    grant_id = report.grant_id
    try:
        report_service.approve_report(report.id, form.rating.data, form.comment.data or "",
                                      current_actor())
    except DomainError as exc:
        abandon()
        form.form_errors.append(sentence(exc))
        return _review_page(db.session.get(ProjectReport, report_id), approve_form=form,
                            status=422)
    if report.kind is ReportKind.FINAL:
        grant = db.session.get(Grant, grant_id)
        back = load_project_money([grant.line.allocation_id]).money(grant.id).released
        message = _("Slutrapporten är godkänd och projektet avslutat; %(amount)s går tillbaka "
                    "till %(fund)s.", amount=format_amount(back, unit=True),
                    fund=report_service.release_destination(grant).label)
    else:
        message = _("Rapporten är godkänd.")
    return _done("projects.review_report", message, report_id=report_id)


@bp.post("/projekt/rapporter/<int:report_id>/senast")
@coordinator_required
def change_due_date(report_id: int):
    """Move the date a report is due; the project gets a new reminder before it."""
    report = db.get_or_404(ProjectReport, report_id)
    form = DueDateForm(prefix="due")
    if form.validate_on_submit():
        try:
            report_service.change_due_date(report.id, form.due_on.data, current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("projects.review_report", _("Sista dagen är ändrad."), report_id=report_id)
    return _review_page(db.session.get(ProjectReport, report_id), due_form=form, status=422)


# --- all payments: the attestation queue ---------------------------------------------------

PAYMENT_COLUMNS = [
    Column(_l("Datum"), lambda p: p.paid_on, DATE, 12),
    Column(_l("Projekt"), lambda p: p.grant.title, width=40),
    Column(_l("Projektägare"), lambda p: p.grant.owner, width=30),
    Column(_l("Slag"), lambda p: str(PAYMENT_KIND_LABELS[p.kind]), width=14),
    Column(_l("Belopp"), lambda p: p.amount, MONEY, 14),
    Column(_l("Från fond"), lambda p: p.allocation.label),
    Column(_l("Referens"), lambda p: p.reference),
    Column(_l("Status"), lambda p: str(PAYMENT_STATE_LABELS[p.state]), width=18),
    Column(_l("Registrerad av"), lambda p: p.registered_by),
    Column(_l("Attesterad av"), lambda p: p.decided_by if p.state is PaymentState.APPROVED else None),
]


@bp.get("/utbetalningar")
@staff_required
def payments():
    """All payments, the pending ones (the attestation queue) first."""
    state = request.args.get("state")
    state = state if state in {s.value for s in PaymentState} else None
    filters = {"state": state, "year": _int_arg("year"), "fund": _int_arg("fund")}
    query = (
        select(Payment)
        .join(Allocation, Allocation.id == Payment.allocation_id)
        .options(joinedload(Payment.grant), joinedload(Payment.allocation))
        .order_by(case((Payment.state == PaymentState.PENDING, 0), else_=1),
                  Payment.paid_on.desc(), Payment.id.desc())
    )
    if state:
        query = query.where(Payment.state == PaymentState(state))
    if filters["year"]:
        query = query.where(Allocation.year == filters["year"])
    if filters["fund"]:
        query = query.where(Allocation.earmark_id == filters["fund"])
    if (fmt := _export_format()) is not None:
        rows = db.session.execute(query).unique().scalars()
        return export_response("utbetalningar", PAYMENT_COLUMNS, rows, fmt,
                               title=_("Utbetalningar"))
    page = _paginate(query, request.args.get("page", 1, type=int))
    return render_template(
        "followup/payments.html", page=page, filters=filters,
        active={k: v for k, v in filters.items() if v}, years=_years(), earmarks=_earmarks(),
        labels=_labels(), reason_form=ReasonForm(formdata=None),
        can_edit=current_user.can_edit_money,
    )


# --- all reports ---------------------------------------------------------------------------

REPORT_COLUMNS = [
    Column(_l("Projekt"), lambda r: r.grant.title, width=40),
    Column(_l("Projektägare"), lambda r: r.grant.owner, width=30),
    Column(_l("Rapport"), lambda r: str(REPORT_KIND_LABELS[r.kind]), width=14),
    Column(_l("Senast"), lambda r: r.due_on, DATE, 12),
    Column(_l("Status"), lambda r: str(REPORT_STATE_LABELS[r.state]), width=20),
    Column(_l("Förbrukat"), lambda r: r.used, MONEY, 14),
    Column(_l("Att återbetala"), lambda r: r.to_return, MONEY, 14),
    Column(_l("Bedömning"), lambda r: str(RATING_LABELS[r.rating]) if r.rating else None),
]


@bp.get("/projekt/rapportlista")
@staff_required
def reports():
    """All project reports, filtered by state, kind and whether they are overdue."""
    state = request.args.get("state")
    state = state if state in {s.value for s in ReportState} else None
    kind = request.args.get("kind")
    kind = kind if kind in {k.value for k in ReportKind} else None
    overdue = request.args.get("overdue") == "1"
    filters = {"state": state, "kind": kind, "overdue": "1" if overdue else None}
    query = (
        select(ProjectReport)
        .options(joinedload(ProjectReport.grant), selectinload(ProjectReport.lines))
        .order_by(ProjectReport.due_on, ProjectReport.id)
    )
    if state:
        query = query.where(ProjectReport.state == ReportState(state))
    if kind:
        query = query.where(ProjectReport.kind == ReportKind(kind))
    if overdue:
        query = query.where(ProjectReport.due_on < date.today(), ProjectReport.state.in_(
            [ReportState.DRAFT, ReportState.RETURNED]))
    if (fmt := _export_format()) is not None:
        rows = db.session.execute(query).unique().scalars()
        return export_response("rapporter", REPORT_COLUMNS, rows, fmt, title=_("Rapporter"))
    page = _paginate(query, request.args.get("page", 1, type=int))
    return render_template(
        "followup/reports.html", page=page, filters=filters,
        active={k: v for k, v in filters.items() if v}, labels=_labels(), today=date.today(),
    )


# --- the attestation threshold -------------------------------------------------------------

@bp.route("/admin/attestgrans", methods=["GET", "POST"])
@admin_required
def threshold():
    """Set the amount above which a payment needs a second coordinator."""
    current = payment_service.attest_threshold()
    form = ThresholdForm(data={"amount": current})
    if form.validate_on_submit():
        try:
            payment_service.set_attest_threshold(form.amount.data, current_actor())
        except DomainError as exc:
            abandon()
            form.form_errors.append(sentence(exc))
        else:
            return _done("projects.threshold", _("Attestgränsen är %(amount)s.",
                                                  amount=format_amount(form.amount.data,
                                                                       unit=True)))
    return render_template("followup/threshold.html", form=form, current=current)

