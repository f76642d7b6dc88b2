"""Accounts."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select

from app.accounts.models import Organisation, Role, User
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.types import utcnow
from app.extensions import db

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"lösenordet måste ha minst {MIN_PASSWORD} tecken")


def create_user(email: str, password: str, role: str, actor: Actor, *, name: str = "",
                organisation: Organisation | None = None, confirmed: bool = True) -> User:
    """Create an account with a hashed password.

    An applicant must belong to an organisation. Accounts made by an administrator or the
    command line are confirmed; self-registered ones wait for their e-mail link.
    """
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise DomainError(f"{email!r} är ingen giltig e-postadress")
    try:
        role_value = Role(role)
    except ValueError:
        raise DomainError(f"okänd roll {role!r}") from None
    if role_value is Role.APPLICANT and organisation is None:
        raise DomainError("en sökande måste höra till en organisation")
    if role_value is not Role.APPLICANT and organisation is not None:
        raise DomainError("bara sökande hör till en organisation")
    check_password_strength(password)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise DomainError(f"det finns redan ett konto för {email}")
    user = User(email=email, name=name.strip(), role=role_value,
                organisation_id=organisation.id if organisation else None,
                email_confirmed_at=utcnow() if confirmed else None)
    user.set_password(password, current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, summary=f"Skapade kontot {email} ({role})",
                 after={"email": email, "role": role,
                        "organisation": organisation.name if organisation else None})
    return user


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
