"""The coordinators' side of the project call: calls, review, decisions, the decision log."""

from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls")

from app.calls import views  # noqa: E402,F401
