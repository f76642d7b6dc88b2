"""Applicants' accounts: registering with an organisation, confirming the e-mail address,
being invited by a coordinator, and choosing a password from the link.

Each operation flushes, writes the audit entry and queues its e-mail; the request commits.
"""

from __future__ import annotations

import secrets

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import AccountAction, Organisation, Role, User
from app.accounts.organisations import create_organisation, find_organisation
from app.accounts.tokens import confirmation_token, password_token
from app.accounts.users import create_user, find_by_email
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.identifiers import normalise_org_number
from app.core.mail import queue_mail
from app.core.types import utcnow
from app.extensions import db


class OrganisationNumberRefused(DomainError):
    """The organisationsnummer given is not one (the form shows it at that field)."""


def register_applicant(email: str, password: str, *, name: str, organisation: str, kind: str,
                       org_number: str | None) -> None:
    """Register an applicant account with its organisation and e-mail the confirmation link.

    For an address that already has an account, nothing is created and its owner is told
    instead, so the form never reveals which addresses have accounts.
    """
    email = email.strip().lower()
    existing = find_by_email(email)
    if existing is not None:
        queue_mail(existing.email, _("Någon försökte registrera din e-postadress"),
                   "applicant_account_exists", user=existing,
                   login=url_for("auth.login", _external=True))
        return
    actor = Actor(label=email)
    org = applicant_organisation(organisation, kind, org_number, actor)
    user = create_user(email, password, Role.APPLICANT, actor, name=name, organisation=org,
                       confirmed=False)
    send_confirmation(user)


def send_confirmation(user: User) -> None:
    """E-mail the account a link that confirms its address."""
    link = url_for("auth.confirm_email", token=confirmation_token(user), _external=True)
    queue_mail(user.email, _("Bekräfta din e-postadress"), "confirm_email", user=user, link=link)


def send_confirmation_again(email: str) -> None:
    """Send the confirmation link again if the address has an account still unconfirmed."""
    user = find_by_email(email)
    if user is not None and user.email_confirmed_at is None:
        send_confirmation(user)


def confirm_address(user: User) -> None:
    """Mark the account's address as confirmed (once: a second click changes nothing)."""
    if user.email_confirmed_at is not None:
        return
    user.email_confirmed_at = utcnow()
    db.session.flush()
    audit.record(Actor.of(user), AccountAction.USER_CONFIRM, "user", user.id,
                 summary=f"Bekräftade {user.email}")


def invite_applicant(email: str, *, name: str, organisation: str, kind: str, actor: Actor,
                     inviter: str) -> User:
    """Create an applicant account with no usable password and e-mail it a link to choose one.

    `inviter` is how the e-mail names the coordinator who invites.
    """
    org = applicant_organisation(organisation, kind, None, actor)
    user = create_user(email, secrets.token_urlsafe(32), Role.APPLICANT, actor, name=name,
                       organisation=org, confirmed=True)
    link = url_for("auth.set_password", token=password_token(user), _external=True)
    queue_mail(user.email, _("Inbjudan till Stimulansmedel"), "invite_applicant",
               user=user, organisation=org, link=link, inviter=inviter)
    return user


def applicant_organisation(name: str, kind: str, org_number: str | None,
                           actor: Actor) -> Organisation:
    """Return the organisation with this number, else with this name, else a new one.

    A known organisation without a number gets the one given.
    """
    number = _org_number(org_number)
    if number:
        org = db.session.scalar(select(Organisation).where(Organisation.org_number == number))
        while org is not None and org.merged_into_id is not None:
            org = db.session.get(Organisation, org.merged_into_id)
        if org is not None:
            return org
    org = find_organisation(name)
    if org is not None:
        if number and org.org_number is None:
            org.org_number = number
        return org
    return create_organisation(name, kind, actor, org_number=number)


def _org_number(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return normalise_org_number(text)
    except DomainError as error:
        raise OrganisationNumberRefused(error.message) from None
