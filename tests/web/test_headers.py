"""Headers a security officer checks: HSTS in production, no caching of personal pages and
files, and one charset on the CSV downloads."""

from __future__ import annotations

from tests.conftest import login


def test_a_csv_download_names_its_charset_once(app, client, imported_2020, make_user):
    login(client, make_user("coordinator"))
    response = client.get("/calls/?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_pages_and_files_of_a_logged_in_person_are_not_cached(app, client, imported_2020,
                                                              make_user):
    login(client, make_user("coordinator"))
    for url in ("/", "/calls/", "/projekt", "/calls/?format=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_an_anonymous_page_and_the_stylesheet_may_be_cached(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    with client.get("/static/app.css") as stylesheet:
        assert "no-store" not in stylesheet.headers.get("Cache-Control", "")


def test_production_asks_browsers_to_keep_to_https(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    monkeypatch.setitem(app.config, "HSTS_SECONDS", 31_536_000)  # what production sets
    assert client.get("/login").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains")
