"""A call with applications of two organisations for the API's tests: A's draft, A's
application under review, A's granted project and B's, and each one's applicant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.call import decisions
from app.call.rules import ApplicationState, CallState
from app.extensions import db
from app.ledger import payments
from tests.call.factories import (
    FIXTURE,
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.support import kronor

YEAR = 2022


@dataclass(frozen=True)
class CallWorld:
    call_id: int
    draft_call_id: int
    line_id: int
    goal_area_ids: list[int]
    a_email: str
    b_email: str
    a_draft_id: int
    a_review_id: int
    a_granted_id: int
    a_grant_id: int
    b_granted_id: int
    b_grant_id: int


def _granted(call, organisation, title: str):
    application = make_application(call, organisation, title=title, amount_kr=200_000,
                                   state=ApplicationState.UNDER_REVIEW)
    decision = decisions.decide(application.id, "granted", None, "", "", "SVOM",
                                date(YEAR, 6, 10), "§125", "", FIXTURE)
    return application, decision.grant


def build_call_world(app) -> CallWorld:
    """Build the world and commit it."""
    with app.app_context():
        line_id = make_pool(1_000_000, year=YEAR)
        call = make_call(line_id)
        draft_call = make_call(line_id, state=CallState.DRAFT, title="Utlysning som utkast")
        org_a, org_b = make_organisation("A-stads kommun"), make_organisation("B-byns kommun")
        a_email, b_email = make_applicant(org_a), make_applicant(org_b)
        draft = make_application(call, org_a, state=ApplicationState.DRAFT, title="A:s utkast")
        review = make_application(call, org_a, state=ApplicationState.UNDER_REVIEW,
                                  title="A:s ansökan under bedömning", amount_kr=300_000)
        a_granted, a_grant = _granted(call, org_a, "A:s beviljade projekt")
        b_granted, b_grant = _granted(call, org_b, "B:s beviljade projekt")
        payments.set_attest_threshold(kronor(50_000), FIXTURE)
        world = CallWorld(
            call_id=call.id, draft_call_id=draft_call.id, line_id=line_id,
            goal_area_ids=[a.id for a in call.goal_areas], a_email=a_email, b_email=b_email,
            a_draft_id=draft.id, a_review_id=review.id, a_granted_id=a_granted.id,
            a_grant_id=a_grant.id, b_granted_id=b_granted.id, b_grant_id=b_grant.id)
        db.session.commit()
        db.session.remove()
    return world
