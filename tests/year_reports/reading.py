"""Reading rendered reports back the way a person (or their spreadsheet) sees them."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def plain(text: str) -> str:
    """Return text with every run of spaces, no-break spaces and line breaks made one space."""
    return _SPACES.sub(" ", text).strip()


def pdf_pages(content: bytes) -> list[str]:
    """Return the text of each page of a PDF, spaces made plain."""
    return [plain(page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def csv_rows(content: bytes) -> list[list[str]]:
    """Return the rows of a report's CSV, which must start with a UTF-8 byte-order mark."""
    assert content.startswith(b"\xef\xbb\xbf"), "no byte-order mark: Excel would garble å ä ö"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(content: bytes) -> list[list]:
    """Return the cell values of the workbook's only sheet, trailing empty cells dropped."""
    book = load_workbook(io.BytesIO(content))
    assert len(book.worksheets) == 1
    rows = []
    for row in book.active.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    return rows


def row_after(rows: list[list], first_cell_or_label: str) -> list:
    """Return the first row that has `first_cell_or_label` in one of its cells."""
    for row in rows:
        if first_cell_or_label in row:
            return row
    raise AssertionError(f"no row with {first_cell_or_label!r}")
