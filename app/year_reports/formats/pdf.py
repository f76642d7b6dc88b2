"""Render a report `Document` as an A4 PDF (ReportLab platypus), returned as bytes."""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from app.core.pdf.styles import (
    ACCENT,
    FONT,
    FONT_BOLD,
    MUTED,
    MUTED_HEX,
    RULE,
    CellLines,
    CellParagraph,
    cell_lines,
    compact_paragraph_styles,
    markup,
    numbered_canvas,
    paragraph_styles,
    printable,
)
from app.year_reports.formats.pdf_table import PADDING, MoneyTable, RowShape, row_styles
from app.year_reports.labels import labels
from app.year_reports.layout import Document, Notes, Row, amount_text
from app.year_reports.layout import Table as MoneyTableData

MARGIN = 20 * mm
TOP_MARGIN = MARGIN + 6 * mm  # room for the running head
FRAME_WIDTH = A4[0] - 2 * MARGIN
FRAME_HEIGHT = A4[1] - TOP_MARGIN - MARGIN


def build_pdf(document: Document) -> bytes:
    """Return the document as PDF bytes, with "Sida n av N" in every footer."""
    return render_pdf(document, report_story(document))


def render_pdf(meta, story: list, *,
               after_flowable: Callable[[object, int], None] | None = None,
               laid_out: Callable[[Canvas], None] | None = None) -> bytes:
    """Return `story` laid out on A4 pages as PDF bytes, with the running head and footer of
    `meta` (its title, region, printed line and lang) and "Sida n av N" on every page.

    `after_flowable(flowable, page)` is told the page each flowable was drawn on, and
    `laid_out(canvas)` is called once all are, before the document is saved.
    """
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=meta.title,
        author=meta.region or None,
        subject=meta.title,
        creator="Stimulansmedel",
        lang=meta.lang,
    )
    if after_flowable is not None:
        template.afterFlowable = lambda flowable: after_flowable(flowable, template.page)

    def decorate(canvas, doc) -> None:
        draw_page_frame(canvas, meta, canvas.getPageNumber())

    # No frame padding: tables, headings, running head and footer share one left and right edge.
    frame = Frame(MARGIN, MARGIN, FRAME_WIDTH, FRAME_HEIGHT, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    say = labels(meta.lang)

    def draw_count(canvas, page: int, pages: int) -> None:
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 8 * mm,
                               say("page", page=page, pages=pages))

    template.build(story, canvasmaker=numbered_canvas(draw_count, laid_out=laid_out))
    return buffer.getvalue()


def draw_page_frame(canvas, document, page: int) -> None:
    """Draw the running head (region, print date) and the footer's title; the canvas adds
    "page n of N" when the count is known."""
    width, height = A4
    canvas.saveState()
    top = height - MARGIN + 2 * mm
    # The first page carries the region as a letterhead; later pages a quieter running head.
    canvas.setFont(FONT_BOLD, 11 if page == 1 else 8)
    canvas.setFillColor(ACCENT)
    canvas.drawString(MARGIN, top, printable(document.region))
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(width - MARGIN, top, printable(document.printed))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, top - 2 * mm, width - MARGIN, top - 2 * mm)

    bottom = MARGIN - 8 * mm
    canvas.line(MARGIN, bottom + 4 * mm, width - MARGIN, bottom + 4 * mm)
    canvas.drawString(MARGIN, bottom, printable(document.title))
    canvas.restoreState()


def report_story(document: Document, title: Flowable | None = None) -> list:
    """Return the flowables of a report: its title (or `title`), facts, tables and notes."""
    say = labels(document.lang)
    styles = paragraph_styles()
    story: list = []
    story.append(title or Paragraph(markup(document.title), styles["title"]))
    if document.facts:
        story.append(facts_table(document.facts))
    number = 0
    for block in document.blocks:
        if isinstance(block, Notes):
            story.append(Paragraph(markup(block.heading), styles["heading"]))
            story.extend(Paragraph(markup(item), styles["note"], bulletText="•")
                         for item in block.items)
            continue
        number += 1
        caption = say("table", number=number, caption=block.caption)
        story.append(_money_table(
            block, say("continued"),
            caption=Paragraph(markup(caption), styles["caption"]),
            continued_caption=Paragraph(markup(f"{caption} ({say('continued')})"),
                                        styles["caption"]),
        ))
        if block.remark:
            story.append(Paragraph(markup(block.remark), styles["remark"]))
    story.append(Spacer(1, 2 * mm))
    return story


def facts_table(facts: tuple[tuple[str, str], ...]) -> Table:
    styles = paragraph_styles()
    data = [[Paragraph(markup(label), styles["fact_label"]),
             Paragraph(markup(value), styles["fact"])] for label, value in facts]
    table = Table(data, colWidths=[38 * mm, FRAME_WIDTH - 38 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _money_table(data: MoneyTableData, continued: str, *, caption: Paragraph,
                 continued_caption: Paragraph) -> MoneyTable:
    styles = compact_paragraph_styles() if data.compact else paragraph_styles()
    columns = list(data.columns)
    widths = list(data.widths)
    keep = list(range(len(columns)))
    # A goal-area column with nothing in it (the user million has no goal areas) only takes room.
    if data.grouped and not any(row.cells[0] for row in data.rows):
        keep = keep[1:]
        widths[1] += widths[0]
    scale = FRAME_WIDTH / sum(widths[i] for i in keep)
    widths = [width * scale for width in widths]
    first_money = data.text_columns
    header = [CellParagraph(markup(columns[i]), styles["amount_head" if i >= first_money
                                                  else "cell_head"]) for i in keep]

    rows, shapes = [], []
    previous = object()
    for row in data.rows:
        group = row.cells[0] if data.grouped else None
        starts = row.strong or group != previous
        cells = _cells(data, row, styles, widths, first_of_group=starts)
        rows.append([cells[i] for i in keep])
        shapes.append(RowShape(group=group if data.grouped else None, group_start=starts,
                               strong=row.strong))
        previous = None if row.strong else group
    first_kept = first_money - (len(columns) - len(keep))
    plain, strong = (row_styles(styles[name], len(keep), first_kept)
                     for name in ("cell", "cell_strong"))
    # A row that goes on with the group above has an empty group cell, which the tables have
    # always measured as a line at ReportLab's default leading: such rows keep that height.
    going_on = [plain[0].copy(), *plain[1:]]
    going_on[0].leading = CellStyle.leading
    grouped = data.grouped and keep[0] == 0
    looks = [row_styles(styles["cell_head"], len(keep), first_kept, valign="BOTTOM"),
             *(strong if shape.strong else going_on if grouped and not shape.group_start
               else plain for shape in shapes)]
    return MoneyTable(
        header, rows, shapes, [widths[i] for i in keep], looks,
        grouped=grouped,
        continued_group=lambda group: _cell_content(
            group, styles["cell_group"], styles, widths[0],
            suffix=f" <font color='{MUTED_HEX}'>({markup(continued)})</font>"),
        caption=caption,
        continued_caption=continued_caption,
        page_height=FRAME_HEIGHT,
    )


def _cell_content(cell, style, styles, width: float, *, suffix: str = "",
                  remark: str | None = None):
    """Return a cell of a column `width` wide: plain text as a string broken into lines
    (which the table draws in its row's font, the same as `style`'s), a title and its remark
    as CellLines, and as Paragraphs a cell with markup or a bulleted list of several items.

    A long table has thousands of cells: a Paragraph each cost most of a report's time.
    """
    if isinstance(cell, tuple) and len(cell) > 1:
        bullet = styles["cell_bullet"]
        items = [CellParagraph(markup(item), bullet, bulletText="•") for item in cell]
        if suffix:
            items.append(CellParagraph(suffix.strip(), style))
        return items
    text = (cell[0] if cell else "") if isinstance(cell, tuple) else cell
    if suffix:
        return CellParagraph(markup(text) + suffix, style)
    room = width - PADDING[0] - PADDING[1]
    lines = cell_lines(text, style.fontName, style.fontSize, room)
    if not remark:
        return lines
    note = styles["cell_remark"]
    return CellLines([(lines, style.fontName, style.fontSize, style.textColor),
                      (cell_lines(remark, note.fontName, note.fontSize, room), note.fontName,
                       note.fontSize, MUTED)], style.leading)


def _cells(data: MoneyTableData, row: Row, styles, widths: list[float], *,
           first_of_group: bool) -> list:
    """Return a row's cells (`widths` are its columns'), the group named only where it
    begins."""
    text_style = styles["cell_strong" if row.strong else "cell"]
    cells: list = []
    for index, cell in enumerate(row.cells):
        if data.grouped and index == 0 and not first_of_group:
            cells.append("")
        else:
            remark = row.note if index == data.note_column else None
            cells.append(_cell_content(cell, text_style, styles, widths[index], remark=remark))
    amount_style = styles["amount_strong" if row.strong else "amount"]
    room = [width - PADDING[0] - PADDING[1] for width in widths[len(row.cells):]]
    cells.extend(cell_lines(amount_text(amount), amount_style.fontName, amount_style.fontSize,
                            width) for amount, width in zip(row.amounts, room, strict=True))
    return cells
