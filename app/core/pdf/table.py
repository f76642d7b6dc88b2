"""Tables of thousands of rows in the PDFs, at a cost that grows with the rows and no faster.

ReportLab's Table re-measures every row left each time it splits a page off, so a table of n
rows costs about n² / (rows on a page). Here every row is measured once (`MeasuredRows`), a page
break is found by adding up the heights of one page's rows, and each page is drawn as an ordinary
Table of that page's rows at their measured heights, with the header repeated (`LongTable`).

How a cell sets its text (font, size, leading, colour, alignment, paddings) is one ReportLab
CellStyle shared by all the cells alike (`cell_style`), given to each Table as made: styling a
table by commands sets every command on every cell it covers, over again for every page's
table. The commands left to a table are its rules and fills. A page's string cells are drawn
in one text object (`_PageTable`), not a text object a line.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import CellStyle

MEASURED_AT_ONCE = 250
Rules = Callable[[int, int], list[tuple]]  # the rules and fills of rows start … stop - 1
RowStyles = list[CellStyle]  # the cells' styles of a row, one a column


def cell_style(*, font: str, size: float, leading: float, color, align: str = "LEFT",
               valign: str = "TOP",
               padding: tuple[float, float, float, float] = (6, 6, 3, 3)) -> CellStyle:
    """Return how a table cell sets its text, for all the cells alike: `padding` is the left,
    right, top and bottom padding (ReportLab's defaults)."""
    style = CellStyle("cell")
    style.fontname, style.fontsize, style.leading, style.color = font, size, leading, color
    style.alignment, style.valign = align, valign
    (style.leftPadding, style.rightPadding, style.topPadding,
     style.bottomPadding) = padding
    return style


class MeasuredRows:
    """The header and rows of a whole table, shared by the parts it splits into, and their
    heights, measured once (the column widths are fixed, so once is enough)."""

    def __init__(self, header: list, rows: Sequence[list], widths: Sequence[float],
                 styles: Sequence[RowStyles]) -> None:
        """`styles`: the cells' styles of the header, then of each row (rows alike share
        one list)."""
        self.header = header
        self.rows = list(rows)
        self.widths = list(widths)
        self.styles = list(styles)
        self.header_height: float | None = None
        self.ends: list[float] = []  # ends[i]: the height of rows 0 … i together

    @property
    def measured(self) -> bool:
        return self.header_height is not None

    def measure(self) -> None:
        """Measure the header and every row (the cells' styles set the heights; rules and
        fills do not).

        In chunks of a few hundred rows: ReportLab's Table looks for each row still to measure
        from its first row on, which costs the square of its rows. A row's height depends on
        its own cells only, so the chunks measure what the whole table would.
        """
        if self.measured:
            return
        heights: list[float] = []
        for start in range(0, max(len(self.rows), 1), MEASURED_AT_ONCE):
            stop = start + MEASURED_AT_ONCE
            table = self.row_table([self.header, *self.rows[start:stop]],
                                   [self.styles[0], *self.styles[start + 1:stop + 1]])
            table.wrap(sum(self.widths), 10**9)
            heights.extend(table._rowHeights[1:])
            self.header_height = table._rowHeights[0]
        self.ends = list(accumulate(heights))

    def row_table(self, rows: list[list], styles: list[RowStyles], *,
                  heights: list[float] | None = None, rules: Sequence[tuple] = (),
                  kind: type[Table] = Table) -> Table:
        """Return a Table (of `kind`) of `rows` in the cells' `styles`, at `heights` if they
        are measured, with the rules and fills `rules`."""
        return kind(rows, colWidths=self.widths, rowHeights=heights, cellStyles=styles,
                    repeatRows=1, hAlign="LEFT", style=TableStyle(list(rules)),
                    normalizedData=1)

    def height(self, start: int, stop: int) -> float:
        """Return the height of rows start … stop - 1 together."""
        if stop <= start:
            return 0
        return self.ends[stop - 1] - (self.ends[start - 1] if start else 0)

    def row_height(self, index: int) -> float:
        return self.height(index, index + 1)

    def fitting(self, start: int, stop: int, height: float) -> int:
        """Return how many rows from `start` (before `stop`) fit in `height` together."""
        before = self.ends[start - 1] if start else 0
        return bisect_right(self.ends, before + height, lo=start, hi=stop) - start

    def table(self, start: int, stop: int, rules: Sequence[tuple], *,
              first: tuple[list, float] | None = None) -> Table:
        """Return a Table of the header and rows start … stop - 1 at their measured heights,
        with the rules and fills `rules`; `first` replaces the first row (and its height)."""
        rows = self.rows[start:stop]
        heights = [self.header_height, *(self.row_height(i) for i in range(start, stop))]
        if first is not None and rows:
            rows[0], heights[1] = first
        return self.row_table([self.header, *rows],
                              [self.styles[0], *self.styles[start + 1:stop + 1]],
                              heights=heights, rules=rules, kind=_PageTable)


class _PageTable(Table):
    """One page's rows of a long table, its string cells' lines drawn in one text object
    until a cell of flowables comes (which ReportLab draws), so that the page reads in the
    order of its cells. A Table draws each line of a string cell as a text object of its own,
    begun and ended, the font set again: a third of the decisions PDF's time.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._text = None  # the text object being filled, its font and colour
        self._font = self._color = None

    def draw(self):
        super().draw()
        self._end_text()

    def _drawCell(self, cellval, cellstyle, pos, size):
        # ReportLab's own drawing of a cell, for all but the lines of a string cell.
        if not isinstance(cellval, str):
            self._end_text()
            super()._drawCell(cellval, cellstyle, pos, size)
        elif cellval:
            if self._text is None:
                self._text, self._font, self._color = self.canv.beginText(), None, None
            if (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading) != self._font:
                self._font = (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
                self._text.setFont(*self._font)
            if cellstyle.color != self._color:
                self._color = cellstyle.color
                self._text.setFillColor(self._color)
            _draw_lines(self._text, cellval.split("\n"), cellstyle, *pos, *size)

    def _end_text(self) -> None:
        if self._text is not None:
            self.canv.saveState()  # the text object's font and colour end with it
            self.canv.drawText(self._text)
            self.canv.restoreState()
            self._text = None


def _draw_lines(text, lines: list[str], style: CellStyle, x: float, y: float, width: float,
                height: float) -> None:
    """Put the lines of a string cell at (x, y), `width` × `height`, into `text` where
    ReportLab's Table draws them: aligned and placed by the cell's style."""
    leading, size = style.leading, style.fontsize
    if style.valign == "TOP":
        base = y + height - style.topPadding - size
    elif style.valign == "BOTTOM":
        base = y + style.bottomPadding + len(lines) * leading - size
    else:
        base = y + (style.bottomPadding + height - style.topPadding
                    + len(lines) * leading) / 2 - size
    for line in lines:
        if style.alignment == "RIGHT":
            at = x + width - style.rightPadding - stringWidth(line, style.fontname, size)
        elif style.alignment in ("CENTRE", "CENTER"):
            at = (x + (width + style.leftPadding - style.rightPadding) / 2
                  - stringWidth(line, style.fontname, size) / 2)
        else:
            at = x + style.leftPadding
        text.setTextOrigin(at, base)
        text.textOut(line)
        base -= leading


class LongTable(Flowable):
    """Draw rows under a header that is repeated on every page; split between rows.

    `rules(start, stop)` returns the rules and fills of the part holding rows start … stop - 1,
    its header at row 0 and those rows from row 1 on.
    """

    def __init__(self, header: list, rows: Sequence[list], widths: Sequence[float],
                 styles: Sequence[RowStyles], rules: Rules, *,
                 _rows: MeasuredRows | None = None, _start: int = 0,
                 _stop: int | None = None) -> None:
        super().__init__()
        self.rules = rules
        self._rows = _rows or MeasuredRows(header, rows, widths, styles)
        self.start = _start
        self.stop = len(self._rows.rows) if _stop is None else _stop

    def wrap(self, availWidth, availHeight):
        self._rows.measure()
        self.width = sum(self._rows.widths)
        self.height = self._rows.header_height + self._rows.height(self.start, self.stop)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self._rows.measure()
        count = self._rows.fitting(self.start, self.stop,
                                   availHeight - self._rows.header_height)
        if count < 1 or self.start + count >= self.stop:
            return []
        middle = self.start + count
        return [self._part(self.start, middle), self._part(middle, self.stop)]

    def _part(self, start: int, stop: int) -> LongTable:
        return LongTable(self._rows.header, (), (), (), self.rules, _rows=self._rows,
                         _start=start, _stop=stop)

    def draw(self):
        table = self._rows.table(self.start, self.stop, self.rules(self.start, self.stop))
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)
