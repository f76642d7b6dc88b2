"""Applicants' accounts: registering with an organisation, confirming the e-mail address,
being invited by a coordinator, and choosing a password from the link.

Each operation flushes, writes the audit entry and queues its e-mail; the request commits.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.accounts import throttle
from app.accounts.models import AccountAction, Organisation, Role, User
from app.accounts.organisations import create_organisation, find_organisation
from app.accounts.rules import check_password_strength, normalise_email
from app.accounts.tokens import confirmation_token, password_token, site_url
from app.accounts.users import create_user, find_by_email, hash_method
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError, at_field
from app.core.identifiers import normalise_org_number
from app.core.mail import queue_mail
from app.core.security_log import security_event
from app.core.types import utcnow
from app.extensions import db


class TooManyAttempts(DomainError):
    """Too many registrations (or new links) from this client or for this address this hour."""


HOUR = timedelta(hours=1)


def register_applicant(email: str, password: str, *, name: str, organisation: str, kind: str,
                       org_number: str | None, client: str | None = None) -> None:
    """Register an applicant account with its organisation and e-mail the confirmation link.

    For an address that already has an account, nothing is created and its owner is told
    instead. Both paths check the same input, hash the password once and queue one e-mail, so
    neither the answer nor its time tells which addresses have accounts.
    """
    email = normalise_email(email)
    check_password_strength(password)
    number = _org_number(org_number)
    count_attempt("register", email, client)
    password_hash = generate_password_hash(password, method=hash_method())
    existing = find_by_email(email)
    security_event("registration", user=email, address=client,
                   existing_account=existing is not None)
    if existing is not None:
        queue_mail(existing.email, _("Någon försökte registrera din e-postadress"),
                   "applicant_account_exists", user=existing,
                   login=site_url("auth.login"))
        return
    actor = Actor(label=email)
    org = applicant_organisation(organisation, kind, number, actor)
    user = create_user(email, password, Role.APPLICANT, actor, name=name, organisation=org,
                       confirmed=False, password_hash=password_hash)
    send_confirmation(user)


def count_attempt(scope: str, email: str, client: str | None) -> None:
    """Count a registration or a request for a new link, refusing one too many this hour.

    Counted per client address and per e-mail address, in the store every worker shares.
    """
    if not throttle.enabled():
        return
    config = current_app.config
    limits = [(f"{scope}_email", email, config["REGISTER_EMAIL_MAX_PER_HOUR"])]
    if client:
        limits.append((f"{scope}_client", client, config["REGISTER_CLIENT_MAX_PER_HOUR"]))
    for kind, key, most in limits:
        if throttle.count(kind, key, HOUR) >= most:
            security_event(f"{scope}.refused", outcome="refused", user=email, address=client,
                           reason=kind)
            raise TooManyAttempts(_("För många försök den senaste timmen. Vänta en stund och "
                                    "försök igen."))
    for kind, key, _most in limits:
        throttle.add(kind, key, HOUR)


def send_confirmation(user: User) -> None:
    """E-mail the account a link that confirms its address."""
    link = site_url("auth.confirm_email", token=confirmation_token(user))
    queue_mail(user.email, _("Bekräfta din e-postadress"), "confirm_email", user=user, link=link)


def send_confirmation_again(email: str, *, client: str | None = None) -> None:
    """Send the confirmation link again if the address has an account still unconfirmed."""
    email = email.strip().lower()
    count_attempt("resend", email, client)
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
    link = site_url("auth.set_password", token=password_token(user))
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
    with at_field("org_number"):
        return normalise_org_number(text)
