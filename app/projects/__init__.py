"""Following granted projects: the coordinators' project pages, payments and report reviews
(views.py), and the applicant's project page with requisitions and reports (applicant.py)."""

from flask import Blueprint

bp = Blueprint("projects", __name__)

from app.projects import applicant, views  # noqa: F401  (routes register on import)
