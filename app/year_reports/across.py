"""Projects across funds and years in the reports: the projects a fund's call decided that
another fund pays (noted in the deciding fund's report, counted in the paying one's), and the
earlier year's grant a project continues, with what it used."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.followup.queries import reported_used
from app.ledger.models import Allocation, Grant, Line, Payment, PaymentKind, PaymentState
from app.year_reports.data import DecidedElsewhere, EarlierGrant


def decided_elsewhere(allocation_ids: list[int]) -> dict[int, tuple[DecidedElsewhere, ...]]:
    """By deciding allocation: the grants of other allocations' call lines that its call
    decided (`decided_in`), in the paying allocations' order (one query)."""
    if not allocation_ids:
        return {}
    out: dict[int, list[DecidedElsewhere]] = {}
    for grant in db.session.scalars(
        select(Grant).join(Line, Line.id == Grant.line_id)
        .join(Allocation, Allocation.id == Line.allocation_id)
        .where(Line.decided_in_id.in_(allocation_ids))
        .options(joinedload(Grant.line).joinedload(Line.allocation))
        .order_by(Allocation.year, Allocation.id, Line.position, Grant.position, Grant.id)
    ):
        out.setdefault(grant.line.decided_in_id, []).append(DecidedElsewhere(
            title=grant.title, owner=grant.owner, partners=tuple(grant.partners or ()),
            amount=grant.amount, paid_from=grant.line.allocation.label,
        ))
    return {aid: tuple(rows) for aid, rows in out.items()}


def earlier_grants(previous_ids: list[int]) -> dict[int, EarlierGrant]:
    """The earlier grants named, by id, each with what it used: its approved report's figure,
    or once it closed what it was paid net of refunds (three queries)."""
    if not previous_ids:
        return {}
    grants = list(db.session.scalars(
        select(Grant).where(Grant.id.in_(previous_ids))
        .options(joinedload(Grant.line).joinedload(Line.allocation))
    ))
    used = reported_used([g.id for g in grants])
    net = dict(db.session.execute(
        select(Payment.grant_id, func.sum(case(
            (Payment.kind == PaymentKind.PAYMENT, Payment.amount), else_=-Payment.amount)))
        .where(Payment.grant_id.in_(previous_ids), Payment.state == PaymentState.APPROVED)
        .group_by(Payment.grant_id)
    ).all())
    out = {}
    for g in grants:
        spent = used.get(g.id)
        if spent is None and g.closed_at is not None:
            spent = int(net.get(g.id) or 0)
        out[g.id] = EarlierGrant(title=g.title, granted_from=g.line.allocation.label,
                                 amount=g.amount, used=spent)
    return out
