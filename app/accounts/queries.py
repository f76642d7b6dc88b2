"""Administering accounts: listing them, closing and reopening them."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db


def list_users() -> list[User]:
    """Return every account, active ones first, then by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))


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
    audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.id,
                 summary=f"{verb} kontot {user.email}",
                 before={"active": not active}, after={"active": active})
    return user
