"""Reading the ledger: balances of allocations computed in the database with a fixed number of
queries, whatever the number of years, funds and lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, false, func, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import joinedload, selectinload

from app.core.reading.figures import remember
from app.core.reading.keyset import KeysetPage
from app.extensions import db
from app.ledger.models import (
    Allocation,
    CarryOver,
    Earmark,
    Grant,
    Line,
    LineKind,
    Payment,
    PaymentState,
    YearClosing,
)
from app.ledger.project_money import ProjectMoney, load_project_money
from app.ledger.project_sums import ProjectSums, load_project_sums
from app.ledger.rules import Balance, Basis, RemainderRule


@dataclass(frozen=True)
class LineSums:
    budget: int = 0
    spent: int = 0
    lines: int = 0
    without_budget: int = 0
    without_spent: int = 0


@dataclass
class Ledger:
    """Everything the dashboard and the checks need about a set of allocations."""

    allocations: list[Allocation]
    own: dict[int, LineSums]
    covered_budget: dict[int, int]
    covered_spent: dict[int, int]
    carried_in: dict[tuple[int, int], int]
    carried_out: dict[int, CarryOver]
    closed_years: set[int]
    projects: ProjectMoney | ProjectSums = field(default_factory=ProjectMoney)
    call_gaps: dict[int, list[tuple[Line, int, int]]] = field(default_factory=dict)
    # The years asked for (None: every year): a carry into one of them is known to the ledger
    # even when the allocation it comes from is of a year not loaded.
    loaded_years: frozenset[int] | None = None

    def balance(self, allocation: Allocation, basis: Basis) -> Balance:
        sums = self.own.get(allocation.id, LineSums())
        if basis is Basis.BUDGET:
            used, covered, unset = sums.budget, self.covered_budget, sums.without_budget
        else:
            # Outcomes follow the projects: a call line's outcome is what its grants really
            # charge it, and money paid for other funds' projects is this fund's outcome.
            delta, given = self.projects.outcome_delta(allocation.id)
            used = sums.spent + delta + self.projects.paid_for_others(allocation.id)
            covered, unset = self.covered_spent, sums.without_spent - given
        return Balance(
            received=allocation.received,
            carried_in=self.carried_in.get((allocation.earmark_id, allocation.year), 0),
            covered=covered.get(allocation.id, 0),
            used=used,
            unset_lines=unset,
            returned_in=self.projects.released_into(allocation.id),
        )

    def years(self) -> list[int]:
        return sorted({a.year for a in self.allocations})


def load_ledger(years: list[int] | None = None, *,
                allocation_ids: list[int] | None = None, sums_only: bool = False) -> Ledger:
    """Load allocations (of `years`, or the ones of `allocation_ids`, or all) with every sum
    the balances need: seven queries, reading only what the allocations loaded concern.

    `sums_only`: the projects' money summed in the database (ProjectSums, eight queries), for
    the pages that show balances but no single grant's money: they then do not grow with the
    number of grants and payments."""
    query = select(Allocation).join(Allocation.earmark).order_by(
        Allocation.year, Earmark.sort_order, Earmark.code
    )
    if years is not None:
        query = query.where(Allocation.year.in_(years))
    if allocation_ids is not None:
        query = query.where(Allocation.id.in_(allocation_ids))
    allocations = list(db.session.scalars(query).unique())
    ids = [a.id for a in allocations]

    own: dict[int, LineSums] = {}
    covered_budget: dict[int, int] = defaultdict(int)
    covered_spent: dict[int, int] = defaultdict(int)
    if ids:
        rows = db.session.execute(
            select(
                Line.allocation_id,
                func.coalesce(func.sum(Line.budget), 0),
                func.coalesce(func.sum(Line.spent), 0),
                func.count(Line.id),
                func.sum(case((Line.budget.is_(None), 1), else_=0)),
                func.sum(case((Line.spent.is_(None), 1), else_=0)),
            )
            .where(Line.allocation_id.in_(ids))
            .group_by(Line.allocation_id)
        )
        for alloc_id, budget, spent, count, no_budget, no_spent in rows:
            own[alloc_id] = LineSums(
                int(budget), int(spent), int(count), int(no_budget or 0), int(no_spent or 0)
            )
        rows = db.session.execute(
            select(
                Line.covers_allocation_id,
                func.coalesce(func.sum(Line.budget), 0),
                func.coalesce(func.sum(Line.spent), 0),
            )
            .where(Line.kind == LineKind.TRANSFER, Line.covers_allocation_id.in_(ids))
            .group_by(Line.covers_allocation_id)
        )
        for alloc_id, budget, spent in rows:
            covered_budget[alloc_id] = int(budget)
            covered_spent[alloc_id] = int(spent)

    carried_in: dict[tuple[int, int], int] = defaultdict(int)
    carried_out: dict[int, CarryOver] = {}
    carries = select(CarryOver).options(joinedload(CarryOver.from_allocation))
    if years is not None or allocation_ids is not None:
        into = [CarryOver.from_allocation_id.in_(ids)]
        if years is not None:
            into.append(CarryOver.to_year.in_(years))
        if allocation_ids is not None:
            into.append(tuple_(CarryOver.earmark_id, CarryOver.to_year).in_(
                [(a.earmark_id, a.year) for a in allocations]) if allocations else false())
        carries = carries.where(or_(*into))
    for carry in db.session.scalars(carries):
        if carry.rule is RemainderRule.CARRY_OVER:
            carried_in[(carry.earmark_id, carry.to_year)] += carry.amount
        carried_out[carry.from_allocation_id] = carry
    closed = set(db.session.scalars(select(YearClosing.year)))
    return Ledger(
        allocations, own, dict(covered_budget), dict(covered_spent), dict(carried_in),
        carried_out, closed,
        projects=load_project_sums(ids) if sums_only else load_project_money(ids),
        loaded_years=frozenset(years) if years is not None else None,
    )


def call_lines_with_grant_sums(allocation_ids: list[int]) -> list[tuple[Line, int, int]]:
    """Return each call line of the allocations with its pool and the sum of its grants."""
    if not allocation_ids:
        return []
    granted = (
        select(Grant.line_id, func.coalesce(func.sum(Grant.amount), 0).label("granted"))
        .group_by(Grant.line_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Line, func.coalesce(granted.c.granted, 0))
        .outerjoin(granted, granted.c.line_id == Line.id)
        .where(Line.kind == LineKind.CALL, Line.allocation_id.in_(allocation_ids))
        .order_by(Line.allocation_id, Line.position)
    )
    return [(line, line.amount or 0, int(total)) for line, total in rows]


def budgeted_lines_without_spent(year: int) -> list[Line]:
    """Return the year's lines with a budget and no stated outcome, in the allocations' order
    (a call line may still have an outcome through its grants): one query."""
    return list(db.session.scalars(
        select(Line).join(Allocation, Allocation.id == Line.allocation_id)
        .join(Allocation.earmark)
        .where(Allocation.year == year, Line.budget.is_not(None), Line.spent.is_(None))
        .options(joinedload(Line.allocation))
        .order_by(Earmark.sort_order, Earmark.code, Line.position, Line.id)
    ).unique())


def is_year_closed(year: int) -> bool:
    return db.session.scalar(select(YearClosing.id).where(YearClosing.year == year)) is not None


def allocations_of_year(year: int) -> list[Allocation]:
    """Return the year's allocations with lines, grants and goal areas loaded (3 queries,
    whatever the number of grants)."""
    return list(
        db.session.scalars(
            select(Allocation)
            .join(Allocation.earmark)
            .where(Allocation.year == year)
            .order_by(Earmark.sort_order, Earmark.code)
            .options(
                # The goal areas joined to the grants: loaded by the grants' ids they took a
                # query per 500 grants, each sending 500 ids (on PostgreSQL a statement of 500
                # parameters to convert, send and plan, ten of them for a call of 5 000).
                selectinload(Allocation.lines).selectinload(Line.grants).joinedload(
                    Grant.goal_areas
                ),
                selectinload(Allocation.lines).joinedload(Line.covers),
            )
        ).unique()
    )


def allocation_with_lines(allocation_id: int) -> Allocation | None:
    """Return an allocation with its lines, what they cover, their grants and goal areas, or
    None: four queries whatever the number of lines and grants."""
    return db.session.scalar(
        select(Allocation)
        .where(Allocation.id == allocation_id)
        .options(
            selectinload(Allocation.lines).options(
                joinedload(Line.covers),
                selectinload(Line.grants).selectinload(Grant.goal_areas),
            )
        )
    )


def allocation_with_line_facts(allocation_id: int) -> Allocation | None:
    """Return an allocation with its lines and what they cover, but not their grants (an
    allocation page lists its grants a page at a time): two queries."""
    return db.session.scalar(
        select(Allocation)
        .where(Allocation.id == allocation_id)
        .options(selectinload(Allocation.lines).joinedload(Line.covers))
    )


@dataclass(frozen=True)
class CallSums:
    """How many projects a call line granted, and their sum."""

    grants: int = 0
    granted: int = 0


def call_sums(line_ids: list[int]) -> dict[int, CallSums]:
    """Return each line's number and sum of grants: one aggregate query."""
    if not line_ids:
        return {}
    rows = db.session.execute(
        select(Grant.line_id, func.count(Grant.id), func.coalesce(func.sum(Grant.amount), 0))
        .where(Grant.line_id.in_(line_ids)).group_by(Grant.line_id)
    )
    return {line_id: CallSums(int(count), int(total)) for line_id, count, total in rows}


def first_grants(line_ids: list[int], per_line: int) -> dict[int, list[Grant]]:
    """Return the first `per_line` grants of each line in their order, with their goal areas:
    two queries, however many grants the lines have."""
    if not line_ids:
        return {}
    # One LIMIT per line, on the index of a line's grants in order: the rows read stay
    # `per_line` a line, however big the call.
    firsts = [
        select(Grant.id).where(Grant.line_id == line_id)
        .order_by(Grant.position, Grant.id).limit(per_line).subquery()
        for line_id in line_ids
    ]
    wanted = union_all(*(select(first.c.id) for first in firsts)).subquery()
    grants = db.session.scalars(
        select(Grant).where(Grant.id.in_(select(wanted.c.id)))
        .options(selectinload(Grant.goal_areas)).order_by(Grant.position, Grant.id)
    )
    out: dict[int, list[Grant]] = {line_id: [] for line_id in line_ids}
    for grant in grants:
        out[grant.line_id].append(grant)
    return out


def coverable_allocations(allocation: Allocation) -> list[tuple[int, str]]:
    """Return the allocations a transfer line of `allocation` may cover (id and label), its own
    year first."""
    others = db.session.scalars(
        select(Allocation)
        .join(Allocation.earmark)
        .where(Allocation.id != allocation.id)
        .order_by((Allocation.year != allocation.year), Allocation.year.desc(),
                  Earmark.sort_order, Earmark.code)
    )
    return [(other.id, other.label) for other in others]


# --- the list of payments ------------------------------------------------------------------

def _payments_where(query, state: PaymentState | None, year: int | None,
                    earmark_id: int | None):
    if state:
        query = query.where(Payment.state == state)
    if year or earmark_id:
        query = query.join(Allocation, Allocation.id == Payment.allocation_id)
    if year:
        query = query.where(Allocation.year == year)
    if earmark_id:
        query = query.where(Allocation.earmark_id == earmark_id)
    return query


def payments_page(state: PaymentState | None, year: int | None, earmark_id: int | None, *,
                  after: int | None = None, before: int | None = None,
                  per_page: int) -> KeysetPage:
    """Return one page of the payments, the pending ones (the attestation queue) first, then
    the others, each part the latest first, after (or before) the payment with that id.

    One statement, whatever the number of payments: the page's rows of each part are read
    backwards on an index (pending: `ix_payment_state_paid_on`; the others:
    `ix_payment_paid_on_id`) and the two short lists joined. A cursor also reads its own row.
    """
    parts = (Payment.state == PaymentState.PENDING, Payment.state != PaymentState.PENDING)
    cursor_id = before if before is not None else after
    cursor_part, keys = None, tuple_(Payment.paid_on, Payment.id)
    if cursor_id is not None:
        row = db.session.execute(select(Payment.state, Payment.paid_on, Payment.id)
                                 .where(Payment.id == cursor_id)).first()
        if row is None:
            return KeysetPage([], has_prev=after is not None, has_next=before is not None)
        cursor_part = 0 if row.state is PaymentState.PENDING else 1
        cursor = tuple_(literal(row.paid_on), literal(row.id))
    backwards = before is not None
    wanted = []
    for rank, part in enumerate(parts):
        if cursor_part is not None and (rank > cursor_part if backwards else rank < cursor_part):
            continue
        ids = _payments_where(select(Payment.id.label("id"), literal(rank).label("rank"))
                              .where(part), state, year, earmark_id)
        if rank == cursor_part:
            ids = ids.where(keys > cursor if backwards else keys < cursor)
        order = (Payment.paid_on.asc(), Payment.id.asc()) if backwards else \
            (Payment.paid_on.desc(), Payment.id.desc())
        wanted.append(ids.order_by(*order).limit(per_page + 1).subquery())
    chosen = union_all(*(select(w.c.id, w.c.rank) for w in wanted)).subquery()
    order = ((chosen.c.rank.desc(), Payment.paid_on.asc(), Payment.id.asc()) if backwards else
             (chosen.c.rank.asc(), Payment.paid_on.desc(), Payment.id.desc()))
    rows = list(db.session.scalars(
        select(Payment).join(chosen, chosen.c.id == Payment.id)
        .options(joinedload(Payment.grant), joinedload(Payment.allocation))
        .order_by(*order).limit(per_page + 1)))
    if backwards:
        return KeysetPage(rows[:per_page][::-1], has_prev=len(rows) > per_page, has_next=True)
    return KeysetPage(rows[:per_page], has_prev=after is not None,
                      has_next=len(rows) > per_page)


def payments_count(state: PaymentState | None, year: int | None,
                   earmark_id: int | None) -> int:
    """How many payments the filters let through (counted once per change of the data)."""
    def count() -> str:
        return str(db.session.scalar(_payments_where(select(func.count(Payment.id)), state,
                                                     year, earmark_id)))

    return int(remember("payments-count", (state.value if state else "", year or "",
                                           earmark_id or ""), count))


def attested_by_grant(allocation_id: int) -> dict[int, list[Payment]]:
    """The attested payments and refunds of an allocation's grants, in the order they were
    registered, by grant (one query)."""
    rows = db.session.scalars(
        select(Payment).join(Grant, Grant.id == Payment.grant_id)
        .join(Line, Line.id == Grant.line_id)
        .where(Line.allocation_id == allocation_id, Payment.state == PaymentState.APPROVED)
        .options(joinedload(Payment.allocation))
        .order_by(Payment.id)
    )
    out: dict[int, list[Payment]] = {}
    for payment in rows:
        out.setdefault(payment.grant_id, []).append(payment)
    return out
