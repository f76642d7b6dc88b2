"""Over any sequence of payments, refunds, other funds' payments and final reports, no krona is
created or lost: paid stays within granted, and what the funds count as used is exactly the
stated outcomes plus, per project, the grant while it runs and what it kept once closed."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.rules import Rating, ReportInput, ReportKind, ReportLineInput
from app.ledger import payments
from app.ledger import years as funds
from app.ledger.exchange.importing import import_document
from app.ledger.models import CarryOver, Grant, PaymentKind
from app.ledger.project_money import load_project_money
from app.ledger.queries import load_ledger
from app.ledger.rules import Basis
from tests.conftest import reset_database
from tests.followup.factories import pool_year
from tests.ledger.factories import allocation_id, document, grant
from tests.support import kronor

ANNA, BO = Actor(label="anna"), Actor(label="bo")
SAMORDNARE_KR = 200_000  # the pool_year activity's outcome: received − pool

operations = st.one_of(
    st.tuples(st.just("pay"), st.integers(0, 2), st.integers(1, 400_000), st.booleans()),
    st.tuples(st.just("refund"), st.integers(0, 2), st.integers(1, 200_000), st.booleans()),
    st.tuples(st.just("close"), st.integers(0, 2), st.integers(0, 100_000)),
    st.tuples(st.just("close_year"), st.just(0)),
)


def apply(op, grant_ids: list[int], other: int) -> None:
    kind, index = op[0], op[1]
    grant_id = grant_ids[index]
    try:
        with db.session.begin_nested():
            if kind == "close_year":
                funds.close_year(2022, ANNA, accept_missing_outcomes=True)
            elif kind in ("pay", "refund"):
                payment = payments.register_payment(payments.PaymentInput(
                    grant_id=grant_id, amount=kronor(op[2]), paid_on=date(2022, 3, 1),
                    reference="V", allocation_id=other if op[3] else None,
                    kind=PaymentKind.PAYMENT if kind == "pay" else PaymentKind.REFUND,
                ), ANNA)
                if payment.state.value == "pending":
                    payments.approve_payment(payment.id, BO)
            else:
                money = load_project_money().grants[grant_id]
                to_return = min(kronor(op[2]), money.paid)
                report = project_reports.schedule_report(grant_id, ReportKind.FINAL,
                                                         date(2023, 1, 1), ANNA)
                project_reports.save_report(report.id, ReportInput(
                    lines=[ReportLineInput("Allt", money.paid - to_return)],
                    to_return=to_return, text="Klart"), ANNA)
                project_reports.submit_report(report.id, ANNA)
                project_reports.approve_report(report.id, Rating.KEEP, "", BO)
    except DomainError:
        pass


def check_the_books() -> None:
    ledger = load_ledger([2022, 2023])
    money = ledger.projects
    expected_used = 2 * kronor(SAMORDNARE_KR)
    released_later = 0
    for grant_id in db.session.scalars(select(Grant.id)):
        m = money.grants[grant_id]
        assert 0 <= m.paid <= m.amount
        assert m.paid_gross - m.refunded == m.paid
        if m.closed and not m.released_elsewhere:
            expected_used += m.paid
        else:  # running, or closed after 2022 had closed: 2022 keeps the whole grant
            expected_used += m.amount
            released_later += m.released
    this_year = [a for a in ledger.allocations if a.year == 2022]
    used = sum(ledger.balance(a, Basis.OUTCOME).used for a in this_year)
    assert used == expected_used
    next_year = [a for a in ledger.allocations if a.year == 2023]
    assert sum(ledger.balance(a, Basis.OUTCOME).returned_in for a in next_year) == released_later
    if ledger.closed_years:
        # A closed year's figures are frozen: its carry-over is what its balance says.
        for a in this_year:
            assert ledger.carried_out[a.id].amount == ledger.balance(a, Basis.OUTCOME).result


def check_the_sums_agree() -> None:
    """The pages' ledger, summed in the database, says exactly what the detailed one says."""
    ledger = load_ledger([2022, 2023])
    money = ledger.projects
    summed = load_ledger([2022, 2023], sums_only=True)
    for a in ledger.allocations:
        for basis in Basis:
            assert summed.balance(a, basis) == ledger.balance(a, basis), (a.label, basis)
        assert summed.projects.paid_for_others(a.id) == money.paid_for_others(a.id)
        for line in a.lines:
            assert summed.projects.line_outcome(line) == money.line_outcome(line), line.activity
    assert [{k: v for k, v in d.items() if v} for d in summed.projects.fund_totals()] == [
        {k: v for k, v in d.items() if v} for d in money.fund_totals()]
    # One allocation's ledger (the other-fund check) agrees with the year's.
    for a in ledger.allocations:
        alone = load_ledger(allocation_ids=[a.id], sums_only=True)
        assert alone.balance(alone.allocations[0], Basis.OUTCOME) == ledger.balance(
            a, Basis.OUTCOME), a.label


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operations, min_size=2, max_size=12))
def test_no_krona_is_created_or_lost_along_the_projects_path(app, ops):
    reset_database(app)
    with app.app_context():
        try:
            import_document(document(
                pool_year(2022, received=2_000_000, pool=1_800_000, grants=(
                    grant("A", 500_000), grant("B", 300_000), grant("C", 100_000))),
                pool_year(2022, earmark="suicidprevention", received=2_000_000, pool=1_800_000),
                pool_year(2023, received=1_000_000, pool=500_000),
                pool_year(2023, earmark="suicidprevention", received=1_000_000, pool=500_000),
            ), Actor(label="fixture"))
            payments.set_attest_threshold(kronor(50_000), Actor(label="admin"))
            grant_ids = [g.id for g in db.session.scalars(select(Grant).order_by(Grant.title))]
            other = allocation_id("suicidprevention", 2022)
            for op in ops:
                apply(op, grant_ids, other)
                check_the_books()
            check_the_sums_agree()
            if not load_ledger([2022]).closed_years:
                ledger = load_ledger([2022])
                results = {a.id: ledger.balance(a, Basis.OUTCOME).result
                           for a in ledger.allocations}
                funds.close_year(2022, Actor(label="t"), accept_missing_outcomes=True)
                for carry in db.session.scalars(select(CarryOver)):
                    assert carry.amount == results[carry.from_allocation_id]
        finally:
            db.session.rollback()
            db.session.remove()
