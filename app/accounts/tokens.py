"""The links of the accounts' e-mails: signed ones for confirming an address and choosing a
password, all of them on the configured site."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User
from app.extensions import db

CONFIRM_SALT = "confirm-email"
PASSWORD_SALT = "set-password"
RESET_SALT = "reset-password"
EMAIL_CHANGE_SALT = "change-email"


class BadLink(Exception):
    """A link that is forged, too old, or no longer matches its account."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def site_url(endpoint: str, **values) -> str:
    """Return the full address of a page on this site for an e-mail.

    The host and scheme are the configured SITE_URL's (SERVER_NAME, PREFERRED_URL_SCHEME),
    never the request's, so a forged Host header cannot send a link to another site.
    """
    return url_for(endpoint, _external=True,
                   _scheme=current_app.config["PREFERRED_URL_SCHEME"], **values)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def confirmation_token(user: User) -> str:
    """Sign a link that confirms the account's present e-mail address."""
    return _serializer(CONFIRM_SALT).dumps({"id": user.id, "email": user.email})


def password_token(user: User) -> str:
    """Sign a link that lets the account choose a password, once."""
    # The hash's tail makes the link single-use: setting a password changes it.
    return _serializer(PASSWORD_SALT).dumps({"id": user.id, "h": user.password_hash[-12:]})


def reset_token(user: User) -> str:
    """Sign a link that resets the account's password: it works once (a new password changes
    the hash it names) and not after a logout everywhere (the session version)."""
    return _serializer(RESET_SALT).dumps({"id": user.id, "h": user.password_hash[-12:],
                                          "s": user.session_version})


def email_change_token(user: User, new_email: str) -> str:
    """Sign a link that moves the account to a new address: once, from its present one."""
    return _serializer(EMAIL_CHANGE_SALT).dumps({"id": user.id, "email": user.email,
                                                 "new": new_email, "s": user.session_version})


def _read(token: str, salt: str, max_age: int | None = None) -> tuple[User, dict]:
    try:
        data = _serializer(salt).loads(
            token, max_age=max_age or current_app.config["CONFIRMATION_MAX_AGE"])
    except SignatureExpired:
        raise BadLink(expired=True) from None
    except BadSignature:
        raise BadLink() from None
    user = db.session.get(User, data["id"]) if isinstance(data, dict) and "id" in data else None
    if user is None:
        raise BadLink()
    return user, data


def confirmation_user(token: str) -> User:
    """Return the account a confirmation link names; raise BadLink if it does not hold."""
    user, data = _read(token, CONFIRM_SALT)
    if user.email != data.get("email"):
        raise BadLink()
    return user


def password_user(token: str) -> User:
    """Return the account a password link names; raise BadLink if it does not hold."""
    user, data = _read(token, PASSWORD_SALT)
    if user.password_hash[-12:] != data.get("h"):
        raise BadLink()
    return user


def reset_user(token: str) -> User:
    """Return the account a password reset link names; raise BadLink if it does not hold."""
    user, data = _read(token, RESET_SALT, current_app.config["PASSWORD_RESET_MAX_AGE"])
    if (user.password_hash[-12:] != data.get("h") or user.session_version != data.get("s")
            or not user.active or user.anonymised_at is not None):
        raise BadLink()
    return user


def email_change(token: str) -> tuple[User, str]:
    """Return the account and the new address a change link names; raise BadLink if it does
    not hold (used, the address changed since, or the account's sessions ended)."""
    user, data = _read(token, EMAIL_CHANGE_SALT)
    if (user.email != data.get("email") or user.session_version != data.get("s")
            or not isinstance(data.get("new"), str) or not user.active):
        raise BadLink()
    return user, data["new"]
