"""What tests of every area share: amounts in kronor, counting queries, acting at one moment."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from app.core.errors import DomainError
from app.core.reading import figures as figures_cache
from app.extensions import db


def kronor(amount: int) -> int:
    """Return whole kronor as öre, the unit the app stores: kronor(1_000_000) == 100_000_000."""
    return amount * 100


@contextmanager
def count_queries(app) -> Iterator[list[str]]:
    """Collect the SQL statements the app's engine runs inside the block (SHOW_SQL=1 prints
    them): `with count_queries(app) as statements: client.get(url)`, then `len(statements)`."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        if os.environ.get("SHOW_SQL"):
            print("\n---\n".join(s[:160] for s in statements))


def queries_of_page(app, client, url: str) -> int:
    """Return how many statements showing the page `url` runs (the page must answer 200),
    computing its figures afresh: what it kept from an earlier view is forgotten first, so
    this is the cost of the first view after a change (app/core/reading/figures.py)."""
    figures_cache.forget()
    with count_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(statements)


def run_together(app, count: int, act: Callable[[int], None],
                 prepare: Callable[[int], object] = lambda i: None,
                 first: int | None = None) -> list[object]:
    """Run `act(i)` in `count` threads released at the same moment, each committing its own
    session as a request would; return "ok" or the DomainError of each.

    `prepare(i)` runs first in each thread's session, as a view loads what it shows before it
    acts, and what it returns is held until the act is done (as a view's variables are: the
    session forgets objects nobody holds); the barrier then lets every thread act at once, or,
    with `first`, that thread alone before the others. Any error other than a DomainError fails
    the test.
    """
    barrier = threading.Barrier(count, timeout=60)
    first_done = threading.Event()
    if first is None:
        first_done.set()
    results: list[object] = [None] * count

    def worker(i: int) -> None:
        with app.app_context():
            try:
                db.session.connection()  # hold a connection before the race starts
                shown = prepare(i)  # noqa: F841 - held, so the session keeps what it loaded
                barrier.wait()
                if i != first:
                    assert first_done.wait(timeout=60)
                act(i)
                db.session.commit()
                results[i] = "ok"
            except Exception as exc:  # noqa: BLE001 - reported by the test, not the thread
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()
                if i == first:
                    first_done.set()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    unexpected = [r for r in results if r != "ok" and not isinstance(r, DomainError)]
    assert not unexpected, unexpected
    return results
