"""The pure rules of the call: the state machines as tables, what a submission lacks, what
changed between two versions, and the labels of the states (no app needed)."""

from datetime import datetime, timedelta, timezone

import pytest

from app.call.models import CallAction
from app.call.rules import (
    APPLICATION_TRANSITIONS,
    CALL_TRANSITIONS,
    FIELD_LABELS,
    ApplicationState,
    CallState,
    check_application_transition,
    check_call_transition,
    check_can_submit,
    diff_versions,
    is_open,
    missing_for_submission,
)
from app.core.audit import AuditAction
from app.core.errors import DomainError

A = ApplicationState
ALLOWED_APPLICATION = {
    (A.DRAFT, A.SUBMITTED), (A.DRAFT, A.WITHDRAWN),
    (A.SUBMITTED, A.UNDER_REVIEW), (A.SUBMITTED, A.RETURNED), (A.SUBMITTED, A.WITHDRAWN),
    (A.UNDER_REVIEW, A.GRANTED), (A.UNDER_REVIEW, A.PARTLY_GRANTED),
    (A.UNDER_REVIEW, A.REJECTED), (A.UNDER_REVIEW, A.RETURNED), (A.UNDER_REVIEW, A.WITHDRAWN),
    (A.RETURNED, A.SUBMITTED), (A.RETURNED, A.WITHDRAWN),
}


@pytest.mark.parametrize("current", list(A))
@pytest.mark.parametrize("target", list(A))
def test_application_transitions_are_exactly_the_table(current, target):
    """Is every move of an application allowed exactly when the table says so?"""
    if (current, target) in ALLOWED_APPLICATION:
        check_application_transition(current, target)
    else:
        with pytest.raises(DomainError, match="kan inte gå från"):
            check_application_transition(current, target)


def test_the_table_has_every_state():
    assert set(APPLICATION_TRANSITIONS) == set(A)
    assert set(CALL_TRANSITIONS) == set(CallState)


@pytest.mark.parametrize("current", list(CallState))
@pytest.mark.parametrize("target", list(CallState))
def test_call_moves_only_forward_one_step(current, target):
    """Can a call only go draft → open → closed → decided?"""
    order = list(CallState)
    if order.index(target) == order.index(current) + 1:
        check_call_transition(current, target)
    else:
        with pytest.raises(DomainError):
            check_call_transition(current, target)


def test_submission_refused_at_the_closing_minute():
    """Is an application refused at and after the closing time, accepted just before?"""
    opens = datetime(2022, 3, 1, 8, 0, tzinfo=timezone.utc)
    closes = datetime(2022, 4, 15, 22, 0, tzinfo=timezone.utc)
    check_can_submit(CallState.OPEN, opens, closes, closes - timedelta(seconds=1))
    assert is_open(CallState.OPEN, opens, closes, closes - timedelta(seconds=1))
    for late in (closes, closes + timedelta(days=1)):
        with pytest.raises(DomainError, match="har stängt"):
            check_can_submit(CallState.OPEN, opens, closes, late)
    with pytest.raises(DomainError, match="inte öppen"):
        check_can_submit(CallState.OPEN, opens, closes, opens - timedelta(seconds=1))
    with pytest.raises(DomainError, match="inte öppen"):
        check_can_submit(CallState.DRAFT, opens, closes, opens + timedelta(days=1))


def test_a_refused_move_names_both_states_in_swedish():
    with pytest.raises(DomainError, match="från ”Under bedömning” till ”Utkast”"):
        check_application_transition(A.UNDER_REVIEW, A.DRAFT)
    with pytest.raises(DomainError, match="från ”Beslutad” till ”Öppen”"):
        check_call_transition(CallState.DECIDED, CallState.OPEN)


@pytest.mark.parametrize("member", [*CallState, *ApplicationState])
def test_every_state_has_a_swedish_label(member):
    assert member.swedish and member.swedish != member.value
    assert member.label == member.swedish  # untranslated outside a request


COMPLETE = {
    "title": "Unga i Krokom", "summary": "S", "background": "B", "aim": "A", "target_group": "T",
    "owner": "Krokoms kommun", "user_participation": "U", "long_term_plan": "L",
    "goal_areas": ["Barn"], "partners": ["Region"], "period_start": "2022-01-01",
    "period_end": "2022-12-31", "indicators": ["Antal"],
    "budget_lines": [{"year": 2022, "category": "staff", "description": "", "amount": 100_00}],
    "answers": {"q1": "Svar"},
}
QUESTIONS = [{"key": "q1", "text": "Hur?", "required": True}]


def lacking(data: dict, **rules) -> dict[str, str]:
    options = {"eligible_goal_areas": {"Barn"}, "questions": QUESTIONS, "max_per_project": None}
    return {m.field: m.message for m in missing_for_submission(data, **{**options, **rules})}


def test_a_complete_application_lacks_nothing():
    assert lacking(COMPLETE) == {}


@pytest.mark.parametrize("change, field, message", [
    ({"title": " "}, "title", "Projektets namn saknas"),
    ({"goal_areas": []}, "goal_areas", "välj minst ett målområde"),
    ({"goal_areas": ["Äldre"]}, "goal_areas", "målområdet Äldre ingår inte"),
    ({"partners": []}, "partners", "samverkanspartner"),
    ({"period_end": None}, "period_start", "projektets period"),
    ({"period_end": "2021-12-31"}, "period_end", "sluta innan det börjar"),
    ({"budget_lines": []}, "budget_lines", "minst en kostnadsrad"),
    ({"indicators": []}, "indicators", "minst en indikator"),
    ({"answers": {}}, "answers.q1", "svara på frågan: Hur?"),
])
def test_what_is_missing_is_named_by_field(change, field, message):
    """Is each gap reported at its field, in Swedish whatever the reader's language?"""
    found = lacking({**COMPLETE, **change})
    assert list(found) == [field] and message in found[field]


def test_an_amount_over_the_calls_ceiling_is_missing_budget():
    found = lacking(COMPLETE, max_per_project=99_00)
    assert "mer än utlysningens högsta belopp" in found["budget_lines"]


def test_the_changes_between_versions_come_in_form_order_with_their_labels():
    after = {**COMPLETE, "aim": "Nytt syfte", "title": "Nytt namn", "answers": {"q1": "Annat"}}
    changes = diff_versions(COMPLETE, after)
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("title", "Unga i Krokom", "Nytt namn"), ("aim", "A", "Nytt syfte"),
        ("answers", "q1: Svar", "q1: Annat")]
    assert str(changes[0].label) == "Projektets namn" and changes[0].label is FIELD_LABELS["title"]
    assert str(changes[-1].label) == "Svar på frågor"


@pytest.mark.parametrize("action", list(CallAction))
def test_every_action_of_the_call_is_named_in_the_registry(action):
    """Does the audit log name each action the call records, by the code it stores?"""
    assert action.swedish and action.swedish != action.value
    assert AuditAction.registry()[action.value] is action
    assert AuditAction.label_of(action.value) == action.swedish


@pytest.mark.parametrize("role,own,organisation,sent,allowed", [
    ("applicant", 1, 1, True, True),
    ("applicant", 1, 1, False, True),  # their own draft
    ("applicant", 1, 2, True, False),
    ("applicant", None, 2, True, False),
    ("viewer", None, 2, True, True),
    ("coordinator", None, 2, True, True),
    ("admin", None, 2, True, True),
    ("viewer", None, 2, False, False),  # a draft is its applicants' own until it is sent
    ("coordinator", None, 2, False, False),
    ("admin", None, 2, False, False),
])
def test_who_may_read_an_application(role, own, organisation, sent, allowed):
    """Does an applicant read only their own organisation's applications, and staff all that
    were sent in?"""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from app.call.rules import ApplicationState, may_read_application

    user = SimpleNamespace(is_applicant=role == "applicant", is_staff=role != "applicant",
                           organisation_id=own)
    application = SimpleNamespace(
        organisation_id=organisation,
        state=ApplicationState.SUBMITTED if sent else ApplicationState.DRAFT,
        submitted_at=datetime.now(UTC) if sent else None)
    assert may_read_application(user, application) is allowed
