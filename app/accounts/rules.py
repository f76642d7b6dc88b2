"""The rules of accounts: what an e-mail address looks like, how long a password must be, and
who belongs to an organisation."""

from __future__ import annotations

import re

from app.core.errors import DomainError

#: Something, an @, a domain with a dot: anything stricter refuses real addresses.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


def normalise_email(text: str) -> str:
    """Return an e-mail address as accounts keep it (trimmed, lower case), or refuse it."""
    email = text.strip().lower()
    if not EMAIL.match(email):
        raise DomainError(f"{email!r} är ingen giltig e-postadress")
    return email


def check_password_strength(password: str) -> None:
    """Refuse a password shorter than MIN_PASSWORD characters."""
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"lösenordet måste ha minst {MIN_PASSWORD} tecken")


def check_membership(*, applicant: bool, has_organisation: bool) -> None:
    """Refuse an applicant without an organisation, and staff with one: applicants see their
    organisation's applications, staff see everything."""
    if applicant and not has_organisation:
        raise DomainError("en sökande måste höra till en organisation")
    if not applicant and has_organisation:
        raise DomainError("bara sökande hör till en organisation")


def kept_organisation(organisation_id: int | None, merged_into: dict[int, int]) -> int | None:
    """Return the organisation kept after merges (`merged_into`: duplicate → kept), or the
    organisation itself when it was never merged."""
    seen: set[int] = set()
    while organisation_id in merged_into and organisation_id not in seen:
        seen.add(organisation_id)
        organisation_id = merged_into[organisation_id]
    return organisation_id
