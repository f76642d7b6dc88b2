"""Does the decisions PDF of a call with many decisions read right, and cost what its rows do?"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert

from app.call.decision_log import decision_log
from app.call.models import Application, Decision, DecisionOutcome
from app.call.pdf.decision_log import build_decision_log_pdf
from app.call.rules import ApplicationState
from app.extensions import db
from tests.call.factories import make_call, make_organisation, make_pool
from tests.year_reports.reading import pdf_pages

OUTCOMES = (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED, DecisionOutcome.REJECTED)


def decided_call(count: int, year: int, first: int = 1):
    """Return a call of `year` with `count` decisions numbered from `first`, a third of each
    outcome (bulk inserted)."""
    call = make_call(make_pool(year=year), title=f"Utlysning {year}")
    organisation = make_organisation(f"Kommun {year}")
    now = datetime.now(UTC)
    ids = [db.session.execute(insert(Application).values(
        call_id=call.id, organisation_id=organisation.id, title=f"Projekt nummer {n + 1}",
        state=ApplicationState(OUTCOMES[n % 3].value), created_at=now, updated_at=now,
    )).inserted_primary_key[0] for n in range(count)]
    db.session.execute(insert(Decision), [
        {"call_id": call.id, "application_id": ids[n], "sequence": first + n,
         "outcome": OUTCOMES[n % 3], "amount": 0 if n % 3 == 2 else 10_000_000,
         "reason": "Saknar samverkan" if n % 3 == 2 else "", "body": "SVOM",
         "decided_on": date(year, 6, 10), "paragraph": f"§{n + 1}",
         "diary_number": f"RUN/{n + 1}/{year}", "decided_by": "test", "created_at": now}
        for n in range(count)
    ])
    return call


def test_a_long_decision_log_repeats_its_header_and_numbers_its_pages(ctx):
    """Does every page of 150 decisions carry the header and "Sida n av N", each decision once?"""
    call = decided_call(150, 2061)
    pages = pdf_pages(build_decision_log_pdf(decision_log(call), printed=date(2061, 7, 1)))
    assert len(pages) >= 4
    header = "Nr Beslut Ansökan och organisation Utfall och villkor eller skäl Belopp"
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
        assert page.count(header) == 1, number
    text = " ".join(pages)
    for n in (1, 75, 150):
        assert text.count(f"Projekt nummer {n} ") == 1
    assert "Totalt beviljat 10 000 000 kr" in pages[-1]
    assert "Totalt beviljat" not in " ".join(pages[:-1])
    assert "Antal beslut 150 (beviljade 50, delvis beviljade 50, avslagna 50)" in pages[0]


def test_a_decision_numbered_in_the_ten_thousands_keeps_its_number_on_one_line(ctx):
    call = decided_call(3, 2062, first=99_998)
    text = pdf_pages(build_decision_log_pdf(decision_log(call)))[0]
    for n, number in enumerate((99_998, 99_999, 100_000), start=1):
        assert f" {number} SVOM, 2062-06-10, §{n}," in text  # not broken as "9999 8"



def test_the_decisions_pdf_costs_what_its_rows_do(ctx, table_rows):
    """Does a log of eight times the decisions lay out about eight times the rows?

    ReportLab's own table makes a new table of every row left at each page it splits off, so
    its cost grew with the square of the decisions and a call of 10 000 took close to a minute.
    """
    costs = []
    for count, year in ((40, 2062), (320, 2063)):
        table_rows[0] = 0
        build_decision_log_pdf(decision_log(decided_call(count, year)))
        costs.append(table_rows[0])
    assert costs[1] < 9 * costs[0], costs
