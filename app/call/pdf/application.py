"""An application as a PDF: its content and budget table, for reading and printing."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.call.models import Application
from app.core.money import format_amount
from app.core.pdf.styles import (
    FONT_BOLD,
    HAIRLINE,
    HEADER_FILL,
    TOTAL_FILL,
    CellParagraph,
    markup,
    paragraph_styles,
)


def build_application_pdf(application: Application) -> bytes:
    """Return the application as PDF bytes."""
    styles = paragraph_styles()
    story = [
        Paragraph(markup(application.title or "Ansökan"), styles["title"]),
        Paragraph(markup(f"{application.call.title} · {application.organisation.name} · "
                         f"{application.state.swedish}"
                         + (f" · version {application.version}" if application.version else "")),
                  styles["fact"]),
    ]
    sections = [
        ("Sammanfattning", application.summary),
        ("Bakgrund", application.background),
        ("Syfte och förväntade resultat", application.aim),
        ("Målgrupp", application.target_group),
        ("Målområden", ", ".join(g.name for g in application.goal_areas)),
        ("Projektägare", application.owner),
        ("Samverkanspartner", "\n".join(application.partners or [])),
        ("Brukarmedverkan", application.user_participation),
        ("Plan för långsiktigt breddinförande", application.long_term_plan),
        ("Period", f"{application.period_start or ''} – {application.period_end or ''}"),
        ("Indikatorer", "\n".join(str(i) for i in application.indicators or [])),
    ]
    for question in application.call.questions or []:
        sections.append((question["text"], (application.answers or {}).get(question["key"], "")))
    for heading, text in sections:
        story.append(Paragraph(markup(heading), styles["heading"]))
        story.append(Paragraph(markup(text or "–"), styles["body"]))
    story.append(Paragraph("Budget", styles["caption"]))
    rows = [[CellParagraph("År", styles["cell_head"]), CellParagraph("Kategori", styles["cell_head"]),
             CellParagraph("Beskrivning", styles["cell_head"]),
             CellParagraph("Belopp", styles["amount_head"])]]
    for line in application.budget_lines:
        rows.append([CellParagraph(str(line.year), styles["cell"]),
                     CellParagraph(line.category.swedish, styles["cell"]),
                     CellParagraph(markup(line.description), styles["cell"]),
                     CellParagraph(markup(format_amount(line.amount, unit=True)), styles["amount"])])
    rows.append([CellParagraph("Sökt belopp", styles["cell_strong"]), "", "",
                 CellParagraph(markup(format_amount(application.amount_applied, unit=True)),
                           styles["amount_strong"])])
    table = Table(rows, colWidths=[18 * mm, 30 * mm, 90 * mm, 32 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL),
        ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, HAIRLINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story += [table, Spacer(1, 6)]
    if application.attachments:
        story.append(Paragraph("Bilagor", styles["heading"]))
        story.append(Paragraph(markup("\n".join(a.original_name for a in application.attachments)),
                               styles["body"]))
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=application.title or "Ansökan", author="Stimulansmedel")
    doc.build(story)
    return buffer.getvalue()
