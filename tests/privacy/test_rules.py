"""The retention rule and the finding of a person's name, as plain Python."""

from __future__ import annotations

from datetime import date

import pytest

from app.privacy.rules import (
    RetentionPolicy,
    identifying_names,
    is_past_retention,
    replace_in_text,
    replace_in_value,
    retention_cutoff,
)


@pytest.mark.parametrize("ended, years, today, past", [
    (date(2023, 12, 31), 2, date(2026, 1, 1), True),   # kept 2024 and 2025
    (date(2024, 1, 1), 2, date(2026, 12, 31), False),  # kept through 2026
    (date(2024, 6, 1), 2, date(2027, 1, 1), True),
    (date(2018, 12, 31), 7, date(2026, 3, 1), True),
    (date(2019, 1, 1), 7, date(2026, 3, 1), False),
    (date(2025, 5, 1), 0, date(2026, 1, 1), True),
    (date(2026, 5, 1), 0, date(2026, 6, 1), False),
])
def test_retention_counts_whole_years_from_the_end_of_the_year(ended, years, today, past):
    assert is_past_retention(ended, years, today) is past


def test_the_cutoff_is_new_years_day():
    assert retention_cutoff(date(2026, 3, 1), 7) == date(2019, 1, 1)


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError):
        RetentionPolicy(-1, 2, 2)


def test_only_a_full_name_is_safe_to_replace():
    assert identifying_names("a@b.se", "Anna") == ["a@b.se"]
    assert identifying_names("a@b.se", " Anna  Svensson ") == ["a@b.se", "Anna Svensson"]
    assert identifying_names("a@b.se", "") == ["a@b.se"]


@pytest.mark.parametrize("text, expected", [
    ("Kontakt: anna@krokom.se.", "Kontakt: X."),
    ("ANNA@KROKOM.SE skrev", "X skrev"),
    ("hanna@krokom.se skrev", "hanna@krokom.se skrev"),
    ("anna@krokom.se.com", "anna@krokom.se.com"),
    ("Hej Anna\nSvensson!", "Hej X!"),
    ("Annasvensson", "Annasvensson"),
    ("Anna Svenssons projekt", "Xs projekt"),
    ("Anna Svenssonska gården", "Anna Svenssonska gården"),
])
def test_a_name_or_address_is_replaced_only_where_it_stands_whole(text, expected):
    assert replace_in_text(text, ["anna@krokom.se", "Anna Svensson"], "X") == expected


def test_numbers_in_json_are_left_as_they_are():
    value = {"amount": 5_000_000, "by": "anna@krokom.se", "list": ["Anna Svensson", 3]}
    assert replace_in_value(value, ["anna@krokom.se", "Anna Svensson"], "X") == {
        "amount": 5_000_000, "by": "X", "list": ["X", 3]}
