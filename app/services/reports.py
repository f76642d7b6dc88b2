"""Reading one fund's year from the database into a report's records, in a fixed number of
queries whatever the number of lines, grants and years."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.accounting import Basis, line_figure
from app.domain.errors import DomainError
from app.extensions import db
from app.models import Allocation, Earmark, Line, LineKind
from app.reports.data import (
    CallPool,
    Coverage,
    Destination,
    FundReport,
    GrantRow,
    ReportKind,
    ReportLine,
)
from app.services.funds import allocations_of_year
from app.services.ledger import load_ledger


def report_kind(kind: str) -> ReportKind:
    """Return the report kind named `kind`, or refuse it in Swedish."""
    try:
        return ReportKind(kind)
    except ValueError:
        raise DomainError(
            f"okänd rapporttyp {kind!r}; välj followup (uppföljning) eller budget"
        ) from None


def fund_report(kind: ReportKind | str, earmark_code: str, year: int,
                *, today: date | None = None) -> FundReport:
    """Load the follow-up or budget of one fund and year in a fixed number of queries."""
    kind = report_kind(kind)
    basis = kind.basis
    earmark = db.session.scalar(select(Earmark).where(Earmark.code == earmark_code))
    if earmark is None:
        known = ", ".join(db.session.scalars(select(Earmark.code).order_by(Earmark.code)))
        raise DomainError(f"okänd fond {earmark_code!r}; kända koder: {known or 'inga'}")

    allocation = next((a for a in allocations_of_year(year) if a.earmark_id == earmark.id), None)
    if allocation is None:
        raise DomainError(f"{earmark.name} har ingen tilldelning för {year}")

    ledger = load_ledger([year - 1, year])
    previous = next(
        (a for a in ledger.allocations if a.earmark_id == earmark.id and a.year == year - 1), None
    )
    previous_closed = (year - 1) in ledger.closed_years
    previous_estimate = None
    if previous is not None and not previous_closed:
        previous_estimate = max(0, ledger.balance(previous, Basis.OUTCOME).result)

    balance = ledger.balance(allocation, basis)
    year_closed = year in ledger.closed_years
    destination = None
    if kind is ReportKind.FOLLOWUP:
        stored = ledger.carried_out.get(allocation.id)
        if stored is not None:
            destination = Destination(stored.rule, stored.amount, settled=True)
        elif balance.result >= 0:
            destination = Destination(earmark.remainder_rule, balance.result, settled=False)

    return FundReport(
        kind=kind,
        region=allocation.region,
        earmark_code=earmark.code,
        earmark_name=earmark.name,
        year=year,
        spend_until=allocation.spend_until,
        anchored=allocation.anchored,
        decision_body=allocation.decision_body,
        decision_date=allocation.decision_date,
        decision_reference=allocation.decision_reference,
        decision_text=allocation.decision_text,
        balance=balance,
        lines=tuple(_report_line(line, basis) for line in allocation.lines),
        coverages=_coverages(allocation, basis),
        calls=tuple(
            _call_pool(line, basis) for line in allocation.lines if line.kind is LineKind.CALL
        ),
        stated_total=allocation.stated_total if _stated_basis(allocation) is basis else None,
        year_closed=year_closed,
        has_previous=previous is not None,
        previous_closed=previous_closed,
        previous_estimate=previous_estimate,
        destination=destination,
        printed=today or date.today(),
    )


def _report_line(line: Line, basis: Basis) -> ReportLine:
    return ReportLine(
        goal_area=line.goal_area.name if line.goal_area else None,
        activity=line.activity,
        kind=line.kind.value,
        figure=line_figure(line.budget, line.spent, basis),
        covers=line.covers.label if line.covers is not None else None,
        grants=len(line.grants),
    )


def _call_pool(line: Line, basis: Basis) -> CallPool:
    # A budget report measures the pool against what was budgeted; a follow-up against the
    # outcome, falling back to the budget while the call has no outcome yet.
    figure = line_figure(line.budget, line.spent, basis)
    return CallPool(
        activity=line.activity,
        pool=figure if figure is not None else (line.amount or 0),
        grants=tuple(
            GrantRow(
                goal_areas=tuple(area.name for area in grant.goal_areas),
                title=grant.title,
                owner=grant.owner,
                partners=tuple(grant.partners or ()),
                amount=grant.amount,
            )
            for grant in line.grants
        ),
    )


def _coverages(allocation: Allocation, basis: Basis) -> tuple[Coverage, ...]:
    """Return the transfer lines of other funds (of any year) that cover this allocation."""
    rows = db.session.execute(
        select(Line, Allocation)
        .join(Line.allocation)
        .where(Line.kind == LineKind.TRANSFER, Line.covers_allocation_id == allocation.id)
        .order_by(Allocation.year, Line.allocation_id, Line.position)
    )
    coverages = []
    for line, source in rows:
        amount = line_figure(line.budget, line.spent, basis)
        if amount:
            coverages.append(Coverage(source.label, line.activity, amount))
    return tuple(coverages)


def _stated_basis(allocation: Allocation) -> Basis:
    # The exchange format's stated_total is "the TOTALT the source document states": a
    # follow-up's once the source has outcomes, else a budget's.
    has_outcome = any(line.spent is not None for line in allocation.lines)
    return Basis.OUTCOME if has_outcome else Basis.BUDGET
