"""The checks behind the overview's warnings (app.services.checks), called directly.

They sit with the web tests because the overview is their one reader; they need a database
but no request.
"""

from __future__ import annotations

from app.extensions import db
from app.ledger.checks import (
    CarryWithoutAllocation,
    StatedTotalMismatch,
    UnbudgetedCarryIn,
    UncoveredDeficit,
    UndistributedCall,
    ledger_warnings,
)
from app.ledger.exchange.importing import import_document
from app.ledger.overview import build_overview
from app.ledger.queries import load_ledger
from app.ledger.years import close_year
from tests.ledger.factories import allocation, document


def load(text: str, actor) -> None:
    import_document(text, actor)
    db.session.flush()


def test_the_2020_follow_up_has_nothing_to_warn_about(ctx, imported_2020):
    assert ledger_warnings(load_ledger()) == []


def test_no_allocations_no_warnings(ctx):
    assert ledger_warnings(load_ledger()) == []


def test_an_uncovered_deficit(ctx, actor):
    load(document(allocation("brukarmiljonen", 2020, 1000000,
                             {"activity": "JLB", "spent": 1008436})), actor)
    [warning] = ledger_warnings(load_ledger())
    assert isinstance(warning, UncoveredDeficit)
    assert (warning.year, warning.fund, warning.amount) == (2020, "Brukarmiljonen 2020", -843600)


def test_a_covered_deficit_is_no_warning(ctx, actor):
    load(document(
        allocation("brukarmiljonen", 2020, 1000000, {"activity": "JLB", "spent": 1008436}),
        allocation("samverkan", 2020, 100000, {
            "activity": "Skuld från brukarmiljonen", "kind": "transfer", "spent": 8436,
            "covers": {"earmark": "brukarmiljonen", "year": 2020}}),
    ), actor)
    assert ledger_warnings(load_ledger()) == []


def test_carried_in_money_outside_the_budget(ctx, imported_2020, actor):
    close_year(2020, actor)
    load(document(
        allocation("suicidprevention", 2021, 2500000, {"activity": "Suicid Zero", "budget": 2500000}),
        allocation("samverkan", 2021, 6000000, {"activity": "Allt", "budget": 6050000}),
        allocation("brukarmiljonen", 2021, 1000000, {"activity": "JLB", "budget": 1000000}),
    ), actor)
    warnings = ledger_warnings(load_ledger([2021]))
    assert warnings == [
        # samverkan budgets 50 000 of its 72 151: 22 151 kr are in no line.
        UnbudgetedCarryIn(2021, "Samverkansmedel 2021", 2215100, warnings[0].allocation_id, 2020),
        UnbudgetedCarryIn(2021, "Suicidpreventiva medel 2021", 10892800,
                          warnings[1].allocation_id, 2020),
    ]


def test_a_budget_that_uses_the_carry_over_is_no_warning(ctx, imported_2020, actor):
    close_year(2020, actor)
    load(document(allocation("suicidprevention", 2021, 2500000,
                             {"activity": "Suicid Zero", "budget": 2608928})), actor)
    assert not [w for w in ledger_warnings(load_ledger()) if isinstance(w, UnbudgetedCarryIn)]


def test_call_money_left_over(ctx, actor):
    load(document(allocation("samverkan", 2021, 1000000, {
        "activity": "Utlysning", "kind": "call", "budget": 500000, "grants": [
            {"title": "A", "owner": "Berg", "goal_areas": ["Barn"], "amount": 300000},
            {"title": "B", "owner": "Åre", "goal_areas": ["Barn"], "amount": 188000},
        ]})), actor)
    [warning] = [w for w in ledger_warnings(load_ledger()) if isinstance(w, UndistributedCall)]
    assert (warning.amount, warning.activity) == (1200000, "Utlysning")


def test_a_fully_granted_call_is_no_warning(ctx, imported_2020):
    calls = [w for w in ledger_warnings(load_ledger()) if isinstance(w, UndistributedCall)]
    assert calls == []


def test_a_carry_over_into_a_year_without_allocation(ctx, imported_2020, actor):
    close_year(2020, actor)
    warnings = ledger_warnings(load_ledger())
    assert [(type(w), w.year, w.fund, w.from_fund, w.amount) for w in warnings] == [
        (CarryWithoutAllocation, 2021, "Samverkansmedel", "Samverkansmedel 2020", 7215100),
        (CarryWithoutAllocation, 2021, "Suicidpreventiva medel", "Suicidpreventiva medel 2020",
         10892800),
    ]


def test_a_stated_total_that_is_not_the_sum(ctx, actor):
    load(document(allocation("suicidprevention", 2020, 2500000,
                             {"activity": "Suicid Zero", "spent": 1290000},
                             stated_total=1300000)), actor)
    [warning] = ledger_warnings(load_ledger())
    assert isinstance(warning, StatedTotalMismatch)
    assert (warning.stated, warning.computed, warning.amount) == (130000000, 129000000, -1000000)


def test_the_call_lines_can_be_given_instead_of_loaded(ctx, imported_2020):
    assert ledger_warnings(load_ledger(), call_lines=[]) == []


def test_the_overview_sums_a_year_and_knows_its_state(ctx, imported_2020, actor):
    [year] = build_overview().years
    assert (year.year, year.closed) == (2020, False)
    assert year.total("received") == 970318300
    assert year.total("budgeted") is None  # no line of 2020 has a budget
    assert year.total("carried_out") is None
    close_year(2020, actor)
    years = build_overview().years
    assert [y.year for y in years] == [2021, 2020]  # 2021: money carried in, no allocation
    assert years[1].closed_by == "test@example.se"
    assert years[1].total("carried_out") == 18107900
