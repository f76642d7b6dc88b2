"""What the system holds about a person, and which old records are past their retention.

`mentions` searches every text column of every table for a person's e-mail address and full
name, so that a copy made by any area (an audit summary, a payment's registrar, a call's
author, a free text) is found without this module naming each one; export and anonymisation
both start from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Enum, String, Table, Text, cast, func, or_, select

from app.accounts.models import User
from app.call.models import (
    Application,
    ApplicationVersion,
    Attachment,
    Decision,
    DecisionOutcome,
    Review,
)
from app.core.models import AuditEntry, OutboundEmail
from app.extensions import db
from app.followup.models import ProjectReport
from app.ledger.models import Grant, Payment, Requisition
from app.privacy.rules import replace_in_value


@dataclass(frozen=True)
class Mention:
    """One text column of one row that names the person."""

    table: str
    key: dict[str, Any]
    column: str
    value: Any


def text_columns(table: Table) -> list[Column]:
    """The columns of a table a name can be written in: strings, texts and JSON, not codes."""
    return [c for c in table.columns
            if isinstance(c.type, (String, Text, JSON)) and not isinstance(c.type, Enum)]


def _variants(needle: str) -> set[str]:
    # SQLite lowers only A–Z and PostgreSQL's LIKE minds case: try the usual spellings too.
    return {needle, needle.lower(), needle.upper(), needle.title()}


def _mentions_condition(column: Column, needles: Sequence[str]):
    as_json = isinstance(column.type, JSON)
    expression = cast(column, Text) if as_json else column
    options = set()
    for needle in needles:
        options |= _variants(needle)
        if as_json:  # JSON keeps å, é … as \u00e5 escapes
            options |= _variants(json.dumps(needle)[1:-1])
    return or_(*[func.lower(expression).contains(o.lower(), autoescape=True) for o in options],
               *[expression.contains(o, autoescape=True) for o in options])


def mentions(needles: Sequence[str], *, skip: Iterable[str] = ()) -> list[Mention]:
    """Every text value in the database that contains one of the needles as a whole word or
    address (one query per table that has text columns)."""
    needles = [n for n in needles if n]
    if not needles:
        return []
    skipped = set(skip)
    found: list[Mention] = []
    for table in db.metadata.sorted_tables:
        columns = text_columns(table)
        if table.name in skipped or not columns:
            continue
        keys = list(table.primary_key.columns)
        rows = db.session.execute(
            select(*keys, *columns)
            .where(or_(*[_mentions_condition(c, needles) for c in columns]))
            .order_by(*keys)
        ).mappings()
        for row in rows:
            key = {k.name: row[k.name] for k in keys}
            for column in columns:
                value = row[column.name]
                # The database's match is broad; the rule decides what is a whole mention.
                if value is not None and replace_in_value(value, needles, "\0") != value:
                    found.append(Mention(table.name, key, column.name, value))
    return found


@dataclass
class PersonalRecords:
    """The rows that are about one person, loaded for the export."""

    applications: list[Application]
    decisions: list[Decision]
    grants: list[Grant]
    reports: list[ProjectReport]
    requisitions: list[Requisition]
    payments: list[Payment]
    reviews: list[Review]
    audit: list[AuditEntry]
    emails: list[OutboundEmail]


def personal_records(user: User, application_ids: Iterable[int]) -> PersonalRecords:
    """Load what is about `user`: the applications they wrote or that name them (the ids
    found by `mentions`), what was decided and reported on them, and what they did."""
    ids = set(application_ids) | set(db.session.scalars(
        select(Application.id).where(Application.created_by_id == user.id)))
    email = user.email.lower()
    applications = list(db.session.scalars(
        select(Application).where(Application.id.in_(ids)).order_by(Application.id)))
    grants = list(db.session.scalars(
        select(Grant).where(Grant.application_id.in_(ids)).order_by(Grant.id)))
    grant_ids = [g.id for g in grants]
    return PersonalRecords(
        applications=applications,
        decisions=list(db.session.scalars(
            select(Decision).where(Decision.application_id.in_(ids)).order_by(Decision.id))),
        grants=grants,
        reports=list(db.session.scalars(select(ProjectReport).where(or_(
            ProjectReport.grant_id.in_(grant_ids),
            func.lower(ProjectReport.submitted_by) == email)).order_by(ProjectReport.id))),
        requisitions=list(db.session.scalars(select(Requisition).where(or_(
            Requisition.grant_id.in_(grant_ids), Requisition.created_by_id == user.id,
            func.lower(Requisition.created_by) == email)).order_by(Requisition.id))),
        payments=list(db.session.scalars(select(Payment).where(or_(
            Payment.registered_by_id == user.id, Payment.decided_by_id == user.id,
            Payment.grant_id.in_(grant_ids))).order_by(Payment.id))),
        reviews=list(db.session.scalars(
            select(Review).where(Review.reviewer_id == user.id).order_by(Review.id))),
        audit=list(db.session.scalars(select(AuditEntry).where(or_(
            AuditEntry.actor_id == user.id, func.lower(AuditEntry.actor) == email,
            (AuditEntry.entity == "user") & (AuditEntry.entity_id == user.id),
        )).order_by(AuditEntry.id))),
        emails=list(db.session.scalars(select(OutboundEmail).where(
            func.lower(OutboundEmail.to) == email).order_by(OutboundEmail.id))),
    )


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def rejected_before(cutoff: date) -> list[Application]:
    """The applications rejected before `cutoff`, with their decision."""
    return list(db.session.scalars(
        select(Application).join(Decision, Decision.application_id == Application.id)
        .where(Decision.outcome == DecisionOutcome.REJECTED, Decision.decided_on < cutoff)
        .order_by(Application.id)))


def closed_before(cutoff: date) -> list[Grant]:
    """The projects closed before `cutoff`."""
    return list(db.session.scalars(
        select(Grant).where(Grant.closed_at.is_not(None), Grant.closed_at < _start_of(cutoff))
        .order_by(Grant.id)))


def decision_dates(application_ids: Iterable[int]) -> dict[int, date]:
    """The day each application was decided."""
    rows = db.session.execute(select(Decision.application_id, Decision.decided_on)
                              .where(Decision.application_id.in_(list(application_ids))))
    return {application_id: decided_on for application_id, decided_on in rows}


def version_counts(application_ids: Iterable[int]) -> dict[int, int]:
    """How many submitted versions each application keeps."""
    rows = db.session.execute(
        select(ApplicationVersion.application_id, func.count())
        .where(ApplicationVersion.application_id.in_(list(application_ids)))
        .group_by(ApplicationVersion.application_id))
    return {application_id: count for application_id, count in rows}


def attachments_of(application_ids: Iterable[int]) -> list[Attachment]:
    return list(db.session.scalars(
        select(Attachment).where(Attachment.application_id.in_(list(application_ids)))
        .order_by(Attachment.id)))


def reports_of(grant_ids: Iterable[int]) -> list[ProjectReport]:
    return list(db.session.scalars(
        select(ProjectReport).where(ProjectReport.grant_id.in_(list(grant_ids)))
        .order_by(ProjectReport.id)))


def requisitions_of(grant_ids: Iterable[int]) -> list[Requisition]:
    return list(db.session.scalars(
        select(Requisition).where(Requisition.grant_id.in_(list(grant_ids)))
        .order_by(Requisition.id)))


def sent_emails_before(cutoff: date) -> list[OutboundEmail]:
    """The e-mails sent before `cutoff` (the outbox is a record of delivery, not an archive)."""
    return list(db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.sent_at.is_not(None),
                                    OutboundEmail.created_at < _start_of(cutoff))
        .order_by(OutboundEmail.id)))


def versions_of(application_id: int) -> list[ApplicationVersion]:
    return list(db.session.scalars(
        select(ApplicationVersion).where(ApplicationVersion.application_id == application_id)))


def emails_by_id(ids: Iterable[int]) -> list[OutboundEmail]:
    return list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.id.in_(list(ids)))))
