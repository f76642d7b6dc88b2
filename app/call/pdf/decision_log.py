"""The decision log of a call as a PDF "Beslutsunderlag" for SVOM, returned as bytes."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.call.decision_log import DecisionLog, LoggedDecision
from app.core.money import format_amount
from app.core.pdf.styles import (
    ACCENT,
    FONT,
    FONT_BOLD,
    HAIRLINE,
    HEADER_FILL,
    MUTED,
    RULE,
    TOTAL_FILL,
    cell_lines,
    markup,
    numbered_canvas,
    paragraph_styles,
    printable,
)
from app.core.pdf.table import LongTable, cell_style

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
REGION = "Region Jämtland Härjedalen"
CELL_PADDING = 6  # ReportLab's own left and right padding of a cell


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


def _when(decision: LoggedDecision) -> str:
    """Return who decided it and when, its paragraph and diary number, e.g. "SVOM, 2024-06-10,
    § 12, RS/2024/88"."""
    return ", ".join(x for x in (decision.body, decision.decided_on.isoformat(),
                                 decision.paragraph, decision.diary_number) if x)


def _outcome(decision: LoggedDecision) -> str:
    remark = decision.conditions or decision.reason
    return decision.outcome.swedish + (f": {remark}" if remark else "")


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
    # Thousands of decisions: string cells broken into lines here (a Paragraph a cell costs four
    # times as much), in the cell style's font, size and leading.
    cell = styles["cell"]
    # The number column holds the longest number on one line ("10 000" decisions and more).
    widest = max((d.sequence for d in log.decisions), default=0)
    number = max(10 * mm, stringWidth(str(widest), FONT, cell.fontSize) + 2 * CELL_PADDING + 1)
    widths = [number, 38 * mm, 50 * mm, WIDTH - number - 38 * mm - 50 * mm - 28 * mm, 28 * mm]

    def row(*texts: str, font: str = FONT) -> list[str]:
        return [cell_lines(text, font, cell.fontSize, width - 2 * CELL_PADDING)
                for text, width in zip(texts, widths, strict=True)]

    def looks(font: str) -> list:
        def look(align: str):
            return cell_style(font=font, size=cell.fontSize, leading=cell.leading,
                              color=cell.textColor, align=align)
        return [*[look("LEFT")] * (len(widths) - 1), look("RIGHT")]  # the amounts right

    plain, bold = looks(FONT), looks(FONT_BOLD)
    rows = [row(str(d.sequence), _when(d), f"{d.title}\n{d.organisation}",
                _outcome(d), format_amount(d.amount, unit=True)) for d in log.decisions]
    rows.append(row("", "", "Totalt beviljat", "", format_amount(log.granted, unit=True),
                    font=FONT_BOLD))
    count = len(rows)  # the decisions and the total, under the header

    def rules(start: int, stop: int) -> list[tuple]:
        commands = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, HAIRLINE)]
        if stop == count:
            commands.append(("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL))
        return commands

    # A table that measures each row once (ReportLab's own re-measures what is left at every
    # page).
    header = row("Nr", "Beslut", "Ansökan och organisation", "Utfall och villkor eller skäl",
                 "Belopp", font=FONT_BOLD)
    decisions = LongTable(header, rows, widths, [bold, *[plain] * (count - 1), bold], rules)
    story.append(decisions)
    if not log.decisions:
        story.append(Paragraph("Inga beslut är fattade ännu.", styles["body"]))
    story.append(Spacer(1, 2 * mm))
    return story
