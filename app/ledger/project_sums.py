"""The projects' money as the balances of allocations need it, summed in the database: per call
line, per allocation that paid other funds' projects, per allocation money was released into.
Three aggregate queries, however many grants and payments the allocations have, so a page that
shows balances (the dashboard's year, an allocation) does not grow with the projects.

It answers the same questions as ProjectMoney's balance methods (line_outcome, outcome_delta,
paid_for_others, released_into, fund_totals) with the same rules: a grant charges its own
allocation `GrantMoney.charged_own`, and `call_line_outcome` is its stated outcome (else the
sum of its grants) less what its grants did not charge it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.ledger.models import Grant, Line, Payment, PaymentKind, PaymentState


@dataclass(frozen=True)
class LineGrantSums:
    """The grants of one call line, summed."""

    allocation_id: int
    spent: int | None  # the line's stated outcome
    granted: int  # their amounts
    not_charged: int  # what they do not charge the line: released money, other funds' pay
    paid_own: int  # net attested payments out of the line's own allocation


@dataclass
class ProjectSums:
    lines: dict[int, LineGrantSums] = field(default_factory=dict)
    # Per allocation: net attested payments out of it for other allocations' grants.
    paid_elsewhere: dict[int, int] = field(default_factory=dict)
    # Per allocation: what closed projects of earlier years released into it.
    released: dict[int, int] = field(default_factory=dict)

    def line_outcome(self, line) -> int | None:
        """A line's outcome: a call line's follows from its grants; others are as stated."""
        sums = self.lines.get(line.id)
        if sums is None:
            return line.spent
        base = line.spent if line.spent is not None else sums.granted
        return base - sums.not_charged

    def outcome_delta(self, allocation_id: int) -> tuple[int, int]:
        """What the grants change in an allocation's stated outcomes: (money, lines that
        have an outcome only through their grants)."""
        delta = given = 0
        for sums in self.lines.values():
            if sums.allocation_id != allocation_id:
                continue
            spent = sums.spent
            base = spent if spent is not None else sums.granted
            delta += base - sums.not_charged - (spent or 0)
            if spent is None:
                given += 1
        return delta, given

    def released_into(self, allocation_id: int) -> int:
        return self.released.get(allocation_id, 0)

    def paid_for_others(self, allocation_id: int) -> int:
        return self.paid_elsewhere.get(allocation_id, 0)

    def fund_totals(self) -> tuple[dict[int, int], dict[int, int]]:
        """Per allocation: what its call lines granted, and the net attested payments out of
        it, to its own grants and to other funds' grants."""
        granted: dict[int, int] = defaultdict(int)
        paid: dict[int, int] = defaultdict(int)
        for sums in self.lines.values():
            granted[sums.allocation_id] += sums.granted
            paid[sums.allocation_id] += sums.paid_own
        for allocation_id, amount in self.paid_elsewhere.items():
            paid[allocation_id] += amount
        return dict(granted), dict(paid)


def _signed():
    return case((Payment.kind == PaymentKind.PAYMENT, Payment.amount), else_=-Payment.amount)


def load_project_sums(allocation_ids: list[int]) -> ProjectSums:
    """Sum the projects' money the balances of `allocation_ids` need: three queries."""
    out = ProjectSums()
    if not allocation_ids:
        return out
    # Per grant of these allocations (or released into them): net paid from its own
    # allocation and from others.
    own = Payment.allocation_id == Line.allocation_id
    paid = (
        select(
            Payment.grant_id.label("grant_id"),
            func.sum(case((own, _signed()), else_=0)).label("own"),
            func.sum(case((own, 0), else_=_signed())).label("other"),
        )
        .join(Grant, Grant.id == Payment.grant_id)
        .join(Line, Line.id == Grant.line_id)
        .where(Payment.state == PaymentState.APPROVED,
               or_(Line.allocation_id.in_(allocation_ids),
                   Grant.released_to_id.in_(allocation_ids)))
        .group_by(Payment.grant_id)
        .subquery()
    )
    paid_own = func.coalesce(paid.c.own, 0)
    paid_other = func.coalesce(paid.c.other, 0)
    closed_here = and_(Grant.closed_at.is_not(None), Grant.released_to_id.is_(None))
    # GrantMoney.charged_own, and so what the grant does not charge its line.
    not_charged = case((closed_here, Grant.amount - paid_own), else_=paid_other)
    for line_id, allocation_id, spent, granted, uncharged, own_paid in db.session.execute(
        select(Line.id, Line.allocation_id, Line.spent, func.sum(Grant.amount),
               func.sum(not_charged), func.sum(paid_own))
        .join(Grant, Grant.line_id == Line.id)
        .outerjoin(paid, paid.c.grant_id == Grant.id)
        .where(Line.allocation_id.in_(allocation_ids))
        .group_by(Line.id, Line.allocation_id, Line.spent)
    ):
        out.lines[line_id] = LineGrantSums(allocation_id, spent, int(granted), int(uncharged),
                                           int(own_paid))
    for allocation_id, released in db.session.execute(
        select(Grant.released_to_id, func.sum(Grant.amount - paid_own - paid_other))
        .outerjoin(paid, paid.c.grant_id == Grant.id)
        .where(Grant.released_to_id.in_(allocation_ids), Grant.closed_at.is_not(None))
        .group_by(Grant.released_to_id)
    ):
        out.released[allocation_id] = int(released)
    for allocation_id, total in db.session.execute(
        select(Payment.allocation_id, func.sum(_signed()))
        .join(Grant, Grant.id == Payment.grant_id)
        .join(Line, Line.id == Grant.line_id)
        .where(Payment.state == PaymentState.APPROVED, Payment.allocation_id.in_(allocation_ids),
               Payment.allocation_id != Line.allocation_id)
        .group_by(Payment.allocation_id)
    ):
        out.paid_elsewhere[allocation_id] = int(total)
    return out
