"""The overview of every year and fund that the dashboard shows, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import literal, select, union

from app.extensions import db
from app.ledger.checks import LedgerWarning, ledger_warnings
from app.ledger.models import (
    Allocation,
    CarryOver,
    GoalArea,
    Grant,
    Line,
    YearClosing,
    grant_goal_area,
)
from app.ledger.queries import Ledger, load_ledger
from app.ledger.rules import COUNTY, Basis, BudgetStatus, RemainderRule

MONEY_COLUMNS = ("received", "carried_in", "covered", "budgeted", "used", "result")


@dataclass(frozen=True)
class FundRow:
    """One allocation's figures: what it had, budgeted, used, and what is left or carried."""

    allocation_id: int
    earmark_code: str
    fund: str
    received: int
    carried_in: int
    covered: int  # deficits of this allocation that other funds cover
    budgeted: int | None  # None while no line has a budget
    used: int | None  # None while no line has an outcome
    result: int | None  # available − used on the outcome basis; None while nothing is used
    carried_out: int | None  # known once the year is closed
    carry_rule: RemainderRule | None  # known once the year is closed
    recipient: str = COUNTY  # who holds the money: totals are made per recipient
    budget_status: BudgetStatus = BudgetStatus.DECIDED  # preliminary until decided
    granted: int = 0  # the grants of its call lines
    # Net attested payments out of this fund: to its own grants (what it paid itself) and to
    # other funds' grants. What other funds paid for its grants is theirs, not counted here.
    paid: int = 0

    @property
    def available(self) -> int:
        """What the allocation had to use: received, carried in (and returned) and covered."""
        return self.received + self.carried_in + self.covered


@dataclass(frozen=True)
class YearSummary:
    year: int
    rows: list[FundRow]
    closed_at: datetime | None = None
    closed_by: str | None = None
    warnings: list[LedgerWarning] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def recipients(self) -> list[str]:
        """Who holds the year's money, the county-level funds first."""
        found = {r.recipient for r in self.rows}
        return sorted(found, key=lambda r: (r != COUNTY, r))

    def of_recipient(self, recipient: str) -> YearSummary:
        """Return the year with only the funds one recipient holds (its totals are theirs)."""
        return replace(self, rows=[r for r in self.rows if r.recipient == recipient])

    def total(self, column: str) -> int | None:
        """Return the sum of a money column over the year's funds (carry-over: once closed)."""
        if column == "carried_out":
            if not self.closed:
                return None
            return sum(r.carried_out or 0 for r in self.rows if r.carry_rule is RemainderRule.CARRY_OVER)
        figures = [getattr(r, column) for r in self.rows if getattr(r, column) is not None]
        return sum(figures) if figures else None


@dataclass(frozen=True)
class Overview:
    years: list[YearSummary]  # newest first

    @property
    def empty(self) -> bool:
        return not self.years

    @property
    def warnings(self) -> list[LedgerWarning]:
        return [w for y in self.years for w in y.warnings]


def build_overview(ledger: Ledger | None = None) -> Overview:
    """Return every year with its funds' figures, state and warnings (ten queries in all)."""
    ledger = ledger if ledger is not None else load_ledger()
    closings = {c.year: c for c in db.session.scalars(select(YearClosing))}
    warnings = ledger_warnings(ledger)
    granted, paid = ledger.projects.fund_totals()
    rows_by_year: dict[int, list[FundRow]] = {}
    for allocation in ledger.allocations:
        outcome = ledger.balance(allocation, Basis.OUTCOME)
        budget = ledger.balance(allocation, Basis.BUDGET)
        carry = ledger.carried_out.get(allocation.id)
        sums = ledger.own.get(allocation.id)
        has_budget = sums is not None and sums.without_budget < sums.lines
        has_outcome = sums is not None and sums.without_spent < sums.lines
        rows_by_year.setdefault(allocation.year, []).append(FundRow(
            allocation_id=allocation.id,
            earmark_code=allocation.earmark.code,
            fund=allocation.earmark.name,
            received=outcome.received,
            # Carried over, and returned by projects of this fund's closed earlier years.
            carried_in=outcome.carried_in + outcome.returned_in,
            covered=outcome.covered,
            budgeted=budget.used if has_budget else None,
            used=outcome.used if has_outcome else None,
            result=outcome.result if has_outcome else None,
            carried_out=carry.amount if carry else None,
            carry_rule=carry.rule if carry else None,
            recipient=allocation.recipient,
            budget_status=allocation.budget_status or BudgetStatus.DECIDED,
            granted=granted.get(allocation.id, 0),
            paid=paid.get(allocation.id, 0),
        ))
    # A year can have warnings but no allocation (money carried into it): show it too.
    years = sorted(set(rows_by_year) | {w.year for w in warnings}, reverse=True)
    return Overview([
        YearSummary(
            year=year,
            rows=rows_by_year.get(year, []),
            closed_at=closings[year].closed_at if year in closings else None,
            closed_by=closings[year].closed_by if year in closings else None,
            warnings=[w for w in warnings if w.year == year],
        )
        for year in years
    ])


@dataclass(frozen=True)
class YearEntry:
    """A year the ledger knows, for the dashboard's list of years."""

    year: int
    has_allocations: bool
    closed: bool


def ledger_years() -> list[YearEntry]:
    """Return every year with allocations or money carried into it, newest first, with
    whether it is closed: one query, over the small tables of allocations, carry-overs and
    closings (none of them grows with the projects)."""
    rows = db.session.execute(union(
        select(Allocation.year, literal("allocation")).distinct(),
        select(CarryOver.to_year, literal("carry")).where(
            CarryOver.rule == RemainderRule.CARRY_OVER, CarryOver.amount != 0),
        select(YearClosing.year, literal("closed")),
    )).all()
    kinds: dict[int, set[str]] = defaultdict(set)
    for year, kind in rows:
        kinds[year].add(kind)
    return [
        YearEntry(year, "allocation" in found, "closed" in found)
        for year, found in sorted(kinds.items(), reverse=True)
        if found != {"closed"}  # a closing with neither allocation nor carry shows nothing
    ]


def choose_year(entries: list[YearEntry], asked: int | None) -> int | None:
    """Return the year to show: the one asked for if the ledger knows it, else the latest open
    year with allocations, else the latest with allocations, else the latest."""
    known = [e.year for e in entries]
    if asked in known:
        return asked
    with_money = [e for e in entries if e.has_allocations]
    for entry in with_money:
        if not entry.closed:
            return entry.year
    if with_money:
        return with_money[0].year
    return known[0] if known else None


# --- how a year's money was spread over the goal areas -------------------------------------

@dataclass(frozen=True)
class GoalAreaRow:
    name: str | None  # None: lines without a goal area
    budget: int | None  # None while none of its lines has a budget
    outcome: int | None  # None while none of its lines has an outcome
    granted: int = 0  # grants in this goal area, each counted in every one of its areas
    grants: int = 0  # how many grants count here


@dataclass(frozen=True)
class GoalAreaSpread:
    year: int
    rows: list[GoalAreaRow]
    paid_for_others: int = 0  # outcome of no line: paid for other funds' projects
    shared_grants: int = 0  # grants in more than one goal area

    def total(self, column: str) -> int | None:
        figures = [getattr(r, column) for r in self.rows if getattr(r, column) is not None]
        return sum(figures) if figures else None

    @property
    def outcome_total(self) -> int | None:
        lines = self.total("outcome")
        if lines is None and not self.paid_for_others:
            return None
        return (lines or 0) + self.paid_for_others


def goal_area_spread(year: int, ledger: Ledger, recipient: str | None = None) -> GoalAreaSpread:
    """Return a year's budget and outcome per goal area of its lines, and its grants per goal
    area of the grants (a grant in several areas counts in each): two queries.

    A call line's outcome follows its grants (ledger.projects.line_outcome); money a fund paid
    for another fund's projects is outcome of no line and is given apart.
    """
    lines = db.session.execute(
        select(Line.id, Line.spent, Line.budget, GoalArea.name.label("area"))
        .join(Allocation, Allocation.id == Line.allocation_id)
        .outerjoin(GoalArea, GoalArea.id == Line.goal_area_id)
        .where(Allocation.year == year, *_of_recipient(recipient))
    ).all()
    budget: dict[str | None, int | None] = {}
    outcome: dict[str | None, int | None] = {}
    for row in lines:
        budget.setdefault(row.area, None)
        outcome.setdefault(row.area, None)
        if row.budget is not None:
            budget[row.area] = (budget[row.area] or 0) + row.budget
        spent = ledger.projects.line_outcome(row)
        if spent is not None:
            outcome[row.area] = (outcome[row.area] or 0) + spent
    granted: dict[str | None, int] = defaultdict(int)
    counted: dict[str | None, int] = defaultdict(int)
    areas_of: dict[int, int] = defaultdict(int)
    for grant_id, amount, area in db.session.execute(
        select(Grant.id, Grant.amount, GoalArea.name)
        .join(Line, Line.id == Grant.line_id)
        .join(Allocation, Allocation.id == Line.allocation_id)
        .join(grant_goal_area, grant_goal_area.c.grant_id == Grant.id)
        .join(GoalArea, GoalArea.id == grant_goal_area.c.goal_area_id)
        .where(Allocation.year == year, *_of_recipient(recipient))
    ):
        granted[area] += amount
        counted[area] += 1
        areas_of[grant_id] += 1
    names = sorted(set(budget) | set(granted), key=lambda n: (n is None, n or ""))
    allocation_ids = {a.id for a in ledger.allocations if a.year == year
                      and (recipient is None or a.recipient == recipient)}
    return GoalAreaSpread(
        year=year,
        rows=[GoalAreaRow(name, budget.get(name), outcome.get(name), granted.get(name, 0),
                          counted.get(name, 0)) for name in names],
        paid_for_others=sum(ledger.projects.paid_for_others(a) for a in allocation_ids),
        shared_grants=sum(1 for n in areas_of.values() if n > 1),
    )


def _of_recipient(recipient: str | None) -> list:
    """The condition on allocations of one recipient (none: every recipient)."""
    return [] if recipient is None else [Allocation.recipient == recipient]
