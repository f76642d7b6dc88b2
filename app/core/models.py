"""The audit log: every change to money, who made it, and the values before and after."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class AuditEntry(db.Model):
    # The log pages newest first by (at, id), also when filtered by year or action; the
    # filter's years are the first and last year (the head of the year index).
    __table_args__ = (
        Index("ix_audit_entry_at_id", "at", "id"),
        Index("ix_audit_entry_year_at", "year", "at", "id"),
        Index("ix_audit_entry_action_at", "action", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class OutboundEmail(db.Model):
    """Every e-mail the app sends, kept so none is lost in development and tests."""


    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DataVersion(db.Model):
    """One row naming the state of the data: a new random token at every commit that changes
    anything shown as figures (app/core/reading/figures.py), so figures computed once can be
    reused, by every process, until the next change."""

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
