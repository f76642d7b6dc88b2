"""Checks of the ledger that the coordinators must see: money nobody accounts for.

Seed 003 shows what happens without them: a deficit balanced by hand, a carry-over that no
budget line uses. Each check returns plain data; the pages word it (in the language in use).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from app.ledger.models import Line
from app.ledger.queries import Ledger, call_lines_with_grant_sums
from app.ledger.rules import Basis, RemainderRule, stated_total_basis, unbudgeted_parts


@dataclass(frozen=True)
class LedgerWarning:
    """Something in one year of the ledger that needs a coordinator's attention."""

    kind: ClassVar[str] = ""
    year: int
    fund: str  # the allocation's label, "Brukarmiljonen 2020", or the earmark's name
    amount: int  # öre


@dataclass(frozen=True)
class UncoveredDeficit(LedgerWarning):
    """An allocation used more than it had, and no transfer from another fund covers it."""

    kind: ClassVar[str] = "uncovered_deficit"
    allocation_id: int


@dataclass(frozen=True)
class UnbudgetedCarryIn(LedgerWarning):
    """Money carried in from last year that no budget line of this year uses."""

    kind: ClassVar[str] = "unbudgeted_carry_in"
    allocation_id: int
    from_year: int


@dataclass(frozen=True)
class UnbudgetedReceived(LedgerWarning):
    """Money received this year that no budget line uses (carried-in money apart)."""

    kind: ClassVar[str] = "unbudgeted_received"
    allocation_id: int


@dataclass(frozen=True)
class UndistributedCall(LedgerWarning):
    """A project call whose grants do not add up to its pool (amount > 0: money left over)."""

    kind: ClassVar[str] = "undistributed_call"
    allocation_id: int
    line_id: int
    activity: str


@dataclass(frozen=True)
class CarryWithoutAllocation(LedgerWarning):
    """A remainder carried into a year in which its fund has no allocation yet."""

    kind: ClassVar[str] = "carry_without_allocation"
    from_allocation_id: int
    from_fund: str  # the label of the allocation it comes from


@dataclass(frozen=True)
class StatedTotalMismatch(LedgerWarning):
    """The total written in the source document differs from the sum of the lines on the
    basis it states (a budget's total with the budgets, a follow-up's with the outcomes)."""

    kind: ClassVar[str] = "stated_total_mismatch"
    allocation_id: int
    stated: int
    computed: int
    basis: Basis = Basis.OUTCOME


def ledger_warnings(
    ledger: Ledger, call_lines: list[tuple[Line, int, int]] | None = None
) -> list[LedgerWarning]:
    """Return every warning about the ledger's allocations, year by year (one query at most).

    `call_lines` are the call lines with their pools and grant sums
    (`call_lines_with_grant_sums`); they are loaded when not given.
    """
    if call_lines is None:
        call_lines = call_lines_with_grant_sums([a.id for a in ledger.allocations])
    calls_by_allocation: dict[int, list[tuple[Line, int, int]]] = defaultdict(list)
    for line, pool, granted in call_lines:
        calls_by_allocation[line.allocation_id].append((line, pool, granted))
    by_id = {a.id: a for a in ledger.allocations}
    present = {(a.earmark_id, a.year) for a in ledger.allocations}

    warnings: list[LedgerWarning] = []
    for allocation in ledger.allocations:
        label, year = allocation.label, allocation.year
        outcome = ledger.balance(allocation, Basis.OUTCOME)
        budget = ledger.balance(allocation, Basis.BUDGET)
        sums = ledger.own.get(allocation.id)
        has_budget = sums is not None and sums.without_budget < sums.lines
        has_outcome = sums is not None and sums.without_spent < sums.lines
        if outcome.result < 0:
            warnings.append(UncoveredDeficit(year, label, outcome.result, allocation.id))
        carried, received = unbudgeted_parts(budget.result,
                                             budget.carried_in + budget.returned_in)
        if carried > 0:
            warnings.append(UnbudgetedCarryIn(
                year, label, carried, allocation.id, from_year=year - 1
            ))
        # A follow-up without budgets has nothing budgeted: only a budget leaves money out.
        if received > 0 and has_budget:
            warnings.append(UnbudgetedReceived(year, label, received, allocation.id))
        for line, pool, granted in calls_by_allocation.get(allocation.id, []):
            if pool != granted:
                warnings.append(UndistributedCall(
                    year, label, pool - granted, allocation.id, line.id, line.activity
                ))
        basis = stated_total_basis(has_outcome)
        computed = (outcome if basis is Basis.OUTCOME else budget).used
        if allocation.stated_total is not None and allocation.stated_total != computed:
            warnings.append(StatedTotalMismatch(
                year, label, computed - allocation.stated_total, allocation.id,
                stated=allocation.stated_total, computed=computed, basis=basis,
            ))
    for from_id, carry in ledger.carried_out.items():
        if carry.rule is not RemainderRule.CARRY_OVER or carry.amount == 0:
            continue
        if ledger.loaded_years is None:
            source = by_id.get(from_id)
        elif carry.to_year in ledger.loaded_years:
            # The ledger of some years: the carry may come from a year it did not load.
            source = by_id.get(from_id) or carry.from_allocation
        else:
            continue  # into a year not loaded: whether it has an allocation is not known here
        if source is None:
            continue
        if (carry.earmark_id, carry.to_year) not in present:
            warnings.append(CarryWithoutAllocation(
                carry.to_year, source.earmark.name, carry.amount, from_id, source.label
            ))
    return sorted(warnings, key=lambda w: w.year)
