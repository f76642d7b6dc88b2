"""The applicant organisations as the call sees them: the register's pages (with their numbers
of accounts and applications) and merging a duplicate into the one kept.

Creating organisations belongs to the accounts; merging moves applications, and the register
counts them, so both belong to the call.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import Organisation, Role, User
from app.call.models import Application, CallAction
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.reading.keyset import KeysetPage, keyset_page
from app.core.text import like_escaped
from app.extensions import db


def merge_organisations(duplicate_id: int, keep_id: int, actor: Actor) -> Organisation:
    """Merge a duplicate organisation into another: its people and applications move over."""
    if duplicate_id == keep_id:
        raise DomainError(_("välj två olika organisationer"))
    duplicate = db.session.get(Organisation, duplicate_id)
    keep = db.session.get(Organisation, keep_id)
    if duplicate is None or keep is None:
        raise DomainError(_("organisationen finns inte"))
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise DomainError(_("en av organisationerna är redan sammanslagen"))
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


# --- the register ----------------------------------------------------------------------------

def _with_counts(query: Select) -> Select:
    users = (select(func.count()).where(User.organisation_id == Organisation.id)
             .correlate(Organisation).scalar_subquery())
    applications = (select(func.count()).where(Application.organisation_id == Organisation.id)
                    .correlate(Organisation).scalar_subquery())
    return query.add_columns(users, applications)


def organisations_with_counts() -> list[tuple[Organisation, int, int]]:
    """Return the organisations not merged away, with their numbers of users and applications
    (the download, which is complete)."""
    return db.session.execute(_with_counts(
        select(Organisation).where(Organisation.merged_into_id.is_(None))
        .order_by(Organisation.name, Organisation.id))).all()


def _matching(search: str) -> Select:
    query = select(Organisation).where(Organisation.merged_into_id.is_(None))
    if search:
        pattern = f"%{like_escaped(search)}%"
        query = query.where(Organisation.name.ilike(pattern, escape="\\")
                            | Organisation.org_number.ilike(pattern, escape="\\"))
    return query


def organisation_page(search: str, *, after: int | None, before: int | None,
                      per_page: int) -> tuple[KeysetPage, dict[int, tuple[int, int]]]:
    """Return one page of the organisations whose name or number holds `search`, by name, and
    each one's numbers of users and applications (2 queries)."""
    page = keyset_page(_matching(search), (Organisation.name, Organisation.id),
                       Organisation.id, after=after, before=before, per_page=per_page)
    return page, organisation_counts([o.id for o in page.items])


def organisation_counts(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Return the numbers of users and applications of each of the organisations (1 query)."""
    if not ids:
        return {}
    return {o.id: (u, a) for o, u, a in db.session.execute(
        _with_counts(select(Organisation).where(Organisation.id.in_(ids))))}


def merge_choices(search: str, chosen: list[int | None], limit: int) -> list[Organisation]:
    """Return the organisations the merge form offers: those matching `search` (at most
    `limit`, by name) and those already chosen (1 query)."""
    matching = _matching(search).order_by(Organisation.name, Organisation.id).limit(limit)
    ids = select(matching.subquery().c.id)
    wanted = [i for i in chosen if i]
    return list(db.session.scalars(
        select(Organisation).where(Organisation.merged_into_id.is_(None),
                                   Organisation.id.in_(ids) | Organisation.id.in_(wanted))
        .order_by(Organisation.name, Organisation.id)))


# --- an organisation's people and applications ---------------------------------------------

def applicant_addresses(organisation_id: int) -> list[str]:
    """Return the e-mail addresses of an organisation's active applicants."""
    return list(db.session.scalars(
        select(User.email).where(User.organisation_id == organisation_id,
                                 User.role == Role.APPLICANT, User.active.is_(True))
        .order_by(User.email)
    ))

def organisation_applications(organisation_id: int) -> Select:
    """Select an organisation's applications, the newest first, with their calls and budgets
    (a page costs the same number of queries whatever its length)."""
    return (select(Application).where(Application.organisation_id == organisation_id)
            .options(selectinload(Application.call), selectinload(Application.budget_lines))
            .order_by(Application.created_at.desc(), Application.id.desc()))
