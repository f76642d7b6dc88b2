"""The pages of accounts: logging in and out, the language, registration and invitations."""

from flask import Blueprint, current_app

bp = Blueprint("auth", __name__)


def limits_off() -> bool:
    """Whether this app turns the rate limits off (the tests do)."""
    # The limiter object is shared by every app in the process; each app's own setting decides.
    return not current_app.config.get("RATELIMIT_ENABLED", True)


from app.accounts.views import login, registration, two_factor  # noqa: E402,F401  (routes register on import)
