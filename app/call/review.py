"""Reviewing a call's applications: the pool's figures, the filtered list, assessments,
proposed amounts, starting a review and returning an application for completion."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Organisation, Role, User
from app.call.models import (
    Application,
    ApplicationBudgetLine,
    ApplicationVersion,
    BudgetCategory,
    Call,
    CallAction,
    Decision,
    Review,
    application_goal_area,
)
from app.call.rules import (
    DECIDED_STATES,
    ApplicationState,
    check_application_transition,
    diff_versions,
)
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.mail import queue_mail
from app.core.money import format_amount
from app.extensions import db
from app.ledger.models import GoalArea, Grant, grant_goal_area

A = ApplicationState
# What counts as applied for: everything sent in and not taken back.
APPLIED_STATES = (A.SUBMITTED, A.UNDER_REVIEW, A.RETURNED, *DECIDED_STATES)
UNDECIDED_STATES = (A.SUBMITTED, A.UNDER_REVIEW, A.RETURNED)
PER_PAGE = 25
MAX_COMMENT = 10_000


@dataclass(frozen=True)
class Figures:
    """Applied, proposed and granted money: of the whole call or of one goal area."""

    applied: int = 0
    proposed: int = 0
    granted: int = 0
    applications: int = 0


@dataclass(frozen=True)
class PoolSummary:
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


def list_applications(call_id: int, *, goal_area_id: int | None = None,
                      organisation_id: int | None = None, state: str | None = None,
                      page: int = 1, per_page: int = PER_PAGE):
    """Return a page of a call's applications (no drafts), filtered; a fixed number of queries."""
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
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def organisations_of_call(call_id: int) -> list[Organisation]:
    """Return the organisations that have applied to a call (for the filter)."""
    return list(db.session.scalars(
        select(Organisation).where(Organisation.id.in_(
            select(Application.organisation_id).where(Application.call_id == call_id,
                                                      Application.state != A.DRAFT)
        )).order_by(Organisation.name)
    ))


@dataclass(frozen=True)
class ReviewPage:
    application: Application
    content: dict
    changes: list
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


def _lock_application(application_id: int) -> Application:
    application = db.session.scalar(
        select(Application).where(Application.id == application_id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if application is None or application.state is A.DRAFT:
        raise DomainError("ansökan finns inte")
    return application


def _move(application: Application, target: ApplicationState, actor: Actor, action: CallAction,
          summary: str, **extra) -> None:
    check_application_transition(application.state, target)
    before = application.state
    application.state = target
    db.session.flush()
    audit.record(actor, action, "application", application.id,
                 year=application.call.line.allocation.year, summary=summary[:500],
                 before={"state": before.value}, after={"state": target.value, **extra})


def start_review(application_id: int, actor: Actor) -> Application:
    """Take a submitted application under review."""
    application = _lock_application(application_id)
    _move(application, A.UNDER_REVIEW, actor, CallAction.APPLICATION_REVIEW,
          f"Började bedöma ansökan {application.title[:200]}")
    return application


def applicant_addresses(organisation_id: int) -> list[str]:
    """Return the e-mail addresses of an organisation's active applicants."""
    return list(db.session.scalars(
        select(User.email).where(User.organisation_id == organisation_id,
                                 User.role == Role.APPLICANT, User.active.is_(True))
        .order_by(User.email)
    ))


def return_for_completion(application_id: int, message: str, actor: Actor) -> Application:
    """Send an application back to its applicants with a message saying what to complete."""
    message = (message or "").strip()
    if not message:
        raise DomainError("skriv vad den sökande ska komplettera")
    if len(message) > MAX_COMMENT:
        raise DomainError(f"meddelandet är för långt (högst {MAX_COMMENT} tecken)")
    application = _lock_application(application_id)
    _move(application, A.RETURNED, actor, CallAction.APPLICATION_RETURN,
          f"Återsände ansökan {application.title[:200]} för komplettering", message=message)
    application.return_message = message
    for address in applicant_addresses(application.organisation_id):
        queue_mail(address, f"Komplettera er ansökan: {application.title[:200]}", "returned",
                   application=application, call=application.call, message=message)
    db.session.flush()
    return application


def record_review(application_id: int, reviewer_id: int, scores: dict[str, int], comment: str,
                  actor: Actor) -> Review:
    """Save one reviewer's assessment (a score 1–5 per criterion and a comment); editable."""
    application = db.session.get(Application, application_id)
    if application is None or application.state is A.DRAFT:
        raise DomainError("ansökan finns inte")
    if application.state in DECIDED_STATES or application.state is A.WITHDRAWN:
        raise DomainError(f"ansökan är {application.state.swedish.lower()}; "
                          "bedömningen kan inte längre ändras")
    criteria = list(application.call.criteria or [])
    clean: dict[str, int] = {}
    for criterion in criteria:
        value = scores.get(criterion)
        if value is None:
            raise DomainError(f"ge ett betyg för ”{criterion}”")
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(f"betyget för ”{criterion}” ska vara 1–5")
        clean[criterion] = value
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(f"kommentaren är för lång (högst {MAX_COMMENT} tecken)")
    review = db.session.scalar(select(Review).where(Review.application_id == application_id,
                                                    Review.reviewer_id == reviewer_id))
    before = {"scores": dict(review.scores), "comment": review.comment} if review else None
    if review is None:
        review = Review(application_id=application_id, reviewer_id=reviewer_id)
        db.session.add(review)
    review.scores = clean
    review.comment = comment
    db.session.flush()
    audit.record(actor, CallAction.APPLICATION_ASSESS, "application", application.id,
                 year=application.call.line.allocation.year,
                 summary=f"Bedömde ansökan {application.title[:200]}",
                 before=before, after={"scores": clean, "comment": comment})
    return review


def set_proposed_amount(application_id: int, amount: int | None, actor: Actor) -> Application:
    """Set (or clear) the amount the reviewers propose to grant."""
    application = _lock_application(application_id)
    if application.state not in UNDECIDED_STATES:
        raise DomainError("förslag kan bara ges på en ansökan som inte är beslutad")
    if amount is not None:
        if amount <= 0:
            raise DomainError("det föreslagna beloppet måste vara större än noll")
        if amount > application.amount_applied:
            raise DomainError(
                "det föreslagna beloppet kan inte vara mer än det sökta, "
                f"{format_amount(application.amount_applied, unit=True)}")
    before = application.proposed_amount
    application.proposed_amount = amount
    db.session.flush()
    audit.record(actor, CallAction.APPLICATION_PROPOSE, "application", application.id,
                 year=application.call.line.allocation.year,
                 summary=f"Föreslog {format_amount(amount, unit=True) or 'inget belopp'} till "
                 f"{application.title[:200]}",
                 before={"proposed_amount": before}, after={"proposed_amount": amount})
    return application
