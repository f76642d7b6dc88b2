"""A database with something in every table, and the means to compare two of them exactly:
what the backup tests back up, restore and compare."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, func, insert, null, select, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.accounts import api_tokens, throttle, two_factor
from app.accounts.models import Organisation
from app.accounts.users import find_by_email
from app.call import attachments, decisions, review
from app.call.models import DecisionOutcome
from app.call.rules import ApplicationState
from app.core.audit import Actor
from app.core.models import AuditEntry, OutboundEmail
from app.extensions import db
from app.jobs.models import ReportJob
from app.jobs.rules import JobState
from app.ledger import payments
from app.ledger.allocations import versions
from app.ledger.earmarks import list_earmarks
from app.ledger.exchange.importing import import_document
from app.ledger.goal_areas import lists as goal_areas
from app.ledger.models import Allocation, Grant
from app.ledger.sie import accounts as sie_accounts
from app.ledger.sie.exports import create_export
from app.ledger.years import close_year
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import DATA_2020
from tests.followup.factories import REGISTRAR, final_report, pay
from tests.support import kronor

FIXTURE = Actor(label="fixture")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def fill(app) -> None:
    """Put the 2020 data, a call with applications, attachments, reviews, a decision, payments,
    a requisition, a final report, settings, e-mail and odd values into the app's database."""
    with app.app_context():
        import_document(DATA_2020.read_text(encoding="utf-8"), FIXTURE)
        close_year(2020, FIXTURE)
        call = make_call(make_pool(2_000_000, year=2022))
        _goal_areas(2022)
        first, second = make_organisation("Krokoms kommun"), make_organisation("Åre kommun")
        make_applicant(first, "per@krokom.se")
        reviewer = make_applicant(second, "granskare@are.se")
        draft = make_application(call, first, state=ApplicationState.DRAFT, title="Utkast")
        attachments.add_attachment(draft, "plan.pdf", PDF, FIXTURE)
        attachments.add_attachment(draft, "bild.png", PNG, FIXTURE)
        granted = make_application(call, second, title="Projekt i Åre", amount_kr=400_000)
        review.start_review(granted.id, FIXTURE)
        reviewer_id = db.session.scalar(select(db.metadata.tables["user"].c.id)
                                        .where(db.metadata.tables["user"].c.email == reviewer))
        review.record_review(granted.id, reviewer_id, {"Samverkan": 4, "Hållbarhet": 5},
                             "Bra plan", FIXTURE)
        decision = decisions.decide(granted.id, DecisionOutcome.GRANTED, kronor(400_000), "",
                                    "", "Samverkansrådet", date(2022, 3, 1), "§ 12", "",
                                    FIXTURE)
        grant = db.session.get(Grant, decision.grant_id)
        payments.set_attest_threshold(kronor(1_000_000), FIXTURE)
        requisition = payments.request_payment(grant.id, kronor(150_000), "Första delen",
                                               REGISTRAR)
        pay(grant, 150_000, requisition_id=requisition.id)
        final_report(grant, 140_000, 10_000)
        _sie_export()
        _budget_versions(call.line.allocation_id)
        throttle.add("login", "per@krokom.se", timedelta(minutes=15))  # a failed login counted
        _two_factor("per@krokom.se")
        api_tokens.create_token(find_by_email("per@krokom.se"), "Skript", 30, FIXTURE)
        _odd_values(first, second)
        _report_job(call.id, reviewer)
        db.session.commit()
        db.session.remove()


def _goal_areas(year: int) -> None:
    """A year's list with an area renamed (its former name kept) and one retired."""
    renamed = goal_areas.add_area(year, "Psykisk hälsa i arbetslivet", FIXTURE)
    goal_areas.rename_area(renamed.id, "Psykisk hälsa och arbete", FIXTURE)
    goal_areas.retire_area(goal_areas.add_area(year, "Utgånget område", FIXTURE).id, FIXTURE)


def _report_job(call_id: int, email: str) -> None:
    """A finished report job: its file is bytes, which a backup must carry whole."""
    at = datetime(2022, 3, 2, 8, 0, tzinfo=UTC)
    db.session.add(ReportJob(kind="decisions_pdf", parameters={"call_id": call_id, "lang": "sv"},
                             state=JobState.DONE, progress=100, filename="beslut.pdf",
                             mimetype="application/pdf", content=PDF + b"\x00\xff",
                             requested_by_id=find_by_email(email).id, created_at=at,
                             started_at=at, finished_at=at))


def _sie_export() -> None:
    """Every fund's SIE accounts set and the year's payments exported once."""
    sie_accounts.set_sie_settings(sie_accounts.SieSettings(
        company="Region Jämtland Härjedalen", bank_account="1930", bank_account_name="Bank"),
        FIXTURE)
    for number, earmark in enumerate(list_earmarks()):
        sie_accounts.set_earmark_accounts(earmark.id, sie_accounts.EarmarkAccountsInput(
            cost_account=f"49{number:02d}", cost_account_name=earmark.name,
            project=f"P{number}", project_name=f"Projekt {number}"), FIXTURE)
    create_export(2022, FIXTURE, today=date(2023, 1, 15))


def _budget_versions(allocation_id: int) -> None:
    """An imported budget frozen as version 1, revised, and the revision decided (its lines
    frozen, a decision known by its month)."""
    versions.start_revision(allocation_id, FIXTURE)
    versions.decide_budget(allocation_id, versions.DecisionInput(
        "SVOM", date(2022, 10, 1), month_only=True, paragraph="§ 7",
        diary_number="RJH/12/2022"), FIXTURE)


def _two_factor(email: str) -> None:
    """An account enrolled in two-factor login (its recovery codes) and the policy set."""
    user = find_by_email(email)
    secret = two_factor.start_enrolment(user)
    two_factor.confirm_enrolment(user, pyotp.TOTP(secret).now(), address=None)
    two_factor.set_required_for_everyone(True, FIXTURE)


def _odd_values(first: Organisation, second: Organisation) -> None:
    """Rows a plain id-order copy would get wrong: a link to a later row of the same table,
    a JSON column that is SQL NULL beside one that is JSON null, a sent e-mail."""
    first.merged_into_id = second.id  # a lower id pointing at a higher one
    grants = db.session.scalars(select(Grant).order_by(Grant.id)).all()
    grants[0].previous_grant_id = grants[-1].id
    # A call line paying grants another fund's call decided (`decided_in`), a later allocation.
    grants[0].line.decided_in_id = db.session.scalar(select(func.max(Allocation.id)))
    db.session.flush()
    db.session.execute(insert(AuditEntry), [{
        "at": datetime(2021, 3, 4, 13, 5, 6, 789, tzinfo=UTC), "actor": "fixture",
        "action": "allocation.import", "entity": "allocation", "summary": "SQL NULL",
        "before": null(), "after": null()}])
    db.session.add(AuditEntry(actor="fixture", action="allocation.import", entity="allocation",
                              summary="JSON null och ett tomt objekt", before=None, after={}))
    db.session.add(OutboundEmail(to="per@krokom.se", subject="Skickat", body="Hej, åäö\n",
                                 sent_at=datetime(2022, 1, 1, 23, 59, 59, tzinfo=UTC)))


def contents(app) -> dict[str, list[tuple]]:
    """Every row of every table in primary-key order, with whether each JSON value is SQL NULL."""
    out = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            flags = [column.is_(None).label(f"{column.name}_is_sql_null")
                     for column in table.columns if column.type.__class__.__name__ == "JSON"]
            rows = db.session.execute(select(table, *flags)
                                      .order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(row) for row in rows]
        db.session.remove()
    return out


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def new_app(url: str, upload_folder: Path, *, migrate: bool = True):
    """An app on a database of its own, emptied and migrated unless told."""
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
                      "UPLOAD_FOLDER": str(upload_folder)})
    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        meta.drop_all(bind=db.engine)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        if migrate:
            upgrade()
        db.session.remove()
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def skip_without_postgres(url: str | None) -> str:
    if not url:
        pytest.skip("needs PostgreSQL: TEST_POSTGRES_URL or TEST_DATABASE_URL=postgresql+…")
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError:
        pytest.skip(f"PostgreSQL is not reachable at {url}")
    finally:
        engine.dispose()
    return url
