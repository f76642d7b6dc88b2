"""Is the year's document for SVOM seed 003 as one file: a cover, the contents, every fund's
follow-up with its projects, then the next year's budgets, in PDF, Excel and on the command
line?"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from app.core.errors import DomainError
from app.jobs import kinds
from app.year_reports.downloads import render_year_document, year_document_filename
from app.year_reports.year_document import load_year_document
from tests.year_reports.reading import pdf_pages


def test_the_2020_document_carries_the_seed_and_the_2021_budgets(ctx, budget_2021):
    """One PDF: the cover, the contents with the sections' pages, each fund's follow-up with
    the seed's figures, then the 2021 budgets with what is available and not budgeted."""
    pages = pdf_pages(render_year_document(2020, "pdf"))
    count = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in page
    cover, contents = pages[0], pages[1]
    assert "Uppföljning 2020 års länsmedel psykisk hälsa (förbrukas 2020–2021)" in cover
    assert "• Brukarmiljonen • Samverkansmedel • Suicidpreventiva medel" in cover
    assert "Förankrat i Fredagsgruppen och LIFO 2020" in cover
    assert "Innehåll" in contents
    # Each entry of the contents names the page its section begins on.
    for title in ("Uppföljning 2020 års Samverkansmedel", "Budget 2021 års Samverkansmedel",
                  "Information om budget 2021 års länsmedel"):
        listed = contents.split(title, 1)[1].split()[0]
        first = next(n for n, page in enumerate(pages, start=1) if n > 2 and title in page)
        assert int(listed) == first, title
    text = " ".join(pages[2:])
    for figure in ("TOTALT 1 008 436", "TOTALT 6 131 032", "TOTALT 2 391 072",
                   "Totalt beviljat 4 844 860", "Slås ihop med 2021 års medel 72 151",
                   "Slås ihop med 2021 års medel 108 928"):
        assert figure in text
    assert "Tillgängligt 6 271 852 Budgeterat (TOTALT) 6 199 701 Ej budgeterat 72 151" in text
    assert "Tillgängligt 2 634 052 Budgeterat (TOTALT) 2 500 000 Ej budgeterat 134 052" in text
    assert "Totalt beviljat 3 038 550" in text
    # The granted projects say where they stand; no column of nothing, no exponent.
    assert "Slutrapport saknas sedan slutet av 2021" in text
    assert "Utbetalt (kr)" not in text and "E+" not in text


def test_the_budget_part_says_preliminary_only_when_a_budget_is(ctx, budget_2021, monkeypatch):
    from app.year_reports import year_document

    assert load_year_document(2020).parts[1].heading == "Information om budget 2021 års länsmedel"
    monkeypatch.setattr(year_document, "budget_is_preliminary", lambda allocation: True)
    assert load_year_document(2020).parts[1].heading == (
        "Information om prel. budget 2021 års länsmedel")


def test_a_year_without_a_next_year_says_so(ctx, imported_2020):
    document = load_year_document(2020)
    assert len(document.parts) == 1
    pages = pdf_pages(render_year_document(2020, "pdf"))
    assert ("2021 har inga tilldelningar ännu; budgeten för 2021 tas med när den är "
            "importerad.") in pages[1]


def test_the_year_document_as_one_workbook(ctx, budget_2021):
    """Does the year's workbook carry the follow-ups, then the 2021 budgets' overview and each
    fund's budget?"""
    book = load_workbook(io.BytesIO(render_year_document(2020, "xlsx")))
    assert book.sheetnames == [
        "Översikt", "Brukarmiljonen", "Samverkansmedel", "Suicidpreventiva medel",
        "Budget 2021", "Brukarmiljonen 2021", "Samverkansmedel 2021",
        "Suicidpreventiva medel 2021"]
    rows = {row[0]: row[1:] for row in book["Budget 2021"].iter_rows(values_only=True)
            if row and row[0]}
    assert rows["Samverkansmedel"] == (6199701, 72151, 6271852, 6199701, 72151)
    assert rows["Suicidpreventiva medel"] == (2525124, 108928, 2634052, 2500000, 134052)


def test_the_command_refuses_a_year_without_allocations(runner, tmp_path):
    out = tmp_path / "ar.pdf"
    result = runner.invoke(args=["funds", "report", "year", "--year", "2020", "--format", "pdf",
                                 "-o", str(out)])
    assert result.exit_code == 1  # nothing imported yet
    assert "det finns inga tilldelningar för 2020" in result.output
    assert not out.exists()


def test_the_command_writes_the_imported_year(runner, imported_2020, tmp_path):
    out = tmp_path / "ar.pdf"
    result = runner.invoke(args=["funds", "report", "year", "--year", "2020", "--format", "pdf",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Uppföljning 2020 års länsmedel psykisk hälsa" in pdf_pages(out.read_bytes())[0]
    refused = runner.invoke(args=["funds", "report", "year", "--year", "2020", "--format",
                                  "csv", "-o", str(tmp_path / "ar.csv")])
    assert refused.exit_code == 1
    assert "välj pdf eller xlsx" in refused.output


def test_the_year_document_is_a_job_when_large(ctx, imported_2020):
    """A large year goes to a worker like the single reports: its size counts both years'
    projects, and the job builds the same file."""
    parameters = {"year": 2020, "lang": "sv"}
    assert kinds.size(kinds.YEAR_DOCUMENT, parameters) == 8
    built = kinds.build(kinds.YEAR_DOCUMENT, parameters)
    assert built.filename == year_document_filename(2020, "pdf") == "uppfoljning-lansmedel-2020.pdf"
    assert built.mimetype == "application/pdf"
    assert built.content.startswith(b"%PDF")


def test_an_unknown_language_is_refused(ctx, imported_2020):
    with pytest.raises(DomainError, match="okänt språk"):
        load_year_document(2020, "de")


def test_the_overview_of_a_year_without_budgets_has_no_budget_column(ctx, imported_2020):
    book = load_workbook(io.BytesIO(render_year_document(2020, "xlsx")))
    rows = [[c for c in row if c is not None] for row in book["Översikt"].iter_rows(values_only=True)]
    assert ["Kolumnen Budget visas inte: ingen rad har en budget för 2020."] in rows
    header = next(row for row in rows if row and row[0] == "Fond")
    assert "Budgeterat (kr)" not in header
    assert not any("–" in row for row in rows)
