"""Which funds a year's document covers and whether a budget is final: two questions another
part of the ledger answers (recipients and budget versions), asked here in one place so the
answer is wired once."""

from __future__ import annotations

from app.ledger.models import Allocation
from app.ledger.rules import COUNTY


def budget_is_preliminary(allocation: Allocation) -> bool:
    """Return True when the allocation's budget is preliminary ("prel."), not yet decided."""
    return allocation.preliminary


def county_level(allocations: list[Allocation]) -> list[Allocation]:
    """Return the allocations the region and the municipalities received together (the
    county-level funds the coordinators manage), in their order; the region's and the
    municipalities' own shares, and a principal's, have documents of their own."""
    return [a for a in allocations if a.recipient == COUNTY]
