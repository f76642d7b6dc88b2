"""The rules of project follow-up, as tables: report and project states, results, and what
flows back when a project closes. No application, no database."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.errors import DomainError
from app.followup.rules import (
    EDITABLE_STATES,
    HANDED_IN_STATES,
    PROJECT_STATES,
    REPORT_TRANSITIONS,
    SPLIT_KEYS,
    SPLIT_LABELS,
    ProjectState,
    Rating,
    ReportInput,
    ReportKind,
    ReportLineInput,
    ReportState,
    ResultInput,
    check_report_editable,
    check_report_money,
    clean_results,
    flows_back,
    indicator_from_text,
    may_move,
    project_state,
    report_questions,
    return_sources,
)

FOLLOWUP = Path(__file__).resolve().parents[3] / "app" / "followup"
RULES = FOLLOWUP / "rules.py"
R = ReportState


def test_the_rules_import_neither_flask_nor_sqlalchemy_nor_a_model():
    """Is rules.py plain Python? It may use core's labels, money and errors, and the ledger's
    pure rules (what a grant was paid)."""
    imported = set()
    for node in ast.walk(ast.parse(RULES.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    allowed = {"__future__", "dataclasses", "decimal", "app.core.errors", "app.core.labels",
               "app.core.money", "app.ledger.rules"}
    assert imported <= allowed, imported - allowed


def test_every_audit_entry_of_follow_up_names_one_of_its_actions():
    """Does each audit.record() in app/followup pass a FollowupAction member (so the log can
    name it), never a bare code?"""
    calls = []
    for path in sorted(FOLLOWUP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "audit"):
                action = node.args[1]
                calls.append((path.name, ast.unparse(action)))
                assert isinstance(action, ast.Attribute), (path.name, ast.unparse(action))
                assert ast.unparse(action.value) == "FollowupAction", (path.name, action.attr)
    assert len(calls) >= 8, calls


# --- the state of a project -----------------------------------------------------------------

@pytest.mark.parametrize(("closed", "final_in", "state"), [
    (False, False, ProjectState.RUNNING),
    (False, True, ProjectState.FINAL_SUBMITTED),
    (True, True, ProjectState.CLOSED),
    (True, False, ProjectState.CLOSED),
])
def test_a_projects_state_follows_from_two_facts(closed, final_in, state):
    assert project_state(closed, final_in) is state


def test_every_combination_of_facts_has_a_state_and_every_state_a_combination():
    assert set(PROJECT_STATES) == {(c, f) for c in (True, False) for f in (True, False)}
    assert set(PROJECT_STATES.values()) == set(ProjectState)


def test_the_project_states_keep_the_values_the_list_filters_by():
    """The list's ?state= takes these values; bookmarks use them."""
    assert [s.value for s in ProjectState] == ["running", "final_submitted", "closed"]
    assert [s.label for s in ProjectState] == ["pågår", "slutrapport inlämnad", "avslutat"]


# --- the states of a report -----------------------------------------------------------------

ALLOWED = {(R.DRAFT, R.SUBMITTED), (R.RETURNED, R.SUBMITTED), (R.SUBMITTED, R.RETURNED),
           (R.SUBMITTED, R.APPROVED)}


@pytest.mark.parametrize("current", list(R))
@pytest.mark.parametrize("target", list(R))
def test_a_report_moves_only_along_the_table(current, target):
    assert may_move(current, target) is ((current, target) in ALLOWED)


def test_every_report_state_is_in_the_table_and_approved_is_final():
    assert set(REPORT_TRANSITIONS) == set(R)
    assert REPORT_TRANSITIONS[R.APPROVED] == frozenset()


@pytest.mark.parametrize(("state", "closed", "refusal"), [
    (R.DRAFT, False, None),
    (R.RETURNED, False, None),
    (R.SUBMITTED, False, "be samordnaren återsända den"),
    (R.APPROVED, False, "be samordnaren återsända den"),
    (R.DRAFT, True, "projektet är avslutat"),
])
def test_who_may_still_write_a_report(state, closed, refusal):
    if refusal is None:
        check_report_editable(state, closed)
    else:
        with pytest.raises(DomainError, match=refusal):
            check_report_editable(state, closed)


def test_a_report_is_editable_or_handed_in_never_both():
    assert EDITABLE_STATES.isdisjoint(HANDED_IN_STATES)
    assert EDITABLE_STATES | HANDED_IN_STATES == set(R)


@pytest.mark.parametrize(("member", "label"), [
    (ReportKind.INTERIM, "Delrapport"), (ReportKind.FINAL, "Slutrapport"),
    (R.DRAFT, "Ej inlämnad"), (R.SUBMITTED, "Inlämnad"),
    (R.RETURNED, "Återsänd för komplettering"), (R.APPROVED, "Godkänd"),
    (Rating.POSITIVE, "Positiv utveckling"), (Rating.PARTLY_POSITIVE, "Delvis positiv utveckling"),
    (Rating.WORSENED, "Försämrat resultat"), (Rating.REMOVE, "Målet ska tas bort"),
    (Rating.KEEP, "Målet ska kvarstå"),
])
def test_every_member_carries_its_swedish_label(member, label):
    assert member.label == label


def test_the_kind_reads_as_a_word_in_a_sentence():
    assert (ReportKind.INTERIM.word, ReportKind.FINAL.word) == ("delrapport", "slutrapport")


# --- indicators and results -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Antal utbildade", {"name": "Antal utbildade", "kind": "count", "split": True}),
    ("Andel nöjda deltagare (%)", {"name": "Andel nöjda deltagare", "kind": "percent",
                                    "split": False}),
    ("Finns en rutin? (Ja/Nej)", {"name": "Finns en rutin?", "kind": "yes_no", "split": False}),
    ("Rutin införd (ja / nej)", {"name": "Rutin införd", "kind": "yes_no", "split": False}),
    ("(%)", {"name": "(%)", "kind": "percent", "split": False}),
])
def test_an_indicators_ending_says_its_kind(text, expected):
    assert indicator_from_text(text) == expected


def test_a_new_report_asks_for_each_indicator_empty():
    asked = report_questions(["Antal utbildade", {"name": "Nöjda", "kind": "percent"}])
    assert asked == [
        {"name": "Antal utbildade", "kind": "count", "value": None, "split": True},
        {"name": "Nöjda", "kind": "percent", "value": None, "split": False},
    ]
    assert report_questions(None) == []


def test_the_split_keys_each_have_a_label():
    assert tuple(SPLIT_LABELS) == SPLIT_KEYS
    assert [str(SPLIT_LABELS[k]) for k in SPLIT_KEYS] == ["Kvinnor", "Män", "Flickor", "Pojkar"]


@pytest.mark.parametrize(("result", "stored"), [
    (ResultInput("Antal", "count", 40, women=25, men=15),
     {"name": "Antal", "kind": "count", "value": 40, "women": 25, "men": 15}),
    (ResultInput("Antal", "count", None, girls=3, boys=4),
     {"name": "Antal", "kind": "count", "value": 7, "girls": 3, "boys": 4}),
    (ResultInput("Rutin", "yes_no", True), {"name": "Rutin", "kind": "yes_no", "value": True}),
    (ResultInput("Rutin", "yes_no", None), {"name": "Rutin", "kind": "yes_no", "value": None}),
    (ResultInput("Nöjda", "percent", Decimal("87.50")),
     {"name": "Nöjda", "kind": "percent", "value": "87.50"}),
    (ResultInput("Nöjda", "percent", Decimal("100.0")),
     {"name": "Nöjda", "kind": "percent", "value": "100"}),
    (ResultInput("Nöjda", "percent", Decimal(50)),
     {"name": "Nöjda", "kind": "percent", "value": "50"}),
    (ResultInput("  Mellanslag  ", "count", 0),
     {"name": "Mellanslag", "kind": "count", "value": 0}),
])
def test_a_result_is_stored_as_its_kind_says(result, stored):
    assert clean_results([result]) == [stored]


@pytest.mark.parametrize(("result", "refusal"), [
    (ResultInput("X", "text", "?"), "okänd sorts indikator"),
    (ResultInput("X", "count", -1), "ange ett antal"),
    (ResultInput("X", "count", True), "ange ett antal"),
    (ResultInput("X", "count", 2.5), "ange ett antal"),
    (ResultInput("X", "count", 10, women=-1), "kan inte vara negativa"),
    (ResultInput("X", "count", 10, women=6, men=5), "fler än totalen 10"),
    (ResultInput("X", "percent", Decimal("100.1")), "mellan 0 och 100"),
    (ResultInput("X", "percent", "inte ett tal"), "mellan 0 och 100"),
])
def test_a_result_that_cannot_be_right_is_refused_with_its_place(result, refusal):
    with pytest.raises(DomainError, match=refusal) as refused:
        clean_results([ResultInput("Först", "yes_no", None), result])
    assert str(refused.value).startswith("resultat 2 (X)")


@pytest.mark.parametrize(("data", "refusal"), [
    (ReportInput(to_return=-1), "att återbetala kan inte vara ett negativt belopp"),
    (ReportInput(lines=[ReportLineInput("Personal", -5)]),
     "Personal: förbrukat kan inte vara ett negativt belopp"),
])
def test_a_draft_may_be_incomplete_but_not_negative(data, refusal):
    with pytest.raises(DomainError, match=refusal):
        check_report_money(data)
    check_report_money(ReportInput())


# --- what flows back ------------------------------------------------------------------------

def test_what_a_closing_project_did_not_use_flows_back():
    assert flows_back(500_000, 280_000) == 220_000
    assert flows_back(500_000, 500_000) == 0


@pytest.mark.parametrize(("to_return", "paid_by", "sources"), [
    (0, {1: 100}, []),
    (50, {1: 100}, [(1, 50)]),
    (150, {1: 100, 3: 80, 2: 40}, [(1, 100), (2, 40), (3, 10)]),
    # The own allocation paid nothing: the others take it, in id order.
    (30, {2: 20, 3: 20}, [(2, 20), (3, 10)]),
    # A fund that was refunded in full has nothing to take back.
    (10, {1: 0, 2: 10}, [(2, 10)]),
])
def test_a_return_goes_first_to_the_own_allocation_then_to_the_others(to_return, paid_by,
                                                                       sources):
    assert return_sources(to_return, 1, paid_by) == sources
