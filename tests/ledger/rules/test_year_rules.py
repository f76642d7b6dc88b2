"""The rules of a fund's year in plain Python: defaults of the spending window and the final
report, unbudgeted money split by where it came from, the basis of a stated total, a line
without outcome, and what changed between two versions of a budget."""

from __future__ import annotations

from datetime import date

import pytest

from app.ledger.rules import (
    Basis,
    BudgetRow,
    budget_changes,
    default_report_due,
    default_spend_until,
    line_lacks_outcome,
    missing_outcomes_refusal,
    stated_total_basis,
    unbudgeted_parts,
)


def test_the_funds_of_a_year_are_spent_by_the_end_of_the_next():
    assert default_spend_until(2020) == date(2021, 12, 31)


def test_a_final_report_is_due_at_the_end_of_the_year_after_the_grant():
    assert default_report_due(2021) == date(2022, 12, 31)


@pytest.mark.parametrize("result, arrived, expected", [
    (134_052, 108_928, (108_928, 25_124)),  # suicide prevention 2021: both kinds left out
    (72_151, 72_151, (72_151, 0)),  # samverkan 2021: only the carry-over
    (10_000, 0, (0, 10_000)),  # nothing carried in
    (5_000, 8_000, (5_000, 0)),  # part of the carry-over is budgeted
    (0, 8_000, (0, 0)),
    (-3_000, 8_000, (0, 0)),  # over-budgeted: nothing is left out
])
def test_unbudgeted_money_is_split_into_carried_and_received(result, arrived, expected):
    assert unbudgeted_parts(result, arrived) == expected


def test_a_stated_total_is_of_the_outcomes_once_there_are_any():
    assert stated_total_basis(has_outcome=True) is Basis.OUTCOME
    assert stated_total_basis(has_outcome=False) is Basis.BUDGET


@pytest.mark.parametrize("budget, outcome, lacks", [
    (100, None, True), (100, 0, False), (None, None, False), (None, 50, False),
])
def test_a_line_lacks_an_outcome_only_when_it_has_a_budget(budget, outcome, lacks):
    assert line_lacks_outcome(budget, outcome) is lacks


def test_the_refusal_names_every_line_and_the_way_out():
    text = missing_outcomes_refusal(["A (budget 1 kr)", "B (budget 2 kr)"])
    assert text.startswith("2 rader har budget men inget utfall: A (budget 1 kr); B (budget 2 kr).")
    assert "--accept-missing-outcomes" in text
    assert missing_outcomes_refusal([]) is None


def test_the_changes_between_two_versions_line_by_line():
    before = [BudgetRow("1", "Samordning", "Regional samordning", 600),
              BudgetRow("2", "SIP", "Barn", 400), BudgetRow("3", "Konferens", "Barn", 100)]
    after = [BudgetRow("1", "Samordning", "Regional samordning", 600),
             BudgetRow("2", "SIP", "Utsatta grupper", 250), BudgetRow("4", "PAX", None, 250)]
    changes = budget_changes(before, after)
    assert [(c.activity, c.difference, c.goal_area_changed) for c in changes] == [
        ("SIP", -150, True), ("PAX", 250, False), ("Konferens", -100, False)]
    assert changes[1].before is None and changes[2].after is None


def test_unchanged_versions_have_no_changes():
    rows = [BudgetRow("1", "Samordning", "Regional samordning", 600)]
    assert budget_changes(rows, list(rows)) == []
