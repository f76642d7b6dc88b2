"""E-mail through an outbox: every message is stored with the change that caused it, and sent
after the commit through Flask-Mail when an SMTP server is configured."""

from __future__ import annotations

import logging
import re

from flask import current_app, render_template
from flask_mail import Message
from sqlalchemy import select

from app.core.models import OutboundEmail
from app.core.types import utcnow
from app.extensions import db, mail

log = logging.getLogger(__name__)


def queue_mail(to: str, subject: str, template: str, **context) -> OutboundEmail:
    """Store an e-mail rendered from templates/emails/<template>.txt; the caller's commit keeps it."""
    body = render_template(f"emails/{template}.txt", **context)
    message = OutboundEmail(to=to, subject=subject[:300], body=body)
    db.session.add(message)
    return message


def deliver_pending(limit: int = 100) -> int:
    """Send stored e-mails that are not yet sent, when an SMTP server is configured.

    Call after a commit; the caller commits again to keep what was sent. Returns how many were
    sent. A failure leaves the message for the next try (`flask mail send`), so nothing is lost
    to a passing SMTP fault.
    """
    if current_app.config.get("MAIL_SUPPRESS_SEND", True):
        return 0
    pending = db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.sent_at.is_(None))
        .order_by(OutboundEmail.id).limit(limit).with_for_update(skip_locked=True)
    ).all()
    sent = 0
    for message in pending:
        try:
            mail.send(Message(subject=message.subject, recipients=[message.to], body=message.body))
        except Exception:  # noqa: BLE001 - any SMTP failure: keep the message for a retry
            log.exception("could not send e-mail %s to %s", message.id, message.to)
            break
        message.sent_at = utcnow()
        sent += 1
    db.session.flush()
    return sent


def outbox_for(address: str) -> list[OutboundEmail]:
    """Return the e-mails stored for an address, newest last (tests and the admin page)."""
    return list(db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.to == address).order_by(OutboundEmail.id)
    ))


LINK = re.compile(r"https?://[^\s<>\"]+")


def links_in(body: str) -> list[str]:
    """Return the web addresses an e-mail's text holds, in order."""
    return LINK.findall(body or "")


def waiting(*, to: str | None = None, include_sent: bool = False,
            limit: int = 50) -> list[OutboundEmail]:
    """Return the newest e-mails of the outbox, oldest first: those not yet sent (all with
    `include_sent`), to one address if given."""
    query = select(OutboundEmail)
    if not include_sent:
        query = query.where(OutboundEmail.sent_at.is_(None))
    if to:
        query = query.where(OutboundEmail.to == to.strip().lower())
    newest = db.session.scalars(query.order_by(OutboundEmail.id.desc()).limit(limit)).all()
    return list(reversed(newest))
