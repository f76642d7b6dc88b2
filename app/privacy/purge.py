"""Clearing personal data past its retention (`flask privacy purge`): who wrote, contact
details and personal free text go from old rejected applications and closed projects, their
attachments' files are deleted, and old sent e-mails leave the outbox. Decisions, grants,
payments and every other record of money stay as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.call.attachments import attachment_path
from app.call.models import Application
from app.core import audit
from app.core.audit import Actor
from app.extensions import db
from app.ledger.models import Grant
from app.privacy import queries
from app.privacy.models import PrivacyAction
from app.privacy.rules import RetentionPolicy, retention_cutoff


@dataclass
class PurgeItem:
    """One old record and what would be cleared from it (Swedish, for the listing)."""

    entity: str  # "application" or "grant"
    id: int
    title: str
    reason: str
    clears: list[str] = field(default_factory=list)


@dataclass
class PurgePlan:
    """What a purge on `today` clears; an empty plan changes nothing."""

    today: date
    items: list[PurgeItem]
    email_ids: list[int]
    attachment_count: int

    @property
    def is_empty(self) -> bool:
        return not self.items and not self.email_ids


def _application_clears(application: Application, versions: int) -> list[str]:
    clears = []
    if application.created_by_id is not None:
        clears.append("vem som skrev ansökan")
    if application.answers:
        clears.append("svar på utlysningens frågor")
    if application.return_message:
        clears.append("meddelandet vid återsändning")
    if versions:
        clears.append(f"{versions} sparade versioner")
    if application.attachments:
        clears.append(f"{len(application.attachments)} bilagor (filerna raderas)")
    return clears


def _grant_clears(grant: Grant, reports: list, requisitions: list) -> list[str]:
    clears = []
    named = [r for r in reports if r.submitted_by or r.return_message]
    if named:
        clears.append(f"vem som lämnade in och meddelanden i {len(named)} rapporter")
    asked = [r for r in requisitions if r.created_by or r.created_by_id or r.text]
    if asked:
        clears.append(f"vem som rekvirerade och fritext i {len(asked)} rekvisitioner")
    return clears


def plan_purge(today: date, policy: RetentionPolicy) -> PurgePlan:
    """Find what is past retention on `today` and still holds personal data."""
    rejected = queries.rejected_before(retention_cutoff(today, policy.rejected_application_years))
    closed = queries.closed_before(retention_cutoff(today, policy.closed_project_years))
    applications = {a.id: (a, "avslagen") for a in rejected}
    closed_on = {g.id: g.closed_at.date() for g in closed}
    for grant in closed:
        if grant.application_id is not None and grant.application_id not in applications:
            applications[grant.application_id] = (db.session.get(Application,
                                                                 grant.application_id),
                                                  "projektet avslutat")
    versions = queries.version_counts(applications)
    decided = queries.decision_dates(applications)
    items: list[PurgeItem] = []
    attachments = 0
    for app_id, (application, why) in sorted(applications.items()):
        clears = _application_clears(application, versions.get(app_id, 0))
        if clears:
            ended = decided.get(app_id)
            reason = f"{why} {ended.isoformat()}" if why == "avslagen" and ended else why
            items.append(PurgeItem("application", app_id, application.title, reason, clears))
            attachments += len(application.attachments)
    reports = queries.reports_of(closed_on)
    requisitions = queries.requisitions_of(closed_on)
    for grant in closed:
        clears = _grant_clears(grant, [r for r in reports if r.grant_id == grant.id],
                               [r for r in requisitions if r.grant_id == grant.id])
        if clears:
            items.append(PurgeItem("grant", grant.id, grant.title,
                                   f"avslutat {closed_on[grant.id].isoformat()}", clears))
    emails = queries.sent_emails_before(retention_cutoff(today, policy.email_years))
    return PurgePlan(today, items, [e.id for e in emails], attachments)


def _clear_application(application: Application) -> list[Path]:
    files = [attachment_path(a) for a in application.attachments]
    application.created_by_id = None
    application.answers = {}
    application.return_message = None
    application.attachments = []  # delete-orphan: the rows go; the files after the commit
    for version in queries.versions_of(application.id):
        db.session.delete(version)
    return files


def _clear_grant(grant: Grant) -> None:
    for report in queries.reports_of([grant.id]):
        report.submitted_by = None
        report.return_message = None
    for requisition in queries.requisitions_of([grant.id]):
        requisition.created_by = ""
        requisition.created_by_id = None
        requisition.text = ""


def apply_purge(plan: PurgePlan, actor: Actor) -> list[Path]:
    """Clear what the plan lists, auditing each record; return the attachment files to
    delete once the change is committed (a failed commit then loses no file)."""
    files: list[Path] = []
    for item in plan.items:
        if item.entity == "application":
            files += _clear_application(db.session.get(Application, item.id))
            action = PrivacyAction.PURGE_APPLICATION
        else:
            _clear_grant(db.session.get(Grant, item.id))
            action = PrivacyAction.PURGE_GRANT
        # What was cleared is named, never copied: the audit log must not keep it instead.
        audit.record(actor, action, item.entity, item.id,
                     summary=f"Gallrade personuppgifter ({item.reason}): " + ", ".join(item.clears),
                     before={"cleared": item.clears})
    if plan.email_ids:
        for email in queries.emails_by_id(plan.email_ids):
            db.session.delete(email)
        audit.record(actor, PrivacyAction.PURGE_EMAILS, "outbound_email", None,
                     summary=f"Gallrade {len(plan.email_ids)} skickade e-postmeddelanden",
                     after={"count": len(plan.email_ids)})
    db.session.flush()
    return files
