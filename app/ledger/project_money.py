"""Reading the money of granted projects in a fixed number of queries: what each grant was
paid and from where, what flows back, and what one fund paid for another fund's projects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.ledger.models import Grant, Line, Payment, PaymentKind, PaymentState
from app.ledger.rules import GrantMoney, call_line_outcome


@dataclass(frozen=True)
class OtherFundPayment:
    """Net money one allocation paid for a grant of another allocation."""

    source_allocation_id: int
    grant_id: int
    own_allocation_id: int
    amount: int


@dataclass
class ProjectMoney:
    grants: dict[int, GrantMoney] = field(default_factory=dict)
    grant_line: dict[int, int] = field(default_factory=dict)
    grant_allocation: dict[int, int] = field(default_factory=dict)
    # Per call line that has grants: its stated outcome, for call_line_outcome.
    line_spent: dict[int, int | None] = field(default_factory=dict)
    line_allocation: dict[int, int] = field(default_factory=dict)
    line_grants: dict[int, list[int]] = field(default_factory=dict)
    # Call lines whose grants another allocation's call decided: line → deciding allocation.
    line_decided_in: dict[int, int] = field(default_factory=dict)
    # Grants of closed years whose unused money went into a later allocation: grant → target.
    released_to: dict[int, int] = field(default_factory=dict)
    other_fund_payments: list[OtherFundPayment] = field(default_factory=list)

    def money(self, grant_id: int) -> GrantMoney:
        return self.grants[grant_id]

    def grants_of_line(self, line_id: int) -> list[GrantMoney]:
        return [self.grants[gid] for gid in self.line_grants.get(line_id, [])]

    def line_outcome(self, line: Line) -> int | None:
        """A line's outcome: a call line's follows from its grants; others are as stated."""
        if line.id not in self.line_spent:
            return line.spent
        return call_line_outcome(line.spent, self.grants_of_line(line.id))

    def outcome_delta(self, allocation_id: int) -> tuple[int, int]:
        """What the grants change in an allocation's stated outcomes: (money, lines that
        have an outcome only through their grants)."""
        delta = lines_given = 0
        for line_id, alloc in self.line_allocation.items():
            if alloc != allocation_id:
                continue
            spent = self.line_spent[line_id]
            outcome = call_line_outcome(spent, self.grants_of_line(line_id))
            delta += (outcome or 0) - (spent or 0)
            if spent is None and outcome is not None:
                lines_given += 1
        return delta, lines_given

    def released_into(self, allocation_id: int) -> int:
        """What projects of earlier, closed years did not use and released into this one."""
        return sum(
            self.grants[grant_id].released
            for grant_id, target in self.released_to.items()
            if target == allocation_id
        )

    def paid_for_others(self, allocation_id: int) -> int:
        return sum(
            p.amount for p in self.other_fund_payments if p.source_allocation_id == allocation_id
        )

    def fund_totals(self) -> tuple[dict[int, int], dict[int, int]]:
        """Per allocation: what its call lines granted, and the net attested payments out of
        it, to its own grants and to other funds' grants (no query: all is loaded)."""
        granted: dict[int, int] = defaultdict(int)
        paid: dict[int, int] = defaultdict(int)
        for grant_id, money in self.grants.items():
            allocation_id = self.grant_allocation[grant_id]
            granted[allocation_id] += money.amount
            paid[allocation_id] += money.paid_own
        for payment in self.other_fund_payments:
            paid[payment.source_allocation_id] += payment.amount
        return dict(granted), dict(paid)

    def paid_by_others(self, grant_id: int) -> list[OtherFundPayment]:
        return [p for p in self.other_fund_payments if p.grant_id == grant_id]


def load_project_money(allocation_ids: list[int] | None = None) -> ProjectMoney:
    """Load the approved money of the grants of `allocation_ids` (or all), and what those
    allocations paid for other allocations' grants: two queries."""
    out = ProjectMoney()
    if allocation_ids is not None and not allocation_ids:
        return out
    grants = select(
        Grant.id, Grant.amount, Grant.closed_at, Grant.released_to_id, Line.id,
        Line.allocation_id, Line.spent, Line.decided_in_id,
    ).join(Grant.line)
    if allocation_ids is not None:
        grants = grants.where(or_(
            Line.allocation_id.in_(allocation_ids), Grant.released_to_id.in_(allocation_ids)
        ))
    amounts: dict[int, tuple[int, bool]] = {}
    rows = db.session.execute(grants)
    for grant_id, amount, closed_at, released_to, line_id, alloc_id, spent, decided_in in rows:
        if decided_in is not None:
            out.line_decided_in[line_id] = decided_in
        amounts[grant_id] = (amount, closed_at is not None)
        if released_to is not None:
            out.released_to[grant_id] = released_to
        out.grant_line[grant_id] = line_id
        out.grant_allocation[grant_id] = alloc_id
        out.line_spent[line_id] = spent
        out.line_allocation[line_id] = alloc_id
        out.line_grants.setdefault(line_id, []).append(grant_id)

    sums = (
        select(
            Payment.grant_id,
            Line.allocation_id,
            Payment.allocation_id,
            Payment.kind,
            func.sum(Payment.amount),
        )
        .join(Grant, Grant.id == Payment.grant_id)
        .join(Line, Line.id == Grant.line_id)
        .where(Payment.state == PaymentState.APPROVED)
        .group_by(Payment.grant_id, Line.allocation_id, Payment.allocation_id, Payment.kind)
    )
    if allocation_ids is not None:
        sums = sums.where(or_(
            Line.allocation_id.in_(allocation_ids),
            Payment.allocation_id.in_(allocation_ids),
            Grant.released_to_id.in_(allocation_ids),
        ))
    own: dict[int, int] = defaultdict(int)
    other: dict[int, int] = defaultdict(int)
    gross: dict[int, int] = defaultdict(int)
    refunded: dict[int, int] = defaultdict(int)
    per_source: dict[tuple[int, int, int], int] = defaultdict(int)
    for grant_id, own_alloc, source, kind, total in db.session.execute(sums):
        total = int(total)
        signed = total if kind is PaymentKind.PAYMENT else -total
        if kind is PaymentKind.PAYMENT:
            gross[grant_id] += total
        else:
            refunded[grant_id] += total
        if source == own_alloc:
            own[grant_id] += signed
        else:
            other[grant_id] += signed
            per_source[(source, grant_id, own_alloc)] += signed
    out.other_fund_payments = [
        OtherFundPayment(source, grant_id, own_alloc, amount)
        for (source, grant_id, own_alloc), amount in sorted(per_source.items())
        if amount
    ]
    for grant_id, (amount, closed) in amounts.items():
        out.grants[grant_id] = GrantMoney(
            amount=amount,
            paid_own=own[grant_id],
            paid_other=other[grant_id],
            paid_gross=gross[grant_id],
            refunded=refunded[grant_id],
            closed=closed,
            released_elsewhere=grant_id in out.released_to,
        )
    return out


def grants_money(grant_ids: list[int]) -> dict[int, GrantMoney]:
    """The approved money of the grants `grant_ids`: one query over those grants and their own
    payments, however many grants their allocations have (a page of a list, or the one grant
    a payment is registered on). The grants' rows are read afresh, as a caller may hold their
    allocation's lock."""
    if not grant_ids:
        return {}
    rows = db.session.execute(
        select(Grant.id, Grant.amount, Grant.closed_at, Grant.released_to_id, Line.allocation_id,
               Payment.allocation_id, Payment.kind, func.sum(Payment.amount))
        .join(Line, Line.id == Grant.line_id)
        .outerjoin(Payment, and_(Payment.grant_id == Grant.id,
                                 Payment.state == PaymentState.APPROVED))
        .where(Grant.id.in_(grant_ids))
        .group_by(Grant.id, Grant.amount, Grant.closed_at, Grant.released_to_id,
                  Line.allocation_id, Payment.allocation_id, Payment.kind)
    ).all()
    facts: dict[int, tuple] = {}
    sums: dict[int, list[int]] = {}  # paid own, paid other, gross, refunded
    for grant_id, amount, closed_at, released_to, own, source, kind, total in rows:
        facts[grant_id] = (amount, closed_at is not None, released_to is not None)
        money = sums.setdefault(grant_id, [0, 0, 0, 0])
        if kind is None:
            continue  # no attested payment yet
        total = int(total)
        money[2 if kind is PaymentKind.PAYMENT else 3] += total
        money[0 if source == own else 1] += total if kind is PaymentKind.PAYMENT else -total
    return {
        grant_id: GrantMoney(
            amount=amount, paid_own=sums[grant_id][0], paid_other=sums[grant_id][1],
            paid_gross=sums[grant_id][2], refunded=sums[grant_id][3], closed=closed,
            released_elsewhere=released,
        )
        for grant_id, (amount, closed, released) in facts.items()
    }


def paid_by_other_funds(grant_ids: list[int]) -> list[OtherFundPayment]:
    """Net attested money other allocations than their own paid the grants `grant_ids`, by
    paying allocation: one query over those grants' payments only."""
    if not grant_ids:
        return []
    signed = case((Payment.kind == PaymentKind.PAYMENT, Payment.amount), else_=-Payment.amount)
    rows = db.session.execute(
        select(Payment.allocation_id, Payment.grant_id, Line.allocation_id, func.sum(signed))
        .join(Grant, Grant.id == Payment.grant_id)
        .join(Line, Line.id == Grant.line_id)
        .where(Payment.grant_id.in_(grant_ids), Payment.state == PaymentState.APPROVED,
               Payment.allocation_id != Line.allocation_id)
        .group_by(Payment.allocation_id, Payment.grant_id, Line.allocation_id)
        .order_by(Payment.allocation_id, Payment.grant_id)
    )
    return [OtherFundPayment(source, grant_id, own, int(total))
            for source, grant_id, own, total in rows if total]


def grant_money(grant: Grant) -> GrantMoney:
    """The approved money of one grant (one query; see grants_money)."""
    return grants_money([grant.id])[grant.id]
