"""Exporting the ledger as a `stimulansmedel/1` document: the year's allocations read back into
the format's plain data (also what the audit log keeps of an allocation an import replaced)."""

from __future__ import annotations

from app.core.errors import DomainError
from app.ledger.exchange.schema import FORMAT, AllocationData, GrantData, LineData
from app.ledger.exchange.writing import build_allocation, dump_document
from app.ledger.models import Allocation
from app.ledger.queries import allocations_of_year


def export_year(year: int) -> str:
    """Return the year's allocations as a `stimulansmedel/1` YAML document."""
    allocations = allocations_of_year(year)
    if not allocations:
        raise DomainError(f"det finns inga tilldelningar för {year} att exportera")
    doc: dict = {"format": FORMAT}
    regions = {a.region for a in allocations if a.region}
    if len(regions) == 1:
        doc["region"] = regions.pop()
    doc["allocations"] = [build_allocation(allocation_data(a)) for a in allocations]
    return dump_document(doc)


def allocation_data(allocation: Allocation) -> AllocationData:
    """Describe an allocation as exchange data (for export and for the audit log)."""
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
                    )
                    for g in line.grants
                ],
            )
            for line in allocation.lines
        ],
    )
