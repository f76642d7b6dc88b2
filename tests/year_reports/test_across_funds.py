"""Projects across funds and years in the reports, as seed 003 tells them: the MHFA project
decided in the samverkan call of 2021 and paid from the suicide-prevention funds, listed in
the paying fund's report and noted in the deciding one's, counted once; IKB-team's 2021 grant
showing its 2020 grant in the follow-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.models import Grant
from app.year_reports.downloads import render_report, render_year_document
from app.year_reports.queries import fund_report, year_reports
from tests.support import kronor
from tests.year_reports.reading import pdf_text, plain

ACROSS = (Path(__file__).parent.parent / "ledger" / "data" / "across_funds_2021.yaml").read_text(
    encoding="utf-8")
MHFA = "MHFA för personal och elever vid JGY"


@pytest.fixture
def across(ctx, data_2020, actor):
    import_document(data_2020, actor)
    import_document(ACROSS, actor)
    db.session.commit()


def report_text(kind: str, earmark: str) -> str:
    return pdf_text(render_report(kind, earmark, 2021, "pdf"))


@pytest.mark.parametrize("kind", ["budget", "followup"])
def test_the_mhfa_project_counts_once_in_the_paying_funds_report(across, kind):
    """Is MHFA a grant of the suicide-prevention report only, and the samverkan call's total
    its own six projects (seed 003: "Totalt beviljat: 3 038 550")?"""
    reports = {r.earmark_code: r for r in year_reports(kind, 2021)}
    samverkan, suicide = reports["samverkan"], reports["suicidprevention"]
    assert [call.granted for call in samverkan.calls] == [kronor(3_038_550)]
    assert MHFA not in [g.title for call in samverkan.calls for g in call.grants]
    assert [(g.title, g.owner) for call in suicide.calls for g in call.grants] == [(MHFA, "JGY")]
    assert suicide.calls[0].decided_in == "Samverkansmedel 2021"
    assert [(d.title, d.paid_from, d.amount) for d in samverkan.decided_elsewhere] == [
        (MHFA, "Suicidpreventiva medel 2021", kronor(576_560))]
    assert suicide.decided_elsewhere == ()
    granted = sum(call.granted for r in reports.values() for call in r.calls)
    assert granted == kronor(3_038_550 + 576_560)


def test_the_deciding_funds_budget_notes_the_project_granted_from_the_other_fund(across):
    text = report_text("budget", "samverkan")
    assert "Totalt beviljat 3 038 550 Beviljat från andra fonder" in text
    assert ("Utöver ovan beviljades ett projekt från Suicidpreventiva medel 2021: "
            f"{MHFA} (JGY), 576 560 kr") in text
    assert "inte i Totalt beviljat ovan" in text


def test_the_paying_funds_budget_lists_the_project_with_its_owner_and_deciding_call(across):
    text = report_text("budget", "suicidprevention")
    assert f"{MHFA} JGY 576 560" in text
    assert ("Projekten beslutades i utlysningen i Samverkansmedel 2021 och betalas från "
            "Suicidpreventiva medel 2021, där de räknas.") in text


@freeze_time("2023-03-01")
def test_the_followup_shows_the_earlier_years_grant_of_a_continued_project(across):
    text = report_text("followup", "samverkan")
    assert ("IKB-team för ungdomar med autism fortsätter ”IKB-team för ungdomar med Autism” "
            "(Samverkansmedel 2020): beviljat 1 380 000 kr, förbrukat –") in text
    mhfa = fund_report("followup", "suicidprevention", 2021).calls[0].grants[0]
    assert mhfa.continues.title == "Stärkt samverkan psykisk hälsa, MHFA för personer och elever JGY"
    assert mhfa.continues.amount == kronor(697_360)
    assert mhfa.paid == kronor(576_560)
    assert "förbrukat –" in report_text("followup", "suicidprevention")


def test_the_project_page_of_a_continued_grant_shows_the_earlier_years_grant(app, client,
                                                                            as_role, across):


    ikb = db.session.scalars(
        select(Grant).where(Grant.title == "IKB-team för ungdomar med autism")).one()
    as_role("viewer")
    page = client.get(f"/projekt/{ikb.id}")
    assert page.status_code == 200
    text = plain(page.get_data(as_text=True))
    assert "IKB-team för ungdomar med Autism" in text  # the 2020 grant, linked
    assert "1 380 000" in text and "1 175 000" in text


def test_the_web_page_and_the_year_document_carry_the_note_too(as_role, across):
    """The accessible page of the deciding fund's budget and the 2020 document for SVOM (with
    the 2021 budgets) note the project granted from the other fund."""
    page = as_role("viewer").get("/reports/budget/samverkan/2021")
    assert page.status_code == 200
    html = plain(page.get_data(as_text=True))
    assert "Beviljat från andra fonder" in html
    assert f"Suicidpreventiva medel 2021: {MHFA} (JGY), 576 560 kr" in html
    document = pdf_text(render_year_document(2020, "pdf"))
    assert f"Suicidpreventiva medel 2021: {MHFA} (JGY), 576 560 kr" in document
    assert ("Projekten beslutades i utlysningen i Samverkansmedel 2021 och betalas från "
            "Suicidpreventiva medel 2021") in document
