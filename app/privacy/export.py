"""Everything the system holds about one person, as one JSON document (GDPR art. 15 and 20)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import inspect

from app.accounts.models import Organisation, User
from app.core.audit import Actor
from app.core.security_log import security_event
from app.core.types import utcnow
from app.extensions import db
from app.privacy.queries import mentions, personal_records
from app.privacy.rules import identifying_names

FORMAT = "stimulansmedel/personuppgifter-1"
#: Never in an export: a password's hash, a two-factor secret and a file's name on the server
#: say nothing about the person and help only an attacker (the secret gives its codes to
#: anyone who reads the export).
SECRET_COLUMNS = frozenset({"password_hash", "storage_name", "totp_secret"})
#: Tables whose rows the export shows whole; other rows that name the person are listed as
#: mentions.
SHOWN_WHOLE = frozenset({"user", "application", "decision", "grant", "project_report",
                         "requisition", "payment", "review", "audit_entry", "outbound_email"})


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def row(obj: Any, **extra: Any) -> dict[str, Any]:
    """A model's columns as JSON values (amounts in öre, as stored), without secrets."""
    out = {attr.key: _plain(getattr(obj, attr.key))
           for attr in inspect(obj).mapper.column_attrs if attr.key not in SECRET_COLUMNS}
    out.update(extra)
    return out


def personal_data(user: User) -> dict[str, Any]:
    """Build the document of what the system holds about `user`."""
    found = mentions(identifying_names(user.email, user.name))
    records = personal_records(user, [m.key["id"] for m in found if m.table == "application"])
    organisation = (db.session.get(Organisation, user.organisation_id)
                    if user.organisation_id else None)
    return {
        "format": FORMAT,
        "exported_at": utcnow().isoformat(timespec="seconds"),
        "description": ("Allt som Stimulansmedel har sparat om dig. Belopp anges i öre. "
                        "Ansökningar och rapporter hör till din organisation."),
        "account": row(user),
        "organisation": row(organisation) if organisation else None,
        "applications": [
            row(a, budget_lines=[row(line) for line in a.budget_lines],
                attachments=[row(f) for f in a.attachments])
            for a in records.applications
        ],
        "decisions": [row(d) for d in records.decisions],
        "grants": [row(g) for g in records.grants],
        "project_reports": [row(r, lines=[row(line) for line in r.lines])
                            for r in records.reports],
        "requisitions": [row(r) for r in records.requisitions],
        "payments": [row(p) for p in records.payments],
        "reviews": [row(r) for r in records.reviews],
        "audit_log": [row(e) for e in records.audit],
        "emails": [row(e) for e in records.emails],
        "other_mentions": [
            {"table": m.table, "key": _plain(m.key), "column": m.column, "value": _plain(m.value)}
            for m in found if m.table not in SHOWN_WHOLE
        ],
    }


def export_personal_data(user: User, requested_by: Actor, *,
                         address: str | None = None) -> dict[str, Any]:
    """Return `user`'s document and log who downloaded it as a security event."""
    document = personal_data(user)
    security_event("personal_data.export", user=requested_by.label, address=address,
                   subject_id=user.id, own=requested_by.user_id == user.id)
    return document
