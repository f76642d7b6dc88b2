"""Coordinators paying and attesting at the same moment never pay a project more than it was
granted, and never pay from another fund more than it has left (PostgreSQL only: SQLite
serialises writers)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.core.audit import Actor
from app.extensions import db
from app.ledger import payments
from app.ledger.exchange import importing as funds
from app.ledger.models import Payment, PaymentKind, PaymentState
from tests.conftest import CONCURRENT_REQUESTS as THREADS
from tests.followup.factories import grant_by_title, pool_year
from tests.ledger.factories import allocation_id, document, grant
from tests.support import kronor, run_together


def set_up(app, *allocations: dict) -> None:
    with app.app_context():
        funds.import_document(document(*allocations), Actor(label="fixture"))
        db.session.commit()
        db.session.remove()


def ids(app, title: str, earmark: str, year: int) -> tuple[int, int]:
    with app.app_context():
        found = grant_by_title(title).id, allocation_id(earmark, year)
        db.session.remove()
    return found


def approved_paid(app, grant_id: int) -> int:
    with app.app_context():
        total = db.session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.grant_id == grant_id, Payment.state == PaymentState.APPROVED,
            Payment.kind == PaymentKind.PAYMENT))
        db.session.remove()
    return int(total)


def test_simultaneous_payments_never_exceed_the_grant(wide_app):
    """20 coordinators pay 150 000 each on a grant of 1 000 000 at once: exactly 6 succeed."""
    set_up(wide_app, pool_year(2022, received=2_000_000, pool=1_500_000,
                               grants=(grant("Stort projekt", 1_000_000),)))
    grant_id, _ = ids(wide_app, "Stort projekt", "samverkan", 2022)
    with wide_app.app_context():
        payments.set_attest_threshold(kronor(10_000_000), Actor(label="admin"))
        db.session.commit()
        db.session.remove()

    def act(i: int) -> None:
        payments.register_payment(payments.PaymentInput(
            grant_id=grant_id, amount=kronor(150_000), paid_on=date(2022, 5, 1),
            reference=f"V{i}"), Actor(label=f"samordnare{i}"))

    results = run_together(wide_app, THREADS, act)
    assert results.count("ok") == 6
    assert approved_paid(wide_app, grant_id) == kronor(900_000)


def test_simultaneous_attestations_of_a_full_grant(wide_app):
    """Five pending payments that together fill the grant, attested at the same moment by five
    coordinators: all five count, and paid is exactly the grant."""
    set_up(wide_app, pool_year(2022, received=2_000_000, pool=1_500_000,
                               grants=(grant("Projekt A", 1_000_000),)))
    grant_id, _ = ids(wide_app, "Projekt A", "samverkan", 2022)
    with wide_app.app_context():
        pending = [payments.register_payment(payments.PaymentInput(
            grant_id=grant_id, amount=kronor(200_000), paid_on=date(2022, 5, 1),
            reference=f"V{i}"), Actor(label="anna")).id for i in range(5)]
        db.session.commit()
        db.session.remove()

    def act(i: int) -> None:
        payments.approve_payment(pending[i], Actor(label=f"attestant{i}"))

    results = run_together(wide_app, len(pending), act)
    assert results == ["ok"] * 5
    assert approved_paid(wide_app, grant_id) == kronor(1_000_000)


def test_simultaneous_payments_from_another_fund_never_overdraw_it(wide_app):
    """Twenty payments of 100 000 from a fund with 500 000 left: exactly 5 succeed."""
    set_up(wide_app,
           pool_year(2021, received=3_000_000, pool=2_500_000, grants=tuple(
               grant(f"Projekt {i}", 100_000) for i in range(THREADS))),
           pool_year(2021, earmark="suicidprevention", received=1_000_000, pool=500_000))
    with wide_app.app_context():
        source = allocation_id("suicidprevention", 2021)
        grant_ids = [grant_by_title(f"Projekt {i}").id for i in range(THREADS)]
        payments.set_attest_threshold(kronor(10_000_000), Actor(label="admin"))
        db.session.commit()
        db.session.remove()

    def act(i: int) -> None:
        payments.register_payment(payments.PaymentInput(
            grant_id=grant_ids[i], amount=kronor(100_000), paid_on=date(2021, 5, 1),
            reference=f"V{i}", allocation_id=source), Actor(label=f"samordnare{i}"))

    results = run_together(wide_app, THREADS, act)
    assert results.count("ok") == 5
