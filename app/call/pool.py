"""A call's pool: what its applications ask and are proposed, what is granted and left, in
total and per goal area, and how many applications are in each state.

The applications' sums are kept in `call_tally` (a `Tally`, app/core/reading/tally.py),
brought up to date at each flush that changes an application, its budget or its goal areas,
so the review list reads a few rows per state and area however many applications the call
has. What a page shows of them is also kept between changes (app/core/reading/figures.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import Select, func, inspect, literal, select

from app.call.models import (
    Application,
    ApplicationBudgetLine,
    Call,
    application_goal_area,
    call_tally,
)
from app.call.rules import APPLIED_STATES, UNDECIDED_STATES, ApplicationState
from app.core.reading.figures import remember
from app.core.reading.tally import Tally
from app.extensions import db
from app.ledger.models import GoalArea, Grant, grant_goal_area

A = ApplicationState
EVERY_AREA = 0  # call_tally.goal_area_id of the call's sums over all its goal areas


@dataclass(frozen=True)
class Figures:
    """Applied, proposed and granted money: of the whole call or of one goal area."""

    applied: int = 0
    proposed: int = 0
    granted: int = 0
    applications: int = 0


@dataclass(frozen=True)
class AreaName:
    """A goal area as the pool's figures name it."""

    id: int
    name: str


@dataclass(frozen=True)
class PoolSummary:
    """A call's pool, what its applications ask and are granted, in total and per goal area,
    and how many applications sent in are in each state."""

    pool: int
    total: Figures
    by_area: list[tuple[AreaName, Figures]]
    counts: dict[ApplicationState, int]

    @property
    def left(self) -> int:
        return self.pool - self.total.granted

    def to_json(self) -> str:
        return json.dumps({
            "pool": self.pool, "total": asdict(self.total),
            "by_area": [[asdict(a), asdict(f)] for a, f in self.by_area],
            "counts": {state.value: n for state, n in self.counts.items()}})

    @classmethod
    def from_json(cls, text: str) -> PoolSummary:
        data = json.loads(text)
        return cls(pool=data["pool"], total=Figures(**data["total"]),
                   by_area=[(AreaName(**a), Figures(**f)) for a, f in data["by_area"]],
                   counts={ApplicationState(s): n for s, n in data["counts"].items()})


# --- the kept sums ---------------------------------------------------------------------------

def _sent_sums(ids: Sequence[int]) -> Select:
    """Per call, state and goal area (EVERY_AREA for all of them), the applications among
    `ids` that were sent in: how many, what they propose and what their budgets apply for."""
    applied = (select(func.coalesce(func.sum(ApplicationBudgetLine.amount), 0))
               .where(ApplicationBudgetLine.application_id == Application.id)
               .correlate(Application).scalar_subquery())
    sent = (select(Application.id, Application.call_id, Application.state,
                   func.coalesce(Application.proposed_amount, 0).label("proposed"),
                   applied.label("applied"))
            .where(Application.id.in_(ids), Application.state != A.DRAFT,
                   Application.submitted_at.is_not(None))
            .cte("sent"))
    area = application_goal_area.c.goal_area_id

    def sums():
        return (func.count().label("applications"), func.sum(sent.c.proposed).label("proposed"),
                func.sum(sent.c.applied).label("applied"))

    return (select(sent.c.call_id, sent.c.state, literal(EVERY_AREA).label("goal_area_id"),
                   *sums()).group_by(sent.c.call_id, sent.c.state)
            .union_all(select(sent.c.call_id, sent.c.state, area, *sums())
                       .join(application_goal_area,
                             application_goal_area.c.application_id == sent.c.id)
                       .group_by(sent.c.call_id, sent.c.state, area)))


def _application_of(line: ApplicationBudgetLine) -> Iterable[int | None]:
    """The applications a budget row counts in: its own, and the one it left if it moved."""
    linked = line.__dict__.get("application")  # set by relationship, never loaded here
    return (line.application_id, getattr(linked, "id", None),
            *inspect(line).attrs.application_id.history.deleted)


applications_tally = Tally(
    table=call_tally, keys=("call_id", "state", "goal_area_id"),
    sums=("applications", "proposed", "applied"), root=Application,
    watched={Application: lambda application: (application.id,),
             ApplicationBudgetLine: _application_of},
    contributions=_sent_sums)


# --- the summary -----------------------------------------------------------------------------

def pool_summary(call: Call) -> PoolSummary:
    """Return the pool of a call, what is applied, proposed, granted and left, and the number
    of applications in each state: from the kept sums (a few rows per state and goal area),
    computed once per change of the data and reused until the next (figures.py)."""
    return PoolSummary.from_json(remember("pool-summary", (call.id,),
                                          lambda: _pool_summary_of(call).to_json()))


def _pool_summary_of(call: Call) -> PoolSummary:
    """Compute a call's pool summary (3 queries).

    Granted counts every grant of the call line, also those entered in the ledger by hand. A
    project in several goal areas counts in each of them.
    """
    rows = db.session.execute(
        select(call_tally.c.state, call_tally.c.goal_area_id, call_tally.c.applications,
               call_tally.c.proposed, call_tally.c.applied)
        .where(call_tally.c.call_id == call.id, call_tally.c.applications != 0)
    ).all()
    granted = dict(db.session.execute(
        select(grant_goal_area.c.goal_area_id, func.sum(Grant.amount))
        .join(Grant, Grant.id == grant_goal_area.c.grant_id)
        .where(Grant.line_id == call.line_id).group_by(grant_goal_area.c.goal_area_id)
        .union_all(select(literal(EVERY_AREA), func.sum(Grant.amount))
                   .where(Grant.line_id == call.line_id))
    ).all())
    figures: dict[int, dict[str, int]] = {}
    counts: dict[ApplicationState, int] = {}
    for state, area_id, n, proposed, applied_sum in rows:
        state = ApplicationState(state)
        if area_id == EVERY_AREA:
            counts[state] = n
        if state not in APPLIED_STATES:
            continue
        f = figures.setdefault(area_id, {"applications": 0, "applied": 0, "proposed": 0})
        f["applications"] += n
        f["applied"] += int(applied_sum or 0)
        f["proposed"] += int(proposed) if state in UNDECIDED_STATES else 0

    def of(area_id: int) -> Figures:
        return Figures(**figures.get(area_id, {}), granted=int(granted.get(area_id) or 0))

    area_ids = ({a for a in figures if a != EVERY_AREA}
                | {a for a in granted if a != EVERY_AREA} | {a.id for a in call.goal_areas})
    areas = list(db.session.scalars(
        select(GoalArea).where(GoalArea.id.in_(area_ids)).order_by(GoalArea.name)
    )) if area_ids else []
    return PoolSummary(pool=call.line.amount or 0, total=of(EVERY_AREA),
                       by_area=[(AreaName(a.id, a.name), of(a.id)) for a in areas],
                       counts=counts)
