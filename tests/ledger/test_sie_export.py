"""The payments out to the accounting system as SIE 4: read back by an independent reader
(tests/ledger/sie_reader.py), does the file balance, declare what it uses, keep åäö in code
page 437, book each payment once, and come out the same when made again?"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.models import Payment, PaymentState
from app.ledger.sie.accounts import EarmarkAccountsInput, set_earmark_accounts
from app.ledger.sie.exports import create_export, recreate_export
from app.ledger.sie.models import SieExport
from tests.ledger.sie_reader import read_sie
from tests.ledger.sie_world import (
    ADMIN,
    QUOTED_TITLE,
    SWEDISH_TITLE,
    build,
    earmark_id,
    pay_on,
    settle,
)

EXPORTER = ADMIN
TODAY = date(2023, 1, 10)


@pytest.fixture
def world(ctx):
    grants = build()
    settle()
    pay_on(grants["quoted"], 30_000, date(2022, 3, 1), reference="F-101")
    pay_on(grants["quoted"], 20_000, date(2022, 5, 10), reference="F-102")
    pay_on(grants["quoted"], 5_000, date(2022, 6, 1), refund=True, reference="R-1")
    pay_on(grants["swedish"], 12_345, date(2022, 9, 30), reference="F-103")
    pay_on(grants["swedish"], 7_000, date(2022, 10, 1), attest=False)  # waits: not exported
    return grants


def _export(**kwargs):
    return create_export(2022, EXPORTER, today=TODAY, **kwargs)


def _kr(text: str) -> Decimal:
    return Decimal(text)


def test_every_voucher_balances_and_the_costs_are_what_was_paid(world):
    """Does each #VER sum to zero, and do the debits on the cost account equal the attested
    payments of the period less its refunds?"""
    result = _export()
    document = read_sie(result.content)
    assert len(document.vouchers) == 4
    for voucher in document.vouchers:
        assert sum(row.amount for row in voucher.rows) == 0, voucher
    on_costs = sum(row.amount for v in document.vouchers for row in v.rows
                   if row.account == "4990")
    paid = db.session.scalars(select(Payment).where(
        Payment.state == PaymentState.APPROVED, Payment.paid_on.between(date(2022, 1, 1),
                                                                       date(2022, 12, 31))))
    assert on_costs * 100 == sum(p.signed_amount for p in paid) == 5_734_500
    assert on_costs == _kr("57345.00")
    bank = sum(row.amount for v in document.vouchers for row in v.rows if row.account == "1930")
    assert bank == -on_costs


def test_a_refund_credits_the_cost_account_and_debits_the_bank(world):
    document = read_sie(_export().content)
    refund = next(v for v in document.vouchers if v.text.startswith("Återbetalning"))
    assert [(r.account, r.amount) for r in refund.rows] == [
        ("4990", _kr("-5000.00")), ("1930", _kr("5000.00"))]


def test_the_head_follows_the_standard(world):
    """#FLAGGA first, PC8, SIETYP 4, the program, the export's date, the region, the year."""
    result = _export()
    document = read_sie(result.content)
    assert document.posts[0] == ("#FLAGGA", ["0"])
    assert document.one("#FORMAT") == ["PC8"]
    assert document.one("#SIETYP") == ["4"]
    assert document.one("#PROGRAM")[0] == "Stimulansmedel"
    assert document.one("#GEN") == ["20230110"]
    assert document.one("#FNAMN") == ["Region Jämtland Härjedalen"]
    assert document.one("#RAR") == ["0", "20220101", "20221231"]
    for voucher in document.vouchers:
        assert re.fullmatch(r"2022\d{4}", voucher.date)
        for row in voucher.rows:
            assert re.fullmatch(r"-?\d+\.\d{2}", str(row.amount))
            assert row.fields[0] == voucher.date  # the transaction's date


def test_every_account_and_object_used_is_declared(world):
    document = read_sie(_export().content)
    declared = {fields[0]: fields[1] for fields in document.all("#KONTO")}
    used = {row.account for v in document.vouchers for row in v.rows}
    assert used == set(declared) == {"4990", "1930"}
    assert declared["4990"] == "Stimulansmedel, samverkan"
    objects = {(f[0], f[1]): f[2] for f in document.all("#OBJEKT")}
    assert objects == {("1", "1100"): "Folkhälsa", ("6", "P22SV"): "Samverkan 2022",
                       ("20", "320"): "Psykisk hälsa"}
    dimensions = {f[0] for f in document.all("#DIM")}
    cost_rows = [row for v in document.vouchers for row in v.rows if row.account == "4990"]
    for row in cost_rows:
        assert row.objects == [("1", "1100"), ("6", "P22SV"), ("20", "320")]
        assert all(pair in objects and pair[0] in dimensions for pair in row.objects)


def test_the_file_is_code_page_437_and_swedish_letters_and_quotes_survive(world):
    """Are å, ä and ö the PC8 bytes (not UTF-8), and do a quote and a backslash in a project's
    title read back as typed?"""
    content = _export().content
    assert "Östersunds fältgrupp".encode("cp437") in content
    assert b"\x99stersunds f\x84ltgrupp f\x94r \x84ldre" in content
    assert "Ö".encode() not in content  # no UTF-8
    texts = [v.text for v in read_sie(content).vouchers]
    assert f"Utbetalning F-101 {QUOTED_TITLE}" in texts
    assert f"Utbetalning F-103 {SWEDISH_TITLE}" in texts


def test_a_later_export_leaves_out_what_was_exported(world):
    """Is a payment booked only once when periods overlap, and does the export say how many
    it left out?"""
    first = _export(start=date(2022, 1, 1), end=date(2022, 6, 30))
    assert first.export.payment_count == 3 and first.left_out == 0
    pay_on(world["quoted"], 1_000, date(2022, 4, 1), reference="F-104")  # late, in the period
    second = _export()
    assert second.left_out == 3
    numbers = {v.number for v in read_sie(second.content).vouchers}
    late = db.session.scalar(select(Payment.id).where(Payment.reference == "F-104"))
    assert len(numbers) == 2 and str(late) in numbers
    with pytest.raises(DomainError, match="alla 5 attesterade utbetalningar .* redan exporterade"):
        _export()
    again = _export(include_exported=True)
    assert again.export.payment_count == 5 and again.left_out == 0


def test_making_an_export_again_gives_the_same_bytes(world):
    """Made again after the accounts were changed and another export was made, is the file
    the same byte for byte, with its recorded date and checksum?"""
    result = _export()
    set_earmark_accounts(earmark_id("samverkan"), EarmarkAccountsInput(
        cost_account="4999", cost_account_name="Annat konto"), ADMIN)
    pay_on(world["quoted"], 1_000, date(2022, 4, 1))
    _export()
    export, content = recreate_export(result.export.id, EXPORTER)
    assert content == result.content
    assert export.generated_on == TODAY
    assert read_sie(content).one("#GEN") == ["20230110"]


def test_the_same_rows_give_the_same_file(world):
    """Exported again from scratch on the same day, is the file identical (stable order)?"""
    first = _export(include_exported=True).content
    assert _export(include_exported=True).content == first


def test_an_export_is_recorded_and_audited(world):
    result = _export()
    export = db.session.get(SieExport, result.export.id)
    assert export.created_by == EXPORTER.label
    assert (export.date_from, export.date_to) == (date(2022, 1, 1), date(2022, 12, 31))
    assert len(export.payments) == 4 and export.net_amount == 5_734_500
    assert len(export.checksum) == 64
    recreate_export(export.id, EXPORTER)
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "sie_export")).all()
    assert sorted(actions) == ["sie.export", "sie.export_again"]


def test_a_fund_without_accounts_is_refused_by_name(world):
    """Does an export holding a payment of a fund with no accounts refuse, naming the fund,
    and record nothing?"""
    pay_on(world["other"], 1_000, date(2022, 2, 2))
    with pytest.raises(DomainError, match="inte inställda för Suicidpreventiva medel"):
        _export()
    assert db.session.scalar(select(func.count()).select_from(SieExport)) == 0


def test_a_period_outside_the_year_or_without_payments_is_refused(world):
    with pytest.raises(DomainError, match="inom år 2022"):
        _export(start=date(2021, 12, 1), end=date(2022, 1, 31))
    with pytest.raises(DomainError, match="slutar före"):
        _export(start=date(2022, 5, 1), end=date(2022, 4, 1))
    with pytest.raises(DomainError, match="inga attesterade utbetalningar"):
        _export(start=date(2022, 11, 1), end=date(2022, 12, 31))


def test_an_unknown_export_cannot_be_made_again(world):
    with pytest.raises(DomainError, match="ingen SIE-export med nummer 4711"):
        recreate_export(4711, EXPORTER)
