"""How the app's PostgreSQL connections read: without a transaction until a statement writes,
and taken from the pool without a round trip to check them.

**A transaction from the first write.** SQLite's driver begins a transaction only before a
statement that writes; psycopg begins one before the first statement of any kind, so a page
that only reads pays two round trips more than its queries (BEGIN, then COMMIT). On
PostgreSQL the app's pooled connections are kept in psycopg's autocommit mode and given an
explicit BEGIN just before the first statement that is not a plain read: an INSERT, UPDATE
or DELETE, a SELECT that locks (`FOR UPDATE`, `FOR SHARE`, an advisory lock), a SAVEPOINT,
DDL, a server-side cursor. From there the request's work is one transaction, committed or
rolled back as one, as before (psycopg's commit and rollback end the transaction the server
has open and send nothing when it has none). The reads before it see the same data they saw
inside a transaction: under READ COMMITTED, PostgreSQL's default and the app's, every
statement sees what was committed when it began, in a transaction or not. A connection asked
for an isolation level of its own (the backup's REPEATABLE READ snapshot, a maintenance
statement's AUTOCOMMIT) keeps exactly that.

**A connection checked without a round trip.** `pool_pre_ping` sends `SELECT 1` before every
use. Instead, a connection taken from the pool is checked for what a dead one shows: the
server that ended it (restarted, or a backend terminated) has sent its goodbye and closed the
socket, which is then readable while the connection is idle. Only then, or when the
connection has been idle longer than `PING_AFTER_IDLE` (a firewall may drop a quiet
connection without a word), is it pinged; a connection that fails is replaced before use
(the pool's `DisconnectionError`). A connection cut while in use fails that statement: the
request answers the outage page (app/web/outage.py) and the pool starts afresh.
"""

from __future__ import annotations

import re
import select
import time

from psycopg.pq import TransactionStatus
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

#: Seconds a pooled connection may be idle before it is pinged on its next use.
PING_AFTER_IDLE = 10.0
#: A statement that reads and holds nothing: a SELECT that neither locks nor takes a lock.
_PLAIN_READ = re.compile(r"^\s*SELECT\b", re.IGNORECASE)
_LOCKS = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|\bpg_advisory",
                    re.IGNORECASE)
_RETURNED = "returned_at"


def is_plain_read(statement: str) -> bool:
    """Whether `statement` may run outside a transaction: a SELECT that locks nothing."""
    return bool(_PLAIN_READ.match(statement)) and not _LOCKS.search(statement)


def init_engine(engine: Engine) -> None:
    """Give a PostgreSQL engine's connections their transaction at the first write, and check
    them without a round trip; other databases are left as they are."""
    if engine.dialect.name != "postgresql" or event.contains(engine, "checkout", _checkout):
        return
    event.listen(engine, "connect", _now_idle)
    event.listen(engine, "checkout", _checkout)
    event.listen(engine, "checkin", _now_idle)
    event.listen(engine, "before_cursor_execute", _begin_before_writing)


def _now_idle(_dbapi_connection, record) -> None:
    """A connection made or handed back to the pool is idle from now on."""
    record.info[_RETURNED] = time.monotonic()


def _checkout(dbapi_connection, record, _proxy) -> None:
    if dbapi_connection.closed or dbapi_connection.broken:
        raise exc.DisconnectionError("the connection is closed")
    if dbapi_connection.info.transaction_status == TransactionStatus.IDLE:
        dbapi_connection.autocommit = True  # the pool hands connections back rolled back
    idle = time.monotonic() - record.info.get(_RETURNED, 0.0)
    if idle > PING_AFTER_IDLE or _has_word_waiting(dbapi_connection):
        try:
            dbapi_connection.execute("SELECT 1")
        except Exception as error:  # noqa: BLE001 - whatever failed, the pool takes another
            raise exc.DisconnectionError(f"the connection did not answer: {error}") from error


def _has_word_waiting(dbapi_connection) -> bool:
    """Whether the server has sent something to a connection nobody is using: its goodbye
    (shut down, backend terminated) or a notice. Never waits."""
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _begin_before_writing(conn, cursor, statement, _parameters, context, _executemany) -> None:
    dbapi_connection = cursor.connection
    if (not dbapi_connection.autocommit
            or dbapi_connection.info.transaction_status != TransactionStatus.IDLE):
        return  # a transaction is open already, or psycopg opens one itself
    if "isolation_level" in conn.get_execution_options():
        return  # AUTOCOMMIT asked for: every statement on its own
    server_side = context is not None and context.execution_options.get("stream_results")
    if server_side or not is_plain_read(statement):
        dbapi_connection.execute("BEGIN")
