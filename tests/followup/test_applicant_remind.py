"""`flask projects remind`: one reminder per report due soon, never twice."""

from __future__ import annotations

from datetime import date

from app.core.mail import outbox_for
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.models import ProjectReport
from app.followup.rules import ReportKind
from tests.followup.test_applicant_project import COORDINATOR, build_project


def reminders(address: str):
    return [m for m in outbox_for(address) if m.subject.startswith("Påminnelse")]


def _setup(app):
    with app.test_request_context():
        project = build_project()  # an interim report due 2022-12-31
        final = project_reports.schedule_report(project.grant_id, ReportKind.FINAL,
                                                date(2023, 6, 30), COORDINATOR)
        db.session.commit()
        final_id = final.id
    return project, final_id


def test_remind_sends_one_reminder_per_report_and_not_twice(app, runner):
    project, final_id = _setup(app)
    result = runner.invoke(args=["projects", "remind", "--today", "2022-12-20"])
    assert result.exit_code == 0, result.output
    assert "Påminde om 1 rapporter." in result.output
    with app.app_context():
        mails = reminders(project.applicant)
        assert len(mails) == 1
        assert "Påminnelse: delrapport senast 2022-12-31" in mails[0].subject
        assert f"/ansokningar/{project.application_id}/projekt" in mails[0].body
        assert reminders(project.stranger) == []
        assert db.session.get(ProjectReport, project.report_id).reminded_at is not None
        assert db.session.get(ProjectReport, final_id).reminded_at is None

    again = runner.invoke(args=["projects", "remind", "--today", "2022-12-21"])
    assert again.exit_code == 0 and "Påminde om 0 rapporter." in again.output
    with app.app_context():
        assert len(reminders(project.applicant)) == 1

    # Later, with a wider window, the final report is reminded once too.
    later = runner.invoke(args=["projects", "remind", "--today", "2023-06-01", "--days", "30"])
    assert "Påminde om 1 rapporter." in later.output
    with app.app_context():
        subjects = [m.subject for m in reminders(project.applicant)]
        assert len(subjects) == 2 and "slutrapport senast 2023-06-30" in subjects[1]


def test_remind_defaults_to_fourteen_days(app, runner):
    _setup(app)
    result = runner.invoke(args=["projects", "remind", "--today", "2022-12-16"])
    assert "Påminde om 0 rapporter." in result.output
    result = runner.invoke(args=["projects", "remind", "--today", "2022-12-17"])
    assert "Påminde om 1 rapporter." in result.output


def test_remind_refuses_a_malformed_date(runner):
    result = runner.invoke(args=["projects", "remind", "--today", "20-12-2022"])
    assert result.exit_code != 0


def test_remind_works_without_a_server_name(app, runner, monkeypatch):
    project, _ = _setup(app)
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    result = runner.invoke(args=["projects", "remind", "--today", "2022-12-20"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        (mail,) = reminders(project.applicant)
        assert "Mina ansökningar" in mail.body
