"""Does the year-end follow-up follow the projects' money: outcomes of call lines, what each
project was paid, used and returned, payments from other funds, the remainder and its rule,
the results the projects reported, and the whole year as one workbook?"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.core.audit import Actor
from app.extensions import db
from app.ledger import years as funds
from app.ledger.earmarks import add_earmark
from app.ledger.models import CarryOver
from app.ledger.queries import load_ledger
from app.ledger.rules import Basis
from app.year_reports.downloads import render_report, render_year_workbook
from app.year_reports.labels import LABELS
from app.year_reports.queries import fund_report
from tests.followup.factories import (
    final_report,
    grant,
    grant_by_title,
    import_year,
    pay,
    pool_year,
)
from tests.ledger.factories import allocation_id
from tests.support import kronor
from tests.year_reports.reading import csv_rows, pdf_text, row_after, xlsx_rows
from tests.year_reports.test_interface import count_queries

CLOSER = Actor(label="t")
AREA = "Stärka barn och ungas psykiska hälsa"


def followup_pdf(earmark: str, year: int, **kwargs) -> str:
    return pdf_text(render_report("followup", earmark, year, "pdf", **kwargs))


def followup_csv(earmark: str, year: int, **kwargs) -> list[list[str]]:
    return csv_rows(render_report("followup", earmark, year, "csv", **kwargs))


def workbook_sheets(year: int, lang: str = "sv") -> dict[str, list[list]]:
    """Return the year workbook's sheets by name, each as rows of values."""
    book = load_workbook(io.BytesIO(render_year_workbook(year, lang)))
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        sheets[sheet.title] = rows
    return sheets


def assert_reports_match_the_ledger(year: int) -> None:
    """Does every fund's follow-up total and result equal the ledger's outcome balance?"""
    ledger = load_ledger([year])
    assert ledger.allocations
    for allocation in ledger.allocations:
        balance = ledger.balance(allocation, Basis.OUTCOME)
        report = fund_report("followup", allocation.earmark.code, year)
        assert report.total == balance.used, allocation.label
        assert report.result == balance.result, allocation.label


# --- the key case: granted 500 000, paid 300 000, used 280 000, returned 20 000 ----------------

@pytest.fixture
def first_aid(ctx):
    import_year(pool_year(grants=(grant("Första hjälpen", 500_000),)))
    return grant_by_title("Första hjälpen")


def test_a_closed_project_shows_what_it_used_and_frees_the_rest(first_aid):
    """Granted 500 000, paid 300 000, 280 000 used and 20 000 returned: do the PDF, the CSV and
    the year workbook show 280 000 used, the call line's outcome, the total and a remainder
    of 220 000 more, carried into 2023?"""
    before = fund_report("followup", "samverkan", 2022)
    assert before.total == kronor(200_000 + 500_000)  # the whole grant is committed
    pay(first_aid, 300_000)
    final_report(first_aid, 280_000, 20_000)
    db.session.commit()

    report = fund_report("followup", "samverkan", 2022)
    call = next(line for line in report.lines if line.kind == "call")
    assert (call.budget, call.figure) == (kronor(800_000), kronor(280_000))
    assert report.total == kronor(200_000 + 280_000)
    assert report.result - before.result == kronor(220_000)
    [row] = report.calls[0].grants
    assert (row.amount, row.paid, row.used, row.returned) == (
        kronor(500_000), kronor(300_000), kronor(280_000), kronor(20_000))

    text = followup_pdf("samverkan", 2022)
    assert "Projektutlysning 1 beviljade projekt, se tabellen nedan 800 000 280 000" in text
    assert "TOTALT 800 000 480 000" in text
    assert "Använt (TOTALT) 480 000" in text
    assert (f"{AREA} Första hjälpen Avslutat Krokoms kommun 500 000 300 000 280 000 "
            "20 000") in text
    assert "Totalt beviljat 500 000 300 000 280 000 20 000" in text
    assert "Ej fördelade utlysningsmedel 300 000" in text
    assert "Kvar att överföra till 2023 (preliminärt) 520 000" in text
    assert ("Återstår 520 000 kr: förs över till 2023 års medel när 2022 stängs "
            "(preliminärt).") in text

    rows = followup_csv("samverkan", 2022)
    assert row_after(rows, "Första hjälpen") == [
        AREA, "Första hjälpen", "Krokoms kommun", "Avslutat", "500000", "300000", "280000", "20000"]
    assert row_after(rows, "Projektutlysning")[-2:] == ["800000", "280000"]
    assert row_after(rows, "TOTALT") == ["", "TOTALT", "", "800000", "480000"]
    assert row_after(rows, "Kvar att överföra till 2023 (preliminärt)")[-1] == "520000"

    sheets = workbook_sheets(2022)
    assert list(sheets) == ["Översikt", "Samverkansmedel"]
    fund = sheets["Samverkansmedel"]
    assert row_after(fund, "Första hjälpen") == [
        AREA, "Första hjälpen", "Krokoms kommun", "Avslutat", 500000, 300000, 280000, 20000]
    assert row_after(fund, "TOTALT") == [None, "TOTALT", None, 800000, 480000]
    assert row_after(fund, "Kvar att överföra till 2023 (preliminärt)")[-1] == 520000
    assert row_after(sheets["Översikt"], "Samverkansmedel") == [
        "Samverkansmedel", 1000000, 0, 800000, 480000, 520000,
        "Förs över till 2023 års medel (preliminärt)"]

    funds.close_year(2022, CLOSER)
    db.session.commit()
    carry = db.session.scalars(select(CarryOver)).one()
    assert (carry.amount, carry.rule, carry.to_year) == (kronor(520_000), "carry_over", 2023)
    closed = followup_pdf("samverkan", 2022)
    assert "Slås ihop med 2023 års medel 520 000" in closed
    assert ("Återstår 520 000 kr: förs över till 2023 års medel (överfört när 2022 "
            "stängdes).") in closed
    assert "preliminärt" not in closed
    assert row_after(workbook_sheets(2022)["Översikt"], "Samverkansmedel")[-1] == (
        "Förs över till 2023 års medel")
    assert_reports_match_the_ledger(2022)


def test_a_project_without_an_approved_report_shows_no_use(first_aid):
    """Is "used" shown as – until a report is approved, and the whole grant committed?"""
    pay(first_aid, 300_000)
    final_report(first_aid, 280_000, 20_000, approve=False)
    text = followup_pdf("samverkan", 2022)
    # Paid is known; what was used and returned is not, until the report is approved.
    assert "Första hjälpen Slutrapport inlämnad Krokoms kommun 500 000 300 000 Totalt" in text
    assert "Använt och Återbetalt visas inte: inget är registrerat för projekten ännu." in text
    assert "TOTALT 800 000 700 000" in text
    assert ("Inga av fondens 1 projekt har rapporterat resultat ännu; Resultat per målområde "
            "visas när en rapport är godkänd.") in text
    assert "Resultat per målområde •" not in text


def test_the_results_are_shown_by_goal_area(first_aid):
    """Are the approved report's results shown under the grant's goal area, with the split by
    sex and the coordinator's rating, in Swedish and in English?"""
    pay(first_aid, 300_000)
    final_report(first_aid, 280_000, 20_000)
    text = followup_pdf("samverkan", 2022)
    results = text[text.index("Resultat per målområde"):]
    assert "Målområde Projekt Indikator Resultat Bedömning" in results
    assert (f"{AREA} Första hjälpen Antal utbildade 40 (varav kvinnor 25, män 15) "
            "Positiv utveckling") in results
    rows = followup_csv("samverkan", 2022)
    assert row_after(rows, "Antal utbildade") == [
        AREA, "Första hjälpen", "Antal utbildade", "40 (varav kvinnor 25, män 15)",
        "Positiv utveckling"]
    english = followup_pdf("samverkan", 2022, lang="en")
    assert "Results by goal area" in english
    assert "Antal utbildade 40 (of which women 25, men 15) Positive development" in english
    assert "Granted (SEK) Paid (SEK) Used (SEK) Returned (SEK)" in english
    assert "520 000 kr remains: carried into the 2023 funds" in english


def test_no_fund_has_an_empty_results_section(ctx, imported_2020):
    """Is "Resultat per målområde" left out where no project reported, with one line saying
    why in a fund that has projects, and nothing at all in a fund without any?"""
    why = ("Inga av fondens 8 projekt har rapporterat resultat ännu; Resultat per målområde "
           "visas när en rapport är godkänd.")
    for earmark in ("brukarmiljonen", "samverkan", "suicidprevention"):
        text = followup_pdf(earmark, 2020)
        rows = followup_csv(earmark, 2020)
        assert "Resultat per målområde •" not in text
        assert ["Resultat per målområde"] not in rows
        assert (why in text) == (earmark == "samverkan")
        assert ([why] in rows) == (earmark == "samverkan")


# --- a grant paid from another fund ------------------------------------------------------------

@pytest.fixture
def shared_grant(ctx):
    import_year(
        pool_year(2021, grants=(grant("MHFA JGY", 600_000),)),
        pool_year(2021, earmark="suicidprevention", received=2_000_000, pool=1_500_000),
    )
    mhfa = grant_by_title("MHFA JGY")
    pay(mhfa, 200_000, allocation_id=allocation_id("suicidprevention", 2021))
    db.session.commit()
    return mhfa


def test_a_grant_paid_from_another_fund_shows_in_both_and_counts_once(shared_grant):
    """Does samverkan show the grant with a note, suicidprevention the payment, and do the two
    totals add up to the ledger's used money, counting the 200 000 once?"""
    samverkan = followup_pdf("samverkan", 2021)
    assert ("MHFA JGY Slutrapport saknas sedan slutet av 2022 Krokoms kommun 600 000 "
            "200 000 Totalt") in samverkan
    assert "Betalt från andra fonder" in samverkan
    assert "MHFA JGY: varav betalt från Suicidpreventiva medel 2021: 200 000 kr" in samverkan
    # The call line's outcome leaves out what the other fund paid.
    assert "Projektutlysning 1 beviljade projekt, se tabellen nedan 800 000 400 000" in samverkan
    assert "TOTALT 800 000 600 000" in samverkan

    suicide = followup_pdf("suicidprevention", 2021)
    table = suicide[suicide.index("Tabell 3. Utbetalningar till projekt beviljade ur andra "
                                  "fonder"):]
    assert "Projekt Beviljat ur Summa (kr)" in table
    assert "MHFA JGY Samverkansmedel 2021 200 000" in table
    assert "Totalt betalt till andra fonders projekt 200 000" in table
    assert ("Utbetalningar till projekt beviljade ur andra fonder Se tabellen över "
            "utbetalningarna nedan – 200 000") in suicide
    # Its own call has no grants and no outcome yet: its used money is the coordinator's and
    # the payment.
    assert "TOTALT 1 500 000 700 000" in suicide
    assert "Använt (TOTALT) 700 000" in suicide
    assert "Använt (TOTALT) omfattar 200 000 kr" in suicide

    rows = followup_csv("suicidprevention", 2021)
    assert row_after(rows, "MHFA JGY") == ["MHFA JGY", "Samverkansmedel 2021", "200000"]

    ledger = load_ledger([2021])
    used = {a.earmark.code: ledger.balance(a, Basis.OUTCOME).used for a in ledger.allocations}
    reports = {code: fund_report("followup", code, 2021) for code in used}
    assert {code: r.total for code, r in reports.items()} == used
    assert sum(r.total for r in reports.values()) == sum(used.values())
    # Without the payment the two funds used as much in all: it moved, it did not double.
    assert sum(used.values()) == kronor(200_000 + 600_000 + 500_000)

    overview = workbook_sheets(2021)["Översikt"]
    assert row_after(overview, "Samverkansmedel")[4] == 600000
    assert row_after(overview, "Suicidpreventiva medel")[4] == 700000
    assert row_after(overview, "TOTALT")[4] == 1300000


def test_the_paying_fund_shows_the_results_of_the_project_it_paid_for(shared_grant):
    """Once the shared project closes, do both funds show its results and still count its
    money once?"""
    final_report(shared_grant, 200_000, 0)
    db.session.commit()
    expected = f"{AREA} MHFA JGY Antal utbildade 40 (varav kvinnor 25, män 15)"
    assert expected in followup_pdf("samverkan", 2021)
    assert expected in followup_pdf("suicidprevention", 2021)
    samverkan = fund_report("followup", "samverkan", 2021)
    [row] = samverkan.calls[0].grants
    assert (row.paid, row.used, row.returned) == (kronor(200_000), kronor(200_000), 0)
    # Closed: samverkan paid nothing itself, so the grant charges its call line nothing.
    assert samverkan.total == kronor(200_000)
    assert_reports_match_the_ledger(2021)


# --- the remainder's rule ----------------------------------------------------------------------

def test_a_pay_back_fund_says_its_remainder_goes_back_to_the_state(ctx, actor):
    """Does a fund whose rule is pay_back say so, before and after closing, with the
    amount?"""
    add_earmark("traumavard", "Traumavård", actor, remainder_rule="pay_back")
    import_year(pool_year(2022, earmark="traumavard", grants=(grant("Trauma", 500_000),)))
    project = grant_by_title("Trauma")
    pay(project, 300_000)
    final_report(project, 280_000, 20_000)
    db.session.commit()

    text = followup_pdf("traumavard", 2022)
    assert "Kvar att betala tillbaka till staten (preliminärt) 520 000" in text
    assert ("Återstår 520 000 kr: betalas tillbaka till staten när 2022 stängs "
            "(preliminärt).") in text
    assert "förs över" not in text
    overview = workbook_sheets(2022)["Översikt"]
    assert row_after(overview, "Traumavård")[-1] == (
        "Betalas tillbaka till staten (preliminärt)")

    funds.close_year(2022, CLOSER)
    db.session.commit()
    carry = db.session.scalars(select(CarryOver)).one()
    assert (carry.amount, carry.rule) == (kronor(520_000), "pay_back")
    closed = followup_pdf("traumavard", 2022)
    assert "Betalas tillbaka till staten 520 000" in closed
    assert ("Återstår 520 000 kr: betalas tillbaka till staten (bokfört när 2022 "
            "stängdes).") in closed
    assert row_after(workbook_sheets(2022)["Översikt"], "Traumavård")[-1] == (
        "Betalas tillbaka till staten")


# --- the follow-ups agree with the ledger, whatever the projects did ---------------------------

def _running(ctx):
    import_year(pool_year(grants=(grant("A", 300_000), grant("B", 100_000))))
    pay(grant_by_title("A"), 50_000)


def _closed_with_return(ctx):
    import_year(pool_year(grants=(grant("A", 500_000),)))
    pay(grant_by_title("A"), 300_000)
    final_report(grant_by_title("A"), 280_000, 20_000)


def _stated_call_outcome(ctx):
    import_year(pool_year(spent=700_000, grants=(grant("A", 400_000), grant("B", 300_000))))
    pay(grant_by_title("A"), 400_000)
    final_report(grant_by_title("A"), 350_000, 50_000)


def _shared(ctx):
    import_year(
        pool_year(2022, grants=(grant("M", 600_000),)),
        pool_year(2022, earmark="suicidprevention", received=2_000_000, pool=1_500_000,
                  grants=(grant("S", 100_000),)),
        pool_year(2022, earmark="brukarmiljonen", received=500_000, pool=300_000),
    )
    pay(grant_by_title("M"), 150_000, allocation_id=allocation_id("suicidprevention", 2022))
    pay(grant_by_title("M"), 100_000)
    pay(grant_by_title("S"), 40_000, allocation_id=allocation_id("samverkan", 2022))
    final_report(grant_by_title("M"), 230_000, 20_000)


@pytest.mark.parametrize("scenario", [_running, _closed_with_return, _stated_call_outcome,
                                      _shared])
def test_each_total_is_the_ledgers_used_money(ctx, scenario):
    """Is every fund's TOTALT the ledger's used money, and its result the ledger's?"""
    scenario(ctx)
    db.session.commit()
    assert_reports_match_the_ledger(2022)
    # And the year workbook's overview says the same.
    ledger = load_ledger([2022])
    overview = workbook_sheets(2022)["Översikt"]
    for allocation in ledger.allocations:
        balance = ledger.balance(allocation, Basis.OUTCOME)
        row = row_after(overview, allocation.earmark.name)
        assert kronor(row[4]) == balance.used
        assert kronor(row[5]) == balance.result


def test_the_2020_seed_totals_match_the_ledger(ctx, closed_2020):
    assert_reports_match_the_ledger(2020)


# --- the year workbook -------------------------------------------------------------------------

def test_the_year_workbook_has_a_sheet_per_fund_with_its_followup(ctx, closed_2020):
    """Does the year's workbook hold an overview and each fund's follow-up, row for row?"""
    sheets = workbook_sheets(2020)
    assert list(sheets) == ["Översikt", "Brukarmiljonen", "Samverkansmedel",
                            "Suicidpreventiva medel"]
    for earmark, name in [("brukarmiljonen", "Brukarmiljonen"),
                          ("samverkan", "Samverkansmedel"),
                          ("suicidprevention", "Suicidpreventiva medel")]:
        assert sheets[name] == xlsx_rows(render_report("followup", earmark, 2020, "xlsx"))
    overview = sheets["Översikt"]
    assert overview[0] == ["Översikt 2020: fondernas medel, utfall och det som återstår"]
    # 2020 has outcomes only: no Budgeterat column of dashes.
    assert ["Fond", "Erhållet (kr)", "Överfört från tidigare år (kr)",
            "Utfall (kr)", "Återstår (kr)", "Det som återstår"] in overview
    assert row_after(overview, "Samverkansmedel") == [
        "Samverkansmedel", 6203183, 0, 6131032, 72151, "Förs över till 2021 års medel"]
    assert row_after(overview, "Brukarmiljonen")[3:5] == [1008436, 0]
    assert row_after(overview, "TOTALT")[1] == 1000000 + 6203183 + 2500000


def test_the_year_workbook_reads_in_english(ctx, closed_2020):
    sheets = workbook_sheets(2020, "en")
    assert next(iter(sheets)) == "Overview"
    assert "Samverkansmedel" in sheets
    assert row_after(sheets["Overview"], "Samverkansmedel")[-1] == "Carried into the 2021 funds"
    assert ["Follow-up of the 2020 Samverkansmedel"] in sheets["Samverkansmedel"]


def test_the_year_workbook_refuses_a_year_without_money(ctx, imported_2020):
    from app.core.errors import DomainError

    with pytest.raises(DomainError, match="det finns inga tilldelningar för 2019"):
        render_year_workbook(2019, "sv")
    with pytest.raises(DomainError, match="okänt språk"):
        render_year_workbook(2020, "de")


def test_the_command_writes_the_year_workbook(runner, imported_2020, tmp_path):
    """Does `flask funds report workbook --year 2020 -o FILE` write the workbook?"""
    out = tmp_path / "uppfoljning-2020.xlsx"
    result = runner.invoke(args=["funds", "report", "workbook", "--year", "2020",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Översikt", "Brukarmiljonen", "Samverkansmedel",
                               "Suicidpreventiva medel"]
    missing = runner.invoke(args=["funds", "report", "followup", "--year", "2020",
                                  "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code == 1
    assert "ange fonden med --earmark" in missing.output


# --- fixed queries and labels ------------------------------------------------------------------

def test_the_queries_do_not_grow_with_payments_reports_and_results(ctx):
    """Does a follow-up with shared payments, closed projects and results cost as many
    queries as one without?"""
    import_year(pool_year(2023, grants=(grant("Ensam", 100_000),)))
    db.session.commit()
    plain_count = count_queries("followup", "samverkan", 2023)
    _shared(ctx)
    import_year(pool_year(2021, earmark="samverkan", grants=(grant("Gammal", 100_000),)))
    pay(grant_by_title("Gammal"), 30_000, allocation_id=allocation_id("suicidprevention", 2022))
    db.session.commit()
    assert count_queries("followup", "samverkan", 2022) == plain_count
    assert count_queries("followup", "suicidprevention", 2022) == plain_count
    assert plain_count <= 15


def test_every_label_has_both_languages():
    assert set(LABELS["sv"]) == set(LABELS["en"])


def test_result_values_read_as_a_person_writes_them():
    """Are counts, yes/no, percentages and the split by sex and age written out?"""
    from app.year_reports.data import ProjectResult
    from app.year_reports.labels import labels
    from app.year_reports.project_tables import result_value as _result_value

    sv, en = labels("sv"), labels("en")

    def result(kind, value, **split):
        return ProjectResult((), "P", "final", "I", kind, value, **split)

    assert _result_value(result("count", 1200, girls=700, boys=500), sv).replace("\xa0", " ") == (
        "1 200 (varav flickor 700, pojkar 500)")
    assert _result_value(result("yes_no", True), sv) == "Ja"
    assert _result_value(result("yes_no", False), en) == "No"
    assert _result_value(result("percent", "12.5"), sv) == "12,5 %"
    assert _result_value(result("count", None), sv) == "–"
