"""The language of the pages: Swedish unless the reader chose English."""

from __future__ import annotations

from flask import has_request_context, session
from flask_login import current_user


def select_locale() -> str:
    """Choose Swedish unless the person picked English (session) or their account says so."""
    if not has_request_context():  # the command line and scripts: Swedish
        return "sv"
    chosen = session.get("lang")
    if chosen in ("sv", "en"):
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale:
        return current_user.locale
    return "sv"
