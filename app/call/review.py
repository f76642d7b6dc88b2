"""Reviewing a call's applications: starting a review, returning an application for
completion, assessments and proposed amounts.

Each operation flushes and writes the audit entry; the request's unit of work commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.call.models import Application, CallAction, Review
from app.call.organisations import applicant_addresses
from app.call.queries import review_of
from app.call.rules import (
    DECIDED_STATES,
    UNDECIDED_STATES,
    ApplicationState,
    check_application_transition,
)
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.mail import queue_mail
from app.core.money import format_amount
from app.extensions import db

A = ApplicationState
MAX_COMMENT = 10_000


def _lock_application(application_id: int) -> Application:
    application = db.session.scalar(
        select(Application).where(Application.id == application_id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if application is None or application.state is A.DRAFT:
        raise DomainError(_("ansökan finns inte"))
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


def return_for_completion(application_id: int, message: str, actor: Actor) -> Application:
    """Send an application back to its applicants with a message saying what to complete."""
    message = (message or "").strip()
    if not message:
        raise DomainError(_("skriv vad den sökande ska komplettera"))
    if len(message) > MAX_COMMENT:
        raise DomainError(_("meddelandet är för långt (högst %(most)s tecken)",
                            most=MAX_COMMENT))
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
        raise DomainError(_("ansökan finns inte"))
    if application.state in DECIDED_STATES or application.state is A.WITHDRAWN:
        raise DomainError(_("ansökan är %(state)s; bedömningen kan inte längre ändras",
                            state=application.state.label.lower()))
    criteria = list(application.call.criteria or [])
    clean: dict[str, int] = {}
    for criterion in criteria:
        value = scores.get(criterion)
        if value is None:
            raise DomainError(_("ge ett betyg för ”%(criterion)s”", criterion=criterion))
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(_("betyget för ”%(criterion)s” ska vara 1–5", criterion=criterion))
        clean[criterion] = value
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(_("kommentaren är för lång (högst %(most)s tecken)",
                            most=MAX_COMMENT))
    review = review_of(application_id, reviewer_id)
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
        raise DomainError(_("förslag kan bara ges på en ansökan som inte är beslutad"))
    if amount is not None:
        if amount <= 0:
            raise DomainError(_("det föreslagna beloppet måste vara större än noll"))
        if amount > application.amount_applied:
            raise DomainError(
                _("det föreslagna beloppet kan inte vara mer än det sökta, %(applied)s",
                  applied=format_amount(application.amount_applied, unit=True)))
    before = application.proposed_amount
    application.proposed_amount = amount
    db.session.flush()
    audit.record(actor, CallAction.APPLICATION_PROPOSE, "application", application.id,
                 year=application.call.line.allocation.year,
                 summary=f"Föreslog {format_amount(amount, unit=True) or 'inget belopp'} till "
                 f"{application.title[:200]}",
                 before={"proposed_amount": before}, after={"proposed_amount": amount})
    return application
