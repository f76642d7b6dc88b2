"""Figures computed once and reused until the data changes: a cache keyed by a data version.

Every commit that inserts, updates or deletes a row of a table holding figures gives the one
row of `data_version` a new random token, in the same transaction (after everything else, so
it holds that row's lock only for the moment before the commit). A page asks for the token
(one query on a primary key) and reuses what it computed under that token, so it never shows
figures older than the last commit: a change makes a new token, and the first view after it
computes afresh. The token is random rather than counted, so a database emptied or restored
never reuses a token whose cached figures were of other data.

The cache lives in Redis when `REDIS_URL` is set (shared by every gunicorn worker, entries
kept `FIGURES_CACHE_SECONDS`), and in each process, which keeps the last
`FIGURES_CACHE_ENTRIES` it used (with no Redis, it alone). The process asks its own first: a
name holds the data version it was computed under, so what it names never changes and no copy
can be older than Redis's, and a page served again costs no round trip to Redis. Values are
text (rendered HTML or JSON). A Redis that fails is left alone for a while and the process's
own cache serves instead.

Changes are seen on every connection of the engine (also statements sent outside the ORM);
a commit outside a session (a raw `engine.begin()`) cannot write the token, so it clears
this process's cache instead. Tables registered with `untracked` (accounts, sessions, login
counts, the audit log, e-mail, jobs) hold no figures and do not change the version.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import redis
from flask import Flask, current_app, g, has_request_context
from sqlalchemy import event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.models import DataVersion
from app.core.types import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

CHANGED = "figures_changed"  # the flag on a connection that wrote a tracked table
REDIS_TIMEOUT = 0.5  # seconds: a page never waits long on a cache
REDIS_RETRY = 30  # seconds the process's own cache serves after Redis failed
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
                    re.IGNORECASE)
_untracked: set[str] = {DataVersion.__tablename__, "alembic_version"}


def untracked(*tables: str) -> None:
    """Name tables whose changes never show in cached figures (they do not change the version)."""
    _untracked.update(tables)


def init_app(app: Flask) -> None:
    """Watch the app's engine for changes and give the version a new token at each commit."""
    with app.app_context():
        engine = db.engine
    if not event.contains(engine, "before_cursor_execute", _seen):
        event.listen(engine, "before_cursor_execute", _seen)
        event.listen(engine, "commit", _committed)
        event.listen(engine, "rollback", _rolled_back)
    if not event.contains(Session, "before_commit", _new_token):
        event.listen(Session, "before_commit", _new_token)
    app.extensions["figures_cache"] = {"redis": None, "down_until": 0}


def _seen(conn, _cursor, statement, _parameters, context, _executemany) -> None:
    match = _WRITE.match(statement)
    if match and match.group(1).lower() not in _untracked:
        conn.info[CHANGED] = True


def _rolled_back(conn) -> None:
    # A connection the database cut (an outage) has no info left to read, nor changes.
    if not conn.invalidated:
        conn.info.pop(CHANGED, None)


def _committed(conn) -> None:
    # A commit whose changes no session gave a new token (a raw engine connection): at least
    # this process forgets what it cached.
    if conn.info.pop(CHANGED, False):
        _LOCAL.clear()


def _new_token(session: Session) -> None:
    session.flush()  # what the commit would flush next is part of the change too
    if not session.in_transaction():
        return
    connection = session.connection()
    if not connection.info.pop(CHANGED, False):
        return
    if has_request_context():
        g.pop("data_version", None)  # what the request reads after this is of the new data
    values = {"id": 1, "token": secrets.token_hex(16), "changed_at": utcnow()}
    dialect = connection.dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(DataVersion)
        connection.execute(insert.values(values).on_conflict_do_update(
            index_elements=["id"], set_={"token": values["token"],
                                         "changed_at": values["changed_at"]}))
    else:
        connection.execute(update(DataVersion).where(DataVersion.id == 1)
                           .values(token=values["token"], changed_at=values["changed_at"]))


def data_version() -> str | None:
    """The token of the data as committed, or None when figures must not be reused: no token
    is written yet, or this session has changes of its own not committed."""
    session = db.session()
    if session.in_transaction() and (session.new or session.dirty or session.deleted
                                     or session.connection().info.get(CHANGED)):
        return None
    # Read once per request: what the request shows is of one moment.
    if has_request_context() and "data_version" in g:
        return g.data_version
    token = session.scalar(select(DataVersion.token).where(DataVersion.id == 1))
    if has_request_context():
        g.data_version = token
    return token


def version_column():
    """The data version as a column, for a query every request runs first anyway (the
    account's) to read along, saving the request a round trip: give it to `known_version`."""
    return (select(DataVersion.token).where(DataVersion.id == 1).scalar_subquery()
            .label("data_version"))


def known_version(token: str | None) -> None:
    """Take the token read with `version_column` as the request's data version."""
    if has_request_context() and "data_version" not in g:
        g.data_version = token


def forget() -> None:
    """Forget what this process keeps: the next views compute their figures afresh."""
    _LOCAL.clear()


def remember(kind: str, key: tuple, compute: Callable[[], str]) -> str:
    """Return the text `compute()` makes for `key`, computed once per data version."""
    version = data_version()
    if version is None:
        return compute()
    prefix = current_app.config.get("THROTTLE_KEY_PREFIX", "")
    name = f"{prefix}figures:{kind}:{version}:" + ":".join(str(part) for part in key)
    found = _get(name)
    if found is not None:
        return found
    value = compute()
    _put(name, value)
    return value


class _LocalCache:
    """The last entries used, in this process."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, name: str) -> str | None:
        with self.lock:
            value = self.entries.get(name)
            if value is not None:
                self.entries.move_to_end(name)
            return value

    def put(self, name: str, value: str, limit: int) -> None:
        with self.lock:
            self.entries[name] = value
            self.entries.move_to_end(name)
            while len(self.entries) > limit:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


#: The process's cache, shared by its apps (the keys hold the random token of their data).
_LOCAL = _LocalCache()


def _state() -> dict:
    return current_app.extensions["figures_cache"]


def _redis():
    url = current_app.config.get("REDIS_URL")
    state = _state()
    if not url or state["down_until"] > time.monotonic():
        return None
    if state["redis"] is None:
        state["redis"] = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT,
                                              socket_connect_timeout=REDIS_TIMEOUT)
    return state["redis"]


def _redis_failed(error: Exception) -> None:
    log.warning("figures cache: Redis unreachable (%s); the process's own cache serves for "
                "%s seconds", error, REDIS_RETRY)
    _state()["down_until"] = time.monotonic() + REDIS_RETRY


def _get(name: str) -> str | None:
    found = _LOCAL.get(name)
    if found is not None:
        return found
    client = _redis()
    if client is None:
        return None
    try:
        value = client.get(name)
    except Exception as error:  # noqa: BLE001 - any Redis fault: the local cache serves
        _redis_failed(error)
        return None
    if value is None:
        return None
    text = value.decode("utf-8")
    _LOCAL.put(name, text, _local_entries())
    return text


def _put(name: str, value: str) -> None:
    _LOCAL.put(name, value, _local_entries())
    client = _redis()
    if client is not None:
        try:
            client.set(name, value.encode("utf-8"),
                       ex=int(current_app.config.get("FIGURES_CACHE_SECONDS", 3600)))
        except Exception as error:  # noqa: BLE001
            _redis_failed(error)


def _local_entries() -> int:
    return int(current_app.config.get("FIGURES_CACHE_ENTRIES", 256))
