"""No krona is created or lost, whatever coordinators do in whatever order.

Hypothesis drives random sequences of imports (new and --replace), line edits, grants,
transfers, deletions, closings and reopenings over a few years and funds, committing each
accepted change and rolling back each refused one, and checks the books after every step.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import exchange_amount
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.lines import GrantInput, LineInput, add_grant, add_line, delete_line, update_line
from app.ledger.models import Allocation, CarryOver, Grant, Line, LineKind
from app.ledger.queries import load_ledger
from app.ledger.rules import Basis
from app.ledger.years import close_year, reopen_year
from tests.conftest import reset_database
from tests.ledger.factories import allocation, document

EARMARKS = ["brukarmiljonen", "samverkan", "suicidprevention"]
YEARS = [2019, 2020, 2021]
ACTOR = Actor(label="hypothesis")

ore = st.integers(min_value=0, max_value=200_000)  # up to 2 000 kr, öre included
written = ore.map(exchange_amount)


@st.composite
def lines(draw, year: int) -> dict:
    kind = draw(st.sampled_from(["activity", "activity", "call", "transfer"]))
    out: dict = {"activity": draw(st.sampled_from(["Personal", "Utbildning", "Projekt"]))}
    if kind == "call":
        grants = draw(st.lists(st.integers(1, 50_000), max_size=3))
        pool = sum(grants) + draw(st.integers(0, 50_000))
        out.update(kind="call", spent=exchange_amount(pool), grants=[
            {"title": f"Projekt {i}", "owner": "Krokoms kommun",
             "goal_areas": ["Regional samordning"], "amount": exchange_amount(g)}
            for i, g in enumerate(grants)
        ])
        return out
    if kind == "transfer":
        # Mostly the same year (as in seed 003), sometimes another, maybe closed, year.
        covers_year = draw(st.one_of(st.just(year), st.sampled_from(YEARS)))
        out.update(kind="transfer", covers={"earmark": draw(st.sampled_from(EARMARKS)),
                                            "year": covers_year})
    budget, spent = draw(st.one_of(st.none(), written)), draw(st.one_of(st.none(), written))
    if budget is None and spent is None:
        spent = draw(written)
    if budget is not None:
        out["budget"] = budget
    if spent is not None:
        out["spent"] = spent
    return out


@st.composite
def imports(draw) -> tuple:
    year = draw(st.sampled_from(YEARS))
    earmarks = draw(st.lists(st.sampled_from(EARMARKS), min_size=1, max_size=3, unique=True))
    # Received is more than four lines can use, so that closing often succeeds; deficits
    # come from transfers and edits.
    allocations = [
        allocation(e, year, exchange_amount(draw(st.integers(800_000, 2_000_000))),
                   *draw(st.lists(lines(year), max_size=4)))
        for e in earmarks
    ]
    return ("import", document(*allocations), draw(st.booleans()))


index = st.integers(min_value=0, max_value=50)
operations = st.one_of(
    imports(),
    imports(),
    st.just(("close", "earliest open")),
    st.tuples(st.just("spend"), index, st.one_of(ore, st.integers(0, 3_000_000))),
    st.tuples(st.just("grant"), index, st.integers(1, 60_000)),
    st.tuples(st.just("transfer"), index, index, ore),
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("close"), st.sampled_from(YEARS)),
    st.tuples(st.just("reopen"), st.sampled_from(YEARS)),
    st.just(("close", "earliest open")),
    st.just(("reopen", "latest closed")),
)


def pick(items: list, i: int):
    return items[i % len(items)] if items else None


def apply(op: tuple) -> None:
    """Carry out one operation as a request would: commit if accepted, roll back if refused."""
    kind = op[0]
    all_lines = db.session.scalars(select(Line).order_by(Line.id)).all()
    try:
        if kind == "import":
            import_document(op[1], ACTOR, replace=op[2])
        elif kind == "spend" and (target := pick(all_lines, op[1])):
            update_line(target.id, LineInput(
                activity=target.activity, kind=target.kind, budget=target.budget, spent=op[2],
                covers_allocation_id=target.covers_allocation_id), ACTOR)
        elif kind == "grant" and (call := pick(
                [ln for ln in all_lines if ln.kind is LineKind.CALL], op[1])):
            add_grant(call.id, GrantInput(title="Nytt", owner="Åre kommun", amount=op[2],
                                          goal_areas=["Regional samordning"]), ACTOR)
        elif kind == "transfer":
            ids = db.session.scalars(select(Allocation.id).order_by(Allocation.id)).all()
            if ids:
                add_line(pick(ids, op[1]), LineInput(
                    activity="Skuld", kind=LineKind.TRANSFER, spent=op[3],
                    covers_allocation_id=pick(ids, op[2])), ACTOR)
        elif kind == "delete" and (target := pick(all_lines, op[1])):
            delete_line(target.id, ACTOR)
        elif kind == "close":
            year = op[1]
            if year == "earliest open":
                ledger = load_ledger()
                year = min((y for y in ledger.years() if y not in ledger.closed_years),
                           default=YEARS[0])
            close_year(year, ACTOR)
        elif kind == "reopen":
            year = op[1]
            if year == "latest closed":
                year = max(load_ledger().closed_years, default=YEARS[0])
            reopen_year(year, ACTOR)
        db.session.commit()
        event(f"{kind}: accepted")
    except DomainError:
        db.session.rollback()
        event(f"{kind}: refused")


def check_the_books() -> None:
    ledger = load_ledger()
    keys = {(a.earmark_id, a.year) for a in ledger.allocations}

    # A closed year: everything that came into each fund went out, as use or carry-over.
    for a in ledger.allocations:
        if a.year not in ledger.closed_years:
            continue
        b = ledger.balance(a, Basis.OUTCOME)
        carry = ledger.carried_out.get(a.id)
        assert carry is not None, f"{a.label} is closed without a carry-over"
        assert carry.to_year == a.year + 1
        assert b.received + b.carried_in + b.covered == b.used + carry.amount, a.label

    # Everything: what was received is spent or still in a fund.
    received = sum(a.received for a in ledger.allocations)
    spent = db.session.scalar(
        select(func.coalesce(func.sum(Line.spent), 0)).where(Line.kind != LineKind.TRANSFER))
    in_open_years = sum(ledger.balance(a, Basis.OUTCOME).result for a in ledger.allocations
                        if a.year not in ledger.closed_years)
    waiting = sum(c.amount for c in db.session.scalars(select(CarryOver))
                  if c.rule == "carry_over" and (c.earmark_id, c.to_year) not in keys)
    assert received == int(spent) + in_open_years + waiting

    # And no call pool is ever overdrawn.
    granted: dict[int, int] = defaultdict(int)
    for line_id, amount in db.session.execute(select(Grant.line_id, Grant.amount)):
        granted[line_id] += amount
    for line in db.session.scalars(select(Line).where(Line.kind == LineKind.CALL)):
        assert granted[line.id] <= (line.amount or 0), line


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=imports(), ops=st.lists(operations, min_size=3, max_size=16))
def test_no_krona_is_created_or_lost(app, first, ops):
    """Over any sequence of changes, is every krona received either spent or still in a fund?"""
    reset_database(app)
    with app.app_context():
        try:
            for op in [first, *ops]:
                apply(op)
                check_the_books()
        finally:
            db.session.rollback()
            db.session.remove()
