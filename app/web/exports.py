"""Download any list a coordinator sees as Excel or CSV: the same columns, Swedish headings
(or the reader's language), money as numbers Excel can sum.

A view describes its columns once and hands over the rows it already loaded:

    COLUMNS = [Column(_l("Projekt"), lambda g: g.title),
               Column(_l("Beviljat"), lambda g: g.amount, MONEY)]
    return export_response("projekt-2022", COLUMNS, grants, request.args["format"])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from app.core.money import ore_to_decimal
from app.core.text import clean_text
from app.year_reports.formats.csvfile import csv_amount
from app.year_reports.formats.workbook import WHOLE_KRONOR, WITH_ORE

TEXT, MONEY, DATE, NUMBER = "text", "money", "date", "number"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Column:
    heading: Any  # str or lazy string: translated when the file is written
    value: Callable[[Any], Any]
    kind: str = TEXT
    width: int = 24


def _plain(value: Any, kind: str) -> Any:
    """Return a cell's value as a file holds it; text without the characters no file may
    hold (stored before they were refused, they would break the download)."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if kind == DATE and isinstance(value, datetime):
        return value.astimezone(_STOCKHOLM).replace(tzinfo=None)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (list, tuple)):
        return clean_text(", ".join(str(v) for v in value))
    if kind in (TEXT,) and not isinstance(value, (int, str, date)):
        return clean_text(str(value))
    return value


def build_list_csv(columns: list[Column], rows: Iterable[Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c.heading) for c in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = _plain(column.value(row), column.kind)
            if column.kind == MONEY:
                cells.append("" if value is None else csv_amount(value))
            elif isinstance(value, datetime):
                cells.append(value.strftime("%Y-%m-%d %H:%M"))
            elif isinstance(value, date):
                cells.append(value.isoformat())
            else:
                cells.append("" if value is None else value)
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def add_list_sheet(book: Workbook, title: str, columns: list[Column], rows: Iterable[Any]):
    """Add one sheet with a header row and the rows; returns the sheet."""
    sheet = book.create_sheet(sheet_title(title))
    header_fill = PatternFill("solid", fgColor="E3E9F0")
    for col, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=col, value=str(column.heading))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = column.width
    for r, row in enumerate(rows, start=2):
        for col, column in enumerate(columns, start=1):
            value = _plain(column.value(row), column.kind)
            if column.kind == MONEY and value is not None:
                cell = sheet.cell(row=r, column=col, value=ore_to_decimal(value))
                cell.number_format = WITH_ORE if value % 100 else WHOLE_KRONOR
            else:
                cell = sheet.cell(row=r, column=col, value=value)
                if column.kind == DATE and value is not None:
                    cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    return sheet


def build_list_xlsx(title: str, columns: list[Column], rows: Iterable[Any]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    add_list_sheet(book, title, columns, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_title(name: str) -> str:
    # Excel refuses these characters in a sheet's name and cuts it at 31; a name is one line.
    return re.sub(r"[\[\]:*?/\\]", "-", " ".join(clean_text(name).split()))[:31] or "Blad"


def export_response(name: str, columns: list[Column], rows: Iterable[Any], fmt: str | None,
                    *, title: str | None = None) -> Response:
    """Return the list as a download (`fmt` "csv" or "xlsx"; anything else is a 404)."""
    if fmt not in FORMATS:
        abort(404)
    rows = list(rows)
    body = (build_list_csv(columns, rows) if fmt == "csv"
            else build_list_xlsx(title or name, columns, rows))
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "lista"
    # content_type is sent as written; mimetype would append a second "; charset=utf-8".
    return Response(body, content_type=FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{safe}.{fmt}"',
        "X-Content-Type-Options": "nosniff",
    })
