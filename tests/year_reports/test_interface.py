"""Is the reports' interface what the command line and the web views rely on?"""

from __future__ import annotations

import pytest
from flask import current_app

from app.core.errors import DomainError
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.year_reports.downloads import REPORT_MIMETYPES, render_report, report_filename
from tests import support
from tests.year_reports.test_pages import long_allocation_yaml


def test_an_unknown_fund_is_refused_in_swedish(ctx, imported_2020):
    """Does asking for a fund that does not exist say so, and list the known codes?"""
    with pytest.raises(DomainError, match="okänd fond 'ungdom'; kända koder: brukarmiljonen"):
        render_report("followup", "ungdom", 2020, "pdf")


def test_a_year_without_allocation_is_refused_in_swedish(ctx, imported_2020):
    """Does asking for a year the fund has no money for say so?"""
    with pytest.raises(DomainError, match="Samverkansmedel har ingen tilldelning för 2019"):
        render_report("budget", "samverkan", 2019, "xlsx")


@pytest.mark.parametrize(("kind", "fmt", "lang", "message"), [
    ("bokslut", "pdf", "sv", "okänd rapporttyp"),
    ("followup", "docx", "sv", "okänt format"),
    ("followup", "pdf", "de", "okänt språk"),
])
def test_unknown_kinds_formats_and_languages_are_refused(ctx, imported_2020, kind, fmt, lang,
                                                         message):
    with pytest.raises(DomainError, match=message):
        render_report(kind, "samverkan", 2020, fmt, lang=lang)


def test_file_names_and_mimetypes(ctx):
    """Can a view name the download and send it with the right type?"""
    assert report_filename("followup", "samverkan", 2020, "pdf") == "uppfoljning-samverkan-2020.pdf"
    assert report_filename("budget", "samverkan", 2021, "xlsx") == "budget-samverkan-2021.xlsx"
    assert report_filename("budget", "../etc", 2021, "csv") == "budget-etc-2021.csv"
    assert REPORT_MIMETYPES == {
        "pdf": "application/pdf",
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


@pytest.mark.parametrize("fmt", ["pdf", "csv", "xlsx"])
def test_each_format_starts_as_its_kind_of_file(ctx, imported_2020, fmt):
    content = render_report("followup", "samverkan", 2020, fmt)
    assert content.startswith({"pdf": b"%PDF-", "csv": b"\xef\xbb\xbf", "xlsx": b"PK"}[fmt])


def count_queries(kind: str, earmark: str, year: int) -> int:
    """How many statements building a fund's report as CSV sends to the database."""
    db.session.expire_all()
    with support.count_queries(current_app) as statements:
        render_report(kind, earmark, year, "csv")
    return len(statements)


@pytest.mark.parametrize("kind", ["followup", "budget"])
def test_the_number_of_queries_does_not_grow_with_the_data(ctx, closed_2020, actor, kind):
    """Does a report of 150 lines and 60 projects cost as many queries as one of 5 lines?"""
    import_document(long_allocation_yaml(lines=150, grants=60), actor)
    db.session.commit()
    small = count_queries(kind, "samverkan", 2020)
    large = count_queries(kind, "samverkan", 2030)
    assert small == large, (small, large)
    assert small <= 15
