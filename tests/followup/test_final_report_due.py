"""A project's final report is due, by default, at the end of the year after its grant's year
(the exchange format's `report_due`); do the reminders and the coordinators' form follow it?"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core.mail import outbox_for
from app.extensions import db
from app.followup.models import ProjectReport
from app.followup.rules import ReportKind
from app.ledger.models import Grant
from tests.followup.test_applicant_project import build_project


def finals(app) -> list[tuple[int, date]]:
    with app.app_context():
        return list(db.session.execute(
            select(ProjectReport.grant_id, ProjectReport.due_on)
            .where(ProjectReport.kind == ReportKind.FINAL).order_by(ProjectReport.grant_id)))


def built(app):
    with app.test_request_context():
        project = build_project()  # a 2022 grant with an interim report due 2022-12-31
        db.session.remove()
    return project


def test_the_final_report_is_asked_for_when_the_default_due_day_nears(app, runner):
    project = built(app)
    early = runner.invoke(args=["projects", "remind", "--today", "2023-06-01"])
    assert early.exit_code == 0, early.output
    assert finals(app) == []
    result = runner.invoke(args=["projects", "remind", "--today", "2023-12-20"])
    assert result.exit_code == 0, result.output
    assert "Begärde 2 slutrapporter som snart ska vara inne." in result.output
    assert (project.grant_id, date(2023, 12, 31)) in finals(app)
    with app.app_context():
        subjects = [m.subject for m in outbox_for(project.applicant)]
        assert any("Påminnelse: slutrapport senast 2023-12-31" in s for s in subjects)
    again = runner.invoke(args=["projects", "remind", "--today", "2023-12-21"])
    assert "Begärde" not in again.output and len(finals(app)) == 2


def test_a_stated_report_due_day_is_followed(app, runner):
    project = built(app)
    with app.app_context():
        db.session.get(Grant, project.grant_id).report_due = date(2023, 3, 31)
        db.session.commit()
    runner.invoke(args=["projects", "remind", "--today", "2023-03-20"])
    assert finals(app) == [(project.grant_id, date(2023, 3, 31))]


def test_the_coordinators_form_proposes_the_final_due_day(app, as_role):
    project = built(app)
    page = as_role("coordinator").get(f"/projekt/{project.grant_id}").get_data(as_text=True)
    assert 'value="2023-12-31"' in page
