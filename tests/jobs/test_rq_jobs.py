"""The report jobs on RQ: with REDIS_URL set the job's id goes to Redis and RQ's worker
builds it (against 127.0.0.1:6379, on a queue of its own; skipped without Redis)."""

from __future__ import annotations

import uuid

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from app.extensions import db
from app.jobs import worker
from app.jobs.models import ReportJob
from app.jobs.rules import JobState

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def rq_app(jobs_for_all, monkeypatch):
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except RedisError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    app = jobs_for_all
    monkeypatch.setitem(app.config, "REPORT_QUEUE", "rq")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    name = f"stimulansmedel-test-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "REPORT_QUEUE_NAME", name)
    yield app
    _clean_up(name)


def _clean_up(name: str) -> None:
    """Delete the test's queue and what its workers left behind (RQ keeps them a minute)."""
    redis = Redis.from_url(REDIS_URL)
    Queue(name, connection=redis).delete(delete_jobs=True)
    for key in redis.scan_iter("rq:worker:*"):
        if redis.hget(key, "queues") == name.encode():
            redis.srem("rq:workers", key)
            redis.delete(key)
    redis.delete(f"rq:workers:{name}")


def test_a_job_on_rq_is_built_by_rqs_worker(rq_app, as_role, imported_2020):
    """Does the request put the job on Redis once answered, and RQ's worker build it?"""
    client = as_role("viewer")
    response = client.get("/reports/followup/samverkan/2020.xlsx")
    assert response.status_code == 303
    url = response.headers["Location"]
    with rq_app.app_context():
        assert worker.rq_queue(rq_app).count == 0  # nothing before the answer is sent
    response.close()
    with rq_app.app_context():
        assert worker.rq_queue(rq_app).count == 1
        worker.work_rq(burst=True)
        job = db.session.get(ReportJob, int(url.rsplit("/", 1)[1]))
        assert job.state is JobState.DONE
        db.session.remove()
    assert client.get(f"{url}/fil").data.startswith(b"PK")


def test_when_redis_is_down_the_job_says_so(rq_app, as_role, imported_2020, monkeypatch):
    """Does a job that cannot be queued fail with a message instead of waiting forever?"""
    monkeypatch.setitem(rq_app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    client = as_role("viewer")
    response = client.get("/reports/followup/samverkan/2020.pdf")
    url = response.headers["Location"]
    response.close()
    page = client.get(url).get_data(as_text=True)
    assert "Rapportkön svarar inte just nu." in page
