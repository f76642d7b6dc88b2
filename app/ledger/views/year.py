"""Pages of a fund's year: starting an allocation, correcting it, deciding and revising its
budget. Each view loads, authorises, then acts through app.ledger.allocations; the unit of
work commits once. A refused save changes nothing and keeps what was typed."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.errors import DomainError
from app.extensions import db
from app.ledger.allocations import editing, versions
from app.ledger.allocations.forms import AllocationForm, BudgetDecisionForm
from app.ledger.earmarks import list_earmarks
from app.ledger.forms import ConfirmForm
from app.ledger.models import Allocation
from app.ledger.queries import is_year_closed
from app.ledger.views import bp
from app.web.access import coordinator_required, current_actor
from app.web.unit_of_work import refuse


def _open_allocation_or_back(allocation_id: int):
    """Load an allocation, or 404; a redirect back to its page when its year is closed."""
    allocation = db.get_or_404(Allocation, allocation_id)
    if is_year_closed(allocation.year):
        flash(_("%(year)s är stängt; en administratör måste öppna året innan något ändras.",
                year=allocation.year), "error")
        return allocation, redirect(url_for("funds.allocation", allocation_id=allocation.id))
    return allocation, None


@bp.route("/allocations/new", methods=["GET", "POST"])
@coordinator_required
def allocation_new():
    """Start a fund's year: a new allocation with a preliminary budget and no lines yet."""
    form = AllocationForm(data=AllocationForm.data_of(None), earmarks=list_earmarks())
    if request.method == "GET" and request.args.get("year", type=int):
        form.year.data = request.args.get("year", type=int)
    if form.validate_on_submit():
        try:
            allocation = editing.create_allocation(form.allocation_input(), current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("%(label)s är skapad. Lägg till budgetens rader.", label=allocation.label),
                  "success")
            return redirect(url_for("funds.allocation", allocation_id=allocation.id))
    return render_template("ledger/allocation_form.html", form=form, allocation=None), \
        422 if form.errors else 200


@bp.route("/allocations/<int:allocation_id>/edit", methods=["GET", "POST"])
@coordinator_required
def allocation_edit(allocation_id: int):
    """Correct an allocation of an open year: received, recipient, window, anchoring, decision."""
    allocation, back = _open_allocation_or_back(allocation_id)
    if back:
        return back
    form = AllocationForm(data=AllocationForm.data_of(allocation), new=False)
    if request.method == "GET" and allocation.decision_month_only:
        form.decision_date.month_only = True
    if form.validate_on_submit():
        try:
            editing.update_allocation(allocation.id, form.allocation_input(allocation),
                                      current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Tilldelningen är sparad."), "success")
            return redirect(url_for("funds.allocation", allocation_id=allocation.id))
    return render_template("ledger/allocation_form.html", form=form, allocation=allocation), \
        422 if form.errors else 200


@bp.route("/allocations/<int:allocation_id>/budget/decide", methods=["GET", "POST"])
@coordinator_required
def budget_decide(allocation_id: int):
    """Record the decision on the preliminary budget and freeze that version."""
    allocation, back = _open_allocation_or_back(allocation_id)
    if back:
        return back
    if not allocation.preliminary:
        flash(_("Budgeten är redan beslutad; påbörja en revidering för att besluta en ny "
                "version."), "error")
        return redirect(url_for("funds.allocation", allocation_id=allocation.id,
                                _anchor="versions"))
    form = BudgetDecisionForm(data=AllocationForm.data_of(allocation))
    if form.validate_on_submit():
        try:
            version = versions.decide_budget(allocation.id, form.decision_input(),
                                             current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Budgeten för %(label)s är beslutad (version %(number)s).",
                    label=allocation.label, number=version.number), "success")
            return redirect(url_for("funds.allocation", allocation_id=allocation.id,
                                    _anchor="versions"))
    return render_template("ledger/budget_decide.html", form=form, allocation=allocation), \
        422 if form.errors else 200


@bp.route("/allocations/<int:allocation_id>/budget/revise", methods=["GET", "POST"])
@coordinator_required
def budget_revise(allocation_id: int):
    """Ask whether to open a revision of the decided budget; open it when confirmed."""
    allocation, back = _open_allocation_or_back(allocation_id)
    if back:
        return back
    if allocation.preliminary:
        flash(_("Budgeten är preliminär; besluta den innan den revideras."), "error")
        return redirect(url_for("funds.allocation", allocation_id=allocation.id,
                                _anchor="versions"))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            version = versions.start_revision(allocation.id, current_actor())
        except DomainError as exc:
            refuse(exc)
        else:
            flash(_("Version %(number)s av budgeten är påbörjad; den är preliminär tills den "
                    "beslutas.", number=version.number), "success")
        return redirect(url_for("funds.allocation", allocation_id=allocation.id,
                                _anchor="versions"))
    return render_template("ledger/budget_revise.html", form=form, allocation=allocation)
