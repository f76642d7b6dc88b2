"""A year-end report as a file: read its data, render it in a format and a language, and name
the file it is saved under."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

from app.core.collector import collector_paused
from app.core.errors import DomainError
from app.year_reports.document import build_document
from app.year_reports.formats.csvfile import build_csv
from app.year_reports.formats.pdf import build_pdf
from app.year_reports.formats.workbook import build_xlsx
from app.year_reports.formats.year_pdf import build_year_pdf
from app.year_reports.formats.year_workbook import build_year_workbook
from app.year_reports.labels import LANGUAGES
from app.year_reports.layout import Document
from app.year_reports.queries import fund_report
from app.year_reports.year_document import load_year_document

REPORT_MIMETYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_BUILDERS: dict[str, Callable[[Document], bytes]] = {
    "pdf": build_pdf,
    "csv": build_csv,
    "xlsx": build_xlsx,
}

# File names are Swedish whatever the language, so a saved report is found under one name.
_FILE_STEMS = {"followup": "uppfoljning", "budget": "budget"}


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise DomainError(_("okänt språk %(lang)r; välj sv eller en", lang=lang))


@collector_paused()
def render_report(kind: str, earmark: str, year: int, fmt: str, *, lang: str = "sv") -> bytes:
    """Return a fund's follow-up or budget for a year as PDF, CSV or Excel bytes.

    Raise DomainError (in Swedish) for an unknown fund, a year without an allocation, or an
    unknown kind, format or language.
    """
    if fmt not in _BUILDERS:
        raise DomainError(_("okänt format %(fmt)r; välj pdf, csv eller xlsx", fmt=fmt))
    _check_language(lang)
    report = fund_report(kind, earmark, year)
    return _BUILDERS[fmt](build_document(report, lang))


def report_filename(kind: str, earmark: str, year: int, fmt: str) -> str:
    """Return the file name to save a report under, e.g. "uppfoljning-samverkan-2020.pdf"."""
    if kind not in _FILE_STEMS:
        raise DomainError(_("okänd rapporttyp %(kind)r; välj followup eller budget", kind=kind))
    if fmt not in _BUILDERS:
        raise DomainError(_("okänt format %(fmt)r; välj pdf, csv eller xlsx", fmt=fmt))
    safe = re.sub(r"[^a-z0-9_-]+", "-", earmark.lower()).strip("-") or "fond"
    return f"{_FILE_STEMS[kind]}-{safe}-{int(year)}.{fmt}"


@collector_paused()
def render_year_workbook(year: int, lang: str = "sv") -> bytes:
    """Return the year's document as the bytes of one .xlsx file: the follow-up of every fund
    of `year`, totalled per recipient, then the budgets of `year` + 1 where that year exists.

    Raise DomainError (in Swedish) for an unknown language or a year without allocations.
    """
    _check_language(lang)
    document = load_year_document(int(year), lang, every_recipient=True)
    followups, *budgets = ([s.report for s in part.sections] for part in document.parts)
    return build_year_workbook(followups, lang, budgets=budgets[0] if budgets else [])


YEAR_FORMATS = ("pdf", "xlsx")


@collector_paused()
def render_year_document(year: int, fmt: str, lang: str = "sv") -> bytes:
    """Return the year's document for SVOM as PDF or Excel bytes.

    Raise DomainError (in Swedish) for an unknown format or language, or a year without
    allocations.
    """
    if fmt not in YEAR_FORMATS:
        raise DomainError(_("okänt format %(fmt)r för årets dokument; välj pdf eller xlsx",
                            fmt=fmt))
    if fmt == "xlsx":
        return render_year_workbook(year, lang)
    _check_language(lang)
    return build_year_pdf(load_year_document(int(year), lang))


def year_document_filename(year: int, fmt: str) -> str:
    """Return the file name of the year's document, e.g. "uppfoljning-lansmedel-2020.pdf"."""
    if fmt == "xlsx":
        return year_workbook_filename(year)
    return f"uppfoljning-lansmedel-{int(year)}.{fmt}"


def year_workbook_filename(year: int) -> str:
    """Return the file name to save a year's workbook under, e.g. "uppfoljning-2022.xlsx"."""
    return f"uppfoljning-{int(year)}.xlsx"
