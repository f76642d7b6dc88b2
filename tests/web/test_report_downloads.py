"""Downloading a fund's follow-up or budget as PDF, CSV or Excel."""

from __future__ import annotations

import pytest

from app.year_reports import downloads as reports


@pytest.mark.parametrize("fmt, mimetype, magic", [
    ("pdf", "application/pdf", b"%PDF"),
    ("csv", "text/csv; charset=utf-8", None),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
])
def test_a_report_downloads_as_an_attachment(as_role, imported_2020, fmt, mimetype, magic):
    """Can a viewer download the 2020 follow-up of the collaboration funds in each format?"""
    response = as_role("viewer").get(f"/reports/followup/samverkan/2020.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == mimetype
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"uppfoljning-samverkan-2020.{fmt}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if magic:
        assert response.data.startswith(magic)


def test_the_report_is_built_with_the_page_language(as_role, imported_2020, monkeypatch):
    calls = []

    def fake(kind, earmark, year, fmt, *, lang="sv"):
        calls.append((kind, earmark, year, fmt, lang))
        return b"x"

    monkeypatch.setattr(reports, "render_report", fake)
    client = as_role("coordinator")
    client.post("/lang", data={"lang": "en", "next": "/"})
    assert client.get("/reports/budget/brukarmiljonen/2020.csv").status_code == 200
    assert calls == [("budget", "brukarmiljonen", 2020, "csv", "en")]


@pytest.mark.parametrize("url", [
    "/reports/followup/okand/2020.pdf",
    "/reports/followup/samverkan/1999.pdf",
])
def test_a_report_that_cannot_be_made_is_a_404_that_says_why(as_role, imported_2020, url):
    response = as_role("viewer").get(url)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Rapporten finns inte" in page
    assert '<p class="lead">' in page


@pytest.mark.parametrize("url", [
    "/reports/summary/samverkan/2020.pdf",
    "/reports/followup/samverkan/2020.exe",
])
def test_unknown_kinds_and_formats_are_404(as_role, imported_2020, url):
    assert as_role("viewer").get(url).status_code == 404
