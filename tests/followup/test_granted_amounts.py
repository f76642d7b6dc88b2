"""What an applicant sees of the money once an application is granted: applied and granted
(and paid, once there are payments) in the list and on the application, and a project report
that starts from the granted budget per line, not the applied one."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.call import decisions
from app.call.models import ApplicationBudgetLine, BudgetCategory
from app.call.rules import ApplicationState
from app.core.money import kronor
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.models import ProjectReport
from app.followup.rules import ReportKind, granted_budget
from app.ledger.models import Grant
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import login
from tests.followup.factories import pay
from tests.followup.test_applicant_project import COORDINATOR, text


@pytest.mark.parametrize(("applied", "granted", "expected"), [
    ([40_000_000, 25_000_000], 50_000_000, [30_769_231, 19_230_769]),
    ([100, 100, 100], 100, [34, 33, 33]),
    ([30_000_000], 30_000_000, [30_000_000]),
    ([0, 0], 1_000, [1_000, 0]),
    ([], 1_000, []),
])
def test_the_granted_budget_is_spread_in_proportion_to_exactly_the_grant(applied, granted,
                                                                          expected):
    spread = granted_budget(applied, granted)
    assert spread == expected
    assert sum(spread) == (granted if applied else 0)


@pytest.fixture
def granted(app):
    """An application that asked for 650 000 kr on two lines and was granted 500 000 kr."""
    with app.test_request_context():
        call = make_call(make_pool(1_000_000))
        org = make_organisation("Bergs kommun")
        applicant = make_applicant(org)
        application = make_application(call, org, amount_kr=400_000, title="Unga vuxna",
                                       state=ApplicationState.UNDER_REVIEW)
        application.budget_lines.append(ApplicationBudgetLine(
            year=2022, category=BudgetCategory.OTHER, description="Lokaler",
            amount=kronor(250_000)))
        draft = make_application(call, org, amount_kr=80_000, title="Ett utkast",
                                 state=ApplicationState.DRAFT)
        db.session.flush()
        decision = decisions.decide(application.id, "partly_granted", kronor(500_000), "Lokalerna ingår inte", "",
                                    "SVOM", date(2022, 6, 10), "§12", "", COORDINATOR)
        db.session.commit()
        ids = (application.id, decision.grant.id, draft.id, applicant)
        db.session.remove()
    return ids


def _row(page: str, title: str) -> str:
    return re.search(rf"<tr>\s*<td><a[^>]*>{title}</a>.*?</tr>", page, re.S).group(0)


def test_my_applications_show_applied_and_granted_and_then_paid(app, client, granted):
    application_id, grant_id, _, applicant = granted
    login(client, applicant)
    page = text(client.get("/ansokningar"))
    assert "Beviljat belopp" in page and "Utbetalt" not in page
    row = _row(page, "Unga vuxna")
    assert "650 000 kr" in row and "500 000 kr" in row
    assert "650 000 kr" not in _row(page, "Ett utkast") and "–" in _row(page, "Ett utkast")

    with app.test_request_context():
        pay(db.session.get(Grant, grant_id), 120_000)
        db.session.commit()
        db.session.remove()
    page = text(client.get("/ansokningar"))
    assert "Utbetalt" in page
    assert "120 000 kr" in _row(page, "Unga vuxna")

    page = text(client.get(f"/ansokningar/{application_id}"))
    facts = re.search(r'<section class="decision".*?</section>', page, re.S).group(0)
    assert "Sökt belopp" in facts and "650 000 kr" in facts
    assert "Beviljat belopp" in facts and "500 000 kr" in facts
    assert "Utbetalt" in facts and "120 000 kr" in facts


def test_the_project_report_starts_from_the_granted_budget(app, client, granted):
    application_id, grant_id, _, applicant = granted
    with app.test_request_context():
        report = project_reports.schedule_report(grant_id, ReportKind.INTERIM,
                                                 date(2022, 12, 31), COORDINATOR)
        db.session.commit()
        report_id = report.id
        assert [line.budgeted for line in db.session.get(ProjectReport, report_id).lines] == [
            kronor(307_692) + 31, kronor(192_307) + 69]
        db.session.remove()
    login(client, applicant)
    page = text(client.get(f"/ansokningar/{application_id}/projekt/rapporter/{report_id}"))
    assert "Beviljad budget" in page
    assert "307 692,31 kr" in page and "192 307,69 kr" in page
    assert "400 000 kr" not in page and "250 000 kr" not in page
    total = re.search(r"<tfoot>.*?</tfoot>", page, re.S).group(0)
    assert "500 000 kr" in total
