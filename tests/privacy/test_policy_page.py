"""Does every page link to the privacy page, and does it answer anyone?"""

from __future__ import annotations

import pytest

from app.accounts.users import find_by_email


def test_the_privacy_page_answers_an_anonymous_visitor(client):
    response = client.get("/integritet")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1" in page and "Personuppgifter och integritet" in page
    for heading in ("Vad vi sparar", "Varför", "Hur länge", "Vem som ser uppgifterna",
                    "Hämta dina uppgifter eller be om anonymisering"):
        assert heading in page
    assert "gallras 7 år efter utgången av det år då projektet avslutades" in page
    assert "gallras 2 år efter utgången av det år då beslutet fattades" in page
    assert "Logga in och välj ”Mina uppgifter”" in page


def test_the_page_shows_the_installations_retention_and_contact(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_RETENTION_YEARS", 10)
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "dataskydd@regionjh.se")
    page = client.get("/integritet").get_data(as_text=True)
    assert "gallras 10 år efter" in page
    assert 'href="mailto:dataskydd@regionjh.se"' in page


def test_a_logged_in_person_gets_the_download_link(as_role):
    page = as_role("viewer").get("/integritet").get_data(as_text=True)
    assert 'href="/konto/mina-uppgifter.json"' in page


@pytest.mark.parametrize("url", ["/login", "/integritet", "/register"])
def test_the_footer_links_to_the_privacy_page(client, url):
    page = client.get(url).get_data(as_text=True)
    footer = page[page.index('<footer class="site-footer">'):]
    assert '<a class="ds-link" href="/integritet">Personuppgifter och integritet</a>' in footer


def test_the_footer_links_for_staff_too(as_role):
    page = as_role("coordinator").get("/").get_data(as_text=True)
    assert 'href="/integritet"' in page[page.index("<footer"):]


def test_the_privacy_pages_keep_the_frame_rules(client, as_role, make_user):
    """One h1, no inline style or script (the CSP forbids them), on both new pages."""
    pages = [client.get("/integritet").get_data(as_text=True)]
    admin = as_role("admin")
    email = make_user("viewer")
    with admin.application.app_context():
        user_id = find_by_email(email).id
    pages.append(admin.get(f"/admin/users/{user_id}/anonymise").get_data(as_text=True))
    for page in pages:
        assert page.count("<h1") == 1
        assert "style=" not in page and "<script" not in page
