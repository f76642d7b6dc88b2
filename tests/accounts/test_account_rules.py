"""The rules of accounts, without an app: e-mail addresses, passwords, membership."""

import pytest

from app.accounts.rules import (
    MIN_PASSWORD,
    check_membership,
    check_password_strength,
    normalise_email,
)
from app.core.errors import DomainError


@pytest.mark.parametrize("text, expected", [
    ("anna@krokom.se", "anna@krokom.se"),
    ("  Anna.Berg@Krokom.SE ", "anna.berg@krokom.se"),
    ("a+fonder@sub.region.se", "a+fonder@sub.region.se"),
])
def test_an_address_is_kept_trimmed_and_in_lower_case(text, expected):
    assert normalise_email(text) == expected


@pytest.mark.parametrize("text", ["", "anna", "anna@krokom", "@krokom.se", "anna berg@krokom.se",
                                  "anna@@krokom.se"])
def test_something_that_is_not_an_address_is_refused(text):
    with pytest.raises(DomainError, match="är ingen giltig e-postadress"):
        normalise_email(text)


def test_a_password_needs_the_minimum_length():
    """Is a password one character short refused, and one of exactly the minimum accepted?"""
    check_password_strength("x" * MIN_PASSWORD)
    with pytest.raises(DomainError, match=f"minst {MIN_PASSWORD} tecken"):
        check_password_strength("x" * (MIN_PASSWORD - 1))


@pytest.mark.parametrize("applicant, has_organisation, refusal", [
    (True, True, None),
    (False, False, None),
    (True, False, "en sökande måste höra till en organisation"),
    (False, True, "bara sökande hör till en organisation"),
])
def test_only_applicants_belong_to_an_organisation(applicant, has_organisation, refusal):
    if refusal is None:
        check_membership(applicant=applicant, has_organisation=has_organisation)
    else:
        with pytest.raises(DomainError, match=refusal):
            check_membership(applicant=applicant, has_organisation=has_organisation)
