"""The page of one allocation: its lines and grants, and closing or reopening its year.

Every view loads, authorises, then acts through app.ledger.lines or app.ledger.years; the unit
of work commits the change once and the view answers with a redirect. A refused operation
(DomainError) is rolled back and shown on the form with everything typed kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.call.calls import open_calls_of_year
from app.core.errors import DomainError
from app.core.money import format_amount
from app.extensions import db
from app.followup.queries import reported_used
from app.ledger import lines, years
from app.ledger.allocations import versions
from app.ledger.checks import ledger_warnings
from app.ledger.forms import CloseYearForm, ConfirmForm, GrantForm, LineForm
from app.ledger.goal_areas.lists import active_names
from app.ledger.models import Allocation, Grant, Line, LineKind, YearClosing
from app.ledger.queries import CallSums as StoredCallSums
from app.ledger.queries import (
    allocation_with_line_facts,
    allocation_with_lines,
    call_sums,
    coverable_allocations,
    first_grants,
    is_year_closed,
    load_ledger,
)
from app.ledger.rules import Basis, RemainderRule, closing_refusal, unallocated_call_money
from app.ledger.views import bp
from app.web.access import admin_required, coordinator_required, current_actor, staff_required
from app.web.exports import MONEY, Column, export_response
from app.web.unit_of_work import refuse

# --- loading -------------------------------------------------------------------------------

def _allocation_with_lines(allocation_id: int) -> Allocation:
    """Load an allocation with its lines, their grants and what they cover, or 404."""
    allocation = allocation_with_lines(allocation_id)
    if allocation is None:
        abort(404)
    return allocation


def _ledger_of_year_or_404(year: int):
    ledger = load_ledger([year])
    if not ledger.allocations:
        abort(404)
    return ledger


# --- small shared steps --------------------------------------------------------------------

@dataclass(frozen=True)
class CallSums:
    """What a call line has granted, what of its pool is left, and how many projects it has."""

    granted: int
    left: int
    grants: int = 0


def _call_sums(line: Line, *, leaving_out: Grant | None = None) -> CallSums:
    """A call line's sums from one aggregate query (less `leaving_out`, the grant edited)."""
    sums = call_sums([line.id]).get(line.id, StoredCallSums())
    granted = sums.granted - (leaving_out.amount if leaving_out is not None else 0)
    return CallSums(granted, unallocated_call_money(line.amount, granted), sums.grants)


def _shorten(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _back_if_closed(allocation: Allocation):
    """Return a redirect to the allocation page when its year is closed, else None."""
    if not is_year_closed(allocation.year):
        return None
    flash(_("%(year)s är stängt; en administratör måste öppna året innan något ändras.",
            year=allocation.year), "error")
    return redirect(url_for("funds.allocation", allocation_id=allocation.id))


def _to_allocation(allocation_id: int, anchor: str | None = None):
    return redirect(url_for("funds.allocation", allocation_id=allocation_id, _anchor=anchor))


# --- the allocation page -------------------------------------------------------------------

# The page lists this many projects of each call; the rest are a link away, on the list of
# projects filtered by the call, so the page does not grow with the call.
GRANTS_SHOWN = 25


@bp.get("/allocations/<int:allocation_id>")
@staff_required
def allocation(allocation_id: int):
    """Show an allocation: its balances on both bases, its lines and the first projects of
    each call (with the call's totals), in a fixed number of queries however big the call."""
    allocation = allocation_with_line_facts(allocation_id)
    if allocation is None:
        abort(404)
    ledger = load_ledger(allocation_ids=[allocation.id], sums_only=True)
    closed = allocation.year in ledger.closed_years
    call_ids = [line.id for line in allocation.lines if line.kind is LineKind.CALL]
    sums = call_sums(call_ids)
    calls = {}
    for line in allocation.lines:
        if line.kind is LineKind.CALL:
            found = sums.get(line.id, StoredCallSums())
            calls[line.id] = CallSums(found.granted,
                                      unallocated_call_money(line.amount, found.granted),
                                      found.grants)
    return render_template(
        "ledger/allocation.html",
        allocation=allocation,
        outcome=ledger.balance(allocation, Basis.OUTCOME),
        budget=ledger.balance(allocation, Basis.BUDGET),
        carried_out=ledger.carried_out.get(allocation.id),
        closed=closed,
        calls=calls,
        call_grants=first_grants(call_ids, GRANTS_SHOWN),
        grants_shown=GRANTS_SHOWN,
        line_outcomes={line.id: ledger.projects.line_outcome(line) for line in allocation.lines},
        paid_for_others=ledger.projects.paid_for_others(allocation.id),
        can_edit=current_user.can_edit_money and not closed,
        warnings=[w for w in ledger_warnings(ledger, call_lines=[
            (line, line.amount or 0, calls[line.id].granted) for line in allocation.lines
            if line.id in calls]) if getattr(w, "allocation_id", None) == allocation.id],
        versions=versions.version_history(allocation),
    )


# --- the allocation's lists as downloads ---------------------------------------------------

# The lines table: a row is (line, its outcome). A call line's outcome follows its grants.
LINE_COLUMNS = [
    Column(_l("Målområde"), lambda r: r[0].goal_area.name if r[0].goal_area else None, width=36),
    Column(_l("Aktivitet"), lambda r: r[0].activity, width=50),
    Column(_l("Typ"), lambda r: r[0].kind.label, width=14),
    Column(_l("Budget"), lambda r: r[0].budget, MONEY, 16),
    Column(_l("Utfall"), lambda r: r[1], MONEY, 16),
]

# The grants of the allocation's calls: a row is (grant, its money, used as reported).
GRANT_COLUMNS = [
    Column(_l("Projekt"), lambda r: r[0].title, width=44),
    Column(_l("Projektägare"), lambda r: r[0].owner, width=30),
    Column(_l("Partner"), lambda r: r[0].partners, width=30),
    Column(_l("Målområden"), lambda r: [a.name for a in r[0].goal_areas], width=36),
    Column(_l("Beviljat"), lambda r: r[1].amount, MONEY, 16),
    Column(_l("Utbetalt"), lambda r: r[1].paid, MONEY, 16),
    Column(_l("Använt"), lambda r: r[2], MONEY, 16),
    Column(_l("Återbetalt"), lambda r: r[1].refunded, MONEY, 16),
    Column(_l("Status"), lambda r: r[0].status, width=14),
]


def _file_name(allocation: Allocation, what: str) -> str:
    return f"{allocation.earmark.code}-{allocation.year}-{what}"


@bp.get("/allocations/<int:allocation_id>/lines")
@staff_required
def allocation_lines(allocation_id: int):
    """Download an allocation's lines (`?format=xlsx` or `csv`) as the page lists them."""
    allocation = _allocation_with_lines(allocation_id)
    ledger = load_ledger(allocation_ids=[allocation.id], sums_only=True)
    rows = [(line, ledger.projects.line_outcome(line)) for line in allocation.lines]
    return export_response(_file_name(allocation, "aktiviteter"), LINE_COLUMNS, rows,
                           request.args.get("format"), title=allocation.label)


@bp.get("/allocations/<int:allocation_id>/grants")
@staff_required
def allocation_grants(allocation_id: int):
    """Download the projects granted from an allocation's calls (`?format=xlsx` or `csv`):
    granted, net paid (from any fund), used as last reported, refunded and status."""
    allocation = _allocation_with_lines(allocation_id)
    ledger = load_ledger([allocation.year])
    grants = [g for line in allocation.lines for g in line.grants]
    used = reported_used([g.id for g in grants])
    rows = [(g, ledger.projects.money(g.id), used.get(g.id)) for g in grants]
    return export_response(_file_name(allocation, "projekt"), GRANT_COLUMNS, rows,
                           request.args.get("format"), title=allocation.label)


# --- lines ---------------------------------------------------------------------------------

def _line_page(allocation: Allocation, line: Line | None):
    """Show the line form, or save it through the service and go back to the allocation."""
    form = LineForm(data=LineForm.data_of(line), covers_choices=coverable_allocations(allocation),
                    goal_area_names=active_names(allocation.year),
                    kept_goal_area=line.goal_area.name if line and line.goal_area else None)
    if form.validate_on_submit():
        try:
            if line is None:
                line = lines.add_line(allocation.id, form.line_input(), current_actor())
            else:
                lines.update_line(line.id, form.line_input(), current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            line_id = line.id
            flash(_("Raden är sparad."), "success")
            return _to_allocation(allocation.id, f"line-{line_id}")
    return render_template("ledger/line_form.html", form=form, allocation=allocation, line=line)


@bp.route("/allocations/<int:allocation_id>/lines/new", methods=["GET", "POST"])
@coordinator_required
def line_new(allocation_id: int):
    """Add a line to an allocation."""
    allocation = db.get_or_404(Allocation, allocation_id)
    return _back_if_closed(allocation) or _line_page(allocation, None)


@bp.route("/lines/<int:line_id>/edit", methods=["GET", "POST"])
@coordinator_required
def line_edit(line_id: int):
    """Change a line of an allocation."""
    line = db.get_or_404(Line, line_id)
    return _back_if_closed(line.allocation) or _line_page(line.allocation, line)


@bp.route("/lines/<int:line_id>/delete", methods=["GET", "POST"])
@coordinator_required
def line_delete(line_id: int):
    """Ask whether to remove a line and its grants; remove it when confirmed."""
    line = db.get_or_404(Line, line_id)
    allocation = line.allocation
    if closed := _back_if_closed(allocation):
        return closed
    form = ConfirmForm()
    if form.validate_on_submit():
        activity = line.activity
        try:
            lines.delete_line(line.id, current_actor())
        except DomainError as exc:
            refuse(exc)
            return _to_allocation(allocation.id)
        flash(_("Raden ”%(activity)s” är borttagen.", activity=_shorten(activity)), "success")
        return _to_allocation(allocation.id, "lines")
    return render_template("ledger/line_delete.html", form=form, line=line, allocation=allocation)


# --- grants --------------------------------------------------------------------------------

def _grant_page(line: Line, grant: Grant | None):
    """Show the grant form, or save it through the service and go back to the allocation."""
    allocation = line.allocation
    form = GrantForm(data=GrantForm.data_of(grant), goal_area_names=active_names(allocation.year),
                     kept=[a.name for a in grant.goal_areas] if grant else [])
    if form.validate_on_submit():
        try:
            if grant is None:
                lines.add_grant(line.id, form.grant_input(), current_actor())
            else:
                lines.update_grant(grant.id, form.grant_input(), current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Projektet är sparat."), "success")
            return _to_allocation(allocation.id, f"call-{line.id}")
    return render_template(
        "ledger/grant_form.html", form=form, line=line, grant=grant, allocation=allocation,
        sums=_call_sums(line, leaving_out=grant),
    )


@bp.route("/lines/<int:line_id>/grants/new", methods=["GET", "POST"])
@coordinator_required
def grant_new(line_id: int):
    """Grant a project from a call line."""
    line = db.get_or_404(Line, line_id)
    if line.kind is not LineKind.CALL:
        abort(404)
    return _back_if_closed(line.allocation) or _grant_page(line, None)


@bp.route("/grants/<int:grant_id>/edit", methods=["GET", "POST"])
@coordinator_required
def grant_edit(grant_id: int):
    """Change a granted project."""
    grant = db.get_or_404(Grant, grant_id)
    return _back_if_closed(grant.line.allocation) or _grant_page(grant.line, grant)


@bp.route("/grants/<int:grant_id>/delete", methods=["GET", "POST"])
@coordinator_required
def grant_delete(grant_id: int):
    """Ask whether to remove a granted project; remove it when confirmed."""
    grant = db.get_or_404(Grant, grant_id)
    line = grant.line
    allocation = line.allocation
    if closed := _back_if_closed(allocation):
        return closed
    form = ConfirmForm()
    if form.validate_on_submit():
        title = grant.title
        try:
            lines.delete_grant(grant.id, current_actor())
        except DomainError as exc:
            refuse(exc)
            return _to_allocation(allocation.id)
        flash(_("Projektet ”%(title)s” är borttaget.", title=_shorten(title)), "success")
        return _to_allocation(allocation.id, f"call-{line.id}")
    return render_template("ledger/grant_delete.html", form=form, grant=grant, line=line,
                           allocation=allocation)


# --- closing and reopening a year ----------------------------------------------------------

@bp.route("/years/<int:year>/close", methods=["GET", "POST"])
@coordinator_required
def close_year(year: int):
    """Show what closing a year carries over (or why it cannot close); close it when confirmed."""
    ledger = _ledger_of_year_or_404(year)
    closed = year in ledger.closed_years
    missing = [] if closed else years.missing_outcomes(year, ledger)
    form = CloseYearForm(missing=len(missing))
    # The calls on the year's pots, which closing the year closes (app/call/calls.py listens).
    calls = open_calls_of_year(year)
    if form.validate_on_submit():
        titles = [call.title for call in calls]
        try:
            closing = years.close_year(
                year, current_actor(), accept_missing_outcomes=form.accept_missing_outcomes.data)
        except DomainError as exc:
            refuse(exc)
            return redirect(url_for("funds.close_year", year=year))
        message = _closed_message(closing)
        flash(message, "success")
        if titles:
            flash(_("Utlysningarna på årets potter är stängda: %(calls)s.",
                    calls=", ".join(f"”{t}”" for t in titles)), "success")
        return redirect(url_for("funds.dashboard"))
    balances = {a.id: ledger.balance(a, Basis.OUTCOME) for a in ledger.allocations}
    refused = closing_refusal({a.label: balances[a.id].deficit for a in ledger.allocations})
    return render_template(
        "ledger/year_close.html", form=form, year=year, ledger=ledger, balances=balances,
        closed=closed, can_close=refused is None, missing=missing, calls=calls,
    ), 422 if form.errors else 200


def _closed_message(closing: YearClosing) -> str:
    """Say what closing the year did with each remainder, fund by fund."""
    parts = []
    for carry in sorted(closing.carry_overs, key=lambda c: c.from_allocation.earmark.sort_order):
        if carry.amount == 0:
            continue
        amount = format_amount(carry.amount, unit=True)
        earmark = carry.from_allocation.earmark
        if carry.rule is RemainderRule.PAY_BACK:
            parts.append(_("%(amount)s av %(fund)s betalas tillbaka till staten",
                           amount=amount, fund=carry.from_allocation.label))
        else:
            parts.append(_("%(amount)s överförs till %(fund)s %(year)s",
                           amount=amount, fund=earmark.name, year=carry.to_year))
    if not parts:
        return _("%(year)s är stängt; inget överskott att föra över.", year=closing.year)
    return _("%(year)s är stängt; %(carried)s.", year=closing.year, carried=", ".join(parts))


@bp.route("/years/<int:year>/reopen", methods=["GET", "POST"])
@admin_required
def reopen_year(year: int):
    """Explain that reopening undoes the year's carry-over; reopen it when confirmed."""
    ledger = _ledger_of_year_or_404(year)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            years.reopen_year(year, current_actor())
        except DomainError as exc:
            refuse(exc)
            return redirect(url_for("funds.reopen_year", year=year))
        flash(_("%(year)s är öppnat igen; överföringen till %(next)s är ångrad.",
                year=year, next=year + 1), "success")
        return redirect(url_for("funds.dashboard"))
    carry_overs = [ledger.carried_out[a.id] for a in ledger.allocations
                   if a.id in ledger.carried_out]
    return render_template("ledger/year_reopen.html", form=form, year=year, ledger=ledger,
                           carry_overs=carry_overs, closed=year in ledger.closed_years)
