"""A report `Document` as rows of cells: the shape both the CSV and the Excel file write."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from app.year_reports.layout import Cell, Document, Notes, Table


class RowKind(enum.StrEnum):
    """What a spreadsheet row is, so a writer can style it."""

    TITLE = "title"
    FACT = "fact"
    CAPTION = "caption"
    HEADER = "header"
    ROW = "row"
    TOTAL = "total"
    NOTE = "note"
    BLANK = "blank"


@dataclass(frozen=True)
class Money:
    """An amount cell in öre; None stands for a line with no figure yet ("–")."""

    ore: int | None


SheetCell = str | Money


def sheet_rows(document: Document) -> Iterator[tuple[RowKind, list[SheetCell]]]:
    """Yield the document's rows: title and facts, then each table and the notes."""
    yield RowKind.TITLE, [document.title]
    if document.region:
        yield RowKind.FACT, [document.region]
    yield RowKind.FACT, [document.printed]
    for label, value in document.facts:
        yield RowKind.FACT, [label, value]
    for block in document.blocks:
        yield RowKind.BLANK, []
        if isinstance(block, Notes):
            yield RowKind.CAPTION, [block.heading]
            for item in block.items:
                yield RowKind.NOTE, [item]
        else:
            yield from _table_rows(block)


def _table_rows(table: Table) -> Iterator[tuple[RowKind, list[SheetCell]]]:
    yield RowKind.CAPTION, [table.caption]
    header = list(table.columns)
    if table.note_heading:
        header.insert(table.text_columns, table.note_heading)
    yield RowKind.HEADER, header
    for row in table.rows:
        # Unlike the PDF, every row names its goal area, so a spreadsheet can sort and filter.
        cells: list[SheetCell] = [_text(cell) for cell in row.cells]
        if table.note_heading:
            cells.append(row.note or "")
        cells.extend(amount if isinstance(amount, str) else Money(amount)
                     for amount in row.amounts)
        yield (RowKind.TOTAL if row.strong else RowKind.ROW), cells
    if table.remark:
        yield RowKind.NOTE, [table.remark]


def _text(cell: Cell) -> str:
    return ", ".join(cell) if isinstance(cell, tuple) else cell
