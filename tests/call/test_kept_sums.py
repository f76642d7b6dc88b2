"""The call's kept sums (call_tally): the review list's totals read them instead of adding up
every application, so they must follow every change of an application, its budget and its
goal areas, a rolled-back change must leave them, and bulk rows are counted by a rebuild.
(Every test of the suite also ends by comparing them with the rows: tests/conftest.py.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from app.call.models import Application, ApplicationBudgetLine, BudgetCategory, Call
from app.call.pool import applications_tally, pool_summary
from app.call.rules import ApplicationState
from app.extensions import db
from tests.call.factories import AREAS, make_application, make_call, make_organisation, make_pool
from tests.conftest import CONCURRENT_REQUESTS as THREADS
from tests.conftest import is_postgres
from tests.support import kronor, run_together

A = ApplicationState


def _summary(call):
    db.session.commit()
    db.session.expire_all()
    return pool_summary(call)


def _by_area(summary) -> dict[str, tuple[int, int]]:
    return {area.name: (f.applications, f.applied) for area, f in summary.by_area
            if f.applications}


def test_the_totals_follow_budgets_goal_areas_states_and_proposals(ctx):
    call = make_call(make_pool(1_000_000))
    org = make_organisation("Krokoms kommun")
    first = make_application(call, org, amount_kr=300_000, areas=AREAS[:1])
    second = make_application(call, org, amount_kr=100_000, areas=AREAS[1:2])
    make_application(call, org, amount_kr=999_000, state=A.DRAFT)  # a draft counts nowhere
    summary = _summary(call)
    assert summary.total.applied == kronor(400_000)
    assert summary.counts == {A.SUBMITTED: 2}

    first.budget_lines[0].amount = kronor(250_000)  # a row changed
    first.budget_lines.append(ApplicationBudgetLine(  # a row added
        year=2023, category=BudgetCategory.OTHER, description="Resor", amount=kronor(20_000)))
    summary = _summary(call)
    assert summary.total.applied == kronor(370_000)
    assert _by_area(summary)[AREAS[0]] == (1, kronor(270_000))

    del second.budget_lines[0]  # a row taken away (an orphan, deleted)
    second.goal_areas = [a for a in call.goal_areas if a.name in AREAS[:2]]
    summary = _summary(call)
    assert summary.total.applied == kronor(270_000)
    assert _by_area(summary) == {AREAS[0]: (2, kronor(270_000)), AREAS[1]: (1, 0)}

    first.state, first.proposed_amount = A.UNDER_REVIEW, kronor(200_000)
    summary = _summary(call)
    assert summary.counts == {A.SUBMITTED: 1, A.UNDER_REVIEW: 1}
    assert summary.total.proposed == kronor(200_000)

    first.state = A.REJECTED  # decided: its proposal no longer counts as proposed
    summary = _summary(call)
    assert summary.counts == {A.SUBMITTED: 1, A.REJECTED: 1}
    assert summary.total.proposed == 0
    assert summary.total.applied == kronor(270_000)  # a rejected application still applied
    assert applications_tally.differences(db.session) == {}


def test_a_change_rolled_back_leaves_the_totals_as_they_were(ctx):
    call = make_call(make_pool(1_000_000))
    application = make_application(call, make_organisation("Åre kommun"), amount_kr=300_000)
    before = _summary(call)
    application.budget_lines[0].amount = kronor(900_000)
    db.session.flush()
    db.session.rollback()
    assert _summary(call) == before
    assert applications_tally.differences(db.session) == {}


def test_rows_put_in_past_the_session_are_counted_by_a_rebuild(ctx):
    call = make_call(make_pool(1_000_000))
    org = make_organisation("Bergs kommun")
    db.session.commit()
    application_id = db.session.execute(insert(Application).values(
        call_id=call.id, organisation_id=org.id, state=A.SUBMITTED, title="Massinläst",
        submitted_at=datetime.now(UTC)).returning(Application.id)).scalar_one()
    db.session.execute(insert(ApplicationBudgetLine).values(
        application_id=application_id, year=2022, category=BudgetCategory.STAFF,
        description="", amount=kronor(50_000)))
    assert applications_tally.differences(db.session)  # not seen by any flush
    applications_tally.rebuild(db.session)
    assert applications_tally.differences(db.session) == {}
    assert _summary(call).total.applied == kronor(50_000)


@pytest.fixture
def postgres_only(app):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://…")


def test_simultaneous_changes_of_one_application_are_each_counted_once(postgres_only, wide_app):
    """Twenty people adding a budget row to the same application at the same moment: each
    flush reads what the application counted for after the others' commits, never before."""
    with wide_app.app_context():
        call = make_call(make_pool(1_000_000))
        application_id = make_application(call, make_organisation("Strömsunds kommun"),
                                          amount_kr=100_000).id
        call_id = call.id
        db.session.commit()
        db.session.remove()

    def add_row(i: int) -> None:
        application = db.session.get(Application, application_id)
        application.budget_lines.append(ApplicationBudgetLine(
            year=2022, category=BudgetCategory.OTHER, description=f"Rad {i}",
            amount=kronor(1_000)))
        db.session.flush()

    results = run_together(wide_app, THREADS, add_row)

    with wide_app.app_context():
        assert results == ["ok"] * THREADS
        assert applications_tally.differences(db.session) == {}
        assert pool_summary(db.session.get(Call, call_id)).total.applied == kronor(100_000 + THREADS * 1_000)
        db.session.remove()
