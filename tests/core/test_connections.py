"""PostgreSQL connections read without a transaction and begin one at the first write: a page
that only reads costs its queries alone, and a request that writes is still one transaction."""

from __future__ import annotations

import time

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import select, text

from app.core.reading import connections
from app.extensions import db
from app.ledger.models import Earmark
from tests.conftest import is_postgres


@pytest.mark.parametrize("statement, plain", [
    ("SELECT user.id FROM user WHERE user.id = %(id)s", True),
    ("  select 1", True),
    ("SELECT application.id FROM application WHERE application.id = %(id)s FOR UPDATE", False),
    ("SELECT call.id FROM call FOR UPDATE OF call SKIP LOCKED", False),
    ("SELECT x FROM t FOR NO KEY UPDATE", False),
    ("SELECT x FROM t\nFOR SHARE", False),
    ("SELECT pg_advisory_xact_lock(1)", False),
    ("INSERT INTO earmark (code) VALUES (%(code)s)", False),
    ("UPDATE call SET title = %(title)s", False),
    ("DELETE FROM grant", False),
    ("SAVEPOINT sa_savepoint_1", False),
    ("WITH moved AS (DELETE FROM t RETURNING *) SELECT * FROM moved", False),
    ("CREATE TABLE t (x int)", False),
])
def test_only_a_select_that_locks_nothing_runs_outside_a_transaction(statement, plain):
    assert connections.is_plain_read(statement) is plain


@pytest.fixture
def pg(app):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: TEST_DATABASE_URL=postgresql+psycopg://…")
    with app.app_context():
        yield app
        db.session.rollback()


#: An earmark row written in plain SQL, its code given.
_ROW = ("(code, name, description, remainder_rule, sort_order, active) "
        "SELECT %s, name, description, remainder_rule, sort_order, active FROM earmark LIMIT 1")


def _status() -> TransactionStatus:
    return db.session.connection().connection.dbapi_connection.info.transaction_status


def _outside(app) -> psycopg.Connection:
    """A connection of its own, beside the app's pool."""
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg", "postgresql")
    return psycopg.connect(url, autocommit=True)


def test_reads_open_no_transaction_on_the_server(pg):
    assert db.session.scalars(select(Earmark.code)).all()
    assert _status() == TransactionStatus.IDLE
    db.session.commit()  # nothing to send


def test_the_first_write_begins_one_transaction_that_a_rollback_undoes_whole(pg):
    db.session.add(Earmark(code="forsta", name="Första"))
    db.session.flush()
    assert _status() == TransactionStatus.INTRANS
    db.session.add(Earmark(code="andra", name="Andra"))
    db.session.flush()
    with _outside(pg) as other:  # nothing is seen outside before the commit
        assert other.execute("SELECT count(*) FROM earmark WHERE code IN ('forsta', 'andra')"
                             ).fetchone() == (0,)
    db.session.rollback()
    assert db.session.scalar(select(Earmark).where(Earmark.code.in_(["forsta", "andra"]))) is None


def test_a_commit_keeps_every_write_of_the_transaction(pg):
    db.session.add_all([Earmark(code="forsta", name="Första"), Earmark(code="andra", name="Andra")])
    db.session.commit()
    with _outside(pg) as other:
        assert other.execute("SELECT count(*) FROM earmark WHERE code IN ('forsta', 'andra')"
                             ).fetchone() == (2,)


def test_a_select_for_update_holds_its_lock_until_the_commit(pg):
    code = db.session.scalars(select(Earmark.code)).first()
    db.session.scalar(select(Earmark).where(Earmark.code == code).with_for_update())
    assert _status() == TransactionStatus.INTRANS
    with _outside(pg) as other:
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("SELECT code FROM earmark WHERE code = %s FOR UPDATE NOWAIT", [code])
        db.session.commit()
        assert other.execute("SELECT code FROM earmark WHERE code = %s FOR UPDATE NOWAIT",
                             [code]).fetchone() == (code,)


def test_a_repeatable_read_connection_keeps_its_snapshot(pg):
    with db.engine.connect() as conn:
        snapshot = conn.execution_options(isolation_level="REPEATABLE READ")
        before = snapshot.scalar(text("SELECT count(*) FROM earmark"))
        with _outside(pg) as other:
            other.execute(f"INSERT INTO earmark {_ROW}", ["sen"])
        assert snapshot.scalar(text("SELECT count(*) FROM earmark")) == before
    assert db.session.scalar(text("SELECT count(*) FROM earmark")) == before + 1


def test_an_autocommit_connection_keeps_each_statement_on_its_own(pg):
    with db.engine.connect() as conn:
        alone = conn.execution_options(isolation_level="AUTOCOMMIT")
        alone.exec_driver_sql(f"INSERT INTO earmark {_ROW}", ("genast",))
        with _outside(pg) as other:  # committed without a commit
            assert other.execute("SELECT count(*) FROM earmark WHERE code = 'genast'"
                                 ).fetchone() == (1,)


def test_a_server_side_cursor_reads_in_a_transaction_of_its_own(pg):
    with db.engine.connect() as conn:
        rows = conn.execution_options(yield_per=2).execute(select(Earmark.code))
        assert len(rows.all()) == len(db.session.scalars(select(Earmark.code)).all())


def test_a_connection_idle_too_long_is_pinged_and_replaced_when_it_fails(pg, monkeypatch):
    """A connection the network dropped without a word looks alive until used: one idle
    longer than PING_AFTER_IDLE is asked first, and a dead one is replaced before use."""
    db.session.remove()
    db.engine.dispose()  # a pool of one connection: the one cut below
    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    db.session.remove()
    monkeypatch.setattr(connections, "PING_AFTER_IDLE", -1.0)
    # Silent, as a dropped connection is: only its idle time tells.
    monkeypatch.setattr(connections, "_has_word_waiting", lambda _connection: False)
    with _outside(pg) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        wait_until_gone(other, "pid = %s", pid)
    assert db.session.scalar(select(1)) == 1
    assert db.session.scalar(text("SELECT pg_backend_pid()")) != pid


def wait_until_gone(other: psycopg.Connection, where: str, *args) -> None:
    """Wait (at most 5 s) until no server process matches `where`: a terminated backend ends
    a moment after pg_terminate_backend answers."""
    for _ in range(500):
        if other.execute(f"SELECT count(*) FROM pg_stat_activity WHERE {where}",
                         list(args)).fetchone() == (0,):
            return
        time.sleep(0.01)
    raise AssertionError(f"a server process is still there: {where} {args}")


def test_sqlite_engines_are_left_as_they_are(app, tmp_path):
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    connections.init_engine(engine)
    assert not event.contains(engine, "checkout", connections._checkout)
