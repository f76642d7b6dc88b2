"""What people do with their own accounts: reset a forgotten password by e-mail, change the
password, and move the account to a new e-mail address confirmed by a link.

Each operation flushes, writes the audit entry and queues its e-mail; the request commits.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from app.accounts.models import AccountAction, User
from app.accounts.registration import count_attempt
from app.accounts.rules import check_password_strength, normalise_email
from app.accounts.tokens import email_change_token, reset_token, site_url
from app.accounts.users import choose_password, find_by_email
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.mail import queue_mail
from app.core.security_log import security_event
from app.core.types import utcnow
from app.extensions import db


class WrongPassword(DomainError):
    """The present password given to confirm a change is not the account's."""


def request_password_reset(email: str, *, client: str | None = None) -> None:
    """E-mail a link that resets the password, if the address has an account that may log in.

    Whether it has one or not, the caller answers the same; the attempts are counted (per
    address and per client) either way, so the link cannot be asked for without end.
    """
    email = normalise_email(email)
    count_attempt("reset", email, client)
    user = find_by_email(email)
    usable = user is not None and user.active and user.anonymised_at is None
    security_event("password.reset_request", user=email, address=client,
                   existing_account=usable)
    if not usable:
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    queue_mail(user.email, _("Återställ ditt lösenord"), "password_reset", user=user,
               link=site_url("auth.reset_password", token=reset_token(user)), minutes=minutes)


def reset_password(user: User, password: str, *, client: str | None = None) -> None:
    """Give the account the password chosen from a reset link; the link stops working and
    every session of the account ends."""
    choose_password(user, password, client=client)
    security_event("password.reset", user=user.email, address=client)


def _check_present_password(user: User, password: str) -> None:
    if not check_password_hash(user.password_hash, password or ""):
        raise WrongPassword(_("lösenordet stämmer inte"))


def change_password(user: User, present: str, new: str, *, client: str | None = None) -> None:
    """Change the password of a logged-in account after checking its present one.

    Every session of the account ends, this one too: the view starts a new one.
    """
    _check_present_password(user, present)
    if present == new:
        raise DomainError(_("välj ett annat lösenord än det du har nu"))
    check_password_strength(new, email=user.email, name=user.name)
    choose_password(user, new, client=client)


def request_email_change(user: User, new_email: str, password: str, *,
                         client: str | None = None) -> str:
    """Send a confirmation link to the new address; the account keeps its present one until
    the link is opened. Returns the new address as normalised.

    An address that already has an account gets an e-mail saying so instead of a link, and
    the page answers alike, so the form does not tell which addresses have accounts.
    """
    _check_present_password(user, password)
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError(_("det är redan kontots e-postadress"))
    count_attempt("email_change", user.email, client)
    taken = find_by_email(new_email)
    security_event("email.change_request", user=user.email, address=client,
                   existing_account=taken is not None)
    if taken is not None:
        queue_mail(new_email, _("Någon försökte byta till din e-postadress"),
                   "email_change_taken", login=site_url("auth.login"))
        return new_email
    queue_mail(new_email, _("Bekräfta din nya e-postadress"), "email_change", user=user,
               new_email=new_email,
               link=site_url("auth.confirm_email_change",
                             token=email_change_token(user, new_email)))
    return new_email


def change_email(user: User, new_email: str, *, client: str | None = None) -> None:
    """Move the account to the new address its owner confirmed; the old address is told."""
    if find_by_email(new_email) is not None:
        raise DomainError(_("det finns redan ett konto med den e-postadressen"))
    old = user.email
    user.email = new_email
    user.email_confirmed_at = utcnow()
    db.session.flush()
    audit.record(Actor.of(user), AccountAction.USER_CHANGE_EMAIL, "user", user.id,
                 summary=f"Bytte e-postadress från {old} till {new_email}",
                 before={"email": old}, after={"email": new_email})
    security_event("email.change", user=new_email, address=client, before=old)
    queue_mail(old, _("Din e-postadress är bytt"), "email_changed", user=user, old_email=old,
               new_email=new_email)

