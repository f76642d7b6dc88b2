"""Render a report `Document` as an Excel workbook (openpyxl) of one sheet, and the helpers a
workbook of several reports uses."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from copy import copy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray

from app.core.money import ore_to_decimal
from app.core.text import clean_text
from app.year_reports.formats.sheet_rows import Money, RowKind, SheetCell, sheet_rows
from app.year_reports.layout import Document

WHOLE_KRONOR = '#,##0 "kr";-#,##0 "kr"'
WITH_ORE = '#,##0.00 "kr";-#,##0.00 "kr"'
COLUMN_WIDTHS = {"A": 42, "B": 56, "C": 36, "D": 22, "E": 18, "F": 18, "G": 18}

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E3E9F0")
_TOTAL_FILL = PatternFill("solid", fgColor="F3F5F8")
_TOTAL_BORDER = Border(top=Side(style="thin"))
_WRAP = Alignment(wrap_text=True, vertical="top")


def build_xlsx(document: Document) -> bytes:
    """Return the document as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(document.sheet_name)
    fill_sheet(sheet, sheet_rows(document))
    return workbook_bytes(book)


def fill_sheet(sheet, rows: Iterable[tuple[RowKind, list[SheetCell]]]) -> None:
    """Write rows (as `sheet_rows` yields them) into an empty sheet, styled for print."""
    # Styling a cell looks its font, fill, border and alignment up in the workbook's lists by
    # their hashes, which openpyxl works out anew each time: the first cell of each look is
    # styled so, the others of that look copy its style's indexes (as openpyxl copies a sheet).
    looks: dict[tuple, StyleArray] = {}
    for row, (kind, cells) in enumerate(rows, start=1):
        for column, source in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=column, value=_value(source))
            look = _look(source, kind, column)
            if look in looks:
                cell._style = copy(looks[look])
            else:
                _style(cell, source, kind)
                looks[look] = copy(cell._style)
    for column, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _value(cell):
    if isinstance(cell, Money):
        return "–" if cell.ore is None else ore_to_decimal(cell.ore)
    # Text stored before such characters were refused would break the file.
    return clean_text(cell) if isinstance(cell, str) else cell


def _look(source, kind: RowKind, column: int) -> tuple:
    """Return what `_style` styles a cell by."""
    if isinstance(source, Money):
        return kind, "money", None if source.ore is None else bool(source.ore % 100)
    return kind, "text", kind is RowKind.FACT and column == 1


def _style(cell, source, kind: RowKind) -> None:
    if isinstance(source, Money):
        if source.ore is not None:
            cell.number_format = WITH_ORE if source.ore % 100 else WHOLE_KRONOR
        cell.alignment = Alignment(horizontal="right", vertical="top")
    elif kind in (RowKind.HEADER, RowKind.ROW, RowKind.TOTAL, RowKind.FACT):
        cell.alignment = _WRAP
    # Titles, captions and notes stay unwrapped so they run on over the empty cells beside them.
    if kind is RowKind.TITLE:
        cell.font = Font(bold=True, size=14)
    elif kind is RowKind.CAPTION:
        cell.font = Font(bold=True, size=12)
    elif kind is RowKind.HEADER:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    elif kind is RowKind.TOTAL:
        cell.font = _BOLD
        cell.fill = _TOTAL_FILL
        cell.border = _TOTAL_BORDER
    elif kind is RowKind.FACT and cell.column == 1:
        cell.font = _BOLD


def sheet_title(name: str) -> str:
    # Excel refuses these characters in a sheet's name and cuts it at 31; a name is one line.
    return re.sub(r"[\[\]:*?/\\]", "-", " ".join(clean_text(name).split()))[:31]
