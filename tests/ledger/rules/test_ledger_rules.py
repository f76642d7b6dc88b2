"""The ledger's rules in plain Python: no application, no database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.core.money import kronor
from app.followup.rules import check_final_report, check_report_figures
from app.ledger import rules
from app.ledger.rules import (
    Balance,
    Basis,
    GrantMoney,
    call_line_outcome,
    call_pool,
    check_grants_within_pool,
    check_payment,
    check_refund,
    closing_refusal,
    line_figure,
    needs_second_approver,
    unallocated_call_money,
)


def test_the_rules_import_neither_flask_nor_sqlalchemy():
    """Can the rules be read without knowing the web or the database?"""
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not {m for m in imported if m.split(".")[0] in ("flask", "flask_babel", "sqlalchemy")}


# --- an allocation's balance ---------------------------------------------------------------

def test_a_balance_adds_what_came_in_and_subtracts_what_was_used():
    balance = Balance(received=kronor(1000), carried_in=kronor(200), covered=kronor(50),
                      used=kronor(1100), returned_in=kronor(30))
    assert balance.available == kronor(1280)
    assert balance.result == kronor(180)
    assert (balance.remainder, balance.deficit) == (kronor(180), 0)


def test_a_balance_that_used_more_than_it_had_has_a_deficit_and_no_remainder():
    balance = Balance(received=kronor(100), carried_in=0, covered=0, used=kronor(130))
    assert balance.result == -kronor(30)
    assert (balance.remainder, balance.deficit) == (0, kronor(30))


@pytest.mark.parametrize(
    ("budget", "spent", "basis", "figure"),
    [(10, 20, Basis.BUDGET, 10), (10, 20, Basis.OUTCOME, 20), (None, 20, Basis.BUDGET, None),
     (10, None, Basis.OUTCOME, None)],
)
def test_a_line_counts_its_budget_or_its_outcome(budget, spent, basis, figure):
    assert line_figure(budget, spent, basis) == figure


# --- a call's pool -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("budget", "spent", "pool"), [(100, 80, 80), (100, None, 100), (None, None, None), (None, 0, 0)]
)
def test_a_calls_pool_is_its_outcome_else_its_budget(budget, spent, pool):
    assert call_pool(budget, spent) == pool


def test_grants_may_fill_a_pool_but_not_overdraw_it():
    assert check_grants_within_pool(kronor(500), kronor(500)) is None
    assert unallocated_call_money(kronor(500), kronor(300)) == kronor(200)
    reason = check_grants_within_pool(kronor(500), kronor(501))
    assert reason is not None and "mer än utlysningens 500\u00a0kr" in reason
    assert check_grants_within_pool(None, 1) is not None


def test_a_year_closes_only_without_an_uncovered_deficit():
    assert closing_refusal({"Samverkan 2020": 0}) is None
    reason = closing_refusal({"Samverkan 2020": kronor(40), "Brukarmiljonen 2020": 0})
    assert reason is not None
    assert "Samverkan 2020 har ett underskott på 40\u00a0kr" in reason
    assert "Brukarmiljonen" not in reason


# --- a granted project's money -------------------------------------------------------------

def test_a_running_project_keeps_its_whole_grant_in_its_own_fund():
    money = GrantMoney(amount=kronor(100), paid_own=kronor(40), paid_other=kronor(10),
                       paid_gross=kronor(60), refunded=kronor(10))
    assert (money.paid, money.not_paid, money.never_paid) == (kronor(50), kronor(50), kronor(40))
    assert money.released == 0
    assert money.charged_own == kronor(90)  # the other fund's 10 kr is that fund's outcome


def test_a_closed_project_gives_back_what_it_did_not_keep():
    money = GrantMoney(amount=kronor(100), paid_own=kronor(70), paid_gross=kronor(80),
                       refunded=kronor(10), closed=True)
    assert money.released == kronor(30)
    assert money.charged_own == kronor(70)
    later = GrantMoney(amount=kronor(100), paid_own=kronor(70), closed=True,
                       released_elsewhere=True)
    assert later.charged_own == kronor(100)  # its own year is frozen: the later year gets it


def test_a_call_lines_outcome_follows_what_its_grants_charge_it():
    running = GrantMoney(amount=kronor(100))
    closed = GrantMoney(amount=kronor(100), paid_own=kronor(60), closed=True)
    assert call_line_outcome(None, []) is None
    assert call_line_outcome(None, [running, closed]) == kronor(160)
    assert call_line_outcome(kronor(250), [running, closed]) == kronor(210)


@pytest.mark.parametrize(
    ("paid", "pending", "amount", "refused"),
    [(0, 0, 100, False), (60, 0, 40, False), (60, 0, 41, True), (60, 30, 11, True),
     (0, 0, 0, True), (0, 0, -5, True)],
)
def test_a_payment_may_not_exceed_its_grant(paid, pending, amount, refused):
    """Can a project be paid more than it was granted, counting what waits for attestation?"""
    money = GrantMoney(amount=kronor(100), paid_own=kronor(paid), paid_gross=kronor(paid))
    reason = check_payment(money, kronor(pending), kronor(amount))
    assert (reason is not None) is refused


def test_nothing_more_is_paid_to_a_closed_project():
    money = GrantMoney(amount=kronor(100), closed=True)
    assert "avslutat" in check_payment(money, 0, kronor(1))


def test_a_refund_may_not_exceed_what_the_fund_paid():
    assert check_refund(kronor(50), kronor(50)) is None
    assert check_refund(kronor(50), kronor(51)) is not None
    assert check_refund(kronor(50), 0) is not None


def test_a_final_report_accounts_for_exactly_what_was_paid():
    money = GrantMoney(amount=kronor(100), paid_own=kronor(80), paid_gross=kronor(80))
    assert check_final_report(money, kronor(70), kronor(10)) is None
    assert "betala ut det som saknas" in check_final_report(money, kronor(90), kronor(10))
    assert "betala ut" not in check_final_report(money, kronor(60), kronor(10))
    assert check_final_report(money, -1, kronor(81)) is not None


def test_a_report_may_not_use_more_than_was_granted():
    assert check_report_figures(kronor(100), kronor(100), 0) is None
    assert check_report_figures(kronor(100), kronor(101), 0) is not None
    assert check_report_figures(kronor(100), -1, 0) is not None
    assert check_report_figures(kronor(100), 0, -1) is not None


@pytest.mark.parametrize(("amount", "threshold", "needs"), [(100, 100, False), (101, 100, True),
                                                            (1, 0, True)])
def test_above_the_threshold_a_second_coordinator_attests(amount, threshold, needs):
    assert needs_second_approver(amount, threshold) is needs
