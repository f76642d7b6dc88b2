"""Does a long report break across pages the way a reader expects?"""

from __future__ import annotations

from app.ledger.exchange.importing import import_document
from app.year_reports.downloads import render_report
from tests.year_reports.reading import pdf_pages


def long_allocation_yaml(lines: int = 150, grants: int = 60) -> str:
    """Return a 2030 collaboration allocation with many lines in ten goal areas and a call."""
    rows = []
    for n in range(lines):
        rows.append(
            f"      - goal_area: Målområde {n // 15 + 1:02d}\n"
            f"        activity: Aktivitet nummer {n + 1} med en beskrivning som är lång nog att "
            f"brytas på två rader i tabellens aktivitetskolumn\n"
            f"        budget: 900\n"
            f"        spent: {1000 + n}\n"
        )
    grant_rows = "".join(
        f"          - title: Projekt {g + 1}\n"
        f"            owner: Kommun {g % 8 + 1}\n"
        f"            goal_areas: [Målområde {g // 20 + 1:02d}]\n"
        f"            amount: 100\n"
        for g in range(grants)
    )
    return (
        "format: stimulansmedel/1\nregion: Region Jämtland Härjedalen\nallocations:\n"
        "  - earmark: samverkan\n    year: 2030\n    received: 10000000\n    lines:\n"
        + "".join(rows)
        + "      - goal_area: Projektutlysning\n        kind: call\n"
        "        activity: Utlysning\n        budget: 10000\n        spent: 10000\n"
        "        grants:\n" + grant_rows
    )


def test_150_lines_run_over_pages_with_the_header_repeated(ctx, actor):
    """Does every page of a long table repeat its header and name the goal area it continues?"""
    import_document(long_allocation_yaml(), actor)
    pages = pdf_pages(render_report("followup", "samverkan", 2030, "pdf"))
    count = len(pages)
    assert count >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in page
    assert "Sida 2 av" in pages[1]
    header = "Målområde Aktivitet Budget (kr) Utfall (kr)"
    assert pages[0].count(header) == 1
    assert pages[1].count(header) == 1
    # The second page starts inside a goal area and says which one it continues.
    body = pages[1][pages[1].index(header) + len(header):].lstrip()
    assert body.startswith("Målområde ") and "(forts.)" in body.split("Aktivitet")[0]
    # Every line is printed once, and the total is computed from all of them.
    text = " ".join(pages)
    for n in (1, 75, 150):
        assert text.count(f"Aktivitet nummer {n} med") == 1
    total = sum(1000 + n for n in range(150)) + 10000
    assert f"TOTALT {900 * 150 + 10000:,} {total:,}".replace(",", " ") in text
    # A total is never left alone at the top of a page: a line comes along with it.
    total_page = next(p for p in pages if "TOTALT" in p)
    assert "Aktivitet nummer 150 med" in total_page


def test_a_long_grants_table_repeats_its_own_header(ctx, actor):
    """Does the table of granted projects also repeat its header when it runs over a page?"""
    import_document(long_allocation_yaml(lines=20, grants=90), actor)
    pages = pdf_pages(render_report("followup", "samverkan", 2030, "pdf"))
    header = "Målområde Projekt Projektägare och partner Beviljat (kr)"
    with_header = [p for p in pages if header in p]
    assert len(with_header) >= 2
    assert "Totalt beviljat 9 000" in pages[-1]
    assert "Ej fördelade utlysningsmedel 1 000" in pages[-1]
