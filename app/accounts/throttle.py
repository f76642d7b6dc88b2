"""Counting attempts for every worker at once: failed logins, lockouts, registrations.

The count lives in Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) names one, else in the
database's `throttle_hit` table; while Redis is unreachable the database counts instead and
the fault is logged, so a broken Redis never stops anyone logging in. Both keep a sliding
window: an attempt counts for `window` after it was made.

What is counted is a digest of a key (an e-mail address, a client address), never the key.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
import uuid
from datetime import timedelta

import redis
from flask import current_app
from sqlalchemy import delete, func, select

from app.accounts.models import ThrottleHit
from app.core.types import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

#: How long the database keeps a hit: longer than any window the settings allow.
KEEP = timedelta(days=1)
#: Redis must answer within this (seconds), or the database counts.
REDIS_TIMEOUT = 0.5
#: After a Redis fault, how long (seconds) the database counts before Redis is tried again.
REDIS_RETRY = 30


def enabled() -> bool:
    """Whether this app counts attempts at all (the tests' app does not)."""
    return current_app.config.get("RATELIMIT_ENABLED", True)


def digest(key: str) -> str:
    """Return the fixed-length name under which a key is counted."""
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def count(scope: str, key: str, window: timedelta) -> int:
    """Return how many hits `key` has in `scope` within the last `window`."""
    name = digest(key)
    client = _redis()
    if client is not None:
        try:
            return _redis_count(client, scope, name, window)
        except redis.RedisError:
            _redis_failed("count")
    return _database_count(scope, name, window)


def add(scope: str, key: str, window: timedelta) -> None:
    """Count one hit for `key` in `scope`, kept for `window`."""
    name = digest(key)
    client = _redis()
    if client is not None:
        try:
            _redis_add(client, scope, name, window)
            return
        except redis.RedisError:
            _redis_failed("add")
    _database_add(scope, name)


def clear(scope: str, key: str) -> None:
    """Forget every hit of `key` in `scope` (a successful login forgives the failures)."""
    name = digest(key)
    client = _redis()
    if client is not None:
        try:
            client.delete(_redis_key(scope, name))
        except redis.RedisError:
            _redis_failed("clear")
    # The database may hold hits counted while Redis was away.
    db.session.execute(delete(ThrottleHit).where(ThrottleHit.scope == scope,
                                                 ThrottleHit.key == name))


def _redis() -> redis.Redis | None:
    """Return this app's Redis client, or None when the database counts (no Redis is
    configured, or it failed a moment ago)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    state = current_app.extensions.setdefault("throttle_redis", {})
    if state.get("down_until", 0) > time.monotonic():
        return None
    if "client" not in state:
        state["client"] = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT,
                                               socket_connect_timeout=REDIS_TIMEOUT)
    return state["client"]


def _redis_failed(operation: str) -> None:
    """Log the fault and let the database count for a while, so no login waits on Redis."""
    error = sys.exc_info()[1]
    log.warning("login protection: Redis unreachable (%s: %s); counting in the database for "
                "the next %s seconds", operation, error, REDIS_RETRY)
    state = current_app.extensions.setdefault("throttle_redis", {})
    state["down_until"] = time.monotonic() + REDIS_RETRY


def _redis_key(scope: str, name: str) -> str:
    return f"{current_app.config.get('THROTTLE_KEY_PREFIX', '')}throttle:{scope}:{name}"


def _redis_count(client: redis.Redis, scope: str, name: str, window: timedelta) -> int:
    key = _redis_key(scope, name)
    since = time.time() - window.total_seconds()
    pipe = client.pipeline()
    pipe.zremrangebyscore(key, "-inf", f"({since}")
    pipe.zcard(key)
    return int(pipe.execute()[1])


def _redis_add(client: redis.Redis, scope: str, name: str, window: timedelta) -> None:
    key = _redis_key(scope, name)
    now = time.time()
    pipe = client.pipeline()
    pipe.zadd(key, {uuid.uuid4().hex: now})
    # The set lives as long as its newest hit counts.
    pipe.expire(key, max(int(window.total_seconds()) + 1, 1))
    pipe.execute()


def _database_count(scope: str, name: str, window: timedelta) -> int:
    since = utcnow() - window
    return db.session.scalar(
        select(func.count(ThrottleHit.id)).where(ThrottleHit.scope == scope,
                                                 ThrottleHit.key == name,
                                                 ThrottleHit.at >= since)) or 0


def _database_add(scope: str, name: str) -> None:
    now = utcnow()
    db.session.execute(delete(ThrottleHit).where(ThrottleHit.at < now - KEEP))
    db.session.add(ThrottleHit(scope=scope, key=name, at=now))
    db.session.flush()
