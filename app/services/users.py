"""Accounts."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select

from app.domain.errors import DomainError
from app.extensions import db
from app.models import Role, User
from app.services import audit
from app.services.audit import Actor

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"lösenordet måste ha minst {MIN_PASSWORD} tecken")


def create_user(email: str, password: str, role: str, actor: Actor, *, name: str = "") -> User:
    """Create an account with a hashed password."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise DomainError(f"{email!r} är ingen giltig e-postadress")
    try:
        role_value = Role(role)
    except ValueError:
        raise DomainError(f"okänd roll {role!r}") from None
    check_password_strength(password)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise DomainError(f"det finns redan ett konto för {email}")
    user = User(email=email, name=name.strip(), role=role_value)
    user.set_password(password, current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, summary=f"Skapade kontot {email} ({role})",
                 after={"email": email, "role": role})
    return user


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
