"""The rules of a report job in plain Python: its states, when a report is built at once,
who may fetch it and when it expires."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.core.labels import LabelledEnum, _l


class JobState(LabelledEnum):
    QUEUED = "queued", _l("Väntar på sin tur")
    RUNNING = "running", _l("Skapas")
    DONE = "done", _l("Klar")
    FAILED = "failed", _l("Misslyckades")


#: Which state may follow which: a worker claims a queued job, and it ends done or failed.
TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.FAILED}),
    JobState.RUNNING: frozenset({JobState.DONE, JobState.FAILED}),
    JobState.DONE: frozenset(),
    JobState.FAILED: frozenset(),
}

#: How long a finished file is kept.
KEEP_FOR = timedelta(days=1)
#: A job running longer than this has lost its worker (killed, machine restarted).
ABANDONED_AFTER = timedelta(hours=1)


def can_move(current: JobState, new: JobState) -> bool:
    """Tell whether a job in state `current` may move to `new`."""
    return new in TRANSITIONS[current]


def build_inline(rows: int, inline_max_rows: int) -> bool:
    """Tell whether a report of `rows` rows (grants, decisions) is built in the request.

    Small reports answer at once, as a download always did; above the threshold the work
    goes to a worker so no web worker is held for seconds."""
    return rows <= inline_max_rows


def may_fetch(requested_by_id: int | None, user_id: int | None, is_staff: bool) -> bool:
    """Tell whether a person may see a job and fetch its file: the one who asked, or staff
    (who may download every report of the ledger anyway)."""
    if user_id is None:
        return False
    return is_staff or (requested_by_id is not None and requested_by_id == user_id)


def is_expired(finished_at: datetime | None, now: datetime) -> bool:
    """Tell whether a finished job's file has been kept long enough to be thrown away."""
    return finished_at is not None and now - finished_at > KEEP_FOR


def is_abandoned(started_at: datetime | None, now: datetime) -> bool:
    """Tell whether a running job has run so long that its worker must have died."""
    return started_at is not None and now - started_at > ABANDONED_AFTER
