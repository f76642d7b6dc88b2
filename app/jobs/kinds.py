"""The reports a job can build: how large each would be, and how to build it.

The web request (below the threshold) and the worker (above it) build a report through the
same `build`, so the file is the same whichever built it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from app.call.decision_log import decision_log
from app.call.models import Call
from app.call.pdf.decision_log import build_decision_log_pdf
from app.core.collector import collector_paused
from app.core.errors import DomainError
from app.extensions import db
from app.jobs import queries
from app.year_reports import downloads
from app.year_reports.document import build_document
from app.year_reports.formats.pdf import build_pdf
from app.year_reports.formats.workbook import build_xlsx
from app.year_reports.labels import LANGUAGES
from app.year_reports.queries import fund_report

FUND_REPORT, YEAR_WORKBOOK, DECISIONS_PDF = "fund_report", "year_workbook", "decisions_pdf"
YEAR_DOCUMENT = "year_document"  # the year's document for SVOM as one PDF
PDF_MIMETYPE = "application/pdf"

#: Reports a job may build in a format; a CSV is a quick dump and is always sent at once.
_FUND_BUILDERS = {"pdf": build_pdf, "xlsx": build_xlsx}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BuiltReport:
    """A finished report: the file's bytes, the name it is saved under and its type."""

    content: bytes
    filename: str
    mimetype: str


def _no_progress(_percent: int) -> None:
    pass


def size(kind: str, parameters: dict) -> int:
    """Return the rows (grants, decisions) a report would hold, to choose where to build it."""
    if kind == FUND_REPORT:
        if parameters.get("fmt") not in _FUND_BUILDERS:
            return 0
        return queries.grants_of_fund(parameters["earmark"], parameters["year"])
    if kind == YEAR_WORKBOOK:
        return queries.grants_of_year(parameters["year"])
    if kind == YEAR_DOCUMENT:
        # The year's follow-ups and the next year's budgets, each with its projects.
        year = int(parameters["year"])
        return queries.grants_of_year(year) + queries.grants_of_year(year + 1)
    if kind == DECISIONS_PDF:
        return queries.decisions_of_call(parameters["call_id"])
    raise DomainError(_("okänd rapport %(kind)r", kind=kind))


@collector_paused()
def build(kind: str, parameters: dict, progress: Progress = _no_progress) -> BuiltReport:
    """Build a report; raise DomainError (in Swedish) for one that cannot be made.

    `progress` is told how far it has come (per cent) between the steps."""
    if kind == FUND_REPORT:
        return _fund_report(parameters, progress)
    if kind == YEAR_WORKBOOK:
        year = int(parameters["year"])
        return BuiltReport(downloads.render_year_workbook(year, parameters.get("lang", "sv")),
                           downloads.year_workbook_filename(year),
                           downloads.REPORT_MIMETYPES["xlsx"])
    if kind == YEAR_DOCUMENT:
        year = int(parameters["year"])
        progress(10)
        content = downloads.render_year_document(year, "pdf", parameters.get("lang", "sv"))
        return BuiltReport(content, downloads.year_document_filename(year, "pdf"), PDF_MIMETYPE)
    if kind == DECISIONS_PDF:
        call = db.session.get(Call, int(parameters["call_id"]))
        if call is None:
            raise DomainError(_("utlysningen finns inte"))
        # The outcomes' names are drawn in the language of the person who asked.
        with force_locale(parameters.get("lang", "sv")):
            content = build_decision_log_pdf(decision_log(call))
        return BuiltReport(content, f"beslutsunderlag-utlysning-{call.id}.pdf", PDF_MIMETYPE)
    raise DomainError(_("okänd rapport %(kind)r", kind=kind))


def _fund_report(parameters: dict, progress: Progress) -> BuiltReport:
    kind, earmark, fmt = parameters["kind"], parameters["earmark"], parameters["fmt"]
    year, lang = int(parameters["year"]), parameters.get("lang", "sv")
    if fmt not in _FUND_BUILDERS or lang not in LANGUAGES:
        content = downloads.render_report(kind, earmark, year, fmt, lang=lang)
    else:
        data = fund_report(kind, earmark, year)
        progress(30)
        document = build_document(data, lang)
        progress(50)
        content = _FUND_BUILDERS[fmt](document)
    return BuiltReport(content, downloads.report_filename(kind, earmark, year, fmt),
                       downloads.REPORT_MIMETYPES[fmt])
