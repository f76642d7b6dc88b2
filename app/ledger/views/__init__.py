"""The ledger's pages: the overview, importing, an allocation with its lines and grants."""

from flask import Blueprint

bp = Blueprint("funds", __name__)

from app.ledger.views import (  # noqa: E402,F401  (routes register on import)
    allocation,
    dashboard,
    goal_areas,
    payments,
    report_pages,
    sie,
    year,
)
