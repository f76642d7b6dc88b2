"""The links of the accounts' e-mails: signed ones for confirming an address and choosing a
password, all of them on the configured site."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.accounts.models import User
from app.extensions import db

CONFIRM_SALT = "confirm-email"
PASSWORD_SALT = "set-password"


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


def _read(token: str, salt: str) -> tuple[User, dict]:
    try:
        data = _serializer(salt).loads(token, max_age=current_app.config["CONFIRMATION_MAX_AGE"])
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
