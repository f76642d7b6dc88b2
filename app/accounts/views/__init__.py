"""The pages of accounts: logging in and out, the language, registration and invitations."""

from flask import Blueprint

bp = Blueprint("auth", __name__)


from app.accounts.views import account, api_keys, login, registration, two_factor  # noqa: E402,F401  (routes register on import)
