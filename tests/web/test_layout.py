"""The frame every page shares: landmarks, labels, table headers, and nothing the CSP forbids."""

from __future__ import annotations

import re

import pytest

PAGES = {
    "anonymous": ["/login"],
    "viewer": ["/"],
    "coordinator": ["/", "/import", "/admin/audit"],
    "admin": ["/admin/earmarks", "/admin/users", "/admin/audit"],
}
CASES = [(role, url) for role, urls in PAGES.items() for url in urls]


@pytest.fixture
def page_of(client, as_role, imported_2020):
    def get(role: str, url: str) -> str:
        browser = client if role == "anonymous" else as_role(role)
        response = browser.get(url)
        assert response.status_code == 200
        return response.get_data(as_text=True)
    return get


@pytest.mark.parametrize("role, url", CASES)
def test_pages_have_the_landmarks_and_no_inline_style_or_script(page_of, role, url):
    page = page_of(role, url)
    assert re.search(r'<html lang="sv"', page)
    assert '<a class="ds-skip-link" href="#main">Hoppa till innehållet</a>' in page
    assert '<main id="main"' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert "style=" not in page
    assert "<script" not in page
    assert "<style" not in page
    assert "vendor/designsystemet/designsystemet.css" in page


@pytest.mark.parametrize("role, url", CASES)
def test_every_field_has_a_label(page_of, role, url):
    page = page_of(role, url)
    fields = re.findall(r'<(?:input|select|textarea)\b[^>]*>', page)
    for tag in fields:
        if re.search(r'type="(hidden|submit)"', tag):
            continue
        field_id = re.search(r'\bid="([^"]+)"', tag).group(1)
        assert f'for="{field_id}"' in page, tag


@pytest.mark.parametrize("role, url", CASES)
def test_every_table_has_a_caption_and_scoped_headers(page_of, role, url):
    page = page_of(role, url)
    for table in re.findall(r"<table\b.*?</table>", page, re.DOTALL):
        assert "<caption>" in table
        for header in re.findall(r"<th\b[^>]*>", table):
            assert 'scope="' in header, header


def test_the_error_pages_are_swedish_and_use_the_layout(client, as_role):
    response = as_role("viewer").get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Sidan finns inte" in page and '<main id="main"' in page


def test_security_headers_are_sent(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
