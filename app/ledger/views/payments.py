"""The payment pages: registering a payment or a refund on a project, attesting or rejecting
it, declining a requisition, the list of all payments with the attestation queue first, and
the attestation threshold. The rules (a payment may not exceed its grant) are in
app/ledger/rules.py, the operations in app/ledger/payments.py.

A refused registration shows the project's page again with the form as typed; the other
refusals are flashed on the page the coordinator came from.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.errors import DomainError
from app.core.money import format_amount
from app.extensions import db
from app.followup import queries
from app.followup.views.projects import payment_form_for, render_project
from app.ledger import payments as payment_operations
from app.ledger import queries as ledger_queries
from app.ledger.forms import ReasonForm, ThresholdForm
from app.ledger.models import Grant, Payment, PaymentState, Requisition
from app.ledger.views import bp
from app.web.access import admin_required, coordinator_required, current_actor, staff_required
from app.web.exports import DATE, MONEY, Column, export_response
from app.web.redirects import safe_next
from app.web.unit_of_work import refuse

PER_PAGE = 50


@bp.post("/projekt/<int:grant_id>/utbetalningar")
@coordinator_required
def register_payment(grant_id: int):
    """Register a payment or a refund; above the threshold it waits for another coordinator."""
    grant = db.get_or_404(Grant, grant_id)
    form = payment_form_for(grant, posted=True)
    if form.validate_on_submit():
        try:
            payment = payment_operations.register_payment(form.payment_input(grant.id),
                                                          current_actor())
        except DomainError as error:
            refuse(error, form=form)
        else:
            amount = format_amount(payment.amount, unit=True)
            if payment.state is PaymentState.PENDING:
                flash(_("%(amount)s är registrerat och väntar på attest av en annan "
                        "samordnare.", amount=amount), "success")
            else:
                flash(_("%(amount)s är registrerat och attesterat.", amount=amount), "success")
            return redirect(url_for("projects.show", grant_id=grant.id, _anchor="payments"))
    # Show the project's page again with the form as typed, and the refusal.
    return render_project(db.get_or_404(Grant, grant_id), payment_form=form, status=422)


def _back(default: str):
    """Back to the page the form came from (its `next`), else to `default`."""
    return redirect(safe_next(request.form.get("next")) or default)


@bp.post("/utbetalningar/<int:payment_id>/attestera")
@coordinator_required
def approve_payment(payment_id: int):
    """Attest a pending payment: another coordinator than the one who registered it."""
    payment = db.get_or_404(Payment, payment_id)
    default = url_for("projects.show", grant_id=payment.grant_id, _anchor="payments")
    try:
        payment = payment_operations.approve_payment(payment.id, current_actor())
    except DomainError as error:
        refuse(error)
    else:
        flash(_("%(amount)s är attesterat.", amount=format_amount(payment.amount, unit=True)),
              "success")
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
        payment_operations.reject_payment(payment.id, form.reason.data, current_actor())
    except DomainError as error:
        refuse(error)
    else:
        flash(_("Utbetalningen är avslagen."), "success")
    return _back(default)


@bp.post("/rekvisitioner/<int:requisition_id>/avsla")
@coordinator_required
def decline_requisition(requisition_id: int):
    """Decline a project's requisition, with a reason."""
    requisition = db.get_or_404(Requisition, requisition_id)
    back = url_for("projects.show", grant_id=requisition.grant_id, _anchor="requisitions")
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Skriv varför rekvisitionen avslås."), "error")
        return redirect(back)
    try:
        payment_operations.decline_requisition(requisition.id, form.reason.data,
                                               current_actor())
    except DomainError as error:
        refuse(error)
    else:
        flash(_("Rekvisitionen är avslagen."), "success")
    return redirect(back)


# --- all payments: the attestation queue ---------------------------------------------------

PAYMENT_COLUMNS = [
    Column(_l("Datum"), lambda p: p.paid_on, DATE, 12),
    Column(_l("Projekt"), lambda p: p.grant.title, width=40),
    Column(_l("Projektägare"), lambda p: p.grant.owner, width=30),
    Column(_l("Slag"), lambda p: p.kind.label, width=14),
    Column(_l("Belopp"), lambda p: p.amount, MONEY, 14),
    Column(_l("Från fond"), lambda p: p.allocation.label),
    Column(_l("Referens"), lambda p: p.reference),
    Column(_l("Status"), lambda p: p.state.label, width=18),
    Column(_l("Registrerad av"), lambda p: p.registered_by),
    Column(_l("Attesterad av"), lambda p: p.decided_by if p.state is PaymentState.APPROVED else None),
]


@bp.get("/utbetalningar")
@staff_required
def payments():
    """All payments, the pending ones (the attestation queue) first, a page at a time
    (`?after=<id>` or `?before=<id>` of the payment the page follows or precedes)."""
    state = request.args.get("state")
    state = PaymentState(state) if state in {s.value for s in PaymentState} else None
    filters = {"state": state.value if state else None,
               "year": request.args.get("year", type=int),
               "fund": request.args.get("fund", type=int)}
    if fmt := request.args.get("format"):
        query = queries.payments_select(state, filters["year"], filters["fund"])
        return export_response("utbetalningar", PAYMENT_COLUMNS, queries.all_rows(query), fmt,
                               title=_("Utbetalningar"))
    return render_template(
        "ledger/payments.html",
        page=ledger_queries.payments_page(state, filters["year"], filters["fund"],
                                          after=request.args.get("after", type=int),
                                          before=request.args.get("before", type=int),
                                          per_page=PER_PAGE),
        total=ledger_queries.payments_count(state, filters["year"], filters["fund"]),
        filters=filters, active={k: v for k, v in filters.items() if v},
        years=queries.list_years(), earmarks=queries.list_earmarks(),
        payment_states=list(PaymentState), reason_form=ReasonForm(formdata=None),
        can_edit=current_user.can_edit_money,
    )


# --- the attestation threshold -------------------------------------------------------------

@bp.route("/admin/attestgrans", methods=["GET", "POST"])
@admin_required
def threshold():
    """Set the amount above which a payment needs a second coordinator."""
    current = payment_operations.attest_threshold()
    form = ThresholdForm(data={"amount": current})
    if form.validate_on_submit():
        try:
            payment_operations.set_attest_threshold(form.amount.data, current_actor())
        except DomainError as error:
            refuse(error, form=form)
        else:
            flash(_("Attestgränsen är %(amount)s.",
                    amount=format_amount(form.amount.data, unit=True)), "success")
            return redirect(url_for("funds.threshold"))
    return render_template("ledger/threshold.html", form=form, current=current)
