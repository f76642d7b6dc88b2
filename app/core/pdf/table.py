"""Tables of thousands of rows in the PDFs, at a cost that grows with the rows and no faster.

ReportLab's Table re-measures every row left each time it splits a page off, so a table of n
rows costs about n² / (rows on a page). Here every row is measured once (`MeasuredRows`), a page
break is found by adding up the heights of one page's rows, and each page is drawn as an ordinary
Table of that page's rows at their measured heights, with the header repeated (`LongTable`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate

from reportlab.platypus import Flowable, Table, TableStyle

MEASURED_AT_ONCE = 250
Style = Callable[[int, int], list[tuple]]  # the style of rows start … stop - 1 (header is 0)


class MeasuredRows:
    """The header and rows of a whole table, shared by the parts it splits into, and their
    heights, measured once (the column widths are fixed, so once is enough)."""

    def __init__(self, header: list, rows: Sequence[list], widths: Sequence[float]) -> None:
        self.header = header
        self.rows = list(rows)
        self.widths = list(widths)
        self.header_height: float | None = None
        self.ends: list[float] = []  # ends[i]: the height of rows 0 … i together

    @property
    def measured(self) -> bool:
        return self.header_height is not None

    def measure(self, style: TableStyle) -> None:
        """Measure the header and every row in `style` (paddings and fonts set the heights).

        In chunks of a few hundred rows: ReportLab's Table looks for each row still to measure
        from its first row on, which costs the square of its rows. A row's height depends on
        its own cells only, so the chunks measure what the whole table would.
        """
        if self.measured:
            return
        heights: list[float] = []
        for start in range(0, max(len(self.rows), 1), MEASURED_AT_ONCE):
            table = Table([self.header, *self.rows[start:start + MEASURED_AT_ONCE]],
                          colWidths=self.widths, style=style)
            table.wrap(sum(self.widths), 10**9)
            heights.extend(table._rowHeights[1:])
            self.header_height = table._rowHeights[0]
        self.ends = list(accumulate(heights))

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

    def table(self, start: int, stop: int, style: TableStyle, *,
              first: tuple[list, float] | None = None) -> Table:
        """Return a Table of the header and rows start … stop - 1 at their measured heights;
        `first` replaces the first row (and its height)."""
        rows = self.rows[start:stop]
        heights = [self.header_height, *(self.row_height(i) for i in range(start, stop))]
        if first is not None and rows:
            rows[0], heights[1] = first
        return Table([self.header, *rows], colWidths=self.widths, rowHeights=heights,
                     repeatRows=1, hAlign="LEFT", style=style)


class LongTable(Flowable):
    """Draw rows under a header that is repeated on every page; split between rows.

    `style(start, stop)` returns the style commands of the part holding rows start … stop - 1,
    its header at row 0 and those rows from row 1 on.
    """

    def __init__(self, header: list, rows: Sequence[list], widths: Sequence[float],
                 style: Style, *, _rows: MeasuredRows | None = None, _start: int = 0,
                 _stop: int | None = None) -> None:
        super().__init__()
        self.style = style
        self._rows = _rows or MeasuredRows(header, rows, widths)
        self.start = _start
        self.stop = len(self._rows.rows) if _stop is None else _stop

    def _measure(self) -> None:
        if not self._rows.measured:
            self._rows.measure(TableStyle(self.style(0, len(self._rows.rows))))

    def wrap(self, availWidth, availHeight):
        self._measure()
        self.width = sum(self._rows.widths)
        self.height = self._rows.header_height + self._rows.height(self.start, self.stop)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self._measure()
        count = self._rows.fitting(self.start, self.stop,
                                   availHeight - self._rows.header_height)
        if count < 1 or self.start + count >= self.stop:
            return []
        middle = self.start + count
        return [self._part(self.start, middle), self._part(middle, self.stop)]

    def _part(self, start: int, stop: int) -> LongTable:
        return LongTable(self._rows.header, (), (), self.style, _rows=self._rows,
                         _start=start, _stop=stop)

    def draw(self):
        table = self._rows.table(self.start, self.stop,
                                 TableStyle(self.style(self.start, self.stop)))
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)
