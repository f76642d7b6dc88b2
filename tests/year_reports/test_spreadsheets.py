"""Do the CSV and Excel files carry the same rows and figures as the PDF?"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.core.money import format_amount, kronor
from app.year_reports.downloads import render_report
from tests.year_reports.reading import csv_rows, pdf_text, plain, row_after, xlsx_rows

REPORTS = [
    ("followup", "brukarmiljonen", 2020),
    ("followup", "samverkan", 2020),
    ("followup", "suicidprevention", 2020),
    ("budget", "samverkan", 2021),
    ("budget", "suicidprevention", 2021),
]


def csv_amount_to_ore(text: str) -> int:
    """Read a CSV amount the way Swedish Excel does: decimal comma, no grouping."""
    return kronor(text.replace(",", "."))


def amount_rows(rows: list[list[str]]) -> list[list[str]]:
    """Return the table rows of a report's CSV: those whose last cell is an amount or "–"."""
    return [row for row in rows
            if len(row) >= 2 and (row[-1] == "–" or row[-1].lstrip("-").replace(",", "").isdigit())]


@pytest.mark.parametrize(("kind", "earmark", "year"), REPORTS)
def test_csv_rows_carry_the_pdfs_figures(ctx, budget_2021, kind, earmark, year):
    """Is every CSV row with an amount printed in the PDF, label and figure alike?"""
    pdf = pdf_text(render_report(kind, earmark, year, "pdf"))
    rows = amount_rows(csv_rows(render_report(kind, earmark, year, "csv")))
    assert len(rows) >= 5
    for row in rows:
        # Tables of lines and of projects name the row in their second column, the summary in
        # its first.
        label = plain(row[1] if len(row) >= 4 else row[0])
        assert label in pdf, f"{label!r} missing in the PDF"
        after = pdf[pdf.index(label):]
        figure = "–" if row[-1] == "–" else format_amount(csv_amount_to_ore(row[-1]))
        assert plain(figure) in after[: len(label) + 250], f"{label!r}: {figure} not beside it"


@pytest.mark.parametrize(("kind", "earmark", "year"), REPORTS)
def test_csv_and_excel_have_the_same_rows(ctx, budget_2021, kind, earmark, year):
    """Does the workbook hold exactly the CSV's rows, with amounts as numbers in kronor?"""
    csv_data = csv_rows(render_report(kind, earmark, year, "csv"))
    sheet = xlsx_rows(render_report(kind, earmark, year, "xlsx"))
    assert len(sheet) == len(csv_data)
    for csv_row, sheet_row in zip(csv_data, sheet, strict=True):
        assert len(csv_row) == len(sheet_row)
        for text, value in zip(csv_row, sheet_row, strict=True):
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                assert kronor(str(value)) == csv_amount_to_ore(text)
            else:
                assert (value or "") == text


def test_samverkan_csv_reads_as_swedish_excel_expects(ctx, closed_2020):
    """Is the CSV UTF-8 with a byte-order mark, semicolon-separated, amounts plain numbers?"""
    content = render_report("followup", "samverkan", 2020, "csv")
    text = content.decode("utf-8-sig")
    assert "Målområde;Aktivitet;Anmärkning;Utfall (kr)" in text
    rows = csv_rows(content)
    assert rows[0] == ["Uppföljning 2020 års Samverkansmedel"]
    assert row_after(rows, "Personal 1,5 tjänst inkl. OH") == [
        "Regional samordning", "Personal 1,5 tjänst inkl. OH", "", "1010303"]
    assert row_after(rows, "Skuld från brukarmiljonen (TILIA)")[2:] == [
        "Täcker underskottet i Brukarmiljonen 2020", "8436"]
    assert row_after(rows, "TOTALT") == ["", "TOTALT", "", "6131032"]
    assert row_after(rows, "Erhållna medel 2020") == ["Erhållna medel 2020", "6203183"]
    assert row_after(rows, "Slås ihop med 2021 års medel") == [
        "Slås ihop med 2021 års medel", "72151"]
    # Nothing is registered for the projects: no columns of "–" or 0, a line saying why.
    assert row_after(rows, "Merkraft") == [
        "Förbättra omhändertagandet av personer med lindrig psykisk ohälsa", "Merkraft",
        "Medborgarskolan", "Slutrapport saknas sedan slutet av 2021", "600000"]
    total = ["", "Totalt beviljat", "", "", "4844860"]
    assert row_after(rows, "Totalt beviljat") == total
    assert ["Utbetalt, Använt och Återbetalt visas inte: inget är registrerat för projekten "
            "ännu."] in rows
    projects = rows[rows.index(["Beviljade projekt ur utlysningen 2020"]) + 2:]
    assert len(projects[: projects.index(total)]) == 8


def test_brukarmiljonen_csv_shows_the_deficit_with_a_minus(ctx, closed_2020):
    """Does the CSV show the user million's deficit as a negative number Excel can sum?"""
    rows = csv_rows(render_report("followup", "brukarmiljonen", 2020, "csv"))
    assert row_after(rows, "Tillgängligt") == ["Tillgängligt", "1008436"]


def test_excel_amounts_are_kronor_with_a_swedish_format(ctx, closed_2020):
    """Are the workbook's amounts numbers in kronor, formatted with "kr", totals in bold?"""
    content = render_report("followup", "suicidprevention", 2020, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Uppföljning 2020"
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    total = sheet.cell(row=cells["TOTALT"].row, column=4)
    assert total.value == 2391072
    assert total.number_format == '#,##0 "kr";-#,##0 "kr"'
    assert total.font.bold
    merged = cells["Slås ihop med 2021 års medel"]
    assert sheet.cell(row=merged.row, column=2).value == 108928


def test_english_spreadsheets_have_english_headings(ctx, closed_2020):
    """Does lang="en" give English headings in the CSV too?"""
    rows = csv_rows(render_report("followup", "samverkan", 2020, "csv", lang="en"))
    assert rows[0] == ["Follow-up of the 2020 Samverkansmedel"]
    assert ["Goal area", "Activity", "Note", "Outcome (SEK)"] in rows
    assert row_after(rows, "Total") == ["", "Total", "", "6131032"]


def test_ore_are_kept_exactly(ctx, actor):
    """Does an amount with öre come out exact in all three formats, never via a float?"""
    from app.ledger.exchange.importing import import_document

    import_document("""\
format: stimulansmedel/1
allocations:
  - earmark: samverkan
    year: 2024
    received: "1000.10"
    lines:
      - {goal_area: Regional samordning, activity: Resor, spent: "0.20"}
      - {goal_area: Regional samordning, activity: Kost, spent: "0.10"}
""", actor)
    assert "TOTALT 0,30" in pdf_text(render_report("followup", "samverkan", 2024, "pdf"))
    rows = csv_rows(render_report("followup", "samverkan", 2024, "csv"))
    assert row_after(rows, "TOTALT")[-1] == "0,30"
    assert row_after(rows, "Resultat")[-1] == "999,80"
    sheet = load_workbook(io.BytesIO(render_report("followup", "samverkan", 2024, "xlsx"))).active
    values = {row[1].value: row[3] for row in sheet.iter_rows() if len(row) > 3}
    assert values["TOTALT"].value == pytest.approx(0.3)
    assert values["TOTALT"].number_format == '#,##0.00 "kr";-#,##0.00 "kr"'
