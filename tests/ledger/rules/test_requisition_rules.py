"""What a project may still request: granted, less what is paid net of refunds, what waits
for attestation and what open requisitions already ask for."""

import pytest

from app.ledger.rules import GrantMoney, check_requisition, requestable
from tests.support import kronor


@pytest.mark.parametrize("money,pending,open_requisitions,left", [
    (GrantMoney(amount=kronor(100_000)), 0, 0, kronor(100_000)),
    (GrantMoney(amount=kronor(100_000)), 0, kronor(50_000), kronor(50_000)),
    (GrantMoney(amount=kronor(100_000), paid_own=kronor(30_000)), kronor(20_000), kronor(10_000),
     kronor(40_000)),
    # Refunded money may be requested again: paid 60 000, 20 000 back, so 40 000 net.
    (GrantMoney(amount=kronor(100_000), paid_own=kronor(40_000), paid_gross=kronor(60_000),
                refunded=kronor(20_000)), 0, 0, kronor(60_000)),
    # Paid from another fund counts as paid too.
    (GrantMoney(amount=kronor(100_000), paid_other=kronor(100_000)), 0, 0, 0),
    (GrantMoney(amount=kronor(100_000)), 0, kronor(150_000), 0),
])
def test_what_may_still_be_requested(money, pending, open_requisitions, left):
    assert requestable(money, pending, open_requisitions) == left


def test_a_requisition_over_what_is_left_says_how_much_may_be_requested():
    money = GrantMoney(amount=kronor(100_000))
    assert check_requisition(money, 0, kronor(50_000), kronor(50_000)) is None
    assert check_requisition(money, 0, kronor(50_000), kronor(50_000) + 1) == (
        "högst 50\u00a0000\u00a0kr kan begäras: 100\u00a0000\u00a0kr beviljat, "
        "50\u00a0000\u00a0kr redan begärt eller utbetalt"
    )


@pytest.mark.parametrize("money,amount,reason", [
    (GrantMoney(amount=kronor(100_000)), 0, "större än noll"),
    (GrantMoney(amount=kronor(100_000)), -1, "större än noll"),
    (GrantMoney(amount=kronor(100_000), closed=True), 1, "avslutat"),
])
def test_an_empty_or_late_requisition_is_refused(money, amount, reason):
    assert reason in check_requisition(money, 0, 0, amount)
