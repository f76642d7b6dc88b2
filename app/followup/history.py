"""A project across the years: linking a grant to the same project's grant of an earlier
year. Audited; nothing here commits."""

from __future__ import annotations

from sqlalchemy import select

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.followup.models import FollowupAction
from app.ledger.models import Grant


def link_previous(grant_id: int, previous_grant_id: int | None, actor: Actor) -> Grant:
    """Link a grant to the same project's grant of an earlier year (or unlink it)."""
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError("projektet finns inte")
    before = {"previous_grant_id": grant.previous_grant_id}
    if previous_grant_id is not None:
        previous = db.session.get(Grant, previous_grant_id)
        if previous is None:
            raise DomainError("det tidigare projektet finns inte")
        if previous.id == grant.id:
            raise DomainError("ett projekt kan inte fortsätta sig självt")
        if previous.line.allocation.year >= grant.line.allocation.year:
            raise DomainError("det tidigare beviljandet måste vara från ett tidigare år")
        if db.session.scalar(select(Grant.id).where(
            Grant.previous_grant_id == previous.id, Grant.id != grant.id
        )):
            raise DomainError(f"{previous.title[:100]} fortsätter redan i ett annat projekt")
    grant.previous_grant_id = previous_grant_id
    db.session.flush()
    audit.record(actor, FollowupAction.GRANT_LINK, "grant", grant.id, year=grant.line.allocation.year,
                 summary=f"Länkade {grant.title[:150]} till tidigare beviljande"
                 if previous_grant_id else f"Tog bort länken bakåt för {grant.title[:150]}",
                 after={"previous_grant_id": previous_grant_id}, before=before)
    return grant
