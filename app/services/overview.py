"""The overview of every year and fund that the dashboard shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.domain.accounting import Basis
from app.extensions import db
from app.models import YearClosing
from app.services.charts import BarChart, grouped_bar_chart
from app.services.checks import LedgerWarning, ledger_warnings
from app.services.ledger import load_ledger

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
    carry_rule: str | None  # "carry_over" or "pay_back", once the year is closed


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

    def total(self, column: str) -> int | None:
        """Return the sum of a money column over the year's funds (carry-over: once closed)."""
        if column == "carried_out":
            if not self.closed:
                return None
            return sum(r.carried_out or 0 for r in self.rows if r.carry_rule == "carry_over")
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


def build_overview() -> Overview:
    """Return every year with its funds' figures, state and warnings (seven queries in all)."""
    ledger = load_ledger()
    closings = {c.year: c for c in db.session.scalars(select(YearClosing))}
    warnings = ledger_warnings(ledger)
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
            carried_in=outcome.carried_in,
            covered=outcome.covered,
            budgeted=budget.used if has_budget else None,
            used=outcome.used if has_outcome else None,
            result=outcome.result if has_outcome else None,
            carried_out=carry.amount if carry else None,
            carry_rule=carry.rule if carry else None,
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


CHART_SERIES = ["received", "used", "result"]


def year_chart(summary: YearSummary) -> BarChart:
    """Lay out the year's chart: received, used and result of each fund."""
    return grouped_bar_chart(
        [(row.fund, {s: getattr(row, s) or 0 for s in CHART_SERIES}) for row in summary.rows],
        CHART_SERIES,
    )
