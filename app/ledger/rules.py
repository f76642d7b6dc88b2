"""Available, used, result and carry-over of an allocation, computed from its records."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Basis(enum.StrEnum):
    """Which figure of a line counts: the budget (a budget report) or the outcome (follow-up)."""

    BUDGET = "budget"
    OUTCOME = "outcome"


@dataclass(frozen=True)
class Balance:
    """The money of one allocation on one basis, all in öre."""

    received: int
    carried_in: int
    covered: int  # transfers from other allocations that cover this one's deficit
    used: int  # own lines, own transfer lines included
    unset_lines: int = 0  # lines with no figure on this basis
    # What projects of this fund's closed earlier years did not use, released into this year.
    returned_in: int = 0

    @property
    def available(self) -> int:
        return self.received + self.carried_in + self.returned_in + self.covered

    @property
    def result(self) -> int:
        """What is left (positive) or missing (negative)."""
        return self.available - self.used

    @property
    def deficit(self) -> int:
        return max(0, -self.result)

    @property
    def remainder(self) -> int:
        return max(0, self.result)


def line_figure(budget: int | None, spent: int | None, basis: Basis) -> int | None:
    """Return the figure of a line that counts on the basis (None when the line has none)."""
    return budget if basis is Basis.BUDGET else spent


def call_pool(budget: int | None, spent: int | None) -> int | None:
    """Return the amount that bounds a call's grants: the outcome, else the budget."""
    return spent if spent is not None else budget


def unallocated_call_money(pool: int | None, granted: int) -> int:
    """Return what of a call's pool no grant uses (never negative by the import rule)."""
    return (pool or 0) - granted


def check_grants_within_pool(pool: int | None, granted: int) -> str | None:
    """Return why grants summing to `granted` do not fit the pool, or None when they do."""
    from app.core.money import format_amount

    if granted > (pool or 0):
        return (
            f"beviljade projekt summerar till {format_amount(granted, unit=True)}, mer än "
            f"utlysningens {format_amount(pool or 0, unit=True)}"
        )
    return None


def closing_refusal(deficits: dict[str, int]) -> str | None:
    """Return why a year cannot close given each fund's uncovered deficit, or None."""
    from app.core.money import format_amount

    open_deficits = {label: d for label, d in deficits.items() if d > 0}
    if not open_deficits:
        return None
    parts = ", ".join(
        f"{label} har ett underskott på {format_amount(d, unit=True)}"
        for label, d in sorted(open_deficits.items())
    )
    return (
        f"{parts} som ingen annan fond täcker. Lägg till en överföringsrad "
        "(kind: transfer) som täcker underskottet innan året stängs."
    )
