"""Merging a duplicate applicant organisation into the one kept.

Creating and finding organisations belongs to the accounts; merging moves applications, so it
belongs to the call.
"""

from __future__ import annotations

from sqlalchemy import update

from app.accounts.models import Organisation, User
from app.call.models import Application, CallAction
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db


def merge_organisations(duplicate_id: int, keep_id: int, actor: Actor) -> Organisation:
    """Merge a duplicate organisation into another: its people and applications move over."""
    if duplicate_id == keep_id:
        raise DomainError("välj två olika organisationer")
    duplicate = db.session.get(Organisation, duplicate_id)
    keep = db.session.get(Organisation, keep_id)
    if duplicate is None or keep is None:
        raise DomainError("organisationen finns inte")
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise DomainError("en av organisationerna är redan sammanslagen")
    moved_users = db.session.execute(
        update(User).where(User.organisation_id == duplicate.id).values(organisation_id=keep.id)
    ).rowcount
    moved_apps = db.session.execute(
        update(Application).where(Application.organisation_id == duplicate.id)
        .values(organisation_id=keep.id)
    ).rowcount
    if keep.org_number is None and duplicate.org_number is not None:
        number, duplicate.org_number = duplicate.org_number, None
        db.session.flush()
        keep.org_number = number
    duplicate.merged_into_id = keep.id
    db.session.flush()
    audit.record(actor, CallAction.ORGANISATION_MERGE, "organisation", keep.id,
                 summary=f"Slog ihop {duplicate.name} med {keep.name}",
                 before={"duplicate": duplicate.name},
                 after={"kept": keep.name, "users_moved": moved_users,
                        "applications_moved": moved_apps})
    return keep
