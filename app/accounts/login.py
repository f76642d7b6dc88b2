"""Checking who is logging in."""

from __future__ import annotations

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import User
from app.accounts.users import find_by_email


@cache
def _decoy_hash() -> str:
    return generate_password_hash("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """Return the active account with this e-mail and password, else None.

    An unknown address costs the same hashing as a wrong password, so timing does not tell
    which addresses have accounts.
    """
    user = find_by_email(email)
    if user is None:
        check_password_hash(_decoy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user
