"""Closing an agreement year, carrying each fund's remainder into the next, and reopening it.
Every change is audited; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.core.signals import done_by_receivers, year_closed
from app.extensions import db
from app.ledger.models import Allocation, CarryOver, LedgerAction, Line, YearClosing
from app.ledger.queries import Ledger, budgeted_lines_without_spent, is_year_closed, load_ledger
from app.ledger.rules import (
    Basis,
    RemainderRule,
    closing_refusal,
    line_lacks_outcome,
    missing_outcomes_refusal,
)


@dataclass(frozen=True)
class MissingOutcome:
    """A line of a year with a budget but no outcome."""

    line_id: int
    allocation_id: int
    fund: str  # the allocation's label
    activity: str
    budget: int

    @property
    def label(self) -> str:
        return f"{self.fund}: {self.activity} (budget {format_amount(self.budget, unit=True)})"


def missing_outcomes(year: int, ledger: Ledger) -> list[MissingOutcome]:
    """Return the year's lines that have a budget but no outcome (a call line's outcome
    follows its grants): closing would count them as unused and carry their money over."""
    return [
        MissingOutcome(line.id, line.allocation_id, line.allocation.label, line.activity,
                       line.budget or 0)
        for line in budgeted_lines_without_spent(year)
        if line_lacks_outcome(line.budget, ledger.projects.line_outcome(line))
    ]


def close_year(year: int, actor: Actor, *, accept_missing_outcomes: bool = False) -> YearClosing:
    """Close a year: refuse on an uncovered deficit, or on lines with a budget but no outcome
    unless the actor accepts them as 0 kr used; else carry each remainder into year+1."""
    if is_year_closed(year):
        raise DomainError(_("året %(year)s är redan stängt", year=year))
    if is_year_closed(year + 1):
        # The remainders would be carried into a year whose own carry-over is already made.
        raise DomainError(_("öppna först %(next)s: stängning av %(year)s för över pengar dit",
                            next=year + 1, year=year))
    allocations = list(
        db.session.scalars(
            select(Allocation).where(Allocation.year == year).with_for_update(of=Allocation)
        ).unique()
    )
    if not allocations:
        raise DomainError(_("det finns inga tilldelningar för %(year)s", year=year))
    open_earlier = db.session.scalars(
        select(Allocation.year)
        .where(Allocation.year < year, Allocation.year.not_in(select(YearClosing.year)))
        .distinct()
        .order_by(Allocation.year)
    ).all()
    if open_earlier:
        raise DomainError(
            _("stäng först %(years)s: deras överföringar till %(year)s är inte kända förrän de är "
              "stängda", years=", ".join(map(str, open_earlier)), year=year)
        )
    ledger = load_ledger([year])
    missing = missing_outcomes(year, ledger)
    if missing and not accept_missing_outcomes:
        raise DomainError(missing_outcomes_refusal([m.label for m in missing]))
    balances = {a.id: ledger.balance(a, Basis.OUTCOME) for a in ledger.allocations}
    refusal = closing_refusal({a.label: balances[a.id].deficit for a in ledger.allocations})
    if refusal:
        raise DomainError(refusal)
    if missing:
        _accept_as_unused(year, missing, actor)
    closing = YearClosing(year=year, closed_by=actor.label)
    db.session.add(closing)
    carried = {}
    paid_back = set()  # their remainder goes back to the state: the log must not say "carried"
    for allocation in ledger.allocations:
        amount = balances[allocation.id].result
        closing.carry_overs.append(CarryOver(
            from_allocation_id=allocation.id,
            earmark_id=allocation.earmark_id,
            to_year=year + 1,
            amount=amount,
            rule=allocation.earmark.remainder_rule,
        ))
        carried[allocation.earmark.code] = amount
        if allocation.earmark.remainder_rule is RemainderRule.PAY_BACK:
            paid_back.add(allocation.earmark.code)
    db.session.flush()
    # The areas above the ledger follow (the call closes the calls on the year's pots).
    followed = done_by_receivers(year_closed.send(year, actor=actor))
    audit.record(actor, LedgerAction.YEAR_CLOSE, "year", closing.id, year=year,
                 summary=f"Stängde {year}; överfört till {year + 1}: "
                 + ", ".join(f"{k} {format_amount(v, unit=True)}"
                             + (" (betalas tillbaka)" if k in paid_back else "")
                             for k, v in carried.items())
                 + "".join(f"; {text}" for text in followed),
                 after={"carry_over": carried, **({"followed": followed} if followed else {})})
    return closing


def _accept_as_unused(year: int, missing: list[MissingOutcome], actor: Actor) -> None:
    """Record the lines without outcome as 0 kr used, as the actor explicitly accepted."""
    for item in missing:
        db.session.get(Line, item.line_id).spent = 0
    db.session.flush()
    audit.record(actor, LedgerAction.YEAR_ACCEPT_MISSING, "year", None, year=year,
                 summary=f"Godtog {len(missing)} rader utan utfall som 0 kr använt när {year} "
                 "stängdes: " + "; ".join(m.label for m in missing),
                 before={"lines": [{"line_id": m.line_id, "fund": m.fund,
                                    "activity": m.activity, "budget": m.budget, "spent": None}
                                   for m in missing]},
                 after={"lines": [{"line_id": m.line_id, "spent": 0} for m in missing]})


def reopen_year(year: int, actor: Actor) -> None:
    """Reopen a closed year, undoing its carry-over; refuse while the next year is closed."""
    closing = db.session.scalar(
        select(YearClosing).where(YearClosing.year == year).with_for_update()
    )
    if closing is None:
        raise DomainError(_("året %(year)s är inte stängt", year=year))
    if is_year_closed(year + 1):
        raise DomainError(_("öppna först %(next)s: det bygger på överföringen från %(year)s",
                            next=year + 1, year=year))
    before = {
        "carry_over": {c.from_allocation.earmark.code: c.amount for c in closing.carry_overs},
        "closed_by": closing.closed_by,
        "closed_at": closing.closed_at,
    }
    closing_id = closing.id
    db.session.delete(closing)
    db.session.flush()
    audit.record(actor, LedgerAction.YEAR_REOPEN, "year", closing_id, year=year,
                 summary=f"Öppnade {year} igen; överföringen till {year + 1} är ångrad",
                 before=before)
