"""What the two-factor tests share: enrolling through the pages, codes of the app, the
security log (the fixtures are in conftest.py)."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """Return the code the person's app shows now (or so many 30-second steps on)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def user_row(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def enrol(app, client) -> tuple[str, list[str]]:
    """Enrol the logged-in client's account through the pages; return the secret and the
    recovery codes shown."""
    page = client.get("/account/two-factor/enrol").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.post("/account/two-factor/enrol", data={"code": app_code(secret)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.get_data(as_text=True))
    return secret, codes


def password_step(client, email: str, password: str = PASSWORD):
    """Post the login form, without following the redirect."""
    return client.post("/login", data={"email": email, "password": password})
