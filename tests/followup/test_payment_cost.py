"""Registering one payment reads the money of its own grant, not of every grant of its
allocation: bulk work (a coordinator paying a whole call) stays linear."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.ledger import payments, project_money
from app.ledger import queries as ledger_queries
from app.ledger.project_money import grant_money
from tests.followup.factories import REGISTRAR, grant, grant_by_title, import_year, pay, pool_year
from tests.ledger.factories import allocation_id
from tests.support import count_queries, kronor


def _grants(year: int, count: int) -> tuple[dict, ...]:
    return tuple(grant(f"Projekt {year}-{i}", 10_000) for i in range(count))


def _cost(app, data: payments.PaymentInput) -> int:
    db.session.expire_all()  # each measured from the same start: nothing of it loaded yet
    with count_queries(app) as statements:
        payments.register_payment(data, REGISTRAR)
        db.session.flush()
    return len(statements)


def _paid_every_grant(year: int, count: int) -> None:
    for i in range(count):
        pay(grant_by_title(f"Projekt {year}-{i}"), 1_000, reference=f"V-{year}-{i}")


@pytest.mark.parametrize("other_fund", [False, True])
def test_one_payment_costs_as_many_queries_with_2_grants_as_with_30(ctx, other_fund):
    """Does registering a payment ask the database as often in a call of 30 paid projects as
    in a call of 2, from the project's own fund and from another?"""
    app = ctx
    import_year(pool_year(2021, grants=_grants(2021, 2)),
                pool_year(2021, earmark="suicidprevention", received=2_000_000, pool=1_500_000),
                pool_year(2022, grants=_grants(2022, 30)),
                pool_year(2022, earmark="suicidprevention", received=2_000_000, pool=1_500_000))
    _paid_every_grant(2021, 2)
    _paid_every_grant(2022, 30)
    costs = []
    for year in (2021, 2022):
        target = grant_by_title(f"Projekt {year}-0")
        source = allocation_id("suicidprevention", year) if other_fund else None
        costs.append(_cost(app, payments.PaymentInput(
            grant_id=target.id, amount=kronor(500), paid_on=date(year, 6, 1),
            reference=f"X-{year}", allocation_id=source)))
    assert costs[0] == costs[1], costs


def test_one_payment_never_loads_the_money_of_its_allocations_other_grants(ctx, monkeypatch):
    """Registering and attesting a payment on a project of the fund itself: is the money of
    the allocation's other projects left unread?"""
    import_year(pool_year(2022, grants=_grants(2022, 30)))
    _paid_every_grant(2022, 3)
    asked = []
    real = project_money.load_project_money

    def spy(allocation_ids=None):
        asked.append(allocation_ids)
        return real(allocation_ids)

    monkeypatch.setattr(project_money, "load_project_money", spy)
    monkeypatch.setattr(ledger_queries, "load_project_money", spy)
    pay(grant_by_title("Projekt 2022-7"), 2_000, reference="V-X")
    payments.request_payment(grant_by_title("Projekt 2022-8").id, kronor(1_000), "Del 1",
                             REGISTRAR)
    assert asked == []


def test_one_grants_money_counts_its_payments_and_refunds(ctx):
    """Is a grant's money still right when read alone: own and other fund, refunds?"""
    import_year(pool_year(2022, grants=_grants(2022, 3)),
                pool_year(2022, earmark="suicidprevention", received=2_000_000, pool=1_500_000))
    target = grant_by_title("Projekt 2022-1")
    pay(target, 4_000)
    pay(target, 2_000, allocation_id=allocation_id("suicidprevention", 2022), reference="V-2")
    pay(target, 1_000, kind=payments.PaymentKind.REFUND, reference="V-3")
    pay(grant_by_title("Projekt 2022-2"), 3_000, reference="V-4")  # another grant's
    money = grant_money(target)
    assert (money.amount, money.paid_own, money.paid_other) == (
        kronor(10_000), kronor(3_000), kronor(2_000))
    assert (money.paid_gross, money.refunded, money.closed) == (kronor(6_000), kronor(1_000), False)
    untouched = grant_money(grant_by_title("Projekt 2022-0"))
    assert (untouched.paid, untouched.paid_gross) == (0, 0)
