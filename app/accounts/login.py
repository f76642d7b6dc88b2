"""Checking who is logging in, the lockout after repeated failures, and ending sessions.

Failed logins are counted per e-mail address and per client address in the store every worker
shares (`throttle`). After LOGIN_MAX_FAILURES failures for an address within the window, that
address is locked for LOGIN_LOCKOUT_MINUTES, whether or not it has an account (so the lockout
tells nobody which addresses do), and an account's owner is e-mailed.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import NoReturn

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts import throttle
from app.accounts.models import TWO_FACTOR_EVERYONE, AccountSetting, User
from app.accounts.tokens import site_url
from app.accounts.users import find_by_email
from app.core.errors import DomainError
from app.core.mail import queue_mail
from app.core.reading import figures
from app.core.security_log import security_event
from app.extensions import db

FAILED = "login_failed"
FAILED_FROM = "login_failed_client"
LOCKOUT = "login_lockout"


class LoginFailed(DomainError):
    """Wrong address or password, or a closed account: one message for all of them."""


class LoginLocked(DomainError):
    """Logging in is refused before the password is checked: too many failures."""


class AddressUnconfirmed(DomainError):
    """The password is right, but the applicant has not confirmed the e-mail address yet."""


@cache
def _decoy_hash() -> str:
    return generate_password_hash("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """Return the active account with this e-mail and password, else None.

    An unknown address costs the same hashing as a wrong password, so timing does not tell
    which addresses have accounts.
    """
    user = find_by_email(email)
    if user is None:
        check_password_hash(_decoy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def check_login(email: str, password: str, *, client: str | None) -> User:
    """Return the account that may log in with this e-mail and password, else raise.

    Raises LoginLocked while the address is locked or the client has failed too often (the
    password is then not even checked), LoginFailed for a wrong address or password (with the
    lockout's message when this failure locks the address), AddressUnconfirmed for an
    applicant who has not confirmed the address.
    """
    email = email.strip().lower()
    refuse_if_locked(email, client)
    user = authenticate(email, password)
    if user is None:
        _count_failure(email, client)
    elif user.is_applicant and user.email_confirmed_at is None:
        security_event("login.failed", outcome="failure", user=email, address=client,
                       reason="unconfirmed")
        raise AddressUnconfirmed(_("Du har inte bekräftat din e-postadress än. Klicka på "
                                   "länken i e-postmeddelandet, eller be om en ny länk."))
    if throttle.enabled():
        throttle.clear(FAILED, email)
    security_event("login", user=email, address=client, role=user.role.value)
    return user


def _settings() -> tuple[int, timedelta, timedelta]:
    config = current_app.config
    return (config["LOGIN_MAX_FAILURES"],
            timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
            timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]))


def locked_message() -> str:
    return _("För många misslyckade inloggningar med den här e-postadressen. Inloggningen är "
             "spärrad i %(minutes)s minuter; försök igen sedan.",
             minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])


def refuse_if_locked(email: str, client: str | None) -> None:
    """Raise LoginLocked while the address is locked or the client has failed too often."""
    if not throttle.enabled():
        return
    _most, window, lockout = _settings()
    if throttle.count(LOCKOUT, email, lockout):
        security_event("login.refused", outcome="refused", user=email, address=client,
                       reason="locked")
        raise LoginLocked(locked_message())
    if client and throttle.count(FAILED_FROM, client, window) >= \
            current_app.config["LOGIN_CLIENT_MAX_FAILURES"]:
        security_event("login.refused", outcome="refused", user=email, address=client,
                       reason="too_many_from_client")
        raise LoginLocked(_("För många misslyckade inloggningar från din dator eller ditt "
                            "nätverk. Vänta en stund och försök igen."))


def _count_failure(email: str, client: str | None) -> NoReturn:
    """Count a failed login, lock the address when it is one too many, and raise LoginFailed."""
    account = find_by_email(email)
    reason = "unknown_account" if account is None else (
        "inactive" if not account.active else "wrong_password")
    security_event("login.failed", outcome="failure", user=email, address=client, reason=reason)
    wrong = _("Fel e-postadress eller lösenord")
    if count_failed_attempt(email, client, account):
        raise LoginFailed(f"{wrong}. {locked_message()}")
    raise LoginFailed(wrong)


def count_failed_attempt(email: str, client: str | None, account: User | None) -> bool:
    """Count a failed attempt to log in to `email` (a wrong password, or a wrong code after a
    right one) for every worker at once; return True when it locked the address, which the
    owner is then told by e-mail."""
    if not throttle.enabled():
        return False
    most, window, lockout = _settings()
    throttle.add(FAILED, email, window)
    if client:
        throttle.add(FAILED_FROM, client, window)
    if throttle.count(FAILED, email, window) < most:
        return False
    throttle.add(LOCKOUT, email, lockout)
    throttle.clear(FAILED, email)
    security_event("lockout", outcome="refused", user=email, address=client,
                   failures=most, minutes=int(lockout.total_seconds() // 60),
                   account=account is not None)
    if account is not None:
        queue_mail(account.email, _("Inloggningen till ditt konto är tillfälligt spärrad"),
                   "login_locked", user=account, failures=most,
                   minutes=int(lockout.total_seconds() // 60), login=site_url("auth.login"))
    return True


def log_out(user: User, *, client: str | None) -> None:
    """End every session of the account on the server: a cookie copied before opens nothing."""
    user.end_sessions()
    db.session.flush()
    security_event("logout", user=user.email, address=client)


#: One statement for what every request needs: the account, whether every account must use two
#: factors, and the data version that the request's kept figures are of (built once).
_SESSION_USER = select(
    User,
    select(AccountSetting.value).where(AccountSetting.key == TWO_FACTOR_EVERYONE)
    .scalar_subquery(),
    figures.version_column(),
).where(User.id == bindparam("account_id"))


def load_session_user(session_id: str) -> User | None:
    """Return the account a session's id names if the session still holds, else None.

    The id is "<account>:<session version>"; an id from before the last logout or password
    change carries an older version, and so does not log anyone in.
    """
    account, _sep, version = (session_id or "").partition(":")
    try:
        account_id, version_number = int(account), int(version)
    except (TypeError, ValueError):
        return None
    row = db.session.execute(_SESSION_USER, {"account_id": account_id}).first()
    if row is None:
        return None
    user, setting, token = row
    if has_request_context():
        g.two_factor_everyone = setting == "1"
        figures.known_version(token)
    if user.session_version != version_number or user.anonymised_at:
        return None
    return user
