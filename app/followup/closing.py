"""Closing a project when its final report is approved: the money it pays back is booked to
the funds that paid it, and what it did not use flows back into its allocation, or, when that
year is already closed, into the fund's next open year. Nothing here commits."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.core.types import utcnow
from app.extensions import db
from app.followup.models import FollowupAction, ProjectReport
from app.followup.rules import check_final_report, flows_back, return_sources
from app.ledger.guards import ensure_open, lock_allocation
from app.ledger.models import Allocation, Grant, Payment, PaymentKind, PaymentState, YearClosing
from app.ledger.payments import net_paid_by_allocation, sync_grant_totals
from app.ledger.project_money import grant_money
from app.ledger.queries import is_year_closed


def close_project(report: ProjectReport, own: Allocation, actor: Actor) -> None:
    """Close the project of an approved final report; `own` is its allocation, locked."""
    grant = report.grant
    if grant.closed_at is not None:
        raise DomainError(_("projektet är redan avslutat"))
    if db.session.scalar(select(Payment.id).where(
        Payment.grant_id == grant.id, Payment.state == PaymentState.PENDING
    )):
        raise DomainError(_("projektet har utbetalningar som väntar på attest; attestera eller "
                            "avslå dem innan slutrapporten godkänns"))
    money = grant_money(grant)
    reason = check_final_report(money, report.used, report.to_return)
    if reason:
        raise DomainError(reason)
    released = flows_back(grant.amount, report.used)
    target = None
    if released and is_year_closed(own.year):
        # The own year is closed and its carry-over made: what the project did not use goes
        # into the fund's next open year instead, as money returned from closed projects.
        target = _later_open_allocation(own)
    for allocation_id, amount in return_sources(report.to_return, own.id,
                                                net_paid_by_allocation(grant.id)):
        if allocation_id != own.id:
            other = lock_allocation(allocation_id)
            ensure_open(other.year)
        db.session.add(Payment(
            grant_id=grant.id, allocation_id=allocation_id, kind=PaymentKind.REFUND,
            amount=amount, paid_on=date.today(), reference=f"Slutrapport {report.id}",
            state=PaymentState.APPROVED, registered_by=actor.label,
            registered_by_id=actor.user_id, decided_by=actor.label,
            decided_by_id=actor.user_id, decided_at=utcnow(),
            note="Återbetalning enligt godkänd slutrapport",
        ))
    grant.closed_at = utcnow()
    grant.closed_by = actor.label
    grant.status = "closed"
    grant.released_to_id = target.id if target else None
    db.session.flush()
    sync_grant_totals(grant)
    into = target or own
    audit.record(actor, FollowupAction.GRANT_CLOSE, "grant", grant.id, year=own.year,
                 summary=f"Avslutade {grant.title[:150]}: förbrukat "
                 f"{format_amount(report.used, unit=True)}, tillbaka till {into.label} "
                 f"{format_amount(released, unit=True)}",
                 after={"used": report.used, "returned": report.to_return, "released": released,
                        "released_to": into.label})


def _later_open_allocation_id(own: Allocation) -> int | None:
    return db.session.scalar(
        select(Allocation.id).where(
            Allocation.earmark_id == own.earmark_id, Allocation.year > own.year,
            Allocation.year.not_in(select(YearClosing.year)),
        ).order_by(Allocation.year).limit(1)
    )


def release_destination(grant: Grant) -> Allocation | None:
    """The allocation that what the project does not use goes (or went) back to: its own, or,
    when its own year closed first, the fund's next open year (None if there is none yet)."""
    own = grant.line.allocation
    if grant.released_to_id is not None:
        return db.session.get(Allocation, grant.released_to_id)
    if grant.closed_at is not None or not is_year_closed(own.year):
        return own
    later = _later_open_allocation_id(own)
    return db.session.get(Allocation, later) if later is not None else None


def _later_open_allocation(own: Allocation) -> Allocation:
    """The fund's earliest later allocation in an open year, locked; refuse when there is none."""
    target_id = _later_open_allocation_id(own)
    if target_id is None:
        raise DomainError(
            _("%(year)s är stängt och %(earmark)s har inget senare öppet år att föra tillbaka det "
              "oanvända till; lägg in nästa års tilldelning först",
              year=own.year, earmark=own.earmark.name)
        )
    return lock_allocation(target_id)
