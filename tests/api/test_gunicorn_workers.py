"""Over-allocation is impossible across processes too: twenty coordinators' decisions sent at
the same moment to gunicorn's four worker processes on PostgreSQL (production settings, as
`bench/load.py` starts it) grant exactly what fits in the pool, and every other one is
refused saying what is left. (The thread-based tests share one process; these do not.)"""

from __future__ import annotations

import http.client
import json
import threading

import pytest
from sqlalchemy import func, select

from app.call.models import Application, Call
from app.call.pool import pool_summary
from app.call.rules import ApplicationState
from app.extensions import db
from app.ledger.models import Grant, Line
from bench import load
from tests.api.conftest import bearer
from tests.call.factories import make_competing_applications
from tests.conftest import CONCURRENT_REQUESTS as REQUESTS
from tests.support import kronor

DECISION = {"outcome": "granted", "body": "SVOM", "decided_on": "2022-06-10"}


@pytest.fixture
def gunicorn(wide_app):
    """gunicorn with four workers on the test database (skips on SQLite, as wide_app does)."""
    try:
        server, port = load.start_server(wide_app.config["SQLALCHEMY_DATABASE_URI"])
    except SystemExit as failed:
        pytest.fail(str(failed))
    yield port
    load.stop_server(server)


def _post(port: int, path: str, token: str, body: dict) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=json.dumps(body),
                           headers={**bearer(token), "Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def test_twenty_decisions_at_once_on_four_workers_never_exceed_the_pool(
        wide_app, gunicorn, make_token):
    with wide_app.app_context():
        pool, call_id, ids = make_competing_applications(REQUESTS)
        db.session.remove()
    tokens = [make_token("coordinator") for _ in range(REQUESTS)]
    barrier = threading.Barrier(REQUESTS, timeout=60)
    answers: list[tuple[int, dict]] = [(0, {})] * REQUESTS

    def decide(i: int) -> None:
        barrier.wait()
        answers[i] = _post(gunicorn, f"/api/v1/applications/{ids[i]}/decision", tokens[i],
                           DECISION)

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] * 6 + [409] * (REQUESTS - 6), answers  # 6 × 150 000 ≤ 1 000 000
    for status, problem in answers:
        if status == 409:
            assert "100\u00a0000\u00a0kr" in json.dumps(problem, ensure_ascii=False), problem
    with wide_app.app_context():
        granted = db.session.scalar(
            select(func.coalesce(func.sum(Grant.amount), 0)).where(Grant.line_id == pool))
        assert granted == kronor(900_000) <= db.session.get(Line, pool).amount
        states = db.session.scalars(select(Application.state).where(Application.id.in_(ids)))
        assert sorted(states) == sorted([ApplicationState.GRANTED] * 6
                                        + [ApplicationState.UNDER_REVIEW] * (REQUESTS - 6))
        summary = pool_summary(db.session.get(Call, call_id))
        assert summary.left == kronor(100_000)
        assert summary.counts == {ApplicationState.GRANTED: 6,
                                  ApplicationState.UNDER_REVIEW: REQUESTS - 6}
        db.session.remove()
