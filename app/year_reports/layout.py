"""The shape of a laid-out report: tables of rows and amounts, notes, the document.

The PDF, CSV, Excel and HTML builders all lay out the same `Document`, so the formats carry
the same rows and figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.core.money import format_amount
from app.year_reports.labels import Say

Cell = str | tuple[str, ...]  # a tuple is a list of items, e.g. a project's goal areas


# An amount cell: öre, None for a figure not known yet (shown as "–"), or BLANK for a cell
# the row leaves empty (e.g. the paid column of a row that only sums what was granted).
BLANK = ""
Amount = int | None | str


@dataclass(frozen=True)
class Row:
    """A row of a table: its text cells, then its amounts (None shows as "–")."""

    cells: tuple[Cell, ...]
    amounts: tuple[Amount, ...]
    note: str | None = None  # a remark on the row, e.g. which fund a transfer covers
    strong: bool = False  # totals and results, set in bold

    @property
    def amount(self) -> Amount:
        """Return the amount of the last column (None when the table has no amounts)."""
        return self.amounts[-1] if self.amounts else None


def money_row(cells: tuple[Cell, ...], amount: Amount, **options) -> Row:
    """Return a row of a table with one amount column."""
    return Row(cells, (amount,), **options)


@dataclass(frozen=True)
class Table:
    """A table; its last `money` columns hold amounts (none in a table of text)."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    widths: tuple[float, ...]  # relative widths of the columns on paper
    grouped: bool = False  # the first column names a group, printed once per run on paper
    note_column: int | None = None  # the column a row's note is printed under on paper
    note_heading: str | None = None  # the heading of the notes' own column in spreadsheets
    money: int = 1  # how many of the last columns are amounts
    compact: bool = False  # set a size smaller on paper, for a table of many columns
    remark: str | None = None  # one line under the table, e.g. why a column is left out

    @property
    def text_columns(self) -> int:
        return len(self.columns) - self.money


@dataclass(frozen=True)
class Notes:
    """Remarks a reader must not miss."""

    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A laid-out report, ready for any format."""

    lang: str
    region: str
    title: str
    printed: str
    facts: tuple[tuple[str, str], ...]
    blocks: tuple[Table | Notes, ...]
    sheet_name: str


def amount_text(ore: Amount, *, unit: bool = False) -> str:
    """Return an amount as printed: Swedish grouping, "–" when there is no figure."""
    if isinstance(ore, str):
        return ore
    return "–" if ore is None else format_amount(ore, unit=unit)



def drop_money_columns(table: Table, columns: set[int], remark: str) -> Table:
    """Return the table without its money columns numbered in `columns` (0: the first money
    column), saying why in its remark; the table itself when none is left out."""
    if not columns:
        return table
    first = table.text_columns
    keep = [i for i in range(len(table.columns))
            if i < first or (i - first) not in columns]
    kept_money = [i - first for i in keep if i >= first]
    rows = tuple(replace(row, amounts=tuple(row.amounts[i] for i in kept_money))
                 for row in table.rows)
    return replace(table, columns=tuple(table.columns[i] for i in keep), rows=rows,
                   widths=tuple(table.widths[i] for i in keep), money=len(kept_money),
                   remark=remark)


def unknown_money_columns(table: Table) -> set[int]:
    """Return the money columns of a table in which no row holds a figure."""
    return {i for i in range(table.money)
            if all(row.amounts[i] is None or row.amounts[i] == BLANK for row in table.rows)}



def joined(items: list[str], say: Say) -> str:
    """Return "a", "a och b" or "a, b och c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {say('and')} " + items[-1]
