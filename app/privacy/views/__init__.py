"""The pages of personal data: the privacy page, a person's own download, and anonymising."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from app.privacy.views import pages  # noqa: E402,F401  (routes register on import)
