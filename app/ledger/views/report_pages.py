"""The year-end reports as accessible web pages (the same tables as their PDFs), and the
year's document for SVOM as one PDF and one page."""

from __future__ import annotations

from flask import abort, render_template, url_for

from app import select_locale
from app.core.errors import DomainError
from app.jobs.kinds import YEAR_DOCUMENT
from app.jobs.views.delivery import report_response
from app.ledger.views import bp
from app.ledger.views.dashboard import REPORT_KINDS, missing_report
from app.web.access import staff_required
from app.year_reports.document import build_document
from app.year_reports.labels import labels
from app.year_reports.queries import fund_report
from app.year_reports.year_document import load_year_document


@bp.get("/reports/<kind>/<earmark>/<int:year>")
@staff_required
def report_page(kind: str, earmark: str, year: int):
    """Show a fund's follow-up or budget of a year as a web page: the PDF's tables with their
    captions and header cells, headings in order, printable (DOS-lagen asks for accessible
    documents, and a ReportLab PDF is not tagged)."""
    if kind not in REPORT_KINDS:
        abort(404)
    lang = select_locale()
    try:
        document = build_document(fund_report(kind, earmark, year), lang)
    except DomainError as exc:
        return missing_report(exc)
    pdf_url = url_for("funds.report", kind=kind, earmark=earmark, year=year, fmt="pdf")
    return render_template("year_reports/report.html", doc=document, say=labels(lang),
                           year=year, pdf_url=pdf_url)


@bp.get("/years/<int:year>/document.pdf")
@staff_required
def year_document(year: int):
    """Send the year's document for SVOM as one PDF: a cover, the contents, every fund's
    follow-up and the next year's budgets (a large year is built by a worker)."""
    try:
        return report_response(YEAR_DOCUMENT, {"year": year, "lang": select_locale()})
    except DomainError as exc:
        return missing_report(exc)


@bp.get("/years/<int:year>/document")
@staff_required
def year_document_page(year: int):
    """Show the year's document for SVOM as one accessible, printable web page."""
    lang = select_locale()
    try:
        document = load_year_document(year, lang)
    except DomainError as exc:
        return missing_report(exc)
    return render_template("year_reports/year.html", doc=document, say=labels(lang))
