"""Organisation numbers and diary numbers as the region writes them."""

import pytest

from app.core.errors import DomainError
from app.core.identifiers import normalise_diary_number, normalise_org_number


@pytest.fixture(autouse=True)
def _clean_database():
    """Plain rules: no application to build, no database to clean."""
    yield

@pytest.mark.parametrize("text, expected", [
    ("212000-2627", "212000-2627"),      # Östersunds kommun
    ("2120002627", "212000-2627"),
    ("16212000-2627", "212000-2627"),
    (" 232100-0230 ", "232100-0230"),    # Region Jämtland Härjedalen
])
def test_valid_org_numbers_are_normalised(text, expected):
    assert normalise_org_number(text) == expected


@pytest.mark.parametrize("text, message", [
    ("212000-2628", "kontrollsiffra"),
    ("12345", "inget organisationsnummer"),
    ("abcdef-ghij", "inget organisationsnummer"),
    ("811218-9876", "personnummer"),
])
def test_invalid_org_numbers_say_why(text, message):
    with pytest.raises(DomainError, match=message):
        normalise_org_number(text)


@pytest.mark.parametrize("text, expected", [
    ("RUN/290/2022", "RUN/290/2022"),
    ("run 290 2022", "RUN/290/2022"),
    ("RUN-290-2022", "RUN/290/2022"),
    ("RUN2902022", None),
    ("HSN/292:7/2020", "HSN/292:7/2020"),
    ("HSN 292:7 2020", "HSN/292:7/2020"),
    ("HSN/0292/2020", "HSN/292/2020"),
])
def test_diary_numbers_are_normalised(text, expected):
    if expected is None:
        with pytest.raises(DomainError, match="diarienummer"):
            normalise_diary_number(text)
    else:
        assert normalise_diary_number(text) == expected


def test_nonsense_is_no_diary_number():
    with pytest.raises(DomainError, match="RUN/290/2022"):
        normalise_diary_number("§125")


@pytest.mark.parametrize("text, reason", [
    # The walk's case: typed year first, it was stored as RJH/2026/1234 (year 1234).
    ("RJH/2026-1234", "1234 är inget år (står året först? skriv RJH/1234/2026)"),
    ("RJH/2026/1234", "1234 är inget år"),
    ("RUN/290-2022", "både ”/” och ”-”"),
    ("RUN/290 2022", "både ”/” och ” ”"),
    ("RUN/290/0022", "0022 är inget år"),
])
def test_a_diary_number_whose_shape_is_not_understood_is_refused_with_the_shape(text, reason):
    """Is a number that could be read two ways refused, saying the expected shape?"""
    with pytest.raises(DomainError) as refused:
        normalise_diary_number(text)
    assert reason in refused.value.message
    assert "PREFIX/löpnummer/år, t.ex. RUN/290/2022" in refused.value.message


def test_a_space_after_the_prefix_goes_with_any_separator():
    assert normalise_diary_number("RUN 290/2022") == "RUN/290/2022"
