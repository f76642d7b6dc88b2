"""Does `flask privacy purge` clear personal data past its retention, only that, and never
money? A dry run by default, which changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import Organisation
from app.accounts.users import find_by_email
from app.call.attachments import attachment_path
from app.call.models import (
    Application,
    ApplicationVersion,
    Attachment,
    Call,
    Decision,
    DecisionOutcome,
)
from app.call.rules import ApplicationState
from app.core.models import AuditEntry, OutboundEmail
from app.extensions import db
from app.followup.models import ProjectReport
from app.followup.rules import ReportKind, ReportState
from app.ledger.models import Grant, Requisition
from tests.call import factories as call_factories
from tests.followup import factories as followup
from tests.ledger.factories import grant
from tests.privacy.conftest import database_dump, money_totals
from tests.support import kronor

TODAY = "2026-03-01"  # two years back is 2024, seven is 2019


@dataclass
class Old:
    old_rejected: int
    new_rejected: int
    old_grant: int
    new_grant: int
    old_granted_application: int
    attachment: Path


def rejected(call: Call, org: Organisation, title: str, decided_on: date, sequence: int,
             applicant_id: int) -> Application:
    application = call_factories.make_application(call, org, title=title,
                                                  state=ApplicationState.REJECTED)
    application.created_by_id = applicant_id
    application.return_message = "Ring Eva på 070-123 45 67"
    db.session.add(Decision(call_id=call.id, application_id=application.id, sequence=sequence,
                            outcome=DecisionOutcome.REJECTED, amount=0, body="Nämnden",
                            decided_on=decided_on, decided_by="fixture",
                            reason="Ligger utanför målområdena."))
    return application


def project(title: str, closed: datetime, application: Application | None) -> Grant:
    granted = followup.grant_by_title(title)
    granted.closed_at = closed
    granted.application_id = application.id if application else None
    db.session.add_all([
        ProjectReport(grant_id=granted.id, kind=ReportKind.FINAL, due_on=date(2017, 12, 31),
                      state=ReportState.APPROVED, text="Vi utbildade 40 personer.",
                      submitted_by="eva@krokom.se", return_message="Komplettera budgeten"),
        Requisition(grant_id=granted.id, amount=kronor(10_000), text="Kontakt: Eva, 070-1",
                    created_by="eva@krokom.se"),
    ])
    return granted


@pytest.fixture
def old(app) -> Old:
    with app.app_context():
        org = db.session.get(Organisation, call_factories.create_organisation("Krokoms kommun"))
        applicant = call_factories.create_applicant(org.id, "eva@krokom.se")
        applicant_id = find_by_email(applicant).id
        call = db.session.get(Call, call_factories.create_call())
        old_app = rejected(call, org, "Gammal avslagen", date(2023, 11, 1), 1, applicant_id)
        new_app = rejected(call, org, "Ny avslagen", date(2024, 1, 15), 2, applicant_id)
        granted_app = call_factories.make_application(call, org, title="Gammalt projekt",
                                                      state=ApplicationState.GRANTED)
        granted_app.answers = {"q1": "Eva Ek svarar"}
        storage = secrets.token_hex(16)
        db.session.add(Attachment(application_id=old_app.id, original_name="cv-eva.pdf",
                                  content_type="application/pdf", size=4, storage_name=storage))
        db.session.flush()
        path = attachment_path(db.session.scalar(select(Attachment)))
        path.write_bytes(b"%PDF")
        followup.import_year(followup.pool_year(grants=(grant("Gammalt projekt", 100_000),
                                                        grant("Nytt projekt", 100_000))))
        followup.pay(followup.grant_by_title("Gammalt projekt"), 40_000)
        old_grant = project("Gammalt projekt", datetime(2018, 12, 30, tzinfo=UTC), granted_app)
        new_grant = project("Nytt projekt", datetime(2019, 1, 2, tzinfo=UTC), None)
        db.session.add_all([
            OutboundEmail(to="eva@krokom.se", subject="Gammalt", body="Hej Eva",
                          created_at=datetime(2023, 5, 1, tzinfo=UTC),
                          sent_at=datetime(2023, 5, 1, tzinfo=UTC)),
            OutboundEmail(to="eva@krokom.se", subject="Nytt", body="Hej Eva",
                          created_at=datetime(2024, 2, 1, tzinfo=UTC),
                          sent_at=datetime(2024, 2, 1, tzinfo=UTC)),
        ])
        db.session.commit()
        found = Old(old_app.id, new_app.id, old_grant.id, new_grant.id, granted_app.id, path)
        db.session.remove()
    return found


def purge(runner, *extra: str):
    return runner.invoke(args=["privacy", "purge", "--today", TODAY, *extra])


def test_a_dry_run_lists_what_would_go_and_changes_nothing(app, runner, old):
    with app.app_context():
        before = database_dump()
        db.session.remove()
    result = purge(runner)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Bevarandetid: avslutade projekt 7 år, avslagna ansökningar 2 år" in out
    assert f'Ansökan {old.old_rejected} "Gammal avslagen" (avslagen 2023-11-01)' in out
    assert f'Ansökan {old.old_granted_application} "Gammalt projekt" (projektet avslutat)' in out
    assert f'Projekt {old.old_grant} "Gammalt projekt" (avslutat 2018-12-30)' in out
    assert "Ny avslagen" not in out and "Nytt projekt" not in out
    assert "Skulle gallra: 2 ansökningar, 1 projekt, 1 bilagor, 1 e-postmeddelanden." in out
    assert "Inget är ändrat. Kör med --apply för att gallra." in out
    with app.app_context():
        assert database_dump() == before
    assert old.attachment.exists()


def test_apply_clears_only_what_is_past_retention_and_never_money(app, runner, old):
    with app.app_context():
        money = money_totals()
        decisions = [(d.id, d.outcome, d.amount, d.reason)
                     for d in db.session.scalars(select(Decision).order_by(Decision.id))]
        db.session.remove()
    result = purge(runner, "--apply")
    assert result.exit_code == 0, result.output
    assert "Gallrar: 2 ansökningar, 1 projekt, 1 bilagor, 1 e-postmeddelanden." in result.output
    assert not old.attachment.exists()
    with app.app_context():
        gone = db.session.get(Application, old.old_rejected)
        assert gone.created_by_id is None and gone.return_message is None
        assert gone.answers == {} and gone.attachments == []
        assert gone.title == "Gammal avslagen" and gone.budget_lines  # the application stays
        assert db.session.scalars(select(ApplicationVersion).where(
            ApplicationVersion.application_id == old.old_rejected)).all() == []
        assert db.session.get(Application, old.old_granted_application).answers == {}
        kept = db.session.get(Application, old.new_rejected)
        assert kept.created_by_id is not None and kept.return_message
        report, = db.session.scalars(select(ProjectReport).where(
            ProjectReport.grant_id == old.old_grant)).all()
        assert report.submitted_by is None and report.text == "Vi utbildade 40 personer."
        requisition, = db.session.scalars(select(Requisition).where(
            Requisition.grant_id == old.old_grant)).all()
        assert requisition.created_by == "" and requisition.text == ""
        assert requisition.amount == kronor(10_000)
        recent, = db.session.scalars(select(ProjectReport).where(
            ProjectReport.grant_id == old.new_grant)).all()
        assert recent.submitted_by == "eva@krokom.se"
        assert [e.subject for e in db.session.scalars(select(OutboundEmail))] == ["Nytt"]
        assert money_totals() == money
        assert [(d.id, d.outcome, d.amount, d.reason) for d in db.session.scalars(
            select(Decision).order_by(Decision.id))] == decisions
        actions = sorted((e.action, e.entity_id) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("privacy.%"))))
        assert actions == sorted([("privacy.purge_application", old.old_rejected),
                                  ("privacy.purge_application", old.old_granted_application),
                                  ("privacy.purge_grant", old.old_grant),
                                  ("privacy.purge_emails", None)])
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "privacy.purge_application",
            AuditEntry.entity_id == old.old_rejected))
        assert "070" not in str(entry.before) and entry.actor.startswith("kommandorad:")
    again = purge(runner, "--apply")
    assert "Inget att gallra." in again.output


def test_the_retention_periods_come_from_the_settings(app, runner, old, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_REJECTED_RETENTION_YEARS", 1)
    out = purge(runner).output
    assert "Ny avslagen" in out and "avslagna ansökningar 1 år" in out
