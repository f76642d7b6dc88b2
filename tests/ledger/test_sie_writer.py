"""The SIE writer on its own (no app): escaping, code page 437, amounts, and the refusals
that keep a broken file from reaching the accounting system."""

from __future__ import annotations

from datetime import date

import pytest

from app.ledger.sie.writer import (
    SieFile,
    Trans,
    Voucher,
    from_rows,
    quoted,
    sie_amount,
    to_rows,
    write_sie,
)
from tests.ledger.sie_reader import read_sie


def _file(*vouchers: Voucher, **changes) -> SieFile:
    values = dict(program="Stimulansmedel", version="1", generated_on=date(2023, 1, 2),
                  company="Region Ö", year_start=date(2022, 1, 1), year_end=date(2022, 12, 31),
                  accounts={"4990": "Kostnad", "1930": "Bank"}, objects={(1, "A1"): "Ansvar 1"},
                  vouchers=vouchers)
    values.update(changes)
    return SieFile(**values)


def _voucher(text="Utbetalning", amount=100_050, account="4990", objects=((1, "A1"),)):
    return Voucher(series="S", number="7", on=date(2022, 5, 1), text=text,
                   rows=(Trans(account, amount, objects), Trans("1930", -amount)))


@pytest.mark.parametrize("ore, text", [(150_050, "1500.50"), (-5, "-0.05"), (0, "0.00"),
                                       (100, "1.00"), (-1_234_567_89, "-1234567.89")])
def test_amounts_are_kronor_with_a_decimal_point(ore, text):
    assert sie_amount(ore) == text


def test_quotes_backslashes_and_control_characters_are_escaped_or_left_out():
    assert quoted('Sa "hej"') == '"Sa \\"hej\\""'
    assert quoted("a\\b") == '"a\\\\b"'
    assert quoted("rad ett\nrad\ttvå\x07") == '"rad ett rad två"'


def test_a_character_outside_code_page_437_becomes_a_question_mark():
    content = write_sie(_file(_voucher(text="Kostnad 5 € för Åsa")))
    assert read_sie(content).vouchers[0].text == "Kostnad 5 ? för Åsa"


def test_the_lines_end_in_cr_lf_and_the_text_round_trips():
    content = write_sie(_file(_voucher(text='Projekt "Äldre" i Övik')))
    assert content.count(b"\r\n") == len(content.splitlines())
    assert read_sie(content).vouchers[0].text == 'Projekt "Äldre" i Övik'


def test_an_unbalanced_voucher_or_an_undeclared_account_is_refused():
    broken = Voucher(series="S", number="1", on=date(2022, 1, 1), text="x",
                     rows=(Trans("4990", 100), Trans("1930", -99)))
    with pytest.raises(ValueError, match="balanserar inte"):
        write_sie(_file(broken))
    with pytest.raises(ValueError, match="kontot 5000"):
        write_sie(_file(_voucher(account="5000")))
    with pytest.raises(ValueError, match="odeklarerat objekt"):
        write_sie(_file(_voucher(objects=((6, "P9"),))))


def test_the_stored_rows_give_the_same_bytes():
    sie = _file(_voucher(), _voucher(text="Återbetalning", amount=-500))
    assert write_sie(from_rows(to_rows(sie))) == write_sie(sie)
