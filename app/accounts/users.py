"""Accounts: creating them, choosing a password, closing and reopening them."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from app.accounts.models import AccountAction, Organisation, Role, User
from app.accounts.rules import check_membership, check_password_strength, normalise_email
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.types import utcnow
from app.extensions import db


def hash_method() -> str:
    """Return how passwords and recovery codes are hashed."""
    # Tests choose a fast hash; production keeps scrypt.
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


def create_user(email: str, password: str, role: str, actor: Actor, *, name: str = "",
                organisation: Organisation | None = None, confirmed: bool = True) -> User:
    """Create an account with a hashed password.

    An applicant must belong to an organisation. Accounts made by an administrator or the
    command line are confirmed; self-registered ones wait for their e-mail link.
    """
    email = normalise_email(email)
    try:
        role_value = Role(role)
    except ValueError:
        raise DomainError(f"okänd roll {role!r}") from None
    check_membership(applicant=role_value is Role.APPLICANT,
                     has_organisation=organisation is not None)
    check_password_strength(password, email=email, name=name)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise DomainError(f"det finns redan ett konto för {email}")
    user = User(email=email, name=name.strip(), role=role_value,
                organisation_id=organisation.id if organisation else None,
                email_confirmed_at=utcnow() if confirmed else None)
    user.set_password(password, hash_method())
    db.session.add(user)
    db.session.flush()
    audit.record(actor, AccountAction.USER_CREATE, "user", user.id,
                 summary=f"Skapade kontot {email} ({role_value.value})",
                 after={"email": email, "role": role_value.value,
                        "organisation": organisation.name if organisation else None})
    return user


def find_by_email(email: str) -> User | None:
    """Return the account with this e-mail address, whatever its case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def choose_password(user: User, password: str) -> None:
    """Give an account a new password; choosing one from an e-mailed link confirms the address."""
    check_password_strength(password, email=user.email, name=user.name)
    user.set_password(password, hash_method())
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    audit.record(Actor.of(user), AccountAction.USER_SET_PASSWORD, "user", user.id,
                 summary=f"Valde lösenord för {user.email}")


def set_active(user_id: int, active: bool, actor: Actor) -> User:
    """Let an account log in again, or stop it from logging in; nobody can lock themselves out."""
    user = db.session.get(User, user_id)
    if user is None:
        raise DomainError("kontot finns inte")
    if not active and actor.user_id == user.id:
        raise DomainError("du kan inte inaktivera ditt eget konto")
    if user.active == active:
        return user
    user.active = active
    db.session.flush()
    verb = "Aktiverade" if active else "Inaktiverade"
    action = AccountAction.USER_ACTIVATE if active else AccountAction.USER_DEACTIVATE
    audit.record(actor, action, "user", user.id,
                 summary=f"{verb} kontot {user.email}",
                 before={"active": not active}, after={"active": active})
    return user
