"""What a year-end report is about: one fund's year, read from the ledger into frozen records.

The records hold figures as they are stored (öre, None where a line has no figure) and the
balance the ledger computed; every total a report prints is derived here, never typed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from app.ledger.rules import Balance, Basis, unallocated_call_money
from app.year_reports.rules import ProjectStatus, known_sum


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
    kind: str  # a LineKind value: "activity", "call" or "transfer"
    figure: int | None  # on the report's basis; None when the line has no such figure yet
    covers: str | None = None  # for a transfer: the allocation whose deficit it covers
    grants: int = 0  # for a call: how many projects it granted
    budget: int | None = None  # the line's budget, shown beside a follow-up's outcome


@dataclass(frozen=True)
class Coverage:
    """A transfer line of another fund that covers this fund's deficit."""

    source: str  # the covering allocation, e.g. "Samverkansmedel 2020"
    activity: str
    amount: int


@dataclass(frozen=True)
class OtherFundShare:
    """What another fund paid of a grant (net of refunds to it)."""

    source: str  # the paying allocation, e.g. "Suicidpreventiva medel 2021"
    amount: int


@dataclass(frozen=True)
class GrantRow:
    """A project granted from a call, with the money that followed the grant."""

    goal_areas: tuple[str, ...]
    title: str
    owner: str
    partners: tuple[str, ...]
    amount: int  # granted
    # Approved payments before refunds, from any fund; None while none is registered.
    paid: int | None = None
    used: int | None = None  # as an approved report says (net paid once closed); None: unknown
    # Approved refunds; None while none is registered and the project is open (not known yet).
    returned: int | None = None
    paid_by_others: tuple[OtherFundShare, ...] = ()
    status: ProjectStatus | None = None  # follow-ups only: where the project stands
    continues: EarlierGrant | None = None  # follow-ups only: the grant this one continues


@dataclass(frozen=True)
class EarlierGrant:
    """The earlier year's grant a project continues, with what it used."""

    title: str
    granted_from: str  # its allocation, e.g. "Samverkansmedel 2020"
    amount: int
    used: int | None  # as its approved report says (net paid once closed); None: unknown


@dataclass(frozen=True)
class DecidedElsewhere:
    """A project this fund's call decided that another fund's call line pays (and counts)."""

    title: str
    owner: str
    partners: tuple[str, ...]
    amount: int
    paid_from: str  # the paying allocation, e.g. "Suicidpreventiva medel 2021"


@dataclass(frozen=True)
class PaymentForOther:
    """Money this fund paid to a project granted from another fund (net of refunds)."""

    title: str
    granted_from: str  # the grant's own allocation, e.g. "Samverkansmedel 2021"
    amount: int


@dataclass(frozen=True)
class ProjectResult:
    """One result a project reported in its approved report, against one indicator."""

    goal_areas: tuple[str, ...]  # the grant's goal areas: the group it is shown in
    project: str
    report_kind: str  # "final" or "interim"
    name: str  # the indicator
    kind: str  # "count", "yes_no" or "percent"
    value: object  # int, bool, a decimal string, or None when not answered
    women: int | None = None
    men: int | None = None
    girls: int | None = None
    boys: int | None = None
    rating: str | None = None  # the report's rating (a Rating value)


@dataclass(frozen=True)
class CallPool:
    """A call line's pool and the projects granted from it."""

    activity: str
    pool: int
    grants: tuple[GrantRow, ...]
    # The allocation whose call decided these grants, when not this one's own
    # ("Samverkansmedel 2021"): they count here, and are only noted there.
    decided_in: str | None = None

    @property
    def granted(self) -> int:
        return sum(g.amount for g in self.grants)

    @property
    def paid(self) -> int | None:
        """Return the sum of the known payments, None when no grant has any registered."""
        return known_sum(g.paid for g in self.grants)

    @property
    def used(self) -> int | None:
        """Return the sum of the known uses, None when no grant has reported any."""
        return known_sum(g.used for g in self.grants)

    @property
    def returned(self) -> int | None:
        """Return the sum of the known refunds, None when none is known for any grant."""
        return known_sum(g.returned for g in self.grants)

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
    remainder_rule: str = "carry_over"  # the earmark's rule for a remainder at closing
    # Follow-ups only: what this fund paid for other funds' projects, and the results reported
    # by the projects of this fund (and those it paid for).
    paid_for_others: tuple[PaymentForOther, ...] = ()
    results: tuple[ProjectResult, ...] = ()
    preliminary: bool = False  # the budget is not yet decided ("prel. budget")
    # Projects this fund's call decided that other funds pay: noted, never in its totals.
    decided_elsewhere: tuple[DecidedElsewhere, ...] = ()
    recipient: str = "county"  # who holds the money: totals are made per recipient

    @property
    def title_key(self) -> str:
        """The label of the report's title: a budget not yet decided says it is preliminary."""
        if self.kind is ReportKind.BUDGET and self.preliminary:
            return "title.budget.preliminary"
        return f"title.{self.kind.value}"

    @property
    def lines_total(self) -> int:
        """Return the sum of the fund's own lines, transfers to other funds included."""
        return sum(line.figure or 0 for line in self.lines)

    @property
    def budget_total(self) -> int | None:
        """Return the sum of the lines' budgets, None when no line has a budget."""
        budgets = [line.budget for line in self.lines if line.budget is not None]
        return sum(budgets) if budgets else None

    @property
    def paid_for_others_total(self) -> int:
        return sum(p.amount for p in self.paid_for_others)

    @property
    def total(self) -> int:
        """Return TOTALT: the lines' sum, and in a follow-up what the fund paid for other
        funds' projects (the ledger's used money)."""
        return self.lines_total + self.paid_for_others_total

    @property
    def missing_figures(self) -> int:
        """Return how many lines have no figure on the report's basis."""
        return sum(1 for line in self.lines if line.figure is None)

    @property
    def covered(self) -> int:
        return sum(c.amount for c in self.coverages)

    @property
    def available(self) -> int:
        return (self.balance.received + self.balance.carried_in + self.balance.returned_in
                + self.covered)

    @property
    def result_before_cover(self) -> int:
        """Return received and carried-in money less TOTALT, before other funds cover a deficit."""
        return (self.balance.received + self.balance.carried_in + self.balance.returned_in
                - self.total)

    @property
    def result(self) -> int:
        """Return what is left (positive) or missing (negative) once coverages are counted."""
        return self.available - self.total

    @property
    def stated_difference(self) -> int | None:
        """Return how far the source's stated TOTALT is from the computed one, if it differs."""
        # The source summed its lines: what this fund paid for other funds' projects is in none.
        if self.stated_total is None or self.stated_total == self.lines_total:
            return None
        return self.stated_total - self.lines_total

    @property
    def carry_in_preliminary(self) -> bool:
        """Return True when the previous year is open, so what it carries in is not yet known."""
        return self.has_previous and not self.previous_closed
