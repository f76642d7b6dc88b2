"""Between the password and the code: the pending login kept in the session.

The person is not logged in until the code is right; the session holds only whom the password
was right for, since when, where to go next and how many codes have been wrong.
"""

from __future__ import annotations

import time

from flask import current_app, redirect, session, url_for

from app.accounts.models import User

PENDING = "two_factor_pending"


def needs_code(user: User) -> bool:
    """Whether the password alone does not let this account in."""
    return user.has_two_factor


def ask_for_code(user: User, next_url: str | None):
    """Remember that the password was right and send the person on to type the code."""
    lang = session.get("lang")
    session.clear()  # nothing of an earlier session survives into the new one
    if lang:
        session["lang"] = lang
    session[PENDING] = {"user": user.id, "since": int(time.time()), "next": next_url or "",
                        "tries": 0}
    return redirect(url_for("auth.login_code"))


def pending() -> dict | None:
    """Return the pending login, or None if there is none or it is too old."""
    marker = session.get(PENDING)
    if not isinstance(marker, dict) or not isinstance(marker.get("user"), int):
        return None
    if time.time() - marker.get("since", 0) > current_app.config["TWO_FACTOR_PENDING_SECONDS"]:
        session.pop(PENDING, None)
        return None
    return marker


def count_wrong_code(marker: dict) -> bool:
    """Count a wrong code; return True when the tries are used up and the marker is dropped."""
    tries = marker.get("tries", 0) + 1
    if tries >= current_app.config["TWO_FACTOR_MAX_TRIES"]:
        session.pop(PENDING, None)
        return True
    session[PENDING] = {**marker, "tries": tries}
    return False


def drop_pending() -> None:
    """Forget the pending login: the password must be typed again."""
    session.pop(PENDING, None)
