"""What a `stimulansmedel/1` document holds: its fields, and the plain data it is read into
and written from (see spec/import-format.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.errors import Problem
from app.ledger.rules import COUNTY, BudgetStatus, LineKind

FORMAT = "stimulansmedel/1"
KINDS = tuple(kind.value for kind in LineKind)
MIN_YEAR, MAX_YEAR = 1990, 2100

DOCUMENT_FIELDS = {"format", "region", "allocations"}
ALLOCATION_FIELDS = {
    "earmark", "year", "spend_until", "received", "anchored", "decision", "lines", "stated_total",
    "recipient", "status",
}
# `diary_number` is this installation's optional extension (docs/import-format.md).
DECISION_FIELDS = {"body", "date", "reference", "diary_number", "text"}
LINE_FIELDS = {
    "activity", "goal_area", "kind", "budget", "spent", "covers", "owner", "partners", "grants",
    "decided_in",
}
COVERS_FIELDS = {"earmark", "year"}
GRANT_FIELDS = {
    "title", "owner", "partners", "goal_areas", "amount", "paid", "returned", "status",
    "report_due", "continues", "payments", "refunds",
}
CONTINUES_FIELDS = {"earmark", "year", "title"}
PAYMENT_FIELDS = {"date", "amount", "reference", "from"}
REFUND_FIELDS = {"date", "amount", "to"}


@dataclass
class PaymentData:
    """One payment to a project (or, as a refund, back from it); `fund` is the allocation that
    paid (or was paid back), None for the grant's own."""

    paid_on: dt.date
    amount: int
    reference: str | None = None
    fund: tuple[str, int] | None = None
    place: str = ""


@dataclass
class GrantData:
    title: str
    owner: str
    goal_areas: list[str]
    amount: int
    partners: list[str] = field(default_factory=list)
    paid: int | None = None
    returned: int | None = None
    status: str | None = None
    report_due: dt.date | None = None
    continues: tuple[str, int, str] | None = None  # (earmark, year, title) of the earlier grant
    payments: list[PaymentData] | None = None  # None: not itemised (only `paid`)
    refunds: list[PaymentData] | None = None
    place: str = ""


@dataclass
class LineData:
    activity: str
    kind: LineKind = LineKind.ACTIVITY
    goal_area: str | None = None
    budget: int | None = None
    spent: int | None = None
    covers: tuple[str, int] | None = None
    owner: str | None = None
    partners: list[str] = field(default_factory=list)
    grants: list[GrantData] = field(default_factory=list)
    place: str = ""
    decided_in: tuple[str, int] | None = None  # the allocation whose call decided the grants


@dataclass
class AllocationData:
    earmark: str
    year: int
    received: int
    spend_until: dt.date
    anchored: str | None = None
    decision_body: str | None = None
    decision_date: dt.date | None = None
    decision_reference: str | None = None
    decision_text: str | None = None
    stated_total: int | None = None
    lines: list[LineData] = field(default_factory=list)
    place: str = ""
    recipient: str = COUNTY
    status: BudgetStatus | None = None  # None: not stated (decided)
    decision_month_only: bool = False  # the decision's date is known only by its month
    decision_diary_number: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.earmark, self.year)


@dataclass
class Document:
    allocations: list[AllocationData]
    region: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    # The line of the file a place is on (None for a document that was not read from text).
    line_of: Callable[[str], int | None] | None = None



def join_path(path: str, key: str) -> str:
    """Return the place of field `key` inside `path`: `allocations[0].lines[2].budget`."""
    return f"{path}.{key}" if path else key
