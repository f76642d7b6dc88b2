"""Coordinators acting at the same moment can never over-allocate a call's pool.

Only PostgreSQL runs requests truly in parallel (SQLite serialises writers), so these tests run
only when TEST_DATABASE_URL names a PostgreSQL database. Each thread is one request: its own
application context and session, commit on success, rollback on refusal; a barrier makes them
collide.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.audit import Actor
from app.extensions import db
from app.ledger import years
from app.ledger.earmarks import add_earmark
from app.ledger.exchange.importing import import_document
from app.ledger.lines import GrantInput, LineInput, add_grant, add_line, update_grant, update_line
from app.ledger.models import Grant, Line, LineKind
from app.ledger.years import close_year
from tests.conftest import CONCURRENT_REQUESTS as THREADS
from tests.ledger.factories import allocation, call_line_id, document, grant, line
from tests.support import kronor, run_together


def set_up(app, *grants: dict, pool_kr: int = 1_000_000) -> int:
    """Import samverkan 2021 with a call of `pool_kr` and the given grants; return the call line.

    The call line's goal area puts the one the grants choose on 2021's list."""
    with app.app_context():
        import_document(document(allocation(
            "samverkan", 2021, 6_000_000,
            line("Utlysning", kind="call", budget=pool_kr, grants=list(grants),
                 goal_area="Stärka barn och ungas psykiska hälsa"),
        )), Actor(label="fixture"))
        db.session.commit()
        call = call_line_id("samverkan", 2021)
        db.session.remove()
    return call




def granted_and_pool(app, call: int) -> tuple[int, int, int]:
    with app.app_context():
        row = db.session.get(Line, call)
        total = db.session.scalar(
            select(func.coalesce(func.sum(Grant.amount), 0)).where(Grant.line_id == call))
        count = db.session.scalar(select(func.count()).select_from(Grant)
                                  .where(Grant.line_id == call))
        pool = row.amount
        db.session.remove()
    return int(total), pool, count


def load_call(call: int) -> Line:
    """Load the call line and its grants, as the page a coordinator submits from did."""
    shown = db.session.get(Line, call)
    len(shown.grants)
    return shown


def new_grant(i: int, amount_kr: int) -> GrantInput:
    return GrantInput(title=f"Projekt {i}", owner="Krokoms kommun", amount=kronor(amount_kr),
                      goal_areas=["Stärka barn och ungas psykiska hälsa"])


def test_simultaneous_grants_never_overdraw_the_pool(wide_app):
    """When 20 coordinators grant 150 000 from a pool of 1 000 000 at once, do exactly 6 succeed?"""
    call = set_up(wide_app)
    results = run_together(
        wide_app, THREADS,
        act=lambda i: add_grant(call, new_grant(i, 150_000), Actor(label=f"samordnare{i}")),
        prepare=lambda i: load_call(call),
    )
    total, pool, count = granted_and_pool(wide_app, call)
    assert total <= pool
    assert results.count("ok") == count == 6  # as many as fit: 6 × 150 000 ≤ 1 000 000
    refusals = [r for r in results if r != "ok"]
    assert len(refusals) == THREADS - 6
    for refusal in refusals:
        assert "kvar att bevilja är 100\u00a0000\u00a0kr" in str(refusal)


def test_lowering_a_pool_while_grants_arrive_never_overdraws_it(wide_app):
    """When a call is lowered to 500 000 while 19 grants of 100 000 arrive, is the pool kept?"""
    call = set_up(wide_app)

    def act(i: int) -> None:
        if i == 0:
            update_line(call, LineInput(activity="Utlysning", kind=LineKind.CALL,
                                        budget=kronor(500_000)), Actor(label="ändrar"))
        else:
            add_grant(call, new_grant(i, 100_000), Actor(label=f"samordnare{i}"))

    results = run_together(wide_app, THREADS, act=act, prepare=lambda i: load_call(call))
    total, pool, count = granted_and_pool(wide_app, call)
    assert total <= pool
    grants_made = results[1:].count("ok")
    assert grants_made == count
    if results[0] == "ok":  # lowered before the sixth grant: then exactly five fit
        assert pool == kronor(500_000) and grants_made == 5
    else:  # six or more were granted first: the lowering is refused, all ten fit in the pool
        assert "mer än utlysningens 500\u00a0000\u00a0kr" in str(results[0])
        assert pool == kronor(1_000_000) and grants_made == 10
    for refusal in results[1:]:
        if refusal != "ok":
            assert "kvar att bevilja är" in str(refusal)


def test_simultaneous_raises_of_grants_never_overdraw_the_pool(wide_app):
    """When 20 grants of 25 000 are each raised by 50 000 at once, do exactly 10 raises fit?"""
    call = set_up(wide_app, *[grant(f"Projekt {i}", 25_000) for i in range(THREADS)])
    with wide_app.app_context():
        ids = db.session.scalars(select(Grant.id).where(Grant.line_id == call)
                                 .order_by(Grant.id)).all()
        db.session.remove()

    def prepare(i: int) -> Grant:
        shown = db.session.get(Grant, ids[i])  # the edit page shows the grant and its call
        len(shown.line.grants)
        return shown

    results = run_together(
        wide_app, THREADS,
        act=lambda i: update_grant(ids[i], new_grant(i, 75_000),
                                   Actor(label=f"samordnare{i}")),
        prepare=prepare,
    )
    total, pool, _ = granted_and_pool(wide_app, call)
    assert total <= pool
    assert results.count("ok") == 10  # 500 000 granted + 10 × 50 000 = 1 000 000
    # What is left for a refused grant is its own 25 000: the others hold the rest of the pool.
    assert all("kvar att bevilja är 25\u00a0000\u00a0kr" in str(r) for r in results if r != "ok")


def test_a_raise_from_a_page_loaded_before_the_pool_was_lowered_is_held_to_it(wide_app):
    """If the pool falls to 600 000 after ten grants were opened for editing, do two raises fit?"""
    call = set_up(wide_app, *[grant(f"Projekt {i}", 50_000) for i in range(10)])
    with wide_app.app_context():
        ids = db.session.scalars(select(Grant.id).where(Grant.line_id == call)
                                 .order_by(Grant.id)).all()
        db.session.remove()

    def prepare(i: int) -> Grant | None:
        if i == 0:
            return None
        shown = db.session.get(Grant, ids[i - 1])  # the page showed the pool of 1 000 000
        len(shown.line.grants)
        return shown

    def act(i: int) -> None:
        if i == 0:
            update_line(call, LineInput(activity="Utlysning", kind=LineKind.CALL,
                                        budget=kronor(600_000)), Actor(label="ändrar"))
        else:
            update_grant(ids[i - 1], new_grant(i, 100_000), Actor(label=f"samordnare{i}"))

    results = run_together(wide_app, 11, act=act, prepare=prepare, first=0)
    total, pool, _ = granted_and_pool(wide_app, call)
    assert results[0] == "ok" and pool == kronor(600_000)
    assert total <= pool
    assert results[1:].count("ok") == 2  # 500 000 + 2 × 50 000 = 600 000
    assert all("mer än utlysningens 600\u00a0000\u00a0kr" in str(r)
               for r in results[1:] if r != "ok")


def test_a_transfer_into_a_year_being_closed_is_counted_or_refused(wide_app, monkeypatch):
    """While 2020 closes, is each transfer into a 2020 fund either carried over or refused?"""
    import time

    from app.ledger.models import CarryOver
    from app.ledger.queries import load_ledger
    from app.ledger.rules import Basis
    from tests.conftest import DATA_2020
    from tests.ledger.factories import allocation_id

    with wide_app.app_context():
        import_document(DATA_2020.read_text(encoding="utf-8"), Actor(label="fixture"))
        # A fund new in 2021, so nothing of 2020's closing (its allocations, their funds) is
        # locked by the transfers' own allocation.
        add_earmark("traumavard", "Traumavård", Actor(label="fixture"))
        import_document(document(allocation(
            "traumavard", 2021, 500_000, line("Utbildning", budget=100_000))),
            Actor(label="fixture"))
        db.session.commit()
        covering = allocation_id("traumavard", 2021)
        covered = allocation_id("suicidprevention", 2020)
        db.session.remove()

    def slow_load_ledger(*args, **kwargs):
        ledger = load_ledger(*args, **kwargs)
        time.sleep(0.3)  # a long closing: the transfers arrive while it computes
        return ledger

    monkeypatch.setattr(years, "load_ledger", slow_load_ledger)

    def act(i: int) -> None:
        if i == 0:
            close_year(2020, Actor(label="admin"))
        else:
            add_line(covering, LineInput(activity=f"Skuld {i}", kind=LineKind.TRANSFER,
                                         spent=kronor(1), covers_allocation_id=covered),
                     Actor(label=f"samordnare{i}"))

    results = run_together(wide_app, 10, act=act)
    assert results[0] == "ok"
    with wide_app.app_context():
        ledger = load_ledger([2020])
        suicid = next(a for a in ledger.allocations if a.id == covered)
        b = ledger.balance(suicid, Basis.OUTCOME)
        carry = db.session.scalar(select(CarryOver).where(CarryOver.from_allocation_id == covered))
        transfers_in = results[1:].count("ok")
        assert b.covered == kronor(transfers_in)
        assert carry.amount == kronor(108_928 + transfers_in)  # every accepted krona was carried
        assert b.received + b.carried_in + b.covered == b.used + carry.amount
        db.session.remove()
    assert all("medan 2020 är stängt" in str(r) for r in results[1:] if r != "ok")
