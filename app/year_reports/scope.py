"""Which funds a year's document covers and whether a budget is final: two questions another
part of the ledger answers (recipients and budget versions), asked here in one place so the
answer is wired once."""

from __future__ import annotations

from app.ledger.models import Allocation


def budget_is_preliminary(allocation: Allocation) -> bool:
    """Return True when the allocation's budget is preliminary ("prel."), not yet decided.

    The ledger does not yet record a budget's status, so no budget is called preliminary.
    """
    return False


def county_level(allocations: list[Allocation]) -> list[Allocation]:
    """Return the allocations the region and the municipalities received together (the
    county-level funds the coordinators manage), in their order.

    The ledger does not yet record an allocation's recipient, so every allocation is one.
    """
    return list(allocations)
