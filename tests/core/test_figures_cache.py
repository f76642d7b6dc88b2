"""Figures kept between changes (app/core/reading/figures.py), as two gunicorn workers share
them through Redis, or keep them each while Redis is away."""

from __future__ import annotations

import uuid

import pytest
import redis
from sqlalchemy import select, update

from app import create_app
from app.core.reading import figures as figures_cache
from app.extensions import db
from app.ledger.models import Allocation, Earmark
from tests.conftest import login
from tests.support import count_queries, kronor

REDIS = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the local Redis; skips without a Redis."""
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}:"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def worker(app):
    """Apps on the test database with settings of their own, each standing in for a worker."""
    made = []

    def make(**settings):
        made.append(create_app({
            "APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], **settings}))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def received(client) -> str:
    page = client.get("/").get_data(as_text=True).replace("\u00a0", " ")
    return page.split("Samverkansmedel: erhållet ", 1)[1].split(" kr", 1)[0]


def set_received(app, kronor_: int) -> None:
    """Change samverkan 2020's received money in one worker, committed as a request does."""
    with app.app_context():
        samverkan = db.session.scalar(select(Earmark.id).where(Earmark.code == "samverkan"))
        db.session.execute(update(Allocation).where(Allocation.earmark_id == samverkan,
                                                    Allocation.year == 2020)
                           .values(received=kronor(kronor_)))
        db.session.commit()


def test_two_workers_share_the_kept_year_through_redis(app, worker, make_user, imported_2020,
                                                       redis_prefix):
    """What one worker rendered another serves from Redis; a change made in either shows in
    both at once."""
    first, second = (worker(REDIS_URL=REDIS, THROTTLE_KEY_PREFIX=redis_prefix) for _ in "12")
    email = make_user("viewer")
    one, two = first.test_client(), second.test_client()
    login(one, email)
    login(two, email)
    set_received(first, 6_500_000)
    assert received(one) == "6 500 000"
    kept = redis.Redis.from_url(REDIS)
    assert list(kept.scan_iter(f"{redis_prefix}figures:dashboard-year:*"))
    figures_cache.forget()  # no worker keeps it in its process: Redis serves it
    with count_queries(second) as statements:
        assert received(two) == "6 500 000"
    assert len(statements) <= 4, statements
    set_received(second, 6_600_000)
    assert received(one) == "6 600 000" and received(two) == "6 600 000"


def test_what_the_process_keeps_is_served_without_asking_redis(app, worker, make_user,
                                                               imported_2020, redis_prefix,
                                                               monkeypatch):
    """A page shown again costs no round trip to Redis: the process keeps what it used, under
    names that hold the data version (so never a stale copy); one it forgot comes from Redis
    once and is kept again."""
    first = worker(REDIS_URL=REDIS, THROTTLE_KEY_PREFIX=redis_prefix)
    one = first.test_client()
    login(one, make_user("viewer"))
    assert received(one) == "6 203 183"
    asked, get = [], redis.Redis.get
    monkeypatch.setattr(redis.Redis, "get", lambda self, name: asked.append(name) or get(self, name))
    assert received(one) == "6 203 183"
    assert asked == []
    figures_cache.forget()
    assert received(one) == "6 203 183"
    assert asked and all(name.startswith(f"{redis_prefix}figures:") for name in asked)
    asked.clear()
    assert received(one) == "6 203 183"
    assert asked == []
    set_received(first, 6_500_000)
    assert received(one) == "6 500 000"


def test_without_redis_each_worker_keeps_its_own_and_none_is_stale(app, worker, make_user,
                                                                   imported_2020):
    """Redis configured but not answering: the pages are right all the same."""
    first = worker(REDIS_URL="redis://127.0.0.1:9", THROTTLE_KEY_PREFIX="t:")
    email = make_user("viewer")
    one = first.test_client()
    login(one, email)
    viewer = app.test_client()
    login(viewer, email)
    assert received(one) == received(viewer) == "6 203 183"
    set_received(app, 6_400_000)
    assert received(one) == received(viewer) == "6 400 000"


def test_changes_not_yet_committed_are_never_kept(app, imported_2020):
    """Figures read inside a change that is not committed are computed, not kept or reused."""
    with app.test_request_context():
        assert figures_cache.data_version() is not None
        calls = []
        figures_cache.remember("test", (1,), lambda: calls.append(1) or "a")
        figures_cache.remember("test", (1,), lambda: calls.append(1) or "a")
        assert calls == [1]
        db.session.get(Allocation, db.session.scalar(select(Allocation.id))).received += 1
        assert figures_cache.data_version() is None
        assert figures_cache.remember("test", (1,), lambda: "b") == "b"
        db.session.rollback()
