"""Does the 2020 data import and close with the seed's carry-over?"""

from app.ledger.queries import load_ledger
from app.ledger.rules import Basis
from app.ledger.years import close_year


def test_2020_closes_with_the_seeds_carry_over(ctx, imported_2020, actor):
    closing = close_year(2020, actor)
    carried = {c.from_allocation.earmark.code: c.amount for c in closing.carry_overs}
    assert carried == {"brukarmiljonen": 0, "samverkan": 7215100, "suicidprevention": 10892800}
    ledger = load_ledger([2020])
    used = {a.earmark.code: ledger.balance(a, Basis.OUTCOME).used for a in ledger.allocations}
    assert used == {"brukarmiljonen": 100843600, "samverkan": 613103200,
                    "suicidprevention": 239107200}
