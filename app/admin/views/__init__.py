"""The administrators' pages: earmarks, accounts, the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin.views import pages, security, sie  # noqa: E402,F401  (routes register on import)
