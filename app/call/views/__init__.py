"""The pages of the project call: the coordinators' calls, review and decisions (`bp`, under
/calls) and the applicants' open calls, drafts and submissions (`applicant_bp`)."""

from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls")
applicant_bp = Blueprint("applications", __name__)

from app.call.views import (  # noqa: E402,F401  (routes register on import)
    applicant,
    calls,
    decisions,
    organisations,
    review,
)
