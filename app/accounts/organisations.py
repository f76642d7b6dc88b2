"""Applicant organisations."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import AccountAction, Organisation, OrganisationKind
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.identifiers import normalise_org_number
from app.extensions import db


def find_organisation(name: str) -> Organisation | None:
    """Return the organisation with this name (any case), following merges."""
    org = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
        .order_by(Organisation.id).limit(1)
    )
    while org is not None and org.merged_into_id is not None:
        org = db.session.get(Organisation, org.merged_into_id)
    return org


def create_organisation(name: str, kind: str, actor: Actor, *,
                        org_number: str | None = None) -> Organisation:
    """Create an organisation; the number, if given, must be a valid organisationsnummer."""
    name = name.strip()
    if not name:
        raise DomainError(_("ange organisationens namn"))
    if len(name) > 300:
        raise DomainError(_("namnet är för långt (högst 300 tecken)"))
    try:
        kind_value = OrganisationKind(kind)
    except ValueError:
        raise DomainError(_("okänd sorts organisation %(kind)r", kind=kind)) from None
    number = normalise_org_number(org_number) if org_number and org_number.strip() else None
    if number and db.session.scalar(select(Organisation.id).where(Organisation.org_number == number)):
        raise DomainError(_("det finns redan en organisation med organisationsnummer %(number)s",
                            number=number))
    org = Organisation(name=name, kind=kind_value, org_number=number)
    db.session.add(org)
    db.session.flush()
    audit.record(actor, AccountAction.ORGANISATION_CREATE, "organisation", org.id,
                 summary=f"Ny organisation {name}", after={"name": name, "kind": kind, "org_number": number})
    return org


def find_or_create_organisation(name: str, kind: str, actor: Actor, *,
                                org_number: str | None = None) -> Organisation:
    """Return the organisation with this name, creating it if there is none."""
    return find_organisation(name) or create_organisation(name, kind, actor, org_number=org_number)

