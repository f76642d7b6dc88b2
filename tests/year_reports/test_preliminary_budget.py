"""Does a budget that is not yet decided say so in the title of every report of it, and does
the workbook's overview keep recipients apart?"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.year_reports.downloads import render_report, render_year_workbook
from tests.ledger.factories import allocation, document, line
from tests.year_reports.reading import pdf_text


def budget_document(status: str | None, principal_status: str | None = None) -> str:
    """Two allocations of 2031: the county's samverkan (of `status`) and a principal's."""
    more = {"status": status} if status else {}
    extra = {"status": principal_status} if principal_status else {}
    return document(
        allocation("samverkan", 2031, 1_000_000, line("Samordning", budget=1_000_000),
                   **more),
        allocation("suicidprevention", 2031, 300_000, line("Kurs", budget=300_000),
                   recipient="Östersunds kommun", **extra),
    )


def test_a_preliminary_budget_says_so_in_every_format(ctx, actor):
    import_document(budget_document("preliminary"), actor)
    db.session.commit()
    title = "Preliminär budget 2031 års Samverkansmedel"
    assert title in pdf_text(render_report("budget", "samverkan", 2031, "pdf"))
    assert title in render_report("budget", "samverkan", 2031, "csv").decode("utf-8-sig")
    book = load_workbook(io.BytesIO(render_report("budget", "samverkan", 2031, "xlsx")))
    assert book.active["A1"].value == title
    english = pdf_text(render_report("budget", "samverkan", 2031, "pdf", lang="en"))
    assert "Preliminary budget of the 2031 Samverkansmedel" in english


def test_a_decided_budget_is_no_longer_preliminary(ctx, actor):
    import_document(budget_document(None), actor)
    db.session.commit()
    text = pdf_text(render_report("budget", "samverkan", 2031, "pdf"))
    assert "Budget 2031 års Samverkansmedel" in text and "Preliminär budget" not in text
    assert "Preliminär" not in pdf_text(render_report("followup", "samverkan", 2031, "pdf"))


def test_the_workbook_totals_each_recipient_apart(ctx, actor):
    import_document(budget_document(None), actor)
    db.session.commit()
    book = load_workbook(io.BytesIO(render_year_workbook(2031)))
    cells = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    labels = [row[0] for row in cells]
    assert "Summa Länsmedel (regionen och kommunerna tillsammans)" in labels
    assert "Summa Östersunds kommun" in labels
    assert "Summa" not in labels  # no total across the recipients


def test_the_workbooks_next_year_budget_totals_each_recipient_apart(ctx, actor):
    """Does the sheet of next year's budgets give each recipient its own total, as the
    overview does, and never add the county's money to a principal's?"""
    import_document(document(allocation("samverkan", 2030, 500_000,
                                        line("Samordning", spent=500_000))), actor)
    import_document(budget_document(None), actor)
    db.session.commit()
    book = load_workbook(io.BytesIO(render_year_workbook(2030)))
    sheet = book["Budget 2031"]
    rows = {row[0].value: [c.value for c in row[1:]] for row in sheet.iter_rows()}
    county = rows["Summa Länsmedel (regionen och kommunerna tillsammans)"]
    principal = rows["Summa Östersunds kommun"]
    assert county[3] == 1_000_000 and principal[3] == 300_000  # budgeted
    assert "TOTALT" not in rows  # no total across the recipients
    assert "Östersunds kommun" in rows  # the recipient is named above its funds
