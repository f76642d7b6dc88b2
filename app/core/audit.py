"""Writing the audit log, and the one registry of what its actions are called."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from typing import Any

from app.core.labels import LabelledEnum
from app.core.models import AuditEntry
from app.extensions import db


class AuditAction(LabelledEnum):
    """What an audit entry records. Each area declares its own actions as a subclass with
    their Swedish names, `PAYMENT_APPROVE = "payment.approve", _l("Attesterad utbetalning")`;
    together the subclasses are the registry that names every action in the log."""

    @classmethod
    def registry(cls) -> dict[str, AuditAction]:
        """Every action of every area, by its code."""
        found: dict[str, AuditAction] = {}
        pending = list(cls.__subclasses__())
        while pending:
            kind = pending.pop()
            pending.extend(kind.__subclasses__())
            for member in kind:
                found[member.value] = member
        return found

    @classmethod
    def label_of(cls, code: str) -> str:
        """The name of an action's code (the code itself for one no longer in the code)."""
        member = cls.registry().get(code)
        return member.label if member is not None else code


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in user, or a named command-line operator."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user) -> Actor:
        """The actor of a logged-in account (anything with an `email` and an `id`)."""
        return cls(label=user.email, user_id=user.id)

    @classmethod
    def command_line(cls) -> Actor:
        """The operator of a command, named by the OS account that ran it."""
        try:
            who = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user database in some containers
            who = "okänd"
        return cls(label=f"kommandorad:{who}")


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
    action: AuditAction,
    entity: str,
    entity_id: int | None,
    *,
    year: int | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add one audit entry to the session (the caller's transaction commits it).

    The action must be a member of an area's AuditAction, so the log can always name it."""
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit action {action!r} is not an AuditAction member")
    entry = AuditEntry(
        actor=actor.label,
        actor_id=actor.user_id,
        action=action.value,
        entity=entity,
        entity_id=entity_id,
        year=year,
        summary=summary[:500],
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(entry)
    return entry
