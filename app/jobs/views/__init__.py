"""The pages of report jobs: a job's progress page, its state for the page's script, and
its finished file (`bp`, under /rapporter); `delivery` answers a report download."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/rapporter")

from app.jobs.views import pages  # noqa: E402,F401  (routes register on import)
