"""The applicants' side of the project call: open calls, drafts, submission, attachments."""

from flask import Blueprint

bp = Blueprint("applications", __name__)

from app.applications import views  # noqa: F401
