"""Probes for the load balancer and the orchestrator: is the process up, is the database there.

Both answer without login, set no session cookie and load no account (see
`outage.DATABASE_FREE_ENDPOINTS`); a host check in front of the app must let them through.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from app.web.outage import RETRY_AFTER, database_reachable

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 while the process serves requests; the database is not asked."""
    return _probe({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz():
    """Answer 200 when the database answers `SELECT 1`, else 503: take no traffic yet."""
    if database_reachable():
        return _probe({"status": "ok", "database": "ok"}, 200)
    response = _probe({"status": "unavailable", "database": "unreachable"}, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _probe(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
