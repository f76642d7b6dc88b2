"""A table of money for the PDF reports that breaks cleanly across pages.

ReportLab's own Table repeats its header on a new page but cannot know that the first row there
continues a goal area named on the page before. This flowable finds where to break itself, builds
each page's part as an ordinary Table with the header repeated, names the continued group
("… (forts.)"), and never leaves a total row alone at the top of a page.

It also carries its caption: kept in a separate paragraph with keepWithNext, the caption would
drag the whole table onto a new page whenever the table is taller than the space left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Table, TableStyle

from app.core.pdf_styles import FONT, HAIRLINE, HEADER_FILL, INK, RULE, TOTAL_FILL


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
        *,
        grouped: bool,
        continued_group: Callable[[object], object] | None = None,
        continues: bool = False,
        caption: Flowable | None = None,
        continued_caption: Flowable | None = None,
        page_height: float | None = None,
    ) -> None:
        super().__init__()
        self.page_height = page_height  # the height of an empty frame
        self.caption = caption
        self.continued_caption = continued_caption
        self.header = header
        self.rows = list(rows)
        self.shapes = list(shapes)
        self.widths = list(widths)
        self.grouped = grouped
        self.continued_group = continued_group
        self.continues = continues  # the first row goes on with a group begun on an earlier page
        self._table: Table | None = None

    def _build(self, count: int) -> Table:
        """Build the Table of the header and the first `count` rows."""
        rows = [list(row) for row in self.rows[:count]]
        if (self.continues and self.grouped and rows and self.continued_group
                and not self.shapes[0].strong and self.shapes[0].group):
            rows[0][0] = self.continued_group(self.shapes[0].group)
        table = Table([self.header, *rows], colWidths=self.widths, repeatRows=1,
                      hAlign="LEFT")
        table.setStyle(self._style(self.shapes[:count]))
        return table

    def _style(self, shapes: Sequence[RowShape]) -> TableStyle:
        commands: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
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
        return TableStyle(commands)

    def _caption_height(self, availWidth) -> float:
        if self.caption is None:
            return 0
        _, height = self.caption.wrap(availWidth, 10**6)
        return height + self.caption.getSpaceAfter()

    def getSpaceBefore(self):
        return self.caption.getSpaceBefore() if self.caption is not None else 0

    def wrap(self, availWidth, availHeight):
        self._table = self._build(len(self.rows))
        width, height = self._table.wrap(availWidth, availHeight)
        self.width, self.height = width, height + self._caption_height(availWidth)
        return self.width, self.height

    def draw(self):
        # The caption first, so that text extraction and screen readers meet it first.
        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, self.height - self.caption.height)
        self._table.drawOn(self.canv, 0, 0)

    def split(self, availWidth, availHeight):
        count = self._rows_that_fit(availWidth, availHeight - self._caption_height(availWidth))
        # A total belongs with the rows it sums: take the last row along rather than leave the
        # total alone on the next page.
        if 0 < count < len(self.rows) and self.shapes[count].strong:
            count -= 1
        if count < min(2, len(self.rows)) or count >= len(self.rows):
            return []
        # A short table that would lose more than a third of its rows to the next page reads
        # better whole on that page.
        if (self.page_height and count < len(self.rows) * 2 / 3
                and self.wrap(availWidth, self.page_height)[1] <= self.page_height):
            return []
        head = MoneyTable(self.header, self.rows[:count], self.shapes[:count], self.widths,
                          grouped=self.grouped, continued_group=self.continued_group,
                          continues=self.continues, caption=self.caption,
                          page_height=self.page_height)
        tail = MoneyTable(self.header, self.rows[count:], self.shapes[count:], self.widths,
                          grouped=self.grouped, continued_group=self.continued_group,
                          continues=not self.shapes[count].group_start,
                          caption=self.continued_caption,
                          continued_caption=self.continued_caption,
                          page_height=self.page_height)
        return [head, tail]

    def _rows_that_fit(self, availWidth, availHeight) -> int:
        """Return how many rows fit under the header in the height (a binary search)."""
        low, high = 0, len(self.rows)
        while low < high:
            middle = (low + high + 1) // 2
            _, height = self._build(middle).wrap(availWidth, availHeight)
            if height <= availHeight:
                low = middle
            else:
                high = middle - 1
        return low
