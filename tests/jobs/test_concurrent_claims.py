"""Two workers polling the table at once on PostgreSQL: does each take a different job, and
neither wait for the other (SELECT … FOR UPDATE SKIP LOCKED)?"""

from __future__ import annotations

import threading

from app.extensions import db
from app.jobs import queue


def test_two_workers_never_take_the_same_job(wide_app):
    with wide_app.app_context():
        ids = {queue.enqueue("decisions_pdf", {"call_id": n}, None)[0].id for n in (1, 2)}
        db.session.commit()
        db.session.remove()
    claimed, both_in = [], threading.Barrier(2, timeout=10)

    def claim_and_hold():
        with wide_app.app_context():
            job = queue.claim()
            claimed.append(job.id if job else None)
            both_in.wait()  # the first still holds its row when the second claims
            db.session.rollback()
            db.session.remove()

    threads = [threading.Thread(target=claim_and_hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(claimed) == sorted(ids)
