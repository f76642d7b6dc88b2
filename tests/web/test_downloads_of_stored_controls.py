"""Downloads of text stored before control characters were refused: the Excel and CSV files
still open, with the characters left out (a vertical tab becomes a line break)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.call.models import Call
from app.extensions import db
from app.ledger.models import Earmark, Grant, Line
from tests.call.factories import make_call, make_pool
from tests.ledger.factories import allocation_id

# PostgreSQL refuses a NUL itself, so none can be stored there; these it keeps.
STORED = "Ung\x0bdom\x01s\x1fmottagning\x7f"
CLEANED = "Ung\ndomsmottagning"


def _store_controls(app) -> int:
    """Put controls into a line, every grant and a fund's name; return the allocation of the
    line (samverkan 2020)."""
    with app.app_context():
        allocation = allocation_id("samverkan", 2020)
        first = db.session.scalar(select(Line.id).where(Line.allocation_id == allocation)
                                  .order_by(Line.position).limit(1))
        db.session.execute(update(Line).where(Line.id == first).values(activity=STORED))
        db.session.execute(update(Grant).values(title=STORED, owner=STORED))
        db.session.execute(update(Earmark).where(Earmark.code == "samverkan")
                           .values(name="Samverkans\x0bmedel"))
        db.session.commit()
    return allocation


def _cells_of_xlsx(response) -> list:
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.data))
    return [(sheet.title, cell) for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


@pytest.mark.parametrize("url", [
    "/reports/followup/samverkan/2020.xlsx",
    "/reports/budget/samverkan/2020.xlsx",
    "/years/2020/workbook.xlsx",
    "/allocations/{allocation}/lines?format=xlsx",
    "/allocations/{allocation}/grants?format=xlsx",
])
def test_excel_files_open_whatever_was_stored(app, as_role, imported_2020, url):
    """Does an Excel download still open (not a 500) with controls stored in the texts?"""
    allocation = _store_controls(app)
    cells = _cells_of_xlsx(as_role("viewer").get(url.format(allocation=allocation)))
    texts = [cell for _, cell in cells if isinstance(cell, str)]
    assert not any(ch in text for text in texts for ch in "\x0b\x01\x1f\x7f")
    assert any(CLEANED in text for text in texts)


@pytest.mark.parametrize("url", [
    "/reports/followup/samverkan/2020.csv",
    "/allocations/{allocation}/grants?format=csv",
])
def test_csv_files_leave_the_controls_out(app, as_role, imported_2020, url):
    allocation = _store_controls(app)
    response = as_role("viewer").get(url.format(allocation=allocation))
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert not any(ch in text for ch in "\x0b\x01\x1f\x7f")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert any(CLEANED in cell for row in rows for cell in row)


def test_the_year_workbook_names_a_sheet_without_the_control(app, as_role, imported_2020):
    _store_controls(app)
    cells = _cells_of_xlsx(as_role("viewer").get("/years/2020/workbook.xlsx"))
    titles = {title for title, _ in cells}
    assert "Samverkans medel" in titles


def test_the_list_of_calls_downloads_with_a_control_in_a_title(app, as_role):
    with app.app_context():
        call = make_call(make_pool(), title="Utlysning\x0b2022\x02")
        db.session.commit()
        assert db.session.get(Call, call.id).title == "Utlysning\x0b2022\x02"
    cells = _cells_of_xlsx(as_role("coordinator").get("/calls/?format=xlsx"))
    assert ("Utlysning\n2022" in [cell for _, cell in cells])
