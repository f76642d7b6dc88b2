"""Is every report also an accessible web page, linked beside its PDF: the same tables with
captions and header cells, headings in order, the document's language, and printable?"""

from __future__ import annotations

import re
from pathlib import Path


def page_text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


def test_a_followup_page_has_the_pdfs_tables(as_role, imported_2020):
    """Does the follow-up page hold the PDF's tables with captions, column and row headers,
    the figures, and a link to the PDF?"""
    response = as_role("viewer").get("/reports/followup/samverkan/2020")
    assert response.status_code == 200
    html = page_text(response)
    assert '<html lang="sv"' in html and 'lang="sv"' in html.split("<article", 1)[1]
    assert re.search(r"<h1[^>]*>Uppföljning 2020 års Samverkansmedel</h1>", html)
    assert "<caption>Tabell 1. Utfall 2020 per målområde och aktivitet</caption>" in html
    assert "<caption>Tabell 3. Beviljade projekt ur utlysningen 2020</caption>" in html
    assert '<th scope="col" class="num">Utfall (kr)</th>' in html
    assert re.search(r'<th scope="row">\s*Personal 1,5 tjänst inkl. OH', html)
    assert '<td class="num"><strong>6 131 032</strong></td>' in html
    # What is not known is not shown as 0, and says why.
    assert "Budget (kr)" not in html and "Utbetalt (kr)" not in html
    assert "Utbetalt, Använt och Återbetalt visas inte" in html
    assert 'href="/reports/followup/samverkan/2020.pdf"' in html
    assert 'href="/static/report.css"' in html


def test_the_page_is_printable():
    """Does the stylesheet hide the site's header and footer in print and repeat the tables'
    headers on every page?"""
    css = (Path(__file__).resolve().parents[2] / "app" / "static" / "report.css").read_text()
    printed = css[css.index("@media print"):]
    assert ".site-header" in printed and "display: none" in printed
    assert "thead { display: table-header-group; }" in printed


def test_a_budget_page_in_english(as_role, budget_2021):
    client = as_role("viewer")
    client.post("/lang", data={"lang": "en", "next": "/"})
    html = page_text(client.get("/reports/budget/samverkan/2021"))
    assert '<html lang="en"' in html and '<article class="report-doc" lang="en">' in html
    assert "Budget of the 2021 Samverkansmedel" in html
    assert "Not budgeted" in html


def test_the_year_document_page(as_role, budget_2021):
    """Is the year's document one page: h1 the year, h2 its parts, h3 each fund, a contents
    that links to every section, the 2021 budgets' figures?"""
    response = as_role("viewer").get("/years/2020/document")
    assert response.status_code == 200
    html = page_text(response)
    assert re.search(r"<h1[^>]*>Uppföljning 2020 års länsmedel psykisk hälsa</h1>", html)
    levels = headings(html.split("<article", 1)[1])
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert 'href="#uppfoljning-samverkan"' in html and 'id="uppfoljning-samverkan"' in html
    assert 'href="#budget-suicidprevention"' in html
    assert re.search(r"<h3[^>]*>Budget 2021 års Samverkansmedel</h3>", html)
    assert "6 271 852" in html and "134 052" in html
    assert 'href="/years/2020/document.pdf"' in html


def test_the_pages_and_the_year_pdf_are_linked_beside_the_pdfs(as_role, imported_2020):
    client = as_role("viewer")
    dashboard = page_text(client.get("/?year=2020"))
    assert 'href="/reports/followup/samverkan/2020"' in dashboard
    assert 'href="/years/2020/document.pdf"' in dashboard
    assert 'href="/years/2020/document"' in dashboard
    pdf = client.get("/years/2020/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].endswith("uppfoljning-lansmedel-2020.pdf")


def test_the_allocation_page_links_its_reports(as_role, imported_2020):
    client = as_role("viewer")
    html = page_text(client.get("/?year=2020"))
    allocation = re.search(r'href="(/allocations/\d+)"', html)
    assert allocation, "the overview links its allocations"
    page = page_text(client.get(allocation.group(1)))
    assert re.search(r'href="/reports/followup/\w+/2020\.pdf"', page)
    assert re.search(r'href="/reports/followup/\w+/2020"', page)


def test_an_unknown_report_page_is_404(as_role, imported_2020):
    client = as_role("viewer")
    assert client.get("/reports/bokslut/samverkan/2020").status_code == 404
    assert client.get("/reports/followup/samverkan/2019").status_code == 404
    assert client.get("/years/2019/document").status_code == 404
