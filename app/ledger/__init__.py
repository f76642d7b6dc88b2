"""The ledger of the funds: earmarks, goal areas, allocations, lines, grants, payments and requisitions, closing years, the exchange format."""
