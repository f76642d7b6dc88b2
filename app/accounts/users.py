"""Accounts: creating them, choosing a password, closing and reopening them."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import AccountAction, Organisation, Role, User
from app.accounts.rules import check_membership, check_password_strength, normalise_email
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.security_log import security_event
from app.core.types import utcnow
from app.extensions import db


def hash_method() -> str:
    """Return how passwords and recovery codes are hashed."""
    # Tests choose a fast hash; production keeps scrypt.
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


def create_user(email: str, password: str, role: str, actor: Actor, *, name: str = "",
                organisation: Organisation | None = None, confirmed: bool = True,
                password_hash: str | None = None) -> User:
    """Create an account with a hashed password.

    An applicant must belong to an organisation. Accounts made by an administrator or the
    command line are confirmed; self-registered ones wait for their e-mail link.
    `password_hash` is the password already hashed (registration hashes before it knows
    whether the address is taken).
    """
    email = normalise_email(email)
    try:
        role_value = Role(role)
    except ValueError:
        raise DomainError(_("okänd roll %(role)r", role=role)) from None
    check_membership(applicant=role_value is Role.APPLICANT,
                     has_organisation=organisation is not None)
    check_password_strength(password, email=email, name=name)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise DomainError(_("det finns redan ett konto för %(email)s", email=email))
    user = User(email=email, name=name.strip(), role=role_value,
                organisation_id=organisation.id if organisation else None,
                email_confirmed_at=utcnow() if confirmed else None)
    if password_hash is None:
        user.set_password(password, hash_method())
    else:
        user.password_hash = password_hash
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


def choose_password(user: User, password: str, *, client: str | None = None) -> None:
    """Give an account a new password; choosing one from an e-mailed link confirms the address.

    Every session of the account ends: whoever held one must log in with the new password.
    """
    check_password_strength(password, email=user.email, name=user.name)
    user.set_password(password, hash_method())
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    user.end_sessions()
    db.session.flush()
    audit.record(Actor.of(user), AccountAction.USER_SET_PASSWORD, "user", user.id,
                 summary=f"Valde lösenord för {user.email}")
    security_event("password.change", user=user.email, address=client, by=user.email)


def reset_password(user_id: int, password: str, actor: Actor, *,
                   client: str | None = None) -> User:
    """Give an account a new password chosen by an administrator; its sessions end."""
    user = _get(user_id)
    check_password_strength(password)
    user.set_password(password, hash_method())
    user.end_sessions()
    db.session.flush()
    audit.record(actor, AccountAction.USER_RESET_PASSWORD, "user", user.id,
                 summary=f"Återställde lösenordet för {user.email}")
    security_event("password.change", user=user.email, address=client, by=actor.label)
    return user


def change_role(user_id: int, role: str, actor: Actor, *, client: str | None = None) -> User:
    """Give an account another role; nobody can take away their own administration."""
    user = _get(user_id)
    try:
        new = Role(role)
    except ValueError:
        raise DomainError(_("okänd roll %(role)r", role=role)) from None
    if new == user.role:
        return user
    if actor.user_id == user.id and user.role is Role.ADMIN:
        raise DomainError(_("du kan inte ta bort din egen roll som administratör"))
    check_membership(applicant=new is Role.APPLICANT, has_organisation=user.organisation_id
                     is not None)
    before = user.role
    user.role = new
    db.session.flush()
    audit.record(actor, AccountAction.USER_ROLE_CHANGE, "user", user.id,
                 summary=f"Ändrade rollen för {user.email} till {new.value}",
                 before={"role": before.value}, after={"role": new.value})
    security_event("role.change", user=user.email, address=client, by=actor.label,
                   before=before.value, after=new.value)
    return user


def set_active(user_id: int, active: bool, actor: Actor, *, client: str | None = None) -> User:
    """Let an account log in again, or stop it from logging in; nobody can lock themselves out.

    Closing an account ends its sessions, so reopening it later does not revive them.
    """
    user = _get(user_id)
    if not active and actor.user_id == user.id:
        raise DomainError(_("du kan inte inaktivera ditt eget konto"))
    if active and user.anonymised_at is not None:
        raise DomainError(_("kontot är anonymiserat och kan inte aktiveras igen"))
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.end_sessions()
    db.session.flush()
    verb = "Aktiverade" if active else "Inaktiverade"
    action = AccountAction.USER_ACTIVATE if active else AccountAction.USER_DEACTIVATE
    audit.record(actor, action, "user", user.id,
                 summary=f"{verb} kontot {user.email}",
                 before={"active": not active}, after={"active": active})
    security_event("account.activate" if active else "account.deactivate", user=user.email,
                   address=client, by=actor.label)
    return user


def _get(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise DomainError(_("kontot finns inte"))
    return user
