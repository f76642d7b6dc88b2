"""Render the year's document as one PDF: a cover, a table of contents with page numbers, a
section per fund (laid out as its single report), then the next year's budgets.

The contents need the pages of the sections, which are known once the document is laid out.
It is laid out once: each page number of the contents is drawn as a PDF form (an XObject),
which ReportLab lets a page use before it is defined, and the forms are filled in with the
numbers once every page is laid out, as "Sida n av N" is. (It was laid out twice, the first
time only to learn the pages: twice the cost of its sections.)
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.core.pdf.styles import (
    ACCENT,
    FONT,
    FONT_BOLD,
    RULE,
    markup,
    paragraph_styles,
)
from app.year_reports.formats.pdf import FRAME_WIDTH, facts_table, render_pdf, report_story
from app.year_reports.labels import labels
from app.year_reports.year_document import YearDocument

_PAGE_COLUMN = 22 * mm


class _Marked(Paragraph):
    """A heading the table of contents lists: it carries the key its page is recorded under."""

    def __init__(self, text: str, style, key: str) -> None:
        super().__init__(text, style)
        self.toc_key = key


class _PageOf(Flowable):
    """The page the contents name for a heading: a form the page draws now and `fill_in`
    defines once the heading's page is known, drawn as a one-line Paragraph in `style` would
    draw the number (right-aligned, its baseline a font size under the top)."""

    def __init__(self, key: str, style: ParagraphStyle, form: str) -> None:
        super().__init__()
        self.key, self.style, self.form = key, style, form

    def wrap(self, availWidth, availHeight):
        self.width, self.height = availWidth, self.style.leading
        return self.width, self.height

    def draw(self):
        self.canv.doForm(self.form)

    def fill_in(self, canvas, page: int | None) -> None:
        canvas.beginForm(self.form)
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setFillColor(self.style.textColor)
        canvas.drawRightString(self.width, self.height - self.style.fontSize,
                               "" if page is None else str(page))
        canvas.endForm()


def build_year_pdf(document: YearDocument) -> bytes:
    """Return the year's document as PDF bytes."""
    pages: dict[str, int] = {}
    numbers: list[_PageOf] = []

    def record(flowable, page: int) -> None:
        key = getattr(flowable, "toc_key", None)
        if key is not None and key not in pages:
            pages[key] = page

    def fill_in(canvas) -> None:
        for number in numbers:
            number.fill_in(canvas, pages.get(number.key))

    return render_pdf(document, _story(document, numbers), after_flowable=record,
                      laid_out=fill_in)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = paragraph_styles()
    return {
        **base,
        "cover": ParagraphStyle("cover", parent=base["title"], fontSize=26, leading=32,
                                spaceBefore=60 * mm, spaceAfter=6),
        "cover_sub": ParagraphStyle("cover_sub", parent=base["body"], fontSize=14, leading=18,
                                    textColor=ACCENT, spaceAfter=14),
        "cover_item": ParagraphStyle("cover_item", parent=base["body"], fontSize=12,
                                     leading=17, leftIndent=14, bulletIndent=2),
        "part": ParagraphStyle("part", parent=base["title"], fontSize=20, leading=25,
                               spaceBefore=40 * mm, spaceAfter=10),
        "toc": ParagraphStyle("toc", parent=base["body"], fontSize=10, leading=14),
        "toc_part": ParagraphStyle("toc_part", parent=base["body"], fontName=FONT_BOLD,
                                   fontSize=10.5, leading=15, textColor=ACCENT),
    }


def _story(document: YearDocument, numbers: list[_PageOf]) -> list:
    say = labels(document.lang)
    styles = _styles()
    # The cover opens the year's follow-up, as the deck's first slide does.
    story: list = [
        _Marked(markup(document.title), styles["cover"], document.parts[0].anchor),
        Paragraph(markup(f"({document.window})"), styles["cover_sub"]),
    ]
    story.extend(Paragraph(markup(fund), styles["cover_item"], bulletText="•")
                 for fund in document.funds)
    story.append(Spacer(1, 10 * mm))
    if document.facts:
        story.append(facts_table(document.facts))
    story.append(PageBreak())

    story.append(Paragraph(markup(say("year.contents")), styles["title"]))
    story.append(_contents(document, numbers, styles, say))
    for note in document.notes:
        story.append(Paragraph(markup(note), styles["remark"]))

    for number, part in enumerate(document.parts):
        if number:
            # The next year's budget opens with its own page, like the deck's divider slide.
            story.append(PageBreak())
            story.append(_Marked(markup(part.heading), styles["part"], part.anchor))
            story.extend(Paragraph(markup(s.report.earmark_name), styles["cover_item"],
                                   bulletText="•") for s in part.sections)
            story.append(Spacer(1, 8 * mm))
            story.append(facts_table(part.facts))
        for section in part.sections:
            story.append(PageBreak())
            title = _Marked(markup(section.document.title), styles["title"], section.anchor)
            story.extend(report_story(section.document, title=title))
    return story


def _contents(document: YearDocument, numbers: list[_PageOf], styles, say) -> Table:
    """The table of contents: each part and its funds' sections with their first page (each
    page number a form, added to `numbers` to be filled in)."""

    def page(key: str, style: ParagraphStyle) -> _PageOf:
        numbers.append(_PageOf(key, style, f"contents-page-{len(numbers)}"))
        return numbers[-1]

    rows, commands = [], []
    for part in document.parts:
        commands.append(("LINEABOVE", (0, len(rows)), (-1, len(rows)), 0.5, RULE))
        rows.append([Paragraph(markup(part.heading), styles["toc_part"]),
                     page(part.anchor, styles["amount_strong"])])
        for section in part.sections:
            rows.append([Paragraph(markup(section.document.title), styles["toc"]),
                         page(section.anchor, styles["amount"])])
    table = Table(rows, colWidths=[FRAME_WIDTH - _PAGE_COLUMN, _PAGE_COLUMN], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *commands,
    ]))
    return table
