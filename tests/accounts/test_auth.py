"""Logging in and out, the language switch, CSRF and the login rate limit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, login
from tests.ledger.factories import user_id


def test_the_login_page_has_a_labelled_form(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<label class="ds-label" for="email">E-postadress</label>' in page
    assert '<label class="ds-label" for="password">Lösenord</label>' in page
    assert 'autocomplete="current-password"' in page
    assert 'class="ds-skip-link" href="#main"' in page


def test_a_person_logs_in_and_reaches_the_overview(client, make_user):
    email = make_user("viewer")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Översikt" in client.get("/").get_data(as_text=True)


def test_the_address_is_matched_without_regard_to_case(client, make_user):
    email = make_user("viewer")
    response = client.post("/login", data={"email": email.upper(), "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("case", ["wrong password", "unknown address", "closed account"])
def test_a_failed_login_never_says_why(app, client, make_user, case):
    """Does the error reveal whether the address has an account?"""
    email = make_user("coordinator")
    data = {"email": email, "password": PASSWORD}
    if case == "wrong password":
        data["password"] = "fel-losenord-1234"
    elif case == "unknown address":
        data["email"] = "ingen@example.se"
    else:
        with app.app_context():
            db.session.get(User, user_id(app, email)).active = False
            db.session.commit()
    response = client.post("/login", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in page
    assert 'class="ds-error-summary' in page
    assert client.get("/").status_code == 302  # still not logged in


def test_an_empty_form_names_each_missing_field(client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert '<a class="ds-link" href="#email">Ange din e-postadress</a>' in page
    assert '<a class="ds-link" href="#password">Ange ditt lösenord</a>' in page
    assert 'aria-invalid="true"' in page


def test_a_closed_account_already_logged_in_is_logged_out(app, client, make_user):
    email = make_user("coordinator")
    login(client, email)
    with app.app_context():
        db.session.get(User, user_id(app, email)).active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_passwords_are_stored_hashed(app, make_user):
    email = make_user("viewer")
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.email == email))
    assert PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize("target, expected", [
    ("/admin/audit", "/admin/audit"),
    ("/?year=2020", "/?year=2020"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
])
def test_login_returns_only_to_paths_on_this_site(client, make_user, target, expected):
    """Can a link to the login page send a person to another site afterwards?"""
    email = make_user("coordinator")
    response = client.post("/login", query_string={"next": target},
                           data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_a_page_that_needs_login_comes_back_after_it(client, make_user):
    response = client.get("/admin/audit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    email = make_user("coordinator")
    response = client.post(response.headers["Location"], data={"email": email, "password": PASSWORD})
    assert response.headers["Location"] == "/admin/audit"


def test_logging_out_takes_a_post_with_the_button(client, make_user):
    login(client, make_user("viewer"))
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<form class="inline-form" method="post" action="/logout">', page)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", follow_redirects=True)
    assert "Du är utloggad." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_the_language_can_be_switched_and_is_kept(client, make_user):
    login(client, make_user("viewer"))
    response = client.post("/lang", data={"lang": "en", "next": "/?x=1"})
    assert response.headers["Location"] == "/?x=1"
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert '<html lang="en"' in client.get("/login").get_data(as_text=True)
    client.post("/lang", data={"lang": "sv", "next": "/login"})
    assert '<html lang="sv"' in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("data", [{"lang": "de", "next": "/"}, {"lang": "en", "next": "//evil.example"}])
def test_the_language_switch_refuses_unknown_languages_and_foreign_targets(client, data):
    response = client.post("/lang", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/login")
    with client.session_transaction() as session:
        assert session.get("lang") in (None, "en")
        if data["lang"] == "de":
            assert session.get("lang") is None


def test_a_post_without_csrf_token_is_refused(second_app, make_user):
    """Does the app refuse a form posted from another site (no CSRF token)?"""
    guarded = second_app(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    email = make_user("viewer")
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formuläret har gått ut" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    # The header's language switch carries the token as well.
    assert client.post("/lang", data={"lang": "en", "next": "/"}).status_code == 400
    page = client.get("/").get_data(as_text=True)
    form = re.search(r'<form class="lang-form".*?</form>', page, re.DOTALL).group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert client.post("/lang", data={"lang": "en", "next": "/",
                                      "csrf_token": token}).status_code == 302
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
