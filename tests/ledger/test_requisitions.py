"""Requisitions never ask for more than the grant: together with what is paid, what waits for
attestation and the other open requisitions, even when many are filed at the same moment."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.ledger import payments
from app.ledger.models import PaymentKind, Requisition
from tests.conftest import CONCURRENT_REQUESTS as THREADS
from tests.followup.factories import grant_by_title, import_year, pay, pool_year
from tests.ledger.factories import grant
from tests.support import kronor, run_together

APPLICANT = Actor(label="sokande@example.se")
COORDINATOR = Actor(label="samordnare@example.se")


def _grant_of_100_000():
    import_year(pool_year(2022, grants=(grant("Projekt", 100_000),)))
    return grant_by_title("Projekt")


def _request(grant_obj, amount_kr: int) -> Requisition:
    return payments.request_payment(grant_obj.id, kronor(amount_kr), "", APPLICANT)


def _refused(grant_obj, amount_kr: int) -> str:
    with pytest.raises(DomainError) as refused:
        _request(grant_obj, amount_kr)
    return refused.value.message.replace("\u00a0", " ")


def test_open_requisitions_count_against_the_grant(ctx):
    """Can a project file requisitions of 50 000 until they pass a grant of 100 000? No."""
    project = _grant_of_100_000()
    _request(project, 50_000)
    _request(project, 50_000)
    assert _refused(project, 50_000) == (
        "högst 0 kr kan begäras: 100 000 kr beviljat, 100 000 kr redan begärt eller utbetalt")
    assert db.session.scalar(select(func.count(Requisition.id))) == 2


def test_the_message_says_how_much_is_still_requestable(ctx):
    project = _grant_of_100_000()
    _request(project, 50_000)
    assert _refused(project, 60_000) == (
        "högst 50 000 kr kan begäras: 100 000 kr beviljat, 50 000 kr redan begärt eller utbetalt")


def test_a_paid_requisition_is_counted_once(ctx):
    """A requisition paid in full counts as paid, not as paid and requested both."""
    project = _grant_of_100_000()
    requisition = _request(project, 40_000)
    pay(project, 40_000, requisition_id=requisition.id)
    assert payments.requestable_amount(project) == kronor(60_000)
    _request(project, 60_000)
    assert "högst 0 kr" in _refused(project, 1)


def test_a_partly_paid_requisition_keeps_its_rest_open(ctx):
    project = _grant_of_100_000()
    requisition = _request(project, 40_000)
    pay(project, 10_000, requisition_id=requisition.id)
    assert payments.requestable_amount(project) == kronor(60_000)


def test_a_payment_waiting_for_attestation_counts(ctx):
    project = _grant_of_100_000()
    payments.set_attest_threshold(0, COORDINATOR)
    payments.register_payment(payments.PaymentInput(
        grant_id=project.id, amount=kronor(70_000), paid_on=date(2022, 5, 1), reference="V1"),
        COORDINATOR)
    assert "högst 30 000 kr" in _refused(project, 30_001)


def test_no_more_is_paid_against_a_requisition_than_it_asks_for(ctx):
    """A requisition of 40 000 with 30 000 paid on it takes at most 10 000 more; a payment
    without a requisition is bounded by the grant alone."""
    project = _grant_of_100_000()
    requisition = _request(project, 40_000)
    pay(project, 30_000, requisition_id=requisition.id)
    with pytest.raises(DomainError) as refused:
        pay(project, 10_001, requisition_id=requisition.id)
    assert "högst 10 000 kr kan betalas mot den" in refused.value.message.replace("\u00a0", " ")
    pay(project, 10_000, requisition_id=requisition.id)
    pay(project, 20_000)


def test_a_declined_requisition_frees_its_amount(ctx):
    project = _grant_of_100_000()
    requisition = _request(project, 100_000)
    payments.decline_requisition(requisition.id, "Fel belopp", COORDINATOR)
    _request(project, 100_000)


def test_refunded_money_may_be_requested_again(ctx):
    project = _grant_of_100_000()
    pay(project, 100_000)
    pay(project, 25_000, kind=PaymentKind.REFUND)
    assert payments.requestable_amount(project) == kronor(25_000)
    _request(project, 25_000)


def test_simultaneous_requisitions_never_pass_the_grant(wide_app):
    """Twenty requisitions of 15 000 on a grant of 100 000 filed at the same moment: six are
    accepted, and together they never ask for more than the grant."""
    with wide_app.app_context():
        grant_id = _grant_of_100_000().id
        db.session.commit()
        db.session.remove()

    def act(i: int) -> None:
        payments.request_payment(grant_id, kronor(15_000), f"Rekvisition {i}", APPLICANT)

    results = run_together(wide_app, THREADS, act)
    assert results.count("ok") == 6
    refused = [r for r in results if r != "ok"]
    assert all("kan begäras" in r.message for r in refused)
    with wide_app.app_context():
        total = db.session.scalar(select(func.sum(Requisition.amount)).where(
            Requisition.grant_id == grant_id))
        db.session.remove()
    assert total == kronor(90_000)
