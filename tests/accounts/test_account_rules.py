"""The rules of accounts, without an app: e-mail addresses, passwords, membership."""

import pytest

from app.accounts.rules import (
    MIN_PASSWORD,
    PasswordRefused,
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
    """Is a password one character short refused, and a strong one of exactly the minimum
    accepted?"""
    check_password_strength("kvgb-tsrmq")
    with pytest.raises(PasswordRefused, match=f"minst {MIN_PASSWORD} tecken"):
        check_password_strength("kvgb-tsrm")


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "Sommar2024!", "Lösenord123!",
                                      "qwertyuiop", "abcdefghij"])
def test_a_password_easy_to_guess_is_refused_with_a_reason_in_swedish(password):
    """Is a password a guesser tries early refused, saying why in Swedish?"""
    with pytest.raises(PasswordRefused, match="^för lätt att gissa: ") as refused:
        check_password_strength(password)
    assert "guess" not in str(refused.value)


def test_a_repeat_is_named_as_the_reason():
    with pytest.raises(PasswordRefused, match="upprepningar"):
        check_password_strength("aaaaaaaaaa")


@pytest.mark.parametrize("password", [
    "anna.berg@krokom.se",  # the address itself
    "ANNA.BERG@krokom.se!",
    "anna.berg-visslar-i-skogen",  # its local part
    "berg-och-dalbana-42",  # a part of it
    "Anna Berg 1975 kokar",  # the name
])
def test_a_password_may_not_contain_the_address_or_the_name(password):
    with pytest.raises(PasswordRefused, match="e-postadress eller ditt namn"):
        check_password_strength(password, email="anna.berg@krokom.se", name="Anna Berg")


@pytest.mark.parametrize("password", ["tavla gurka segelbåt moln", "ett-langt-losenord",
                                      "Kaffekoppen dansar i Ragunda"])
def test_a_long_passphrase_is_accepted(password):
    check_password_strength(password, email="ada@example.se", name="Ada Lind")


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
