"""The decision log of a call as a PDF "Beslutsunderlag" for SVOM, returned as bytes."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.call.queries import DecisionLog
from app.core.money import format_amount
from app.core.pdf_styles import (
    ACCENT,
    FONT,
    FONT_BOLD,
    HAIRLINE,
    HEADER_FILL,
    MUTED,
    RULE,
    TOTAL_FILL,
    CellParagraph,
    markup,
    numbered_canvas,
    paragraph_styles,
    printable,
)
from app.core.pdf_table import LongTable

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
REGION = "Region Jämtland Härjedalen"


def build_decision_log_pdf(log: DecisionLog, *, printed: date | None = None) -> bytes:
    """Return the call's decisions, its pool and totals as PDF bytes, "Sida n av N" in footers."""
    buffer = io.BytesIO()
    title = _title(log)
    template = BaseDocTemplate(buffer, pagesize=A4, title=title, author=REGION, subject=title,
                               creator="Stimulansmedel", lang="sv")
    printed_text = f"Utskrivet {(printed or date.today()).isoformat()}"

    def decorate(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFont(FONT_BOLD, 9)
        canvas.setFillColor(ACCENT)
        canvas.drawString(MARGIN, height - MARGIN + 4 * mm, printable(REGION))
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - MARGIN, height - MARGIN + 4 * mm, printed_text)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        canvas.drawString(MARGIN, MARGIN - 8 * mm, printable(title)[:90])
        canvas.restoreState()

    def draw_count(canvas, page: int, pages: int) -> None:
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 8 * mm, f"Sida {page} av {pages}")

    frame = Frame(MARGIN, MARGIN, WIDTH, A4[1] - 2 * MARGIN, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    template.build(_story(log), canvasmaker=numbered_canvas(draw_count))
    return buffer.getvalue()


def _title(log: DecisionLog) -> str:
    return f"Beslutsunderlag: {log.call.title}"


def _story(log: DecisionLog) -> list:
    styles = paragraph_styles()
    call = log.call
    story: list = [Paragraph(markup(_title(log)), styles["title"])]
    facts = [
        ("Utlysning", call.title),
        ("Pott", f"{call.line.allocation.label}: {call.line.activity}"),
        ("Pottens storlek", format_amount(log.pool, unit=True)),
        ("Beviljat", format_amount(log.granted, unit=True)),
        ("Kvar", format_amount(log.left, unit=True)),
        ("Antal beslut", (f"{len(log.decisions)} (beviljade {log.granted_count}, delvis "
                          f"beviljade {log.partly_count}, avslagna {log.rejected_count})")),
    ]
    table = Table([[Paragraph(markup(k), styles["fact_label"]), Paragraph(markup(v), styles["fact"])]
                   for k, v in facts], colWidths=[38 * mm, WIDTH - 38 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(table)
    story.append(Paragraph("Beslut i ordning", styles["caption"]))
    cell, head, amount = styles["cell"], styles["cell_head"], styles["amount"]
    rows = [[CellParagraph(markup(h), head) for h in
             ("Nr", "Beslut", "Ansökan och organisation", "Utfall och villkor eller skäl")]
            + [CellParagraph("Belopp", styles["amount_head"])]]
    for d in log.decisions:
        when = ", ".join(x for x in (d.body, d.decided_on.isoformat(), d.paragraph,
                                     d.diary_number) if x)
        remark = d.conditions or d.reason
        outcome = d.outcome.swedish + (f": {remark}" if remark else "")
        rows.append([
            CellParagraph(str(d.sequence), cell),
            CellParagraph(markup(when), cell),
            CellParagraph(markup(f"{d.application.title}\n{d.application.organisation.name}"), cell),
            CellParagraph(markup(outcome), cell),
            CellParagraph(markup(format_amount(d.amount, unit=True)), amount),
        ])
    rows.append([CellParagraph("", cell), CellParagraph("", cell),
                 CellParagraph("Totalt beviljat", styles["cell_strong"]), CellParagraph("", cell),
                 CellParagraph(markup(format_amount(log.granted, unit=True)),
                           styles["amount_strong"])])
    widths = [10 * mm, 38 * mm, 50 * mm, WIDTH - 10 * mm - 38 * mm - 50 * mm - 28 * mm, 28 * mm]
    count = len(rows) - 1  # the decisions and the total, under the header

    def style(start: int, stop: int) -> list[tuple]:
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, HAIRLINE),
        ]
        if stop == count:
            commands.insert(2, ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL))
        return commands

    # Thousands of decisions: a table that measures each row once (ReportLab's own re-measures
    # what is left at every page).
    decisions = LongTable(rows[0], rows[1:], widths, style)
    story.append(decisions)
    if not log.decisions:
        story.append(Paragraph("Inga beslut är fattade ännu.", styles["body"]))
    story.append(Spacer(1, 2 * mm))
    return story
