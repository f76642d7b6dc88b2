"""Render a report `Document` as CSV for Swedish Excel: UTF-8 with BOM, semicolons."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from app.core.money import ore_to_decimal
from app.core.text import clean_text
from app.year_reports.formats.sheet_rows import Money, sheet_rows
from app.year_reports.layout import Document


def build_csv(document: Document) -> bytes:
    """Return the document's rows as CSV bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for _, cells in sheet_rows(document):
        writer.writerow([_csv_cell(c) for c in cells])
    # The byte-order mark tells Excel the file is UTF-8, else å, ä and ö come out garbled.
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(cell):
    if isinstance(cell, Money):
        return csv_amount(cell.ore)
    # Text stored before such characters were refused: a lone surrogate cannot be UTF-8.
    return clean_text(cell) if isinstance(cell, str) else cell


def csv_amount(ore: int | None) -> str:
    """Return kronor as Swedish Excel reads a number: no grouping, a decimal comma."""
    if ore is None:
        return "–"
    kronor = ore_to_decimal(ore)
    if ore % 100:
        kronor = kronor.quantize(Decimal("0.01"))
    return format(kronor, "f").replace(".", ",")
