"""Accounts people run themselves: a password reset by e-mail that works once and expires and
answers an unknown address as a known one; a new password; a new address confirmed by a link;
and `flask mail outbox`, where a developer reads the waiting e-mails' links."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.accounts.models import User
from app.core.mail import outbox_for
from app.core.models import AuditEntry
from app.extensions import db
from tests.conftest import PASSWORD, login

NEW_PASSWORD = "ett-helt-annat-losenord"


def _link(app, email: str, path: str) -> str:
    with app.app_context():
        body = outbox_for(email)[-1].body
    match = re.search(rf"https?://[^\s]+({path}/[^\s]+)", body)
    assert match, body
    return match.group(1)


def _page(response) -> str:
    return response.get_data(as_text=True)


def _logged_in(client) -> bool:
    return client.get("/konto").status_code == 200


def test_the_login_page_offers_a_reset_instead_of_an_administrator(client):
    page = _page(client.get("/login"))
    assert 'href="/glomt-losenord"' in page and "Kontakta en administratör" not in page


def test_an_unknown_address_gets_the_same_answer_as_a_known_one(app, client, make_user):
    email = make_user("viewer")
    known = client.post("/glomt-losenord", data={"email": email})
    unknown = client.post("/glomt-losenord", data={"email": "ingen@example.se"})
    assert known.status_code == unknown.status_code == 200

    def answer(response, address):
        main = re.search(r"<main.*</main>", _page(response), re.S).group(0)
        return main.replace(address, "ADDRESS")

    assert answer(known, email) == answer(unknown, "ingen@example.se")
    with app.app_context():
        assert len(outbox_for(email)) == 1
        assert outbox_for("ingen@example.se") == []


def test_a_reset_link_works_once_and_ends_the_old_sessions(app, client, make_user):
    email = make_user("viewer")
    other_device = app.test_client()
    login(other_device, email)
    assert _logged_in(other_device)

    client.post("/glomt-losenord", data={"email": email.upper()})
    link = _link(app, email, "/aterstall-losenord")
    assert "Välj ett nytt lösenord" in _page(client.get(link))
    response = client.post(link, data={"password": "kort", "password2": "kort"})
    assert "minst 10 tecken" in _page(response)
    response = client.post(link, data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")

    again = client.get(link)
    assert again.status_code == 400 and "redan använd" in _page(again)
    assert client.post(link, data={"password": "tredje-losenordet-x",
                                   "password2": "tredje-losenordet-x"}).status_code == 400
    assert not _logged_in(other_device)
    login(client, email, PASSWORD)
    assert not _logged_in(client)
    login(client, email, NEW_PASSWORD)
    assert _logged_in(client)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert "user.set_password" in actions


def test_a_reset_link_expires_after_an_hour(app, client, make_user):
    email = make_user("viewer")
    with freeze_time("2026-03-01 10:00:00"):
        client.post("/glomt-losenord", data={"email": email})
        link = _link(app, email, "/aterstall-losenord")
    with freeze_time("2026-03-01 10:59:00"):
        assert client.get(link).status_code == 200
    with freeze_time("2026-03-01 11:01:00"):
        response = client.get(link)
    assert response.status_code == 400 and "gått ut" in _page(response)
    assert client.get("/aterstall-losenord/forfalskad").status_code == 400


def test_asking_for_reset_links_is_rate_limited(app, make_user, second_app):
    limited = second_app(RATELIMIT_ENABLED=True, REGISTER_EMAIL_MAX_PER_HOUR=2)
    client = limited.test_client()
    for _ in range(2):
        assert client.post("/glomt-losenord", data={"email": "nagon@example.se"}).status_code \
            == 200
    response = client.post("/glomt-losenord", data={"email": "nagon@example.se"})
    assert response.status_code == 429 and "För många försök" in _page(response)


def test_a_person_changes_the_password_and_stays_logged_in_here_only(app, client, make_user):
    email = make_user("viewer")
    other_device = app.test_client()
    login(other_device, email)
    login(client, email)
    response = client.post("/konto/losenord", data={
        "present": "fel-losenord", "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    page = _page(response)
    assert "Lösenordet stämmer inte." in page and 'id="present-error"' in page
    response = client.post("/konto/losenord", data={
        "present": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow_redirects=True)
    assert "Lösenordet är bytt" in _page(response)
    assert _logged_in(client) and not _logged_in(other_device)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.check_password(NEW_PASSWORD)


def test_a_new_address_is_used_only_once_its_link_is_opened(app, client, make_user):
    email = make_user("viewer")
    taken = make_user("viewer")
    login(client, email)
    response = client.post("/konto/e-post", data={"email": "ny@example.se",
                                                  "email_password": "fel-losenord"})
    assert "Lösenordet stämmer inte." in _page(response)
    assert 'value="ny@example.se"' in _page(response)
    response = client.post("/konto/e-post", data={"email": "Ny@Example.se",
                                                  "email_password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.email == email))
    link = _link(app, "ny@example.se", "/konto/e-post")
    assert client.get(link).status_code == 302
    assert "ny@example.se" in _page(client.get("/konto"))
    assert client.get(link).status_code == 400  # once
    with app.app_context():
        assert "ny@example.se" in outbox_for(email)[-1].body  # the old address is told
        assert "user.change_email" in db.session.scalars(select(AuditEntry.action)).all()

    # An address with an account already: told by e-mail, the page answers alike.
    response = client.post("/konto/e-post", data={"email": taken,
                                                  "email_password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert "/konto/e-post/" not in outbox_for(taken)[-1].body


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_flask_mail_outbox_lists_the_waiting_emails_with_their_links(app, client, runner,
                                                                     make_user):
    email = make_user("viewer")
    client.post("/glomt-losenord", data={"email": email})
    result = runner.invoke(args=["mail", "outbox"])
    assert result.exit_code == 0, result.output
    assert f"väntar till {email}: Återställ ditt lösenord" in result.output
    assert re.search(r"^    http://localhost/aterstall-losenord/\S+$", result.output, re.M)
    result = runner.invoke(args=["mail", "outbox", "--to", "ingen@example.se"])
    assert "Utkorgen är tom." in result.output
