"""Do the reports show what is known, and only that: "–" (or nothing) where nothing is known,
never a 0 that reads as "nothing was paid", no column or section of nothing, numbers written
as numbers, and the decision's order?"""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.extensions import db
from app.year_reports.document import build_document
from app.year_reports.downloads import render_report
from app.year_reports.queries import fund_report
from app.year_reports.rules import decimal_text, percent_text
from tests.followup.factories import (
    final_report,
    grant,
    grant_by_title,
    import_year,
    pay,
    pool_year,
)
from tests.year_reports.reading import csv_rows, pdf_text, row_after, xlsx_rows

FUNDS = ("brukarmiljonen", "samverkan", "suicidprevention")


def _followups_2020() -> dict[str, str]:
    return {earmark: pdf_text(render_report("followup", earmark, 2020, "pdf"))
            for earmark in FUNDS}


def test_a_granted_project_with_nothing_registered_shows_no_zero(ctx, imported_2020):
    """A granted project with no payment, report or refund must not read "Utbetalt 0 /
    Återbetalt 0": the columns are left out, with one line saying why, in every format."""
    text = pdf_text(render_report("followup", "samverkan", 2020, "pdf"))
    grants = text[text.index("Beviljade projekt ur utlysningen 2020"):]
    assert "Utbetalt (kr)" not in grants and "Återbetalt (kr)" not in grants
    assert "Merkraft" in grants
    # No project's row ends in a 0 or a dash: only the granted amount follows the owner.
    assert "Medborgarskolan 600 000 " in grants
    assert re.search(r"\d{3} (0|–) ", grants) is None
    assert ("Utbetalt, Använt och Återbetalt visas inte: inget är registrerat för projekten "
            "ännu.") in grants
    for rows in (csv_rows(render_report("followup", "samverkan", 2020, "csv")),
                 xlsx_rows(render_report("followup", "samverkan", 2020, "xlsx"))):
        merkraft = [cell for cell in row_after(rows, "Merkraft") if cell not in (None, "")]
        assert merkraft[-1] in ("600000", 600000)
        assert "0" not in merkraft and 0 not in merkraft and "–" not in merkraft


def test_a_followup_of_a_year_without_budgets_has_no_budget_column(ctx, imported_2020):
    """The 2020 data has outcomes only: no all-dash Budget column, and a line saying why."""
    for earmark, text in _followups_2020().items():
        assert "Budget (kr)" not in text, earmark
        assert "Kolumnen Budget visas inte: ingen rad har en budget för 2020." in text
        assert "TOTALT –" not in text, earmark


def test_no_report_prints_an_exponent(ctx, imported_2020):
    """Is no number of any report written with an exponent ("4E+1")?"""
    for text in _followups_2020().values():
        assert "E+" not in text
    for earmark in FUNDS:
        assert "E+" not in render_report("budget", earmark, 2020, "csv").decode("utf-8-sig")


@pytest.mark.parametrize(("value", "printed"), [
    ("4E+1", "40 %"), ("40", "40 %"), (40, "40 %"), ("12.50", "12,5 %"), ("1E+2", "100 %"),
    ("0.5", "0,5 %"),
])
def test_a_percentage_is_written_as_a_number(value, printed):
    assert percent_text(value) == printed


def test_a_count_stored_in_exponent_form_is_written_out():
    assert decimal_text("1.2E+3") == "1200"
    assert decimal_text("7") == "7"


def test_a_stored_percentage_in_exponent_form_reads_40_percent_in_the_pdf(ctx):
    """A percentage normalised to "4E+1" on its way into the database printed as "4E+1 %" in
    the PDF sent to politicians."""
    import_year(pool_year(grants=(grant("Första hjälpen", 500_000),)))
    pay(grant_by_title("Första hjälpen"), 300_000)
    report = final_report(grant_by_title("Första hjälpen"), 280_000, 20_000)
    report.results = [*report.results,
                      {"name": "Andel nöjda deltagare (%)", "kind": "percent", "value": "4E+1"}]
    db.session.commit()
    text = pdf_text(render_report("followup", "samverkan", 2022, "pdf"))
    assert "Andel nöjda deltagare (%) 40 %" in text
    assert "E+" not in text


def test_a_followup_with_money_carried_in_shows_what_was_available(ctx, budget_2021):
    """Is "Tillgängligt" (received + carried in + returned + covered) in a follow-up whenever
    anything besides the received money is in it, and only then?"""
    carried = pdf_text(render_report("followup", "samverkan", 2021, "pdf"))
    assert ("Erhållna medel 2021 6 199 701 Överfört från 2020 72 151 Tillgängligt 6 271 852"
            in carried)
    suicide = pdf_text(render_report("followup", "suicidprevention", 2021, "pdf"))
    assert "Överfört från 2020 108 928 Tillgängligt 2 634 052" in suicide
    covered = pdf_text(render_report("followup", "brukarmiljonen", 2020, "pdf"))
    assert "Tillgängligt 1 008 436" in covered
    only_received = pdf_text(render_report("followup", "suicidprevention", 2020, "pdf"))
    assert "Tillgängligt" not in only_received


def test_projects_and_their_goal_areas_keep_the_order_of_the_decision(ctx, budget_2021):
    """The 2021 projects are listed as decided (the file's order), not regrouped or sorted
    alphabetically, and a project's goal areas follow the order of the fund's lines."""
    text = pdf_text(render_report("budget", "samverkan", 2021, "pdf"))
    titles = ["IKB-team för ungdomar med autism", "MÖTAS", "Förbättrat samarbete runt unga",
              "Ökad förmåga till bedömning", "BarnSäkert", "SIP samarbete mellan Psykiatrin"]
    places = [text.index(title) for title in titles]
    assert places == sorted(places)
    ikb = text[text.index("Tabell 3."):text.index("IKB-team")]
    assert ikb.index("Stärka barn och ungas psykiska hälsa") < ikb.index(
        "Förbättra omhändertagandet av särskilt utsatta grupper")


def test_the_deficit_cover_line_stands_apart_from_the_call(ctx, imported_2020):
    """Is the debt line of the collaboration funds in a group of its own, not the call's?"""
    text = pdf_text(render_report("followup", "samverkan", 2020, "pdf"))
    assert ("4 844 860 Täckning av annan fonds underskott Skuld från brukarmiljonen (TILIA) "
            "Täcker underskottet i Brukarmiljonen 2020 8 436") in text
    rows = csv_rows(render_report("followup", "samverkan", 2020, "csv"))
    assert row_after(rows, "Skuld från brukarmiljonen (TILIA)")[0] == (
        "Täckning av annan fonds underskott")


@pytest.mark.parametrize(("today", "status"), [
    (date(2020, 12, 1), "Pågår 2021"),
    (date(2021, 10, 1), "Följs upp i slutet av 2021"),
    (date(2022, 3, 1), "Slutrapport saknas sedan slutet av 2021"),
])
def test_a_granted_project_says_where_it_stands(ctx, imported_2020, today, status):
    """Does each granted project of a follow-up say where it stands on the day it is printed?"""
    document = build_document(fund_report("followup", "samverkan", 2020, today=today))
    [table] = [b for b in document.blocks if getattr(b, "key", None) == "grants"]
    projects = [row for row in table.rows if not row.strong]
    assert {row.note for row in projects} == {status}


def test_a_closed_project_says_so(ctx):
    import_year(pool_year(grants=(grant("Första hjälpen", 500_000),)))
    pay(grant_by_title("Första hjälpen"), 300_000)
    final_report(grant_by_title("Första hjälpen"), 280_000, 20_000)
    db.session.commit()
    text = pdf_text(render_report("followup", "samverkan", 2022, "pdf"))
    assert "Första hjälpen Avslutat" in text
