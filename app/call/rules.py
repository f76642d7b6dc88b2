"""Rules of the project call: the states of calls and applications and what moves them."""

from __future__ import annotations

from datetime import datetime

from app.core.errors import DomainError
from app.core.labels import LabelledEnum, _l


class CallState(LabelledEnum):
    DRAFT = "draft", _l("Utkast")
    OPEN = "open", _l("Öppen")
    CLOSED = "closed", _l("Stängd")
    DECIDED = "decided", _l("Beslutad")


CALL_TRANSITIONS: dict[CallState, frozenset[CallState]] = {
    CallState.DRAFT: frozenset({CallState.OPEN}),
    CallState.OPEN: frozenset({CallState.CLOSED}),
    CallState.CLOSED: frozenset({CallState.DECIDED}),
    CallState.DECIDED: frozenset(),
}


class ApplicationState(LabelledEnum):
    DRAFT = "draft", _l("Utkast")
    SUBMITTED = "submitted", _l("Inskickad")
    UNDER_REVIEW = "under_review", _l("Under bedömning")
    RETURNED = "returned", _l("Återsänd för komplettering")
    GRANTED = "granted", _l("Beviljad")
    PARTLY_GRANTED = "partly_granted", _l("Delvis beviljad")
    REJECTED = "rejected", _l("Avslagen")
    WITHDRAWN = "withdrawn", _l("Återtagen")


A = ApplicationState
APPLICATION_TRANSITIONS: dict[ApplicationState, frozenset[ApplicationState]] = {
    A.DRAFT: frozenset({A.SUBMITTED, A.WITHDRAWN}),
    A.SUBMITTED: frozenset({A.UNDER_REVIEW, A.RETURNED, A.WITHDRAWN}),
    A.UNDER_REVIEW: frozenset({A.GRANTED, A.PARTLY_GRANTED, A.REJECTED, A.RETURNED, A.WITHDRAWN}),
    A.RETURNED: frozenset({A.SUBMITTED, A.WITHDRAWN}),
    A.GRANTED: frozenset(),
    A.PARTLY_GRANTED: frozenset(),
    A.REJECTED: frozenset(),
    A.WITHDRAWN: frozenset(),
}

DECIDED_STATES = frozenset({A.GRANTED, A.PARTLY_GRANTED, A.REJECTED})
EDITABLE_STATES = frozenset({A.DRAFT, A.RETURNED})


def check_call_transition(current: CallState, target: CallState) -> None:
    """Raise DomainError unless a call may move from `current` to `target`."""
    if target not in CALL_TRANSITIONS[current]:
        raise DomainError(
            f"en utlysning kan inte gå från ”{current.swedish}” till ”{target.swedish}”")


def check_application_transition(current: ApplicationState, target: ApplicationState) -> None:
    """Raise DomainError unless an application may move from `current` to `target`."""
    if target not in APPLICATION_TRANSITIONS[current]:
        raise DomainError(
            f"en ansökan kan inte gå från ”{current.swedish}” till ”{target.swedish}”")


def is_open(state: CallState, opens_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """Return whether a call takes submissions at `now` (all three times timezone-aware)."""
    return state is CallState.OPEN and opens_at <= now < closes_at


def check_can_submit(state: CallState, opens_at: datetime, closes_at: datetime,
                     now: datetime) -> None:
    """Raise DomainError unless an application to the call may be submitted at `now`."""
    if state is not CallState.OPEN or now < opens_at:
        raise DomainError("utlysningen är inte öppen för ansökningar")
    if now >= closes_at:
        raise DomainError("utlysningen har stängt; ansökan kan inte längre skickas in")


def check_call_times(opens_at: datetime, closes_at: datetime) -> None:
    """Raise DomainError unless the call closes after it opens."""
    if closes_at <= opens_at:
        raise DomainError("utlysningen måste stänga efter att den öppnar")
