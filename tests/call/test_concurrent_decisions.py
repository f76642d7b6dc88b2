"""Twenty coordinators deciding at the same moment can never make the grants exceed the pool.

Only PostgreSQL runs the transactions truly in parallel, so this runs only when the test
database is PostgreSQL. Each thread is one request: its own application context and session,
commit on success, rollback on refusal; a barrier releases them together.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.call import decisions
from app.call.models import Application, Decision
from app.call.rules import ApplicationState
from app.core.audit import Actor
from app.extensions import db
from app.ledger.models import Grant, Line
from tests.call.factories import make_competing_applications
from tests.conftest import CONCURRENT_REQUESTS as THREADS
from tests.support import kronor, run_together


def test_twenty_simultaneous_decisions_never_exceed_the_pool(wide_app):
    """When 20 applications of 150 000 are granted at once from 1 000 000, do exactly 6 pass,
    and does every refused decision say how much is left?"""
    with wide_app.app_context():
        pool, call_id, ids = make_competing_applications(THREADS)
        db.session.remove()

    def decide(i: int) -> None:
        decisions.decide(ids[i], "granted", None, "", "", "SVOM", date(2022, 6, 10),
                         "§12", "RUN/290/2022", Actor(label=f"samordnare{i}"))

    # Each loads its application first, as the decision page does, then all decide at once.
    results = run_together(wide_app, THREADS, decide,
                           prepare=lambda i: db.session.get(Application, ids[i]))

    with wide_app.app_context():
        granted = db.session.scalar(
            select(func.coalesce(func.sum(Grant.amount), 0)).where(Grant.line_id == pool))
        assert granted <= db.session.get(Line, pool).amount
        assert results.count("ok") == 6  # the most that fit: 6 × 150 000 ≤ 1 000 000
        assert granted == kronor(900_000)
        for result in results:
            if result != "ok":
                assert "kvar att bevilja är 100\u00a0000\u00a0kr" in str(result)
        states = dict(db.session.execute(select(Application.id, Application.state)).all())
        refused = [ids[i] for i, r in enumerate(results) if r != "ok"]
        assert all(states[i] is ApplicationState.UNDER_REVIEW for i in refused)
        sequences = sorted(db.session.scalars(
            select(Decision.sequence).where(Decision.call_id == call_id)))
        assert sequences == [1, 2, 3, 4, 5, 6]
        db.session.remove()
