"""The state machines of calls and applications, as tables."""

from datetime import datetime, timedelta, timezone

import pytest

from app.call.rules import (
    APPLICATION_TRANSITIONS,
    CALL_TRANSITIONS,
    ApplicationState,
    CallState,
    check_application_transition,
    check_call_transition,
    check_can_submit,
    is_open,
)
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
