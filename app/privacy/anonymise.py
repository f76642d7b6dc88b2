"""Anonymising an account (GDPR art. 17, as far as the archive law allows): the person's name,
e-mail address and contact details go everywhere they were copied; applications, decisions
and every record of money stay, and the audit log names the person by a stable pseudonym."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, delete, func, select, update

from app.accounts.models import AccountAction, User
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.models import AuditEntry, OutboundEmail
from app.core.security_log import security_event
from app.core.types import utcnow
from app.extensions import db
from app.privacy.queries import Mention, mentions
from app.privacy.rules import (
    CLEARED_BODY,
    identifying_names,
    pseudonym,
    pseudonym_address,
    replace_in_value,
)


@dataclass(frozen=True)
class Anonymised:
    """What anonymising an account did."""

    user_id: int
    pseudonym: str
    rows_changed: int
    emails_deleted: int


def _new_tag() -> str:
    # Random, not derived from the person: the pseudonym must not lead back to them.
    while True:
        tag = secrets.token_hex(3)
        taken = db.session.scalar(select(User.id).where(User.email == pseudonym_address(tag)))
        if taken is None:
            return tag


def _replace_mentions(found: list[Mention], needles: list[str], replacement: str) -> int:
    """Write `replacement` over the needles in every row found; return how many rows changed."""
    changes: dict[tuple[str, tuple], dict[str, object]] = defaultdict(dict)
    for mention in found:
        column = db.metadata.tables[mention.table].c[mention.column]
        value = replace_in_value(mention.value, needles, replacement)
        if isinstance(value, str) and isinstance(column.type, String) and column.type.length:
            value = value[:column.type.length]  # a pseudonym may be longer than an address
        changes[(mention.table, tuple(mention.key.items()))][mention.column] = value
    for (name, key), values in changes.items():
        table = db.metadata.tables[name]
        db.session.execute(update(table).where(*[table.c[k] == v for k, v in key])
                           .values(**values))
    return len(changes)


def anonymise_account(user_id: int, actor: Actor, *, address: str | None = None) -> Anonymised:
    """Replace a person's name and e-mail address by a pseudonym wherever they stand, clear
    the e-mails sent to them, and close the account for good."""
    user = db.session.get(User, user_id)
    if user is None:
        raise DomainError(_("kontot finns inte"))
    if actor.user_id == user.id:
        raise DomainError(_("du kan inte anonymisera ditt eget konto"))
    if user.anonymised_at is not None:
        raise DomainError(_("kontot är redan anonymiserat"))
    old_email = user.email
    needles = identifying_names(user.email, user.name)
    tag = _new_tag()
    name = pseudonym(tag)

    user.email = pseudonym_address(tag)
    user.name = name
    user.locale = None
    user.active = False
    user.anonymised_at = utcnow()
    user.end_sessions()  # wherever it was logged in, its sessions end with it
    # No password can open the account again, and a link sent before cannot set one.
    user.set_password(secrets.token_urlsafe(32),
                      current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    db.session.flush()

    to_them = func.lower(OutboundEmail.to) == old_email.lower()
    # An unsent message would go to nobody (and stop the queue behind it): it goes.
    emails_deleted = db.session.execute(
        delete(OutboundEmail).where(to_them, OutboundEmail.sent_at.is_(None))
    ).rowcount or 0
    db.session.execute(update(OutboundEmail).where(to_them)
                       .values(to=user.email, body=CLEARED_BODY))
    db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id)
                       .values(actor=name))
    changed = _replace_mentions(mentions(needles), needles, name)
    db.session.expire_all()  # the session's objects were changed behind its back

    audit.record(actor, AccountAction.USER_ANONYMISE, "user", user_id,
                 summary=f"Anonymiserade kontot {name}",
                 after={"pseudonym": name, "rows_changed": changed,
                        "emails_deleted": emails_deleted})
    db.session.flush()
    security_event("account.anonymise", user=actor.label, address=address,
                   subject_id=user_id, pseudonym=name)
    return Anonymised(user_id, name, changed, emails_deleted)
