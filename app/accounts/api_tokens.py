"""Personal API tokens: creating one (its secret shown once), revoking it, and finding the
account a presented token acts as.

A token is `stm_` and 43 characters of a random 32-byte secret; only its SHA-256 is kept, so
the database never holds what opens the API. A token acts as its user with that user's role,
and stops working at once when revoked, expired, or when the account is deactivated or
anonymised. Nothing here commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import AccountAction, ApiToken, User
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.security_log import security_event
from app.core.text import first_forbidden
from app.core.types import utcnow
from app.extensions import db

TOKEN_PREFIX = "stm_"
#: The characters of a token shown to name it (its prefix and the first of its secret).
SHOWN = 12
#: The longest a token may be made to last, in days.
MAX_DAYS = 730
#: Last use is written at most this often, so reading the API is not a write per request.
LAST_USED_STEP = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """Return the SHA-256 (hex) under which a token is kept."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user: User, name: str, days: int | None, actor: Actor) -> tuple[ApiToken, str]:
    """Create a token for `user`, lasting `days` (None: until revoked); return it and the
    secret, which is shown this once and never kept."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("ge nyckeln ett namn, till exempel vad den ska användas till"))
    if len(name) > 100:
        raise DomainError(_("namnet får vara högst 100 tecken"))
    if first_forbidden(name) is not None:
        raise DomainError(_("namnet innehåller ett tecken som inte får finnas i text"))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise DomainError(_("giltighetstiden ska vara mellan 1 och %(most)s dagar", most=MAX_DAYS))
    if not user.active or user.anonymised_at is not None:
        raise DomainError(_("kontot är inte aktivt"))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:SHOWN],
                     token_hash=hash_token(secret), created_at=now,
                     expires_at=now + timedelta(days=days) if days else None)
    db.session.add(token)
    db.session.flush()
    audit.record(actor, AccountAction.API_TOKEN_CREATE, "user", user.id,
                 summary=f"Ny API-nyckel ”{name}” ({token.prefix}…) för {user.email}",
                 after={"name": name, "prefix": token.prefix, "expires_at": token.expires_at})
    security_event("api_token.create", user=user.email, token=token.prefix,
                   days=days, by=actor.label)
    return token, secret


def revoke_token(token: ApiToken, actor: Actor) -> None:
    """Revoke a token: it opens nothing from now on (revoking twice changes nothing)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, AccountAction.API_TOKEN_REVOKE, "user", token.user_id,
                 summary=f"Återkallade API-nyckeln ”{token.name}” ({token.prefix}…)",
                 before={"name": token.name, "prefix": token.prefix})
    security_event("api_token.revoke", user=token.user.email, token=token.prefix,
                   by=actor.label)


def user_of_token(presented: str, *, now: datetime | None = None) -> User | None:
    """Return the account a presented token acts as, and note its use; None when the token
    is unknown, revoked or expired, or its account inactive or anonymised."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(presented)))
    now = now or utcnow()
    if token is None or not token.usable_at(now):
        return None
    user = token.user
    if not user.active or user.anonymised_at is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        token.last_used_at = now
        db.session.flush()
    return user
