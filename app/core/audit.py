"""Writing the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.accounts.models import User
from app.core.models import AuditEntry
from app.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in user, or a named command-line operator."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(label=user.email, user_id=user.id)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (int, str)):
        return value.value
    return value


def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    year: int | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add one audit entry to the session (the caller's transaction commits it)."""
    entry = AuditEntry(
        actor=actor.label,
        actor_id=actor.user_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        year=year,
        summary=summary[:500],
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(entry)
    return entry
