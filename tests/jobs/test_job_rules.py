"""The rules of a report job, as tables: its states, the inline threshold, who may fetch it,
when it expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.jobs.rules import (
    JobState,
    build_inline,
    can_move,
    is_abandoned,
    is_expired,
    may_fetch,
)

Q, R, D, F = JobState.QUEUED, JobState.RUNNING, JobState.DONE, JobState.FAILED


@pytest.mark.parametrize("current, new, allowed", [
    (Q, R, True), (Q, F, True), (Q, D, False),
    (R, D, True), (R, F, True), (R, Q, False),
    (D, Q, False), (D, R, False), (D, F, False),
    (F, Q, False), (F, R, False), (F, D, False),
])
def test_which_state_may_follow_which(current, new, allowed):
    assert can_move(current, new) is allowed


@pytest.mark.parametrize("rows, limit, inline", [(0, 300, True), (300, 300, True),
                                                 (301, 300, False), (1, 0, False)])
def test_a_report_up_to_the_threshold_is_built_at_once(rows, limit, inline):
    assert build_inline(rows, limit) is inline


@pytest.mark.parametrize("asked_by, user, staff, allowed", [
    (7, 7, False, True),      # the one who asked
    (7, 8, True, True),       # staff read every report of the ledger anyway
    (7, 8, False, False),     # anybody else
    (None, 8, False, False),  # the asker's account is gone
    (7, None, True, False),   # nobody logged in
])
def test_who_may_fetch_a_report(asked_by, user, staff, allowed):
    assert may_fetch(asked_by, user, staff) is allowed


def test_a_file_expires_a_day_after_it_was_made():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert not is_expired(None, now)
    assert not is_expired(now - timedelta(hours=23), now)
    assert is_expired(now - timedelta(hours=25), now)
    assert not is_abandoned(now - timedelta(minutes=30), now)
    assert is_abandoned(now - timedelta(hours=2), now)
