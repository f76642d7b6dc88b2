"""Reading projects: the state of a project, the same in the list's filter and on its page,
and the project pages asking the database as often for a project of one year as of three."""

from __future__ import annotations

from datetime import date

import pytest

from app.accounts.models import Organisation
from app.core.types import utcnow
from app.extensions import db
from app.followup import queries
from app.followup import reports as project_reports
from app.followup.rules import PROJECT_STATES, ProjectState, ReportKind, project_state
from app.ledger import payments
from app.ledger.models import Grant
from tests.call.factories import make_applicant, make_call, make_organisation, make_pool
from tests.conftest import login
from tests.followup.factories import (
    REGISTRAR,
    final_report,
    grant,
    grant_by_title,
    import_year,
    pay,
    pool_year,
)
from tests.followup.test_applicant_project import COORDINATOR, grant_application
from tests.support import queries_of_page

# --- the state of a project -----------------------------------------------------------------

def _grants_in_every_state() -> dict[str, tuple[bool, bool]]:
    """One project for each pair of facts (closed, final report in), and a few look-alikes
    that are still running: by title, the facts each has."""
    import_year(pool_year(grants=tuple(grant(title, 100_000) for title in (
        "Avslutat", "Avslutat utan slutrapport", "Slutrapport inlämnad", "Inget begärt",
        "Slutrapport ej inlämnad", "Delrapport inlämnad"))))
    final_report(grant_by_title("Avslutat"), 0, 0)
    grant_by_title("Avslutat utan slutrapport").closed_at = utcnow()
    final_report(grant_by_title("Slutrapport inlämnad"), 0, 0, approve=False)
    project_reports.schedule_report(grant_by_title("Slutrapport ej inlämnad").id,
                                    ReportKind.FINAL, date(2023, 12, 31), REGISTRAR)
    interim = project_reports.schedule_report(grant_by_title("Delrapport inlämnad").id,
                                              ReportKind.INTERIM, date(2022, 9, 30), REGISTRAR)
    interim.text = "Halvvägs"
    project_reports.submit_report(interim.id, REGISTRAR)
    db.session.flush()
    return {
        "Avslutat": (True, True), "Avslutat utan slutrapport": (True, False),
        "Slutrapport inlämnad": (False, True), "Inget begärt": (False, False),
        "Slutrapport ej inlämnad": (False, False), "Delrapport inlämnad": (False, False),
    }


def test_every_pair_of_facts_is_covered_by_the_fixture():
    assert set(PROJECT_STATES) == {(True, True), (True, False), (False, True), (False, False)}


@pytest.mark.parametrize("state", list(ProjectState))
def test_the_lists_filter_and_the_page_agree_on_each_projects_state(ctx, state):
    """Is a project in the list filtered by a state exactly when its page says that state?"""
    facts = _grants_in_every_state()
    ids = {title: grant_by_title(title).id for title in facts}
    states = queries.project_states(list(ids.values()))
    for title, (closed, final_in) in facts.items():
        assert states[ids[title]] is project_state(closed, final_in), title
    listed = {g.title for g in queries.all_rows(queries.projects_select(None, None, state))}
    assert listed == {title for title, pair in facts.items() if project_state(*pair) is state}


# --- the project pages take a fixed number of queries ---------------------------------------

def _year_of_project(year: int, org, previous: Grant | None) -> Grant:
    """A year's grant of the project, continuing `previous`: paid, asked to pay, reported."""
    call = make_call(make_pool(1_000_000, year=year), title=f"Utlysning {year}")
    _, granted = grant_application(call, org, title=f"MÖTAS {year}",
                                   continues_grant_id=previous.id if previous else None)
    pay(granted, 10_000, reference=f"V{year}")
    payments.request_payment(granted.id, 1_000 * 100, f"R{year}", REGISTRAR)
    project_reports.schedule_report(granted.id, ReportKind.INTERIM, date(year, 9, 30),
                                    COORDINATOR)
    return granted


def test_the_project_pages_ask_as_often_for_one_year_as_for_three(app, client, make_user):
    """The applicant's page used to load money and reports once per year of the project."""
    with app.test_request_context():
        org = make_organisation("Ragunda kommun")
        applicant = make_applicant(org)
        first = _year_of_project(2022, org, None)
        db.session.commit()
        application_id, grant_id, org_id = first.application_id, first.id, org.id
    applicant_page = f"/ansokningar/{application_id}/projekt"
    staff_page = f"/projekt/{grant_id}"
    login(client, applicant)
    staff = app.test_client()
    login(staff, make_user("viewer"))
    one_year = queries_of_page(app, client, applicant_page)
    staff_one_year = queries_of_page(app, staff, staff_page)

    with app.test_request_context():
        org = db.session.get(Organisation, org_id)
        second = _year_of_project(2023, org, db.session.get(Grant, grant_id))
        third = _year_of_project(2024, org, second)
        db.session.commit()
        assert [g.id for g in queries.project_history(third)] == [grant_id, second.id, third.id]
    assert queries_of_page(app, client, applicant_page) == one_year
    page = client.get(applicant_page).get_data(as_text=True)
    assert "MÖTAS 2023" in page and "MÖTAS 2024" in page
    assert queries_of_page(app, staff, staff_page) == staff_one_year
