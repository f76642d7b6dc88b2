"""Deciding applications: granted in full, in part, or rejected, never beyond the call's pool.

A grant is made through lines.add_grant, which locks the pool's allocation row; the decision
takes the same lock first, so its number in the call and the pool's remainder are read by one
coordinator at a time, whether the money is granted here or in the ledger.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.call.models import Application, CallAction, Decision, DecisionOutcome
from app.call.organisations import applicant_addresses
from app.call.rules import ApplicationState, check_application_transition
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.identifiers import normalise_diary_number
from app.core.mail import queue_mail
from app.core.money import format_amount
from app.extensions import db
from app.ledger import lines as funds
from app.ledger.guards import lock_allocation
from app.ledger.models import Grant

OUTCOME_STATES = {
    DecisionOutcome.GRANTED: ApplicationState.GRANTED,
    DecisionOutcome.PARTLY_GRANTED: ApplicationState.PARTLY_GRANTED,
    DecisionOutcome.REJECTED: ApplicationState.REJECTED,
}
MAX_TEXT = 10_000


def decision_snapshot(decision: Decision) -> dict:
    return {
        "sequence": decision.sequence,
        "outcome": decision.outcome.value,
        "amount": decision.amount,
        "conditions": decision.conditions,
        "reason": decision.reason,
        "body": decision.body,
        "decided_on": decision.decided_on,
        "paragraph": decision.paragraph,
        "diary_number": decision.diary_number,
        "grant_id": decision.grant_id,
    }


def decide(application_id: int, outcome: DecisionOutcome | str, amount: int | None,
           conditions: str, reason: str, body: str, decided_on: date | None, paragraph: str,
           diary_number: str, actor: Actor) -> Decision:
    """Decide an application under review; a grant comes out of the call's pool.

    Raises DomainError, saying why (for a grant beyond the pool: how much is left), and changes
    nothing the caller cannot roll back.
    """
    try:
        outcome = DecisionOutcome(outcome)
    except ValueError:
        raise DomainError(_("välj beslut: beviljas, beviljas delvis eller avslås")) from None
    conditions, reason = (conditions or "").strip(), (reason or "").strip()
    body, paragraph = (body or "").strip(), (paragraph or "").strip()
    if not body:
        raise DomainError(_("ange vilket organ som fattade beslutet"))
    if len(body) > 200:
        raise DomainError(_("organets namn är för långt (högst 200 tecken)"))
    if decided_on is None:
        raise DomainError(_("ange beslutsdatum"))
    if len(paragraph) > 40:
        raise DomainError(_("paragrafen är för lång (högst 40 tecken)"))
    if len(conditions) > MAX_TEXT or len(reason) > MAX_TEXT:
        raise DomainError(_("texten är för lång (högst %(most)s tecken)", most=MAX_TEXT))
    diary = normalise_diary_number(diary_number) if (diary_number or "").strip() else ""

    # Lock the application: two decisions on it cannot both pass the state check.
    application = db.session.scalar(
        select(Application).where(Application.id == application_id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if application is None or application.state is ApplicationState.DRAFT:
        raise DomainError(_("ansökan finns inte"))
    target = OUTCOME_STATES[outcome]
    check_application_transition(application.state, target)
    if application.state is not ApplicationState.UNDER_REVIEW:
        raise DomainError(_("bara en ansökan som är under bedömning kan beslutas"))
    applied = application.amount_applied
    if outcome is DecisionOutcome.GRANTED:
        amount = applied
    elif outcome is DecisionOutcome.PARTLY_GRANTED:
        if amount is None or amount <= 0:
            raise DomainError(_("ange det beviljade beloppet"))
        if amount >= applied:
            raise DomainError(
                _("ett delvis beviljande ska vara mindre än det sökta beloppet, %(applied)s; "
                  "bevilja annars hela", applied=format_amount(applied, unit=True)))
        if not conditions:
            raise DomainError(_("ange villkoren för det delvis beviljade beloppet"))
    else:
        amount = 0
        if not reason:
            raise DomainError(_("ange skälet till avslaget"))
    if outcome is not DecisionOutcome.REJECTED and amount <= 0:
        raise DomainError(_("ansökan har inget sökt belopp att bevilja"))

    call = application.call
    # The pool's lock: decisions of the call are numbered, and its money counted, one at a time.
    lock_allocation(call.line.allocation_id)
    sequence = (db.session.scalar(
        select(func.max(Decision.sequence)).where(Decision.call_id == call.id)) or 0) + 1
    grant = None
    if outcome is not DecisionOutcome.REJECTED:
        try:
            grant = funds.add_grant(call.line_id, funds.GrantInput(
                title=application.title,
                owner=application.organisation.name,
                partners=list(application.partners or []),
                goal_areas=[area.name for area in application.goal_areas],
                # Applied for while on the list: kept even if retired from it since.
                kept_goal_areas=[area.name for area in application.goal_areas],
                amount=amount,
                status="beviljat",
            ), actor)
        except DomainError as exc:
            raise DomainError(_("beslutet kan inte fattas: %(reason)s",
                                reason=exc.message)) from None
        grant.application_id = application.id
        _link_continued(grant, application)
    decision = Decision(
        call_id=call.id, application_id=application.id, sequence=sequence, outcome=outcome,
        amount=amount, conditions=conditions, reason=reason, body=body, decided_on=decided_on,
        paragraph=paragraph, diary_number=diary, decided_by=actor.label,
        grant_id=grant.id if grant else None,
    )
    db.session.add(decision)
    before = application.state
    application.state = target
    db.session.flush()
    audit.record(actor, CallAction.APPLICATION_DECIDE, "application", application.id,
                 year=call.line.allocation.year,
                 summary=f"Beslut {sequence}: {outcome.swedish.lower()} "
                 f"{format_amount(amount, unit=True)} till {application.title[:200]}",
                 before={"state": before.value},
                 after={"state": target.value, **decision_snapshot(decision)})
    for address in applicant_addresses(application.organisation_id):
        queue_mail(address, f"Beslut om er ansökan: {application.title[:200]}",
                   f"decision_{outcome.value}", application=application, call=call,
                   decision=decision)
    db.session.flush()
    return decision


def _link_continued(grant: Grant, application: Application) -> None:
    """Link the new grant to the earlier grant the application says it continues: the same
    organisation's, and not already continued by another grant (else it stays unlinked)."""
    if application.continues_grant_id is None:
        return
    previous = db.session.get(Grant, application.continues_grant_id)
    if previous is None or previous.id == grant.id or previous.application_id is None:
        return
    earlier = db.session.get(Application, previous.application_id)
    if earlier is None or earlier.organisation_id != application.organisation_id:
        return
    if db.session.scalar(select(Grant.id).where(Grant.previous_grant_id == previous.id,
                                                Grant.id != grant.id)):
        return
    grant.previous_grant_id = previous.id


