"""What a year-end report is about: one fund's year, read from the ledger into frozen records.

The records hold figures as they are stored (öre, None where a line has no figure) and the
balance the ledger computed; every total a report prints is derived here, never typed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from app.domain.accounting import Balance, Basis, unallocated_call_money


class ReportKind(enum.StrEnum):
    """The two year-end reports of a fund."""

    FOLLOWUP = "followup"
    BUDGET = "budget"

    @property
    def basis(self) -> Basis:
        """Return which figure of a line the report counts."""
        return Basis.OUTCOME if self is ReportKind.FOLLOWUP else Basis.BUDGET


@dataclass(frozen=True)
class ReportLine:
    """One line of the fund's table: an activity, a call's pool or a transfer to another fund."""

    goal_area: str | None
    activity: str
    kind: str  # a LineKind value
    figure: int | None  # on the report's basis; None when the line has no such figure yet
    covers: str | None = None  # for a transfer: the allocation whose deficit it covers
    grants: int = 0  # for a call: how many projects it granted


@dataclass(frozen=True)
class Coverage:
    """A transfer line of another fund that covers this fund's deficit."""

    source: str  # the covering allocation, e.g. "Samverkansmedel 2020"
    activity: str
    amount: int


@dataclass(frozen=True)
class GrantRow:
    """A project granted from a call."""

    goal_areas: tuple[str, ...]
    title: str
    owner: str
    partners: tuple[str, ...]
    amount: int


@dataclass(frozen=True)
class CallPool:
    """A call line's pool and the projects granted from it."""

    activity: str
    pool: int
    grants: tuple[GrantRow, ...]

    @property
    def granted(self) -> int:
        return sum(g.amount for g in self.grants)

    @property
    def unallocated(self) -> int:
        return unallocated_call_money(self.pool, self.granted)


@dataclass(frozen=True)
class Destination:
    """Where a follow-up's result goes: into the next year of the fund, or back to the state."""

    rule: str  # "carry_over" or "pay_back"
    amount: int
    settled: bool  # True once the year is closed and the amount is stored


@dataclass(frozen=True)
class FundReport:
    """One fund's follow-up or budget for one year, ready to be laid out."""

    kind: ReportKind
    region: str | None
    earmark_code: str
    earmark_name: str
    year: int
    spend_until: date
    anchored: str | None
    decision_body: str | None
    decision_date: date | None
    decision_reference: str | None
    decision_text: str | None
    balance: Balance
    lines: tuple[ReportLine, ...]
    coverages: tuple[Coverage, ...]
    calls: tuple[CallPool, ...]
    stated_total: int | None  # the source's TOTALT, when it belongs to this report's basis
    year_closed: bool
    has_previous: bool  # the fund has an allocation the year before
    previous_closed: bool
    previous_estimate: int | None  # the open previous year's remainder as it stands
    destination: Destination | None  # follow-ups only; None for an uncovered deficit
    printed: date

    @property
    def total(self) -> int:
        """Return TOTALT: the sum of the fund's own lines, transfers to other funds included."""
        return sum(line.figure or 0 for line in self.lines)

    @property
    def missing_figures(self) -> int:
        """Return how many lines have no figure on the report's basis."""
        return sum(1 for line in self.lines if line.figure is None)

    @property
    def covered(self) -> int:
        return sum(c.amount for c in self.coverages)

    @property
    def available(self) -> int:
        return self.balance.received + self.balance.carried_in + self.covered

    @property
    def result_before_cover(self) -> int:
        """Return received and carried-in money less TOTALT, before other funds cover a deficit."""
        return self.balance.received + self.balance.carried_in - self.total

    @property
    def result(self) -> int:
        """Return what is left (positive) or missing (negative) once coverages are counted."""
        return self.available - self.total

    @property
    def stated_difference(self) -> int | None:
        """Return how far the source's stated TOTALT is from the computed one, if it differs."""
        if self.stated_total is None or self.stated_total == self.total:
            return None
        return self.stated_total - self.total

    @property
    def carry_in_preliminary(self) -> bool:
        """Return True when the previous year is open, so what it carries in is not yet known."""
        return self.has_previous and not self.previous_closed
