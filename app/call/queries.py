"""Reading the project call: the lists of calls and applications, the pool's figures, the
review page, the decision log and the organisations.

Every function reads with a fixed number of queries, whatever the number of rows; the lists
are selects, so a view pages them with `db.paginate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.accounts.models import Organisation, User
from app.call.models import (
    Application,
    ApplicationVersion,
    BudgetCategory,
    Call,
    Decision,
    Review,
)
from app.call.rules import (
    ApplicationState,
    CallState,
    Change,
    diff_versions,
    is_open,
)
from app.core.reading.keyset import KeysetPage, keyset_page
from app.core.text import like_escaped
from app.extensions import db
from app.ledger.models import (
    Allocation,
    Earmark,
    GoalArea,
    Grant,
    Line,
    LineKind,
    YearClosing,
)
from app.ledger.project_money import grants_money
from app.ledger.queries import call_sums
from app.ledger.rules import GrantMoney, unallocated_call_money

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


def pots_left(lines: list[Line]) -> dict[int, int]:
    """What each call line's pool still has to grant (its amount less its grants): one query."""
    sums = call_sums([line.id for line in lines])
    return {line.id: unallocated_call_money(line.amount, sums[line.id].granted
                                            if line.id in sums else 0) for line in lines}


def goal_areas_of_year(year: int) -> list[GoalArea]:
    """Return the goal areas of a year, by name."""
    return list(db.session.scalars(
        select(GoalArea).where(GoalArea.year == year).order_by(GoalArea.name)
    ))


# --- the applications of a call ------------------------------------------------------------

def call_applications(call_id: int, *, goal_area_id: int | None = None,
                      organisation_id: int | None = None, state: str | None = None,
                      owner: str | None = None) -> Select:
    """Select a call's applications that were sent in (no drafts, also none withdrawn before
    it was sent), filtered, unordered: `REVIEW_ORDER` orders them, the latest sent in first.
    Their organisations, goal areas and budgets load with them (a fixed number of queries)."""
    query = (
        select(Application)
        .where(Application.call_id == call_id, Application.submitted_at.is_not(None),
               Application.state != A.DRAFT)
        .options(selectinload(Application.organisation), selectinload(Application.goal_areas),
                 selectinload(Application.budget_lines))
    )
    if goal_area_id:
        query = query.where(Application.goal_areas.any(GoalArea.id == goal_area_id))
    if organisation_id:
        query = query.where(Application.organisation_id == organisation_id)
    if owner:
        query = query.where(Application.organisation.has(
            Organisation.name.ilike(f"%{like_escaped(owner)}%", escape="\\")))
    if state:
        try:
            query = query.where(Application.state == ApplicationState(state))
        except ValueError:
            pass
    return query


# The review list's order (descending), the tail of the index ix_application_call_submitted.
REVIEW_ORDER = (Application.submitted_at, Application.id)


def review_list(call_id: int, *, after: int | None, before: int | None, per_page: int,
                **filters) -> KeysetPage:
    """Return one page of a call's review list, the latest sent in first (one query, and the
    page's organisations, goal areas and budgets)."""
    return keyset_page(call_applications(call_id, **filters), REVIEW_ORDER, Application.id,
                       after=after, before=before, per_page=per_page, descending=True)


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
    applications = list(db.session.scalars(
        call_applications(call_id, **filters).order_by(*(c.desc() for c in REVIEW_ORDER))))
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


def readable_content(data: dict) -> dict:
    """An application's snapshot for a page: the budget's categories as enums, which the page
    names in the reader's language (the snapshot keeps their codes)."""
    content = dict(data)
    content["budget_lines"] = [{**line, "category": BudgetCategory(line["category"])}
                               for line in content.get("budget_lines") or []]
    return content


def version_of(application_id: int, version: int) -> ApplicationVersion | None:
    """Return one submitted version of an application, if there is one."""
    return db.session.scalar(select(ApplicationVersion).where(
        ApplicationVersion.application_id == application_id,
        ApplicationVersion.version == version))


def review_page(application: Application) -> ReviewPage:
    """Collect what a reviewer reads: the latest submitted content, what changed, assessments."""
    versions = list(db.session.scalars(
        select(ApplicationVersion).where(ApplicationVersion.application_id == application.id)
        .order_by(ApplicationVersion.version.desc()).limit(2)
    ))
    content = readable_content(versions[0].data) if versions else {}
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


def grants_of_applications(application_ids: list[int]) -> dict[int, GrantMoney]:
    """Return the granted and paid money of those applications that became grants, by
    application id (two queries whatever the number of applications)."""
    if not application_ids:
        return {}
    grant_ids = dict(db.session.execute(
        select(Grant.application_id, func.min(Grant.id))
        .where(Grant.application_id.in_(application_ids)).group_by(Grant.application_id)
    ).all())
    money = grants_money(list(grant_ids.values()))
    return {app_id: money[grant_id] for app_id, grant_id in grant_ids.items()
            if grant_id in money}


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
