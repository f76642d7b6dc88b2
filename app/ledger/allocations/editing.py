"""Creating an allocation (a fund's year) and correcting it while its year is open. Every
change is audited with its old and new values; nothing here commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError, at_field
from app.core.identifiers import normalise_diary_number
from app.extensions import db
from app.ledger.guards import ensure_open, lock_allocation
from app.ledger.models import Allocation, Earmark, LedgerAction
from app.ledger.rules import COUNTY, BudgetStatus, default_spend_until


@dataclass
class AllocationInput:
    """An allocation as typed on its form: what create_allocation and update_allocation take."""

    earmark_id: int
    year: int
    received: int
    recipient: str = COUNTY
    spend_until: dt.date | None = None  # None: 31 December of the following year
    anchored: str | None = None
    decision_body: str | None = None
    decision_date: dt.date | None = None
    decision_month_only: bool = False
    decision_reference: str | None = None  # the paragraph ("§125")
    decision_diary_number: str | None = None
    decision_text: str | None = None


def allocation_snapshot(allocation: Allocation) -> dict:
    """Describe an allocation's own fields as the audit log keeps them before and after."""
    return {
        "earmark": allocation.earmark.code if allocation.earmark else None,
        "year": allocation.year,
        "recipient": allocation.recipient,
        "received": allocation.received,
        "spend_until": allocation.spend_until,
        "anchored": allocation.anchored,
        "decision_body": allocation.decision_body,
        "decision_date": allocation.decision_date,
        "decision_month_only": allocation.decision_month_only,
        "decision_reference": allocation.decision_reference,
        "decision_diary_number": allocation.decision_diary_number,
        "decision_text": allocation.decision_text,
        "budget_status": allocation.budget_status.value if allocation.budget_status else None,
    }


def _validate(data: AllocationInput) -> None:
    if data.received < 0:
        raise DomainError(_("erhållna medel får inte vara negativa"), field="received")
    if not (data.recipient or "").strip():
        raise DomainError(_("ange vem som har medlen"), field="recipient")
    spend_until = data.spend_until or default_spend_until(data.year)
    if spend_until.year < data.year:
        raise DomainError(_("sista dag att förbruka medlen kan inte ligga före %(year)s",
                            year=data.year),
                          field="spend_until")


def _apply(allocation: Allocation, data: AllocationInput) -> None:
    allocation.received = data.received
    allocation.recipient = data.recipient.strip()
    allocation.spend_until = data.spend_until or default_spend_until(data.year)
    allocation.anchored = _text(data.anchored)
    allocation.decision_body = _text(data.decision_body)
    allocation.decision_date = data.decision_date
    allocation.decision_month_only = bool(data.decision_date and data.decision_month_only)
    allocation.decision_reference = _text(data.decision_reference)
    diary = _text(data.decision_diary_number)
    with at_field("decision_diary_number"):
        allocation.decision_diary_number = normalise_diary_number(diary) if diary else None
    allocation.decision_text = _text(data.decision_text)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def create_allocation(data: AllocationInput, actor: Actor) -> Allocation:
    """Start a fund's year: an allocation with no lines and a preliminary budget."""
    earmark = db.session.get(Earmark, data.earmark_id)
    if earmark is None:
        raise DomainError(_("fonden finns inte"), field="earmark_id")
    with at_field("year"):
        ensure_open(data.year)
    _validate(data)
    existing = db.session.scalar(select(Allocation.id).where(
        Allocation.earmark_id == earmark.id, Allocation.year == data.year))
    if existing is not None:
        raise DomainError(_("%(earmark)s har redan en tilldelning för %(year)s",
                            earmark=earmark.name, year=data.year),
                          field="earmark_id")
    allocation = Allocation(earmark=earmark, year=data.year,
                            budget_status=BudgetStatus.PRELIMINARY)
    _apply(allocation, data)
    db.session.add(allocation)
    db.session.flush()
    audit.record(actor, LedgerAction.ALLOCATION_CREATE, "allocation", allocation.id,
                 year=allocation.year, summary=f"Ny tilldelning: {allocation.label}",
                 after=allocation_snapshot(allocation))
    return allocation


def update_allocation(allocation_id: int, data: AllocationInput, actor: Actor) -> Allocation:
    """Correct an allocation of an open year (its fund and year stay as they are)."""
    allocation = lock_allocation(allocation_id)
    ensure_open(allocation.year)
    data.earmark_id, data.year = allocation.earmark_id, allocation.year
    _validate(data)
    before = allocation_snapshot(allocation)
    _apply(allocation, data)
    db.session.flush()
    after = allocation_snapshot(allocation)
    changed = {key for key in after if after[key] != before[key]}
    audit.record(actor, LedgerAction.ALLOCATION_UPDATE, "allocation", allocation.id,
                 year=allocation.year,
                 summary=f"Ändrade {allocation.label}: {', '.join(sorted(changed)) or 'inget'}",
                 before={k: before[k] for k in sorted(changed)},
                 after={k: after[k] for k in sorted(changed)})
    return allocation
