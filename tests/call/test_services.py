"""The call's services: calls and their states, the pool's figures, review, decisions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.call import calls, decision_log, decisions, queries, review
from app.call.models import Decision
from app.call.pool import pool_summary
from app.call.rules import ApplicationState, CallState
from app.call.versions import save_version
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.models import AuditEntry, OutboundEmail
from app.extensions import db
from app.ledger.models import Grant, Line
from tests.call.factories import (
    AREAS,
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.support import kronor

A = ApplicationState
ACTOR = Actor(label="samordnare@example.se")


def decide(application_id, outcome="granted", amount=None, conditions="", reason="",
           body="SVOM", decided_on=date(2022, 6, 10), paragraph="§12",
           diary_number="RUN/290/2022"):
    return decisions.decide(application_id, outcome, amount, conditions, reason, body,
                            decided_on, paragraph, diary_number, ACTOR)


def call_input(pool, **changes) -> calls.CallInput:
    from app.ledger.models import GoalArea

    areas = db.session.scalars(select(GoalArea.id).where(GoalArea.year == 2022)).all()
    values = dict(
        line_id=pool, title="Projektutlysning 2022",
        opens_at=calls.stockholm_to_utc(date(2022, 3, 1), time(8, 0)),
        closes_at=calls.stockholm_to_utc(date(2022, 4, 1), time(23, 59)),
        goal_area_ids=list(areas), criteria=["Samverkan"],
        questions=calls.parse_questions("* Hur sprids resultaten?\nÖvrigt"),
    )
    values.update(changes)
    return calls.CallInput(**values)


# --- calls ---------------------------------------------------------------------------------

def test_a_call_is_created_with_stockholm_times_stored_in_utc(ctx):
    """Is 08:00 in Stockholm in March stored as 07:00 UTC, and are the questions parsed?"""
    pool = make_pool()
    call = calls.create_call(call_input(pool), ACTOR)
    assert call.state is CallState.DRAFT
    assert call.opens_at == datetime(2022, 3, 1, 7, 0, tzinfo=timezone.utc)
    assert call.questions == [
        {"key": "q1", "text": "Hur sprids resultaten?", "required": True},
        {"key": "q2", "text": "Övrigt", "required": False},
    ]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.entity == "call")) \
        == "call.create"


def _activity_line(pool):
    return db.session.scalar(select(Line.id).where(Line.id != pool,
                                                   Line.allocation_id == db.session.get(
                                                       Line, pool).allocation_id))


@pytest.mark.parametrize("change, message", [
    (lambda pool: {"title": "  "}, "ange utlysningens rubrik"),
    (lambda pool: {"title": "x" * 301}, "rubriken är för lång"),
    (lambda pool: {"line_id": None}, "välj den utlysningsrad"),
    (lambda pool: {"line_id": _activity_line(pool)}, "raden är ingen utlysningsrad"),
    (lambda pool: {"closes_at": calls.stockholm_to_utc(date(2022, 2, 1), time(8))},
     "måste stänga efter att den öppnar"),
    (lambda pool: {"goal_area_ids": []}, "välj minst ett målområde"),
    (lambda pool: {"max_per_project": 0}, "större än noll"),
    (lambda pool: {"max_per_project": kronor(2_000_000)}, "större än potten"),
])
def test_a_call_with_bad_input_is_refused_with_a_reason(ctx, change, message):
    """Is each kind of bad call refused, saying what is wrong?"""
    pool = make_pool()
    with pytest.raises(DomainError, match=message):
        calls.create_call(call_input(pool, **change(pool)), ACTOR)


S = CallState
TRANSITIONS = [
    (S.DRAFT, S.OPEN, True), (S.DRAFT, S.CLOSED, False), (S.DRAFT, S.DECIDED, False),
    (S.OPEN, S.CLOSED, True), (S.OPEN, S.DRAFT, False), (S.OPEN, S.DECIDED, False),
    (S.CLOSED, S.DECIDED, True), (S.CLOSED, S.OPEN, False), (S.DECIDED, S.CLOSED, False),
    (S.DECIDED, S.OPEN, False),
]


@pytest.mark.parametrize("start, target, allowed", TRANSITIONS)
def test_call_states_move_only_as_the_table_allows(ctx, start, target, allowed):
    """Can a call move from each state only to the next one?"""
    call = make_call(make_pool(), state=start)
    if allowed:
        calls.set_state(call.id, target, ACTOR)
        assert call.state is target
    else:
        with pytest.raises(DomainError, match="kan inte gå från"):
            calls.set_state(call.id, target, ACTOR)


def test_only_a_draft_call_can_be_changed(ctx):
    """Is an open call's content frozen?"""
    pool = make_pool()
    call = calls.create_call(call_input(pool), ACTOR)
    calls.update_call(call.id, call_input(pool, title="Ny rubrik"), ACTOR)
    assert call.title == "Ny rubrik"
    calls.set_state(call.id, CallState.OPEN, ACTOR)
    with pytest.raises(DomainError, match="utkast"):
        calls.update_call(call.id, call_input(pool, title="Sent"), ACTOR)


# --- the pool ------------------------------------------------------------------------------

def test_pool_figures_count_applied_proposed_granted_and_left(ctx):
    """Are drafts and withdrawn left out, proposals counted only while undecided, and ledger
    grants counted as granted?"""
    pool = make_pool(1_000_000)
    call = make_call(pool)
    org = make_organisation("Krokoms kommun")
    make_application(call, org, amount_kr=100_000, state=A.DRAFT)
    make_application(call, org, amount_kr=200_000, state=A.WITHDRAWN)
    make_application(call, org, amount_kr=300_000, proposed_kr=250_000)
    under = make_application(call, org, amount_kr=400_000, state=A.UNDER_REVIEW,
                             areas=AREAS[1:2])
    decide(under.id)
    from app.ledger.lines import GrantInput, add_grant

    add_grant(pool, GrantInput(title="Manuellt", owner="Åre kommun", amount=kronor(50_000),
                               goal_areas=[AREAS[0]]), ACTOR)
    summary = pool_summary(call)
    assert summary.pool == kronor(1_000_000)
    assert summary.total.applied == kronor(700_000)
    assert summary.total.proposed == kronor(250_000)
    assert summary.total.granted == kronor(450_000)
    assert summary.left == kronor(550_000)
    by_name = {area.name: figures for area, figures in summary.by_area}
    assert by_name[AREAS[0]].applied == kronor(300_000)
    assert by_name[AREAS[0]].granted == kronor(50_000)
    assert by_name[AREAS[1]].granted == kronor(400_000)


def test_the_list_filters_by_goal_area_owner_and_state(ctx):
    """Do the filters narrow the list, and are drafts never shown?"""
    call = make_call(make_pool())
    krokom, are = make_organisation("Krokom"), make_organisation("Åre")
    make_application(call, krokom, title="A", state=A.DRAFT)
    make_application(call, krokom, title="B")
    make_application(call, are, title="C", state=A.UNDER_REVIEW, areas=AREAS[1:2])
    titles = lambda **kw: sorted(a.title for a in db.session.scalars(
        queries.call_applications(call.id, **kw)))
    assert titles() == ["B", "C"]
    assert titles(organisation_id=are.id) == ["C"]
    assert titles(state="submitted") == ["B"]
    area = next(a for a in call.goal_areas if a.name == AREAS[1])
    assert titles(goal_area_id=area.id) == ["C"]


# --- review --------------------------------------------------------------------------------

def test_returning_for_completion_mails_the_applicants_and_shows_what_changed(ctx):
    """After a return and a new submission, does the reviewer see exactly what changed?"""
    call = make_call(make_pool())
    org = make_organisation()
    email = make_applicant(org)
    application = make_application(call, org, title="Före")
    with pytest.raises(DomainError, match="komplettera"):
        review.return_for_completion(application.id, "  ", ACTOR)
    review.return_for_completion(application.id, "Beskriv målgruppen bättre.", ACTOR)
    assert application.state is A.RETURNED
    assert application.return_message == "Beskriv målgruppen bättre."
    mail = db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == email)).one()
    assert "Beskriv målgruppen bättre." in mail.body
    application.title = "Efter"
    application.state = A.SUBMITTED
    save_version(application)
    db.session.flush()
    page = queries.review_page(application)
    assert page.content["title"] == "Efter"
    assert [(c.field, c.before, c.after) for c in page.changes] == [("title", "Före", "Efter")]


def test_assessments_are_one_per_reviewer_and_editable(ctx, make_user):
    """Can two reviewers each score, and can one change their own assessment?"""
    from app.accounts.users import find_by_email

    call = make_call(make_pool())
    application = make_application(call, make_organisation())
    db.session.commit()
    first, second = find_by_email(make_user()), find_by_email(make_user())
    scores = {"Samverkan": 4, "Hållbarhet": 3}
    review.record_review(application.id, first.id, scores, "Bra", ACTOR)
    review.record_review(application.id, second.id, scores, "Ok", ACTOR)
    review.record_review(application.id, first.id, {**scores, "Samverkan": 5}, "Mycket bra",
                         ACTOR)
    page = queries.review_page(application)
    assert [(r.scores["Samverkan"], r.comment) for r, _ in page.reviews] == [
        (5, "Mycket bra"), (4, "Ok")]
    with pytest.raises(DomainError, match="1–5"):
        review.record_review(application.id, first.id, {**scores, "Samverkan": 6}, "", ACTOR)
    with pytest.raises(DomainError, match="Hållbarhet"):
        review.record_review(application.id, first.id, {"Samverkan": 3}, "", ACTOR)


def test_a_proposal_cannot_exceed_the_amount_applied(ctx):
    application = make_application(make_call(make_pool()), make_organisation(), amount_kr=100)
    review.set_proposed_amount(application.id, kronor(80), ACTOR)
    assert application.proposed_amount == kronor(80)
    with pytest.raises(DomainError, match="mer än det sökta"):
        review.set_proposed_amount(application.id, kronor(101), ACTOR)


# --- decisions -----------------------------------------------------------------------------

def test_a_full_grant_becomes_a_ledger_grant_and_tells_the_applicant(ctx):
    """Does a grant in full create the ledger's grant, number the decision, and send mail?"""
    pool = make_pool()
    call = make_call(pool)
    org = make_organisation("Bräcke kommun")
    email = make_applicant(org)
    application = make_application(call, org, amount_kr=300_000, state=A.UNDER_REVIEW,
                                    title="Unga i Bräcke")
    decision = decide(application.id, diary_number="RUN 290 2022")
    assert decision.sequence == 1 and decision.amount == kronor(300_000)
    assert decision.diary_number == "RUN/290/2022"
    assert application.state is A.GRANTED
    grant = db.session.get(Grant, decision.grant_id)
    assert (grant.line_id, grant.title, grant.owner, grant.amount, grant.application_id) == (
        pool, "Unga i Bräcke", "Bräcke kommun", kronor(300_000), application.id)
    assert [a.name for a in grant.goal_areas] == [AREAS[0]]
    mail = db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == email)).one()
    assert "beviljad" in mail.body and "300\u00a0000\u00a0kr" in mail.body
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "application.decide"))
    assert entry.before == {"state": "under_review"} and entry.after["state"] == "granted"


def test_a_partial_grant_needs_an_amount_below_the_applied_and_conditions(ctx):
    call = make_call(make_pool())
    application = make_application(call, make_organisation(), amount_kr=300_000,
                                   state=A.UNDER_REVIEW)
    with pytest.raises(DomainError, match="villkoren"):
        decide(application.id, "partly_granted", kronor(200_000))
    with pytest.raises(DomainError, match="mindre än det sökta"):
        decide(application.id, "partly_granted", kronor(300_000), conditions="x")
    decision = decide(application.id, "partly_granted", kronor(200_000), conditions="Rapport i maj")
    assert application.state is A.PARTLY_GRANTED
    assert decision.grant.amount == kronor(200_000)


def test_a_rejection_needs_a_reason_and_makes_no_grant(ctx):
    call = make_call(make_pool())
    application = make_application(call, make_organisation(), state=A.UNDER_REVIEW)
    with pytest.raises(DomainError, match="skälet"):
        decide(application.id, "rejected")
    decision = decide(application.id, "rejected", reason="Saknar samverkan")
    assert application.state is A.REJECTED and decision.grant_id is None
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 0


@pytest.mark.parametrize("field, value, message", [
    ("body", "", "organ"),
    ("decided_on", None, "beslutsdatum"),
    ("diary_number", "inte ett nummer", "diarienummer"),
    ("outcome", "kanske", "välj beslut"),
])
def test_a_decision_without_its_particulars_is_refused(ctx, field, value, message):
    application = make_application(make_call(make_pool()), make_organisation(),
                                   state=A.UNDER_REVIEW)
    with pytest.raises(DomainError, match=message):
        decide(application.id, **{field: value})
    assert application.state is A.UNDER_REVIEW


@pytest.mark.parametrize("state", [A.SUBMITTED, A.RETURNED, A.WITHDRAWN, A.GRANTED, A.REJECTED])
def test_only_an_application_under_review_can_be_decided(ctx, state):
    application = make_application(make_call(make_pool()), make_organisation(), state=state)
    with pytest.raises(DomainError):
        decide(application.id)
    assert application.state is state


def test_a_grant_beyond_the_pool_is_refused_saying_what_is_left(ctx):
    """With 100 000 left, is a grant of 300 000 refused with the amount left?"""
    call = make_call(make_pool(500_000))
    org = make_organisation()
    first = make_application(call, org, amount_kr=400_000, state=A.UNDER_REVIEW)
    second = make_application(call, org, amount_kr=300_000, state=A.UNDER_REVIEW)
    decide(first.id)
    with pytest.raises(DomainError, match="kvar att bevilja är 100\u00a0000\u00a0kr"):
        decide(second.id)


def test_decisions_are_numbered_in_order_within_the_call(ctx):
    call = make_call(make_pool())
    org = make_organisation()
    apps = [make_application(call, org, amount_kr=10_000, state=A.UNDER_REVIEW, title=f"P{i}")
            for i in range(3)]
    decide(apps[0].id)
    decide(apps[1].id, "rejected", reason="Nej")
    decide(apps[2].id, "partly_granted", kronor(5_000), conditions="Villkor")
    log = decision_log.decision_log(call)
    assert [d.sequence for d in log.decisions] == [1, 2, 3]
    assert [d.title for d in log.decisions] == ["P0", "P1", "P2"]
    assert (log.granted, log.granted_count, log.partly_count, log.rejected_count) == (
        kronor(15_000), 1, 1, 1)
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 3


def test_starting_a_review_follows_the_state_table(ctx):
    application = make_application(make_call(make_pool()), make_organisation())
    review.start_review(application.id, ACTOR)
    assert application.state is A.UNDER_REVIEW
    with pytest.raises(DomainError, match="kan inte gå från"):
        review.start_review(application.id, ACTOR)


def test_stockholm_summer_time_is_respected():
    assert calls.stockholm_to_utc(date(2022, 7, 1), time(12)) == datetime(
        2022, 7, 1, 10, tzinfo=timezone.utc)
    assert calls.utc_to_stockholm(datetime(2022, 1, 1, tzinfo=timezone.utc)).hour == 1
    assert timedelta(0) == timedelta(0)


def test_every_action_the_call_records_is_a_call_action(ctx):
    """Is each code a call's life writes to the audit log one of CallAction's members?"""
    from app.call.models import CallAction

    pool = make_pool()
    call = calls.create_call(call_input(pool), ACTOR)
    calls.update_call(call.id, call_input(pool, title="Ny rubrik"), ACTOR)
    calls.set_state(call.id, CallState.OPEN, ACTOR)
    org = make_organisation()
    returned, decided = (make_application(call, org) for _ in range(2))
    review.return_for_completion(returned.id, "Komplettera.", ACTOR)
    review.start_review(decided.id, ACTOR)
    review.set_proposed_amount(decided.id, kronor(1_000), ACTOR)
    decide(decided.id)
    calls.set_state(call.id, CallState.CLOSED, ACTOR)
    calls.set_state(call.id, CallState.DECIDED, ACTOR)
    codes = set(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity.in_(("call", "application")))))
    assert codes == {"call.create", "call.update", "call.open", "call.closed", "call.decided",
                     "application.return", "application.review", "application.propose",
                     "application.decide"}
    assert codes <= {action.value for action in CallAction}


def test_merging_organisations_moves_people_and_applications(ctx):
    """Does a merge move the duplicate's applicants and applications, and refuse a self-merge?"""
    from app.accounts.models import User
    from app.call.organisations import merge_organisations

    call = make_call(make_pool())
    duplicate, keep = make_organisation("Krokom"), make_organisation("Krokoms kommun")
    email = make_applicant(duplicate)
    application = make_application(call, duplicate)
    with pytest.raises(DomainError, match="två olika"):
        merge_organisations(keep.id, keep.id, ACTOR)
    assert merge_organisations(duplicate.id, keep.id, ACTOR) is keep
    assert duplicate.merged_into_id == keep.id
    assert db.session.scalar(select(User.organisation_id).where(User.email == email)) == keep.id
    db.session.refresh(application)
    assert application.organisation_id == keep.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.merge"))
    assert entry.after == {"kept": "Krokoms kommun", "users_moved": 1, "applications_moved": 1}
    with pytest.raises(DomainError, match="redan sammanslagen"):
        merge_organisations(duplicate.id, keep.id, ACTOR)


def test_the_pools_to_choose_are_the_call_lines_of_open_years(ctx):
    """Is a closed year's call line left out of a new call's pools?"""
    from app.ledger.models import YearClosing

    open_pool, closed_pool = make_pool(year=2022), make_pool(year=2021)
    db.session.add(YearClosing(year=2021, closed_by="fixture"))
    db.session.flush()
    assert [line.id for line in queries.call_lines()] == [open_pool]
    with pytest.raises(DomainError, match="året 2021 är stängt"):
        calls.create_call(call_input(closed_pool), ACTOR)
