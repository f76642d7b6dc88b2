"""A table of money for the PDF reports that breaks cleanly across pages.

ReportLab's own Table repeats its header on a new page but cannot know that the first row there
continues a goal area named on the page before. This flowable finds where to break itself, builds
each page's part as an ordinary Table with the header repeated, names the continued group
("… (forts.)"), and never leaves a total row alone at the top of a page.

It also carries its caption: kept in a separate paragraph with keepWithNext, the caption would
drag the whole table onto a new page whenever the table is taller than the space left.

Every row is measured once, when the table is first wrapped, and the parts split off share those
heights (`core.pdf.table.MeasuredRows`): finding a page break adds up the heights of one page's
rows and drawing a page builds a Table of that page's rows only, so a report grows linearly with
its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table

from app.core.pdf.styles import HAIRLINE, HEADER_FILL, INK, RULE, TOTAL_FILL
from app.core.pdf.table import MeasuredRows, RowStyles, cell_style

PADDING = (4, 4, 3, 4)  # a cell's left, right, top and bottom padding


@dataclass(frozen=True)
class RowShape:
    """How a row is drawn: its group (the value of the first column), and whether it is a total."""

    group: object
    group_start: bool
    strong: bool


class MoneyTable(Flowable):
    """Draw rows under a header; split between rows, repeating the header on every page."""

    def __init__(
        self,
        header: list,
        rows: Sequence[list],
        shapes: Sequence[RowShape],
        widths: Sequence[float],
        styles: Sequence[RowStyles] = (),
        *,
        grouped: bool,
        continued_group: Callable[[object], object] | None = None,
        caption: Flowable | None = None,
        continued_caption: Flowable | None = None,
        page_height: float | None = None,
        _body: tuple[MeasuredRows, list[RowShape]] | None = None,
        _start: int = 0,
        _stop: int | None = None,
        _continues: bool = False,
    ) -> None:
        super().__init__()
        self.page_height = page_height  # the height of an empty frame
        self.caption = caption
        self.continued_caption = continued_caption
        self.grouped = grouped
        self.continued_group = continued_group
        self._body, self.shapes = _body or (MeasuredRows(header, rows, widths, styles),
                                            list(shapes))
        self.start = _start
        self.stop = len(self.shapes) if _stop is None else _stop
        # The first row goes on with a group begun on an earlier page, and names it again.
        self.continues = _continues
        self._first = None  # that first row, and its height, once measured
        self._first_height: float | None = None

    def _part(self, start: int, stop: int, *, continues: bool, caption) -> MoneyTable:
        return MoneyTable(
            self._body.header, (), (), (), grouped=self.grouped,
            continued_group=self.continued_group, caption=caption,
            continued_caption=self.continued_caption, page_height=self.page_height,
            _body=(self._body, self.shapes), _start=start, _stop=stop, _continues=continues,
        )

    def _first_row(self) -> tuple[list | None, float]:
        """Return the first row as this part draws it (None when unchanged) and its height."""
        if self.stop <= self.start:
            return None, 0
        if self._first_height is None:
            body, shape = self._body, self.shapes[self.start]
            if (self.continues and self.grouped and self.continued_group and not shape.strong
                    and shape.group):
                self._first = [self.continued_group(shape.group),
                               *body.rows[self.start][1:]]
                table = body.row_table([self._first], [body.styles[self.start + 1]])
                self._first_height = table.wrap(sum(body.widths), 10**9)[1]
            else:
                self._first_height = body.row_height(self.start)
        return self._first, self._first_height

    def _rows_height(self, stop: int) -> float:
        """Return the height of this part's rows up to `stop`, the header not counted."""
        if stop <= self.start:
            return 0
        return self._first_row()[1] + self._body.height(self.start + 1, stop)

    def _build(self) -> Table:
        """Build the Table of the header and this part's rows, at their measured heights."""
        first, first_height = self._first_row()
        return self._body.table(self.start, self.stop,
                                self._rules(self.shapes[self.start:self.stop]),
                                first=None if first is None else (first, first_height))

    def _rules(self, shapes: Sequence[RowShape]) -> list[tuple]:
        """Return the rules and fills of a part of `shapes`' rows under the header."""
        commands: list[tuple] = [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE),
        ]
        for index, shape in enumerate(shapes, start=1):
            if shape.strong:
                commands += [
                    ("BACKGROUND", (0, index), (-1, index), TOTAL_FILL),
                    ("LINEABOVE", (0, index), (-1, index), 0.8, INK),
                ]
            elif index == 1:
                continue
            elif self.grouped and not shape.group_start:
                # Within a group the first column reads as one merged cell.
                commands.append(("LINEABOVE", (1, index), (-1, index), 0.25, HAIRLINE))
            else:
                commands.append(("LINEABOVE", (0, index), (-1, index), 0.5, RULE))
        return commands

    def _measure(self) -> None:
        self._body.measure()

    def _caption_height(self, availWidth) -> float:
        if self.caption is None:
            return 0
        _, height = self.caption.wrap(availWidth, 10**6)
        return height + self.caption.getSpaceAfter()

    def _height(self, availWidth) -> float:
        self._measure()
        return (self._caption_height(availWidth) + self._body.header_height
                + self._rows_height(self.stop))

    def getSpaceBefore(self):
        return self.caption.getSpaceBefore() if self.caption is not None else 0

    def wrap(self, availWidth, availHeight):
        self.width, self.height = sum(self._body.widths), self._height(availWidth)
        return self.width, self.height

    def draw(self):
        # The caption first, so that text extraction and screen readers meet it first.
        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, self.height - self.caption.height)
        table = self._build()
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

    def split(self, availWidth, availHeight):
        total = self.stop - self.start
        count = self._rows_that_fit(
            availHeight - self._caption_height(availWidth) - self._body.header_height)
        # A total belongs with the rows it sums: take the last row along rather than leave the
        # total alone on the next page.
        if 0 < count < total and self.shapes[self.start + count].strong:
            count -= 1
        if count < min(2, total) or count >= total:
            return []
        # A short table that would lose more than a third of its rows to the next page reads
        # better whole on that page.
        if (self.page_height and count < total * 2 / 3
                and self._height(availWidth) <= self.page_height):
            return []
        middle = self.start + count
        head = self._part(self.start, middle, continues=self.continues, caption=self.caption)
        tail = self._part(middle, self.stop,
                          continues=not self.shapes[middle].group_start,
                          caption=self.continued_caption)
        return [head, tail]

    def _rows_that_fit(self, availHeight) -> int:
        """Return how many of this part's rows fit in the height under the header."""
        self._measure()
        first = self._first_row()[1]
        if self.stop <= self.start or first > availHeight:
            return 0
        return 1 + self._body.fitting(self.start + 1, self.stop, availHeight - first)


def row_styles(style: ParagraphStyle, columns: int, first_money: int, *,
               valign: str = "TOP") -> RowStyles:
    """Return the cells' styles of a row set in `style`: its text at the top of the cell (or
    `valign`), its amounts (from column `first_money` on) right-aligned."""
    def look(align: str):
        return cell_style(font=style.fontName, size=style.fontSize, leading=style.leading,
                          color=INK, align=align, valign=valign, padding=PADDING)
    return [*[look("LEFT")] * first_money, *[look("RIGHT")] * (columns - first_money)]
