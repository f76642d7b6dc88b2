"""The pages of project follow-up: the coordinators' project pages and report reviews
(projects.py), and the applicant's project page with requisitions and reports (applicant.py)."""

from flask import Blueprint

bp = Blueprint("projects", __name__)

from app.followup.views import applicant, projects  # noqa: E402,F401  (routes register on import)
