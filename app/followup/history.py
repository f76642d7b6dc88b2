"""A project across the years: linking a grant to the same project's grant of an earlier
year, of the same organisation. Audited; nothing here commits.

A grant's organisation is that of the application it was granted on, following merges; a grant
imported from an exchange file has none, and may only continue (or be continued by) another
such grant, so no applicant's page ever shows another organisation's project."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Organisation
from app.accounts.rules import kept_organisation
from app.call.models import Application
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.followup.models import FollowupAction
from app.ledger.models import Grant


def merged_organisations() -> dict[int, int]:
    """Every merged organisation with the one it was merged into (one query)."""
    return dict(db.session.execute(
        select(Organisation.id, Organisation.merged_into_id)
        .where(Organisation.merged_into_id.is_not(None))
    ).all())


def grant_organisations(grant_ids: list[int]) -> dict[int, int | None]:
    """Each grant's organisation, merges followed; None for a grant with no application (two
    queries)."""
    if not grant_ids:
        return {}
    merged = merged_organisations()
    rows = db.session.execute(
        select(Grant.id, Application.organisation_id)
        .outerjoin(Application, Application.id == Grant.application_id)
        .where(Grant.id.in_(grant_ids))
    )
    return {gid: kept_organisation(org, merged) for gid, org in rows}


def same_organisation_ids(organisation_id: int) -> list[int]:
    """The organisation and every one merged into it (one query)."""
    merged = merged_organisations()
    return [organisation_id, *(org for org in merged
                               if kept_organisation(org, merged) == organisation_id)]


def link_previous(grant_id: int, previous_grant_id: int | None, actor: Actor) -> Grant:
    """Link a grant to the same project's grant of an earlier year (or unlink it)."""
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError(_("projektet finns inte"))
    before = {"previous_grant_id": grant.previous_grant_id}
    if previous_grant_id is not None:
        previous = db.session.get(Grant, previous_grant_id)
        if previous is None:
            raise DomainError(_("det tidigare projektet finns inte"))
        if previous.id == grant.id:
            raise DomainError(_("ett projekt kan inte fortsätta sig självt"))
        if previous.line.allocation.year >= grant.line.allocation.year:
            raise DomainError(_("det tidigare beviljandet måste vara från ett tidigare år"))
        organisations = grant_organisations([grant.id, previous.id])
        if organisations[previous.id] != organisations[grant.id]:
            raise DomainError(
                _("det tidigare beviljandet hör till en annan organisation; ett projekt kan bara "
                  "fortsätta ett tidigare beviljande av samma organisation")
            )
        if db.session.scalar(select(Grant.id).where(
            Grant.previous_grant_id == previous.id, Grant.id != grant.id
        )):
            raise DomainError(_("%(title)s fortsätter redan i ett annat projekt",
                                title=previous.title[:100]))
    grant.previous_grant_id = previous_grant_id
    db.session.flush()
    audit.record(actor, FollowupAction.GRANT_LINK, "grant", grant.id, year=grant.line.allocation.year,
                 summary=f"Länkade {grant.title[:150]} till tidigare beviljande"
                 if previous_grant_id else f"Tog bort länken bakåt för {grant.title[:150]}",
                 after={"previous_grant_id": previous_grant_id}, before=before)
    return grant
