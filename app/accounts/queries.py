"""Reading accounts for the administrators' pages."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import ApiToken, User
from app.extensions import db


def list_users() -> list[User]:
    """Return every account, active ones first, then by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))


def api_tokens_of(user_id: int) -> list[ApiToken]:
    """Return an account's API tokens, the newest first (revoked ones too, marked so)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def api_token_of(user_id: int, token_id: int) -> ApiToken | None:
    """Return one of an account's API tokens, or None (another's token is not found)."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id))
