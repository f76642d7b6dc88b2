"""Does the cost of a report grow with its rows, and no faster?"""

from __future__ import annotations

import pytest

from app.ledger.exchange.importing import import_document
from app.year_reports.downloads import render_report, render_year_document
from tests.year_reports.reading import pdf_pages


def fund_yaml(year: int, grants: int) -> str:
    """Return a collaboration allocation of `year` with a call of `grants` in seven goal areas."""
    grant_rows = "".join(
        f"          - title: Projekt {g + 1} för bättre samverkan & stöd <unga>\n"
        f"            owner: Kommun {g % 8 + 1}\n"
        f"            partners: [Region Jämtland Härjedalen]\n"
        f"            goal_areas: [Målområde {g // 25 % 7 + 1}]\n"
        f"            amount: 1000\n            paid: 800\n"
        for g in range(grants)
    )
    return (
        "format: stimulansmedel/1\nregion: Region Jämtland Härjedalen\nallocations:\n"
        f"  - earmark: samverkan\n    year: {year}\n    received: 10000000\n    lines:\n"
        "      - goal_area: Målområde 1\n        activity: Samordning\n        spent: 1000\n"
        "      - goal_area: Projektutlysning\n        kind: call\n"
        f"        activity: Utlysning\n        spent: {grants * 1000}\n        grants:\n"
        + grant_rows
    )




@pytest.mark.parametrize("kind", ["followup", "budget"])
def test_a_report_of_eight_times_the_grants_lays_out_about_eight_times_the_rows(
        ctx, actor, table_rows, kind):
    """The table of grants searched for each page break by re-measuring the whole rest of the
    table, and the report was rendered twice to count its pages: a follow-up of 1 000 grants
    took half a minute and one of 5 000 more than half an hour."""
    costs = []
    for grants, year in ((40, 2071), (320, 2072)):
        import_document(fund_yaml(year, grants), actor)
        table_rows[0] = 0
        render_report(kind, "samverkan", year, "pdf")
        costs.append(table_rows[0])
    assert costs[1] < 9 * costs[0], costs


def test_a_year_document_of_eight_times_the_grants_lays_out_about_eight_times_the_rows(
        ctx, actor, table_rows):
    """The year's document numbers its contents, which it was laid out twice for: is it
    linear, and laid out once, as many rows as its one fund's follow-up?"""
    costs = []
    for grants, year in ((40, 2081), (320, 2083)):
        import_document(fund_yaml(year, grants), actor)
        table_rows[0] = 0
        render_year_document(year, "pdf")
        costs.append(table_rows[0])
    assert costs[1] < 9 * costs[0], costs
    table_rows[0] = 0
    render_report("followup", "samverkan", 2083, "pdf")
    assert costs[1] < 1.2 * table_rows[0], (costs[1], table_rows[0])


def test_a_long_grants_table_prints_every_project_once_with_its_page_count(ctx, actor):
    """Do 320 grants print each once, markup characters and all, on numbered pages?"""
    import_document(fund_yaml(2073, 320), actor)
    pages = pdf_pages(render_report("followup", "samverkan", 2073, "pdf"))
    assert len(pages) >= 10
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
    text = " ".join(pages)
    for n in (1, 160, 320):
        assert text.count(f"Projekt {n} för bättre samverkan & stöd <unga>") == 1
    assert "Målområde 3 (forts.)" in text
