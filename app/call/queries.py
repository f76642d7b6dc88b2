"""Reading the project call: the lists of calls and applications, the pool's figures, the
review page, the decision log and the organisations.

Every function reads with a fixed number of queries, whatever the number of rows; the lists
are selects, so a view pages them with `db.paginate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import Organisation, Role, User
from app.call.models import (
    Application,
    ApplicationBudgetLine,
    ApplicationVersion,
    BudgetCategory,
    Call,
    Decision,
    DecisionOutcome,
    Review,
    application_goal_area,
)
from app.call.rules import (
    APPLIED_STATES,
    UNDECIDED_STATES,
    ApplicationState,
    CallState,
    Change,
    diff_versions,
    is_open,
)
from app.extensions import db
from app.ledger.models import (
    Allocation,
    Earmark,
    GoalArea,
    Grant,
    Line,
    LineKind,
    YearClosing,
    grant_goal_area,
)

A = ApplicationState


# --- calls ---------------------------------------------------------------------------------

def all_calls() -> list[Call]:
    """Return every call, the latest to open first."""
    return list(db.session.scalars(select(Call).order_by(Call.opens_at.desc(), Call.id.desc())))


def open_calls(now: datetime) -> list[Call]:
    """Return the calls that take submissions at `now`, closing soonest first."""
    calls = db.session.scalars(
        select(Call).where(Call.state == CallState.OPEN).order_by(Call.closes_at, Call.id)
    ).all()
    return [c for c in calls if is_open(c.state, c.opens_at, c.closes_at, now)]


def call_lines() -> list[Line]:
    """Return the call lines of open years' allocations, newest year first (the pool choices)."""
    return list(db.session.scalars(
        select(Line).join(Line.allocation).join(Allocation.earmark)
        .where(Line.kind == LineKind.CALL, Allocation.year.not_in(select(YearClosing.year)))
        .order_by(Allocation.year.desc(), Earmark.sort_order, Line.position)
        .options(contains_eager(Line.allocation).contains_eager(Allocation.earmark))
    ))


def goal_areas_of_year(year: int) -> list[GoalArea]:
    """Return the goal areas of a year, by name."""
    return list(db.session.scalars(
        select(GoalArea).where(GoalArea.year == year).order_by(GoalArea.name)
    ))


# --- the pool ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    """Applied, proposed and granted money: of the whole call or of one goal area."""

    applied: int = 0
    proposed: int = 0
    granted: int = 0
    applications: int = 0


@dataclass(frozen=True)
class PoolSummary:
    """A call's pool, what its applications ask and are granted, in total and per goal area."""

    pool: int
    total: Figures
    by_area: list[tuple[GoalArea, Figures]]

    @property
    def left(self) -> int:
        return self.pool - self.total.granted


def pool_summary(call: Call) -> PoolSummary:
    """Return the pool of a call and what is applied, proposed, granted and left (6 queries).

    Granted counts every grant of the call line, also those entered in the ledger by hand. A
    project in several goal areas counts in each of them.
    """
    amount = (
        select(ApplicationBudgetLine.application_id, func.sum(ApplicationBudgetLine.amount)
               .label("amount"))
        .group_by(ApplicationBudgetLine.application_id).subquery()
    )
    applied_rows = db.session.execute(
        select(Application.id, Application.state, Application.proposed_amount,
               func.coalesce(amount.c.amount, 0))
        .outerjoin(amount, amount.c.application_id == Application.id)
        .where(Application.call_id == call.id, Application.state.in_(APPLIED_STATES))
    ).all()
    areas_of = {}
    for app_id, area_id in db.session.execute(
        select(application_goal_area.c.application_id, application_goal_area.c.goal_area_id)
        .join(Application, Application.id == application_goal_area.c.application_id)
        .where(Application.call_id == call.id)
    ):
        areas_of.setdefault(app_id, []).append(area_id)
    grants = db.session.execute(
        select(Grant.id, Grant.amount).where(Grant.line_id == call.line_id)
    ).all()
    grant_areas = {}
    for grant_id, area_id in db.session.execute(
        select(grant_goal_area.c.grant_id, grant_goal_area.c.goal_area_id)
        .join(Grant, Grant.id == grant_goal_area.c.grant_id)
        .where(Grant.line_id == call.line_id)
    ):
        grant_areas.setdefault(grant_id, []).append(area_id)

    def figures(area_id: int | None) -> Figures:
        rows = [r for r in applied_rows if area_id is None or area_id in areas_of.get(r[0], [])]
        return Figures(
            applied=sum(int(r[3]) for r in rows),
            proposed=sum(r[2] or 0 for r in rows if r[1] in UNDECIDED_STATES),
            granted=sum(g.amount for g in grants
                        if area_id is None or area_id in grant_areas.get(g.id, [])),
            applications=len(rows),
        )

    area_ids = {a for ids in areas_of.values() for a in ids}
    area_ids |= {a for ids in grant_areas.values() for a in ids}
    area_ids |= {a.id for a in call.goal_areas}
    areas = list(db.session.scalars(
        select(GoalArea).where(GoalArea.id.in_(area_ids)).order_by(GoalArea.name)
    )) if area_ids else []
    return PoolSummary(pool=call.line.amount or 0, total=figures(None),
                       by_area=[(area, figures(area.id)) for area in areas])


# --- the applications of a call ------------------------------------------------------------

def call_applications(call_id: int, *, goal_area_id: int | None = None,
                      organisation_id: int | None = None, state: str | None = None) -> Select:
    """Select a call's applications (no drafts), filtered, the latest sent in first; their
    organisations, goal areas and budgets load with them (a fixed number of queries)."""
    query = (
        select(Application)
        .where(Application.call_id == call_id, Application.state != A.DRAFT)
        .options(selectinload(Application.organisation), selectinload(Application.goal_areas),
                 selectinload(Application.budget_lines))
        .order_by(Application.submitted_at.desc().nulls_last(), Application.id.desc())
    )
    if goal_area_id:
        query = query.where(Application.goal_areas.any(GoalArea.id == goal_area_id))
    if organisation_id:
        query = query.where(Application.organisation_id == organisation_id)
    if state:
        try:
            query = query.where(Application.state == ApplicationState(state))
        except ValueError:
            pass
    return query


def organisations_of_call(call_id: int) -> list[Organisation]:
    """Return the organisations that have applied to a call (for the filter)."""
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(
            select(Application.organisation_id).where(Application.call_id == call_id,
                                                      Application.state != A.DRAFT)
        )).order_by(Organisation.name)
    ))


def granted_and_scores(application_ids: list[int]) -> tuple[dict[int, int], dict[int, float]]:
    """Return what each application was granted (decided ones) and its mean score over every
    reviewer's scores, rounded to a tenth (two queries whatever the number)."""
    if not application_ids:
        return {}, {}
    granted = dict(db.session.execute(
        select(Decision.application_id, Decision.amount)
        .where(Decision.application_id.in_(application_ids))
    ).all())
    scores: dict[int, list[int]] = {}
    for application_id, given in db.session.execute(
        select(Review.application_id, Review.scores)
        .where(Review.application_id.in_(application_ids))
    ):
        scores.setdefault(application_id, []).extend(
            v for v in (given or {}).values() if isinstance(v, int))
    means = {a: round(sum(v) / len(v), 1) for a, v in scores.items() if v}
    return granted, means


def review_rows(call_id: int, **filters) -> list[tuple[Application, int | None, float | None]]:
    """Return every application the filters let through, with what it was granted and its mean
    score (the download of the review list)."""
    applications = list(db.session.scalars(call_applications(call_id, **filters)))
    granted, scores = granted_and_scores([a.id for a in applications])
    return [(a, granted.get(a.id), scores.get(a.id)) for a in applications]


# --- one application -----------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewPage:
    """What a reviewer reads of an application."""

    application: Application
    content: dict
    changes: list[Change]
    reviews: list[tuple[Review, str]]
    decision: Decision | None


def review_page(application: Application) -> ReviewPage:
    """Collect what a reviewer reads: the latest submitted content, what changed, assessments."""
    versions = list(db.session.scalars(
        select(ApplicationVersion).where(ApplicationVersion.application_id == application.id)
        .order_by(ApplicationVersion.version.desc()).limit(2)
    ))
    content = dict(versions[0].data) if versions else {}
    if content:
        # The snapshot keeps a category's code; the page names it in the reader's language.
        content["budget_lines"] = [{**line, "category": BudgetCategory(line["category"])}
                                   for line in content.get("budget_lines") or []]
    changes = diff_versions(versions[1].data, versions[0].data) if len(versions) == 2 else []
    reviews = db.session.execute(
        select(Review, User).join(User, User.id == Review.reviewer_id)
        .where(Review.application_id == application.id).order_by(Review.id)
    ).all()
    decision = db.session.scalar(select(Decision).where(Decision.application_id == application.id))
    return ReviewPage(application, content, changes,
                      [(r, u.label) for r, u in reviews], decision)


def review_of(application_id: int, reviewer_id: int) -> Review | None:
    """Return one reviewer's assessment of an application, if they have made one."""
    return db.session.scalar(select(Review).where(Review.application_id == application_id,
                                                  Review.reviewer_id == reviewer_id))


def decision_of(application_id: int) -> Decision | None:
    """Return the decision on an application, if it is decided."""
    return db.session.scalar(select(Decision).where(Decision.application_id == application_id))


def grant_of(application_id: int) -> Grant | None:
    """Return the grant a decision made of an application, if any."""
    return db.session.scalar(
        select(Grant).where(Grant.application_id == application_id).order_by(Grant.id).limit(1))


def applicant_addresses(organisation_id: int) -> list[str]:
    """Return the e-mail addresses of an organisation's active applicants."""
    return list(db.session.scalars(
        select(User.email).where(User.organisation_id == organisation_id,
                                 User.role == Role.APPLICANT, User.active.is_(True))
        .order_by(User.email)
    ))


# --- an organisation's applications --------------------------------------------------------

def organisation_applications(organisation_id: int) -> Select:
    """Select an organisation's applications, the newest first."""
    return (select(Application).where(Application.organisation_id == organisation_id)
            .order_by(Application.created_at.desc(), Application.id.desc()))


def granted_application_ids(application_ids: list[int]) -> set[int]:
    """Return which of the applications have become a grant (one query)."""
    if not application_ids:
        return set()
    return set(db.session.scalars(
        select(Grant.application_id).where(Grant.application_id.in_(application_ids))))


def continuable_grants(application: Application) -> list[Grant]:
    """Return the organisation's grants of earlier years that this application may continue."""
    year = application.call.line.allocation.year
    return list(db.session.scalars(
        select(Grant).join(Application, Application.id == Grant.application_id)
        .join(Line, Line.id == Grant.line_id).join(Allocation, Allocation.id == Line.allocation_id)
        .where(Application.organisation_id == application.organisation_id,
               Application.id != application.id, Allocation.year < year)
        .order_by(Allocation.year.desc(), Grant.title, Grant.id)
    ))


# --- decisions -----------------------------------------------------------------------------

@dataclass(frozen=True)
class DecisionLog:
    """A call's decisions in order, its pool and the totals."""

    call: Call
    decisions: list[Decision]
    pool: int
    granted: int
    granted_count: int
    partly_count: int
    rejected_count: int

    @property
    def left(self) -> int:
        return self.pool - self.granted


def decision_log(call: Call) -> DecisionLog:
    """Return every decision of a call in order, with the totals (2 queries)."""
    decisions = list(db.session.scalars(
        select(Decision).where(Decision.call_id == call.id).order_by(Decision.sequence)
        .options(joinedload(Decision.application).joinedload(Application.organisation))
    ))
    count = {o: sum(1 for d in decisions if d.outcome is o) for o in DecisionOutcome}
    return DecisionLog(
        call=call, decisions=decisions, pool=call.line.amount or 0,
        granted=sum(d.amount for d in decisions),
        granted_count=count[DecisionOutcome.GRANTED],
        partly_count=count[DecisionOutcome.PARTLY_GRANTED],
        rejected_count=count[DecisionOutcome.REJECTED],
    )


# --- organisations -------------------------------------------------------------------------

def organisations_with_counts() -> list[tuple[Organisation, int, int]]:
    """Return the organisations not merged away, with their numbers of users and applications."""
    users = (select(func.count()).where(User.organisation_id == Organisation.id)
             .correlate(Organisation).scalar_subquery())
    applications = (select(func.count()).where(Application.organisation_id == Organisation.id)
                    .correlate(Organisation).scalar_subquery())
    return db.session.execute(
        select(Organisation, users, applications)
        .where(Organisation.merged_into_id.is_(None)).order_by(Organisation.name, Organisation.id)
    ).all()
