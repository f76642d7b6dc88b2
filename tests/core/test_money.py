"""Money as öre: reading Swedish and exchange-format amounts, and printing them the Swedish way."""

from decimal import Decimal

import pytest

from app.core.errors import AmountError
from app.core.money import (
    MAX_ORE,
    MINUS,
    NBSP,
    exchange_amount,
    format_amount,
    ore_to_decimal,
    parse_amount,
    parse_exchange_amount,
)


@pytest.fixture(autouse=True)
def _clean_database():
    """Plain rules: no application to build, no database to clean."""
    yield

@pytest.mark.parametrize(
    ("typed", "ore"),
    [
        ("1 000 000,50", 100_000_050),
        ("1000000", 100_000_000),
        ("1 000 000 kr", 100_000_000),
        ("1 000 000 KR", 100_000_000),
        (f"1{NBSP}000{NBSP}000", 100_000_000),
        ("1\u202f000\u202f000", 100_000_000),  # narrow no-break space, as Babel groups
        (f"8{NBSP}436{NBSP}kr", 843_600),
        ("  775 000  ", 77_500_000),
        ("100:-", 10_000),
        ("0,05", 5),
        ("12,3", 1_230),
        ("0", 0),
        (f"{MINUS}0", 0),  # minus zero is zero, not a refused negative
    ],
)
def test_swedish_amounts_are_read_exactly(typed, ore):
    """Is an amount typed the Swedish way read into the exact number of öre?"""
    assert parse_amount(typed) == ore


@pytest.mark.parametrize("typed", [f"{MINUS}8 436", "-8 436", f"{MINUS}8{NBSP}436 kr"])
def test_a_negative_amount_is_refused_unless_allowed(typed):
    """Is "−8 436" refused where amounts must be positive, and read as −8 436 kr where allowed?"""
    with pytest.raises(AmountError, match="får inte vara negativt"):
        parse_amount(typed)
    assert parse_amount(typed, allow_negative=True) == -843_600


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("12,345", "högst två decimaler"),
        ("1.000,50", "kan inte läsas som belopp"),
        ("1,000.50", "kan inte läsas som belopp"),
        ("abc", "kan inte läsas som belopp"),
        ("", "ange ett belopp"),
        ("   ", "ange ett belopp"),
        ("1e5", "kan inte läsas som belopp"),
        ("0x10", "kan inte läsas som belopp"),
        ("kr", "kan inte läsas som belopp"),
        ("1,", "kan inte läsas som belopp"),
        (",5", "kan inte läsas som belopp"),
        ("1 000 000 000 000 000", "orimligt stort"),
    ],
)
def test_unreadable_amounts_are_refused_in_swedish(typed, why):
    """Is an amount that cannot be read exactly refused, with a Swedish message saying why?"""
    with pytest.raises(AmountError, match=why):
        parse_amount(typed)


def test_the_refusal_quotes_what_was_typed():
    """Does the message show the person what they typed and an example of what works?"""
    with pytest.raises(AmountError) as refused:
        parse_amount("1.000,50")
    assert "”1.000,50”" in str(refused.value)
    assert "1 000 000,50" in str(refused.value)


@pytest.mark.parametrize(
    ("value", "ore"),
    [
        (0, 0),
        (8436, 843_600),
        (1_000_000, 100_000_000),
        ("1000000", 100_000_000),
        ("1000000.50", 100_000_050),
        ("1000000.5", 100_000_050),
        (" 72151 ", 7_215_100),
        ("0.05", 5),
    ],
)
def test_exchange_amounts_are_read_exactly(value, ore):
    """Is an exchange-format amount (integer or decimal string) read into exact öre?"""
    assert parse_exchange_amount(value) == ore


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (1000000.5, "flyttal"),
        (1000000.0, "flyttal"),
        (-5, "negativt"),
        ("-5", "negativt"),
        (f"{MINUS}5", "negativt"),
        ("1,5", "inget giltigt belopp"),
        ("1000000.505", "inget giltigt belopp"),
        ("1 000", "inget giltigt belopp"),
        ("1e5", "inget giltigt belopp"),
        ("", "inget giltigt belopp"),
        (True, "inget belopp"),
        (False, "inget belopp"),
        (None, "inget belopp"),
        ([5], "inget belopp"),
        (Decimal(5), "inget belopp"),
        (MAX_ORE, "orimligt stort"),
    ],
)
def test_malformed_exchange_amounts_are_refused(value, why):
    """Is every amount the format does not allow (floats, negatives, commas, booleans) refused?"""
    with pytest.raises(AmountError, match=why):
        parse_exchange_amount(value)


@pytest.mark.parametrize(
    ("ore", "kwargs", "text"),
    [
        (100_000_000, {}, f"1{NBSP}000{NBSP}000"),
        (-843_600, {"unit": True}, f"{MINUS}8{NBSP}436{NBSP}kr"),
        (100_000_050, {}, f"1{NBSP}000{NBSP}000,50"),
        (7_215_100, {"unit": True}, f"72{NBSP}151{NBSP}kr"),
        (0, {}, "0"),
        (5, {}, "0,05"),
        (-50, {}, f"{MINUS}0,50"),
        (100_000_000, {"decimals": True}, f"1{NBSP}000{NBSP}000,00"),
        (100_000_050, {"decimals": False}, f"1{NBSP}000{NBSP}000"),
        (None, {}, ""),
    ],
)
def test_amounts_are_printed_the_swedish_way(ore, kwargs, text):
    """Is an amount printed with no-break-space grouping, a true minus sign and a decimal comma?"""
    assert format_amount(ore, **kwargs) == text


def test_a_printed_amount_never_breaks_across_lines():
    """Does a printed amount hold no ordinary space or hyphen-minus that could split it?"""
    printed = format_amount(-123_456_789_00, unit=True)
    assert " " not in printed and "-" not in printed


@pytest.mark.parametrize(
    ("ore", "written"),
    [
        (100_000_000, 1_000_000),
        (100_000_050, "1000000.50"),
        (5, "0.05"),
        (0, 0),
        (-843_600, -8436),
        (-50, "-0.50"),
        (-100_000_050, "-1000000.50"),
    ],
)
def test_amounts_are_written_as_the_exchange_format_does(ore, written):
    """Is whole kronor written as an integer and anything with öre as an exact decimal string?"""
    assert exchange_amount(ore) == written


@pytest.mark.parametrize("ore", [0, 5, 99, 100, 843_600, 100_000_050, 620_318_300])
def test_writing_and_reading_an_exchange_amount_gives_it_back(ore):
    """Does an amount survive being written to a file and read back, to the öre?"""
    assert parse_exchange_amount(exchange_amount(ore)) == ore


@pytest.mark.parametrize("ore", [0, 5, 843_600, 100_000_050, -843_600])
def test_a_printed_amount_reads_back_to_itself(ore):
    """Can what the app prints be typed back into a form and mean the same amount?"""
    assert parse_amount(format_amount(ore, unit=True), allow_negative=True) == ore


def test_kronor_as_decimal_are_exact():
    """Is an amount handed to a spreadsheet an exact Decimal, not a float?"""
    assert ore_to_decimal(100_000_050) == Decimal("1000000.50")
