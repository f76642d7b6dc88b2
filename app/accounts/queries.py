"""Reading accounts for the administrators' pages."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db


def list_users() -> list[User]:
    """Return every account, active ones first, then by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))
