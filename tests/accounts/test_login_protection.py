"""Failed logins counted for every worker at once, per account and per client address; the
lockout and its e-mail; Redis when there is one, the database when there is none or it is down."""

from __future__ import annotations

import logging
import uuid

import pytest
import redis
from sqlalchemy import func, select

from app.accounts.models import ThrottleHit
from app.core.mail import outbox_for
from app.extensions import db
from tests.accounts.test_registration import FORM
from tests.conftest import PASSWORD

WRONG = "fel-losenord-1234"
LOCKED = "Inloggningen är spärrad i 15 minuter"
LIMITS = {"RATELIMIT_ENABLED": True, "LOGIN_MAX_FAILURES": 3, "LOGIN_LOCKOUT_MINUTES": 15}


def _post(client, email, password=WRONG, address="10.1.1.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def workers(second_app):
    """Two apps on one database, as two gunicorn workers are."""
    def make(**settings):
        return [second_app(**{**LIMITS, **settings}).test_client() for _ in range(2)]
    return make


def test_two_workers_share_the_count_and_lock_the_account(app, workers, make_user):
    """Do failures spread over two workers add up to one lockout?"""
    email = make_user("coordinator")
    first, second = workers()
    assert _post(first, email).status_code == 200
    assert _post(second, email).status_code == 200
    third = _post(first, email)
    assert third.status_code == 200
    assert LOCKED in third.get_data(as_text=True)
    # Now even the right password is refused, on either worker, with the lockout's message.
    for client in (first, second):
        response = _post(client, email, PASSWORD)
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        assert LOCKED in page and 'class="ds-error-summary' in page
        assert client.get("/").status_code == 302


def test_the_owner_is_told_of_the_lockout(app, workers, make_user):
    email = make_user("viewer")
    first, _second = workers()
    for _attempt in range(3):
        _post(first, email)
    with app.app_context():
        mails = outbox_for(email)
    assert len(mails) == 1
    assert "spärrad" in mails[0].subject
    assert "15 minuter" in mails[0].body and "/login" in mails[0].body


def test_the_lockout_ends_after_its_minutes(app, workers, make_user):
    from freezegun import freeze_time

    email = make_user("viewer")
    first, _second = workers()
    with freeze_time("2026-03-02 10:00:00"):
        for _attempt in range(3):
            _post(first, email)
        assert _post(first, email, PASSWORD).status_code == 429
    with freeze_time("2026-03-02 10:16:00"):
        assert _post(first, email, PASSWORD).status_code == 302


def test_an_unknown_address_is_locked_alike_and_nobody_is_mailed(app, workers):
    """Does the lockout tell an attacker which addresses have accounts? (It must not.)"""
    first, _second = workers()
    pages = [_post(first, "ingen@example.se").get_data(as_text=True) for _ in range(3)]
    assert LOCKED in pages[-1]
    assert _post(first, "ingen@example.se").status_code == 429
    with app.app_context():
        assert outbox_for("ingen@example.se") == []


def test_a_successful_login_forgives_earlier_failures(workers, make_user):
    email = make_user("viewer")
    first, second = workers()
    _post(first, email)
    _post(second, email)
    assert _post(first, email, PASSWORD).status_code == 302
    second.post("/logout")
    for _attempt in range(2):
        assert _post(second, email).status_code == 200
    assert _post(second, email, PASSWORD).status_code == 302


def test_one_client_address_is_stopped_whatever_accounts_it_tries(workers, make_user):
    """Can one machine try a password against many accounts without being stopped?"""
    email = make_user("viewer")
    first, second = workers(LOGIN_CLIENT_MAX_FAILURES=4, LOGIN_MAX_FAILURES=100)
    for i in range(4):
        assert _post(first if i % 2 else second, f"person{i}@example.se").status_code == 200
    response = _post(first, email, PASSWORD)
    assert response.status_code == 429
    assert "från din dator eller ditt nätverk" in response.get_data(as_text=True)
    # Another client address logs in to the same account.
    assert _post(second, email, PASSWORD, address="10.2.2.2").status_code == 302


def test_registrations_are_counted_for_every_worker(app, second_app):
    """Does the hourly limit on registrations hold across workers?"""
    first, second = (second_app(RATELIMIT_ENABLED=True, REGISTER_CLIENT_MAX_PER_HOUR=2)
                     .test_client() for _ in range(2))
    for i, client in enumerate((first, second)):
        form = {**FORM, "email": f"person{i}@krokom.se"}
        assert client.post("/register", data=form).status_code == 200
    response = first.post("/register", data={**FORM, "email": "tredje@krokom.se"})
    assert response.status_code == 429
    assert "För många försök" in response.get_data(as_text=True)
    with app.app_context():
        assert outbox_for("tredje@krokom.se") == []


def test_a_new_confirmation_link_is_limited_per_address(app, second_app):
    limited = second_app(RATELIMIT_ENABLED=True, REGISTER_EMAIL_MAX_PER_HOUR=2).test_client()
    for _attempt in range(2):
        assert limited.post("/confirm", data={"email": "anna@krokom.se"}).status_code == 200
    assert limited.post("/confirm", data={"email": "anna@krokom.se"}).status_code == 429


def test_with_redis_down_a_correct_login_still_works(app, workers, make_user, caplog):
    """If the limiter's Redis is unreachable, can people still log in? (No 500.)"""
    email = make_user("viewer")
    first, second = workers(REDIS_URL="redis://127.0.0.1:9")  # the discard port: closed
    with caplog.at_level(logging.WARNING, logger="app.accounts.throttle"):
        assert _post(first, email, PASSWORD).status_code == 302
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)
    first.post("/logout")
    # The database counts meanwhile, so the lockout still holds.
    other = make_user("viewer")
    for client in (first, second, first):
        _post(client, other)
    assert _post(second, other, PASSWORD).status_code == 429


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the local Redis; skips without a Redis."""
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}:"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def test_redis_counts_for_every_worker(app, workers, make_user, redis_prefix):
    email = make_user("viewer")
    first, second = workers(REDIS_URL="redis://127.0.0.1:6379/0", THROTTLE_KEY_PREFIX=redis_prefix)
    for client in (first, second, first):
        _post(client, email)
    assert _post(second, email, PASSWORD).status_code == 429
    keys = list(redis.Redis.from_url("redis://127.0.0.1:6379/0").scan_iter(f"{redis_prefix}*"))
    assert keys  # counted in Redis …
    with app.app_context():
        assert db.session.scalar(select(func.count(ThrottleHit.id))) == 0  # … not the database


def test_behind_the_load_balancer_each_client_is_counted_by_its_own_address(workers):
    """With PROXY_COUNT=1 the limit counts X-Forwarded-For, not the balancer's one address."""
    first, _second = workers(LOGIN_CLIENT_MAX_FAILURES=2, LOGIN_MAX_FAILURES=100, PROXY_COUNT=1)

    def attempt(client_address):
        return first.post("/login", data={"email": f"x{uuid.uuid4().hex[:6]}@example.se",
                                          "password": WRONG},
                          headers={"X-Forwarded-For": client_address},
                          environ_base={"REMOTE_ADDR": "10.0.0.1"})

    assert [attempt("192.0.2.1").status_code for _ in range(3)] == [200, 200, 429]
    assert attempt("192.0.2.2").status_code == 200
