"""The money's whole path: granted, paid, used, returned, and what flows back at closing."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.queries import reports_of_grant
from app.followup.rules import ReportInput, ReportState, indicator_from_text
from app.ledger import payments
from app.ledger import years as funds
from app.ledger.exchange.exporting import export_year
from app.ledger.models import CarryOver, PaymentKind
from app.ledger.project_money import grant_money
from tests.followup.factories import (
    final_report,
    grant,
    grant_by_title,
    import_year,
    pay,
    pool_year,
)
from tests.ledger.factories import allocation_id, balances
from tests.support import kronor


@pytest.fixture
def project(ctx):
    import_year(pool_year(grants=(grant("Första hjälpen", 500_000),)))
    return grant_by_title("Första hjälpen")


def test_a_closed_project_gives_back_what_it_did_not_use(project):
    before = balances(2022)["samverkan"]
    # While it runs the whole grant is committed.
    assert before.used == kronor(200_000 + 500_000)
    pay(project, 300_000)
    assert balances(2022)["samverkan"].used == before.used
    final_report(project, 280_000, 20_000)

    after = balances(2022)["samverkan"]
    assert after.used == kronor(200_000 + 280_000)
    assert after.result - before.result == kronor(220_000)
    db.session.refresh(project)
    assert (project.paid, project.returned, project.status) == (kronor(300_000), kronor(20_000), "closed")

    funds.close_year(2022, Actor(label="t"))
    carry = db.session.query(CarryOver).one()
    assert carry.amount == kronor(1_000_000 - 200_000 - 280_000)


def test_paid_above_granted_is_refused(project):
    pay(project, 400_000)
    with pytest.raises(DomainError, match="utbetalt skulle bli mer än beviljat"):
        pay(project, 100_001)


def test_a_pending_payment_counts_against_what_may_be_paid(project):
    payments.register_payment(payments.PaymentInput(
        grant_id=project.id, amount=kronor(400_000), paid_on=__import__("datetime").date(2022, 1, 1),
        reference="V1"), Actor(label="a", user_id=None))
    with pytest.raises(DomainError, match="väntar på attest"):
        pay(project, 100_001)


def test_the_registrar_cannot_attest_their_own_payment(project):
    from datetime import date
    registrar = Actor(label="anna@example.se", user_id=None)
    payment = payments.register_payment(payments.PaymentInput(
        grant_id=project.id, amount=kronor(1000), paid_on=date(2022, 1, 1), reference="V1"),
        registrar)
    assert payment.state.value == "pending"
    with pytest.raises(DomainError, match="kan inte själv attestera"):
        payments.approve_payment(payment.id, registrar)


def test_below_the_threshold_one_coordinator_is_enough(project):
    from datetime import date
    payments.set_attest_threshold(kronor(10_000), Actor(label="admin"))
    small = payments.register_payment(payments.PaymentInput(
        grant_id=project.id, amount=kronor(10_000), paid_on=date(2022, 1, 1), reference="V1"),
        Actor(label="anna"))
    big = payments.register_payment(payments.PaymentInput(
        grant_id=project.id, amount=kronor(10_001), paid_on=date(2022, 1, 1), reference="V2"),
        Actor(label="anna"))
    assert (small.state.value, big.state.value) == ("approved", "pending")


def test_a_negative_return_is_refused(project):
    pay(project, 300_000)
    with pytest.raises(DomainError, match="att återbetala kan inte vara ett negativt belopp"):
        final_report(project, 300_000, -1)
    with pytest.raises(DomainError, match="återbetalningen måste vara större än noll"):
        pay(project, -1, kind=PaymentKind.REFUND)
    assert reports_of_grant(project.id)[0].to_return == 0


def test_a_report_on_a_closed_project_is_refused(project):
    pay(project, 300_000)
    report = final_report(project, 300_000, 0)
    with pytest.raises(DomainError, match="avslutat"):
        project_reports.schedule_report(project.id, "interim", date(2024, 1, 1), Actor(label="x"))
    with pytest.raises(DomainError, match="avslutat"):
        project_reports.save_report(report.id, ReportInput(), Actor(label="x"))
    with pytest.raises(DomainError, match="avslutat"):
        pay(project, 1)


def test_a_grant_paid_from_another_fund_counts_once(ctx):
    import_year(
        pool_year(2021, grants=(grant("MHFA JGY", 600_000),)),
        pool_year(2021, earmark="suicidprevention", received=2_000_000, pool=1_500_000),
    )
    mhfa = grant_by_title("MHFA JGY")
    before = balances(2021)
    pay(mhfa, 200_000, allocation_id=allocation_id("suicidprevention", 2021))
    after = balances(2021)
    # samverkan no longer counts what suicidprevention paid; suicidprevention does.
    assert after["samverkan"].used == before["samverkan"].used - kronor(200_000)
    assert after["suicidprevention"].used == before["suicidprevention"].used + kronor(200_000)
    total_before = sum(b.used for b in before.values())
    assert sum(b.used for b in after.values()) == total_before


def test_a_payment_from_a_fund_without_money_left_is_refused(ctx):
    import_year(
        pool_year(2021, grants=(grant("MHFA JGY", 600_000),)),
        pool_year(2021, earmark="suicidprevention", received=300_000, pool=100_000),
    )
    with pytest.raises(DomainError, match="kvar enligt utfallet"):
        pay(grant_by_title("MHFA JGY"), 100_001,
            allocation_id=allocation_id("suicidprevention", 2021))


def test_imported_paid_and_returned_become_payments_and_export_unchanged(ctx):
    import_year(pool_year(2022, grants=(grant("P", 500_000, paid=300_000, returned=10_000,
                                              status="ongoing"),)))
    text = export_year(2022)
    assert "paid: 300000" in text and "returned: 10000" in text
    p = grant_by_title("P")
    assert grant_money(p).paid == kronor(290_000)


def test_indicators_written_on_the_application_say_their_kind():
    assert indicator_from_text("Antal utbildade") == {
        "name": "Antal utbildade", "kind": "count", "split": True}
    assert indicator_from_text("Andel nöjda deltagare (%)")["kind"] == "percent"
    assert indicator_from_text("Andel nöjda deltagare (%)")["name"] == "Andel nöjda deltagare"
    assert indicator_from_text("Finns en rutin? (Ja/Nej)") == {
        "name": "Finns en rutin?", "kind": "yes_no", "split": False}


def test_a_project_closing_after_its_year_gives_its_unused_money_to_the_next_open_year(ctx):
    import_year(pool_year(2022, grants=(grant("Första hjälpen", 500_000),)),
                pool_year(2023, received=900_000, pool=400_000))
    project = grant_by_title("Första hjälpen")
    pay(project, 300_000)
    funds.close_year(2022, Actor(label="t"))
    carried = db.session.query(CarryOver).one().amount
    before_2022 = balances(2022)["samverkan"]
    before_2023 = balances(2023)["samverkan"]

    final_report(project, 280_000, 20_000)

    # 2022 is frozen: its figures and its carry-over stay as they were when it closed.
    assert balances(2022)["samverkan"] == before_2022
    assert db.session.query(CarryOver).one().amount == carried
    after_2023 = balances(2023)["samverkan"]
    assert after_2023.returned_in == kronor(220_000)
    assert after_2023.available - before_2023.available == kronor(220_000)
    assert grant_by_title("Första hjälpen").released_to_id == allocation_id("samverkan", 2023)

    from app.year_reports.downloads import render_report
    from tests.year_reports.reading import pdf_text

    text = pdf_text(render_report("followup", "samverkan", 2023, "pdf"))
    assert "Återfört från avslutade projekt i stängda år 220 000" in text


def test_a_project_of_a_closed_year_without_a_later_open_year_is_not_closed(ctx):
    import_year(pool_year(2022, grants=(grant("Första hjälpen", 500_000),)))
    project = grant_by_title("Första hjälpen")
    pay(project, 300_000)
    funds.close_year(2022, Actor(label="t"))
    with pytest.raises(DomainError, match="inget senare öppet år"):
        final_report(project, 280_000, 20_000)
    # Refused before anything changed: the report waits, submitted, and the project is open.
    assert grant_by_title("Första hjälpen").closed_at is None
    [report] = reports_of_grant(project.id)
    assert report.state is ReportState.SUBMITTED
