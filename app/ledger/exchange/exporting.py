"""Exporting the ledger as a `stimulansmedel/1` document: the year's allocations read back into
the format's plain data (also what the audit log keeps of an allocation an import replaced)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.errors import DomainError
from app.ledger.exchange.schema import FORMAT, AllocationData, GrantData, LineData, PaymentData
from app.ledger.exchange.writing import build_allocation, dump_document
from app.ledger.models import Allocation, Grant, Payment, PaymentKind
from app.ledger.payments import IMPORTED_TOTAL_NOTE
from app.ledger.queries import allocations_of_year, attested_by_grant


def export_year(year: int) -> str:
    """Return the year's allocations as a `stimulansmedel/1` YAML document."""
    allocations = allocations_of_year(year)
    if not allocations:
        raise DomainError(_("det finns inga tilldelningar för %(year)s att exportera", year=year))
    doc: dict = {"format": FORMAT}
    regions = {a.region for a in allocations if a.region}
    if len(regions) == 1:
        doc["region"] = regions.pop()
    doc["allocations"] = [build_allocation(allocation_data(a)) for a in allocations]
    return dump_document(doc)


def allocation_data(allocation: Allocation) -> AllocationData:
    """Describe an allocation as exchange data (for export and for the audit log)."""
    payments = attested_by_grant(allocation.id) if allocation.id is not None else {}
    return AllocationData(
        earmark=allocation.earmark.code,
        year=allocation.year,
        received=allocation.received,
        spend_until=allocation.spend_until,
        anchored=allocation.anchored,
        decision_body=allocation.decision_body,
        decision_date=allocation.decision_date,
        decision_reference=allocation.decision_reference,
        decision_text=allocation.decision_text,
        stated_total=allocation.stated_total,
        recipient=allocation.recipient,
        status=allocation.budget_status,
        decision_month_only=allocation.decision_month_only,
        decision_diary_number=allocation.decision_diary_number,
        lines=[
            LineData(
                activity=line.activity,
                kind=line.kind,
                goal_area=line.goal_area.name if line.goal_area else None,
                budget=line.budget,
                spent=line.spent,
                covers=(line.covers.earmark.code, line.covers.year) if line.covers else None,
                decided_in=(
                    (line.decided_in.earmark.code, line.decided_in.year)
                    if line.decided_in else None
                ),
                owner=line.owner,
                partners=list(line.partners or []),
                grants=[
                    GrantData(
                        title=g.title,
                        owner=g.owner,
                        partners=list(g.partners or []),
                        goal_areas=[ga.name for ga in g.goal_areas],
                        amount=g.amount,
                        paid=g.paid,
                        returned=g.returned,
                        status=g.status,
                        report_due=g.report_due,
                        continues=_continues(g),
                        **_itemised(payments.get(g.id, []), allocation.id),
                    )
                    for g in line.grants
                ],
            )
            for line in allocation.lines
        ],
    )


def _continues(grant: Grant) -> tuple[str, int, str] | None:
    """The earlier grant this one continues, as the format names it: (earmark, year, title)."""
    previous = grant.previous
    if previous is None:
        return None
    return (previous.line.allocation.earmark.code, previous.line.allocation.year, previous.title)


def _itemised(payments: list[Payment], own_id: int) -> dict:
    """A grant's `payments` and `refunds` as items, each kind itemised when anything but an
    imported file's `paid`/`returned` total was booked of it (else the total says it all)."""

    def item(p: Payment) -> PaymentData:
        fund = None if p.allocation_id == own_id else (p.allocation.earmark.code,
                                                       p.allocation.year)
        return PaymentData(paid_on=p.paid_on, amount=p.amount, reference=p.reference or None,
                           fund=fund)

    out = {}
    for key, kind in (("payments", PaymentKind.PAYMENT), ("refunds", PaymentKind.REFUND)):
        of_kind = [p for p in payments if p.kind is kind]
        if any(not (p.imported and p.note == IMPORTED_TOTAL_NOTE) for p in of_kind):
            out[key] = [item(p) for p in of_kind]
    return out
