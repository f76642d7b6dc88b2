"""Registration, e-mail confirmation, invitations and logging in as an applicant."""

from __future__ import annotations

import re

from freezegun import freeze_time
from sqlalchemy import select

from app.accounts.models import Organisation, User
from app.core.mail import outbox_for
from app.core.models import AuditEntry
from app.extensions import db
from tests.conftest import PASSWORD, login

FORM = {"email": "anna@krokom.se", "name": "Anna Berg", "password": PASSWORD,
        "password2": PASSWORD, "organisation": "Krokoms kommun", "kind": "municipality",
        "org_number": ""}


def _link(app, email: str, path: str) -> str:
    with app.app_context():
        body = outbox_for(email)[-1].body
    match = re.search(rf"https?://[^\s]+({path}/[^\s]+)", body)
    assert match, body
    return match.group(1)


def test_a_new_applicant_registers_confirms_and_logs_in(app, client):
    """Can a person register, confirm by the e-mailed link and then log in?"""
    response = client.post("/register", data=FORM)
    assert response.status_code == 200
    assert "Kolla din e-post" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "anna@krokom.se"))
        assert user.email_confirmed_at is None and user.is_applicant
        assert db.session.get(Organisation, user.organisation_id).name == "Krokoms kommun"

    refused = login(client, "anna@krokom.se")
    text = refused.get_data(as_text=True)
    assert "inte bekräftat" in text and "/confirm" in text

    link = _link(app, "anna@krokom.se", "/confirm")
    response = client.get(link, follow_redirects=True)
    assert "bekräftad" in response.get_data(as_text=True)
    response = login(client, "anna@krokom.se")
    assert "Mina ansökningar" in response.get_data(as_text=True)
    assert response.request.path == "/ansokningar"


def test_registering_and_confirming_are_in_the_audit_log(app, client):
    """Does the log say who registered, which organisation was made, and the confirmation, once?"""
    client.post("/register", data=FORM)
    link = _link(app, "anna@krokom.se", "/confirm")
    client.get(link)
    client.get(link)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor) for e in entries] == [
        ("organisation.create", "anna@krokom.se"),
        ("user.create", "anna@krokom.se"),
        ("user.confirm", "anna@krokom.se"),
    ]


def test_an_expired_or_forged_link_offers_a_new_one(app, client):
    """Does an expired link say so and offer to send a new one?"""
    with freeze_time("2026-01-01 12:00:00"):
        client.post("/register", data=FORM)
        link = _link(app, "anna@krokom.se", "/confirm")
    with freeze_time("2026-01-10 12:00:00"):
        response = client.get(link)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "gått ut" in text and 'action="/confirm"' in text
    assert client.get("/confirm/forged-token").status_code == 400
    client.post("/confirm", data={"email": "anna@krokom.se"})
    with app.app_context():
        assert len(outbox_for("anna@krokom.se")) == 2


def test_registering_a_taken_address_reveals_nothing(app, client, make_user):
    """Does the page answer the same for a taken address, and tell its owner instead?"""
    email = make_user("coordinator")
    response = client.post("/register", data={**FORM, "email": email})
    assert response.status_code == 200
    assert "Kolla din e-post" in response.get_data(as_text=True)
    with app.app_context():
        assert "redan ett konto" in outbox_for(email)[-1].body
        assert db.session.scalar(select(User).where(User.email == email)).role.value == "coordinator"


def test_registration_checks_password_and_org_number(app, client):
    response = client.post("/register", data={**FORM, "password2": "något-annat-lösen"})
    assert "Lösenorden är inte lika" in response.get_data(as_text=True)
    response = client.post("/register", data={**FORM, "password": "kort", "password2": "kort"})
    assert "minst 10 tecken" in response.get_data(as_text=True)
    response = client.post("/register", data={**FORM, "org_number": "212000-2628"})
    assert response.status_code == 200
    assert 'id="org_number-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "anna@krokom.se")) is None


def test_a_second_person_joins_the_organisation_by_number(app, client):
    client.post("/register", data={**FORM, "org_number": "212000-2627"})
    client.post("/register", data={**FORM, "email": "bo@krokom.se", "organisation": "Krokom",
                                   "org_number": "2120002627"})
    with app.app_context():
        users = db.session.scalars(select(User).order_by(User.id)).all()
        assert users[0].organisation_id == users[1].organisation_id


def test_a_coordinator_invites_an_applicant(app, client, make_user):
    """Can an invited applicant choose a password from the link, once?"""
    login(client, make_user("coordinator"))
    response = client.post("/invite", data={"email": "cecilia@are.se", "name": "Cecilia",
                                            "organisation": "Åre kommun", "kind": "municipality"},
                           follow_redirects=True)
    assert "Inbjudan är skickad" in response.get_data(as_text=True)
    link = _link(app, "cecilia@are.se", "/set-password")
    client.post("/logout")
    response = client.post(link, data={"password": "ett-nytt-losenord", "password2": "ett-nytt-losenord"})
    assert response.status_code == 302
    assert client.post(link, data={"password": "x" * 12, "password2": "x" * 12}).status_code == 400
    response = login(client, "cecilia@are.se", "ett-nytt-losenord")
    assert response.request.path == "/ansokningar"


def test_applicants_and_viewers_cannot_invite(client, make_user, world):
    login(client, world.applicant)
    assert client.get("/invite").status_code == 403


def _hash_counter(monkeypatch):
    """Count every password hashed while registering, wherever it is hashed."""
    import app.accounts.models as models
    import app.accounts.registration as registration

    hashed: list[str] = []
    for module in (models, registration):
        real = module.generate_password_hash

        def counting(password, *args, _real=real, **kwargs):
            hashed.append(password)
            return _real(password, *args, **kwargs)

        monkeypatch.setattr(module, "generate_password_hash", counting)
    return hashed


def test_a_taken_and_a_new_address_cost_the_same_work(app, client, make_user, monkeypatch):
    """Could the answer's time tell which addresses have accounts? Both paths hash the password
    once, queue one e-mail and show the same page."""
    taken = make_user("viewer")
    hashed = _hash_counter(monkeypatch)
    pages = {}
    for email in (taken, "ny@krokom.se"):
        hashed.clear()
        response = client.post("/register", data={**FORM, "email": email})
        assert response.status_code == 200
        assert hashed == [PASSWORD], email
        with app.app_context():
            assert len(outbox_for(email)) == 1
        page = response.get_data(as_text=True).replace(email, "ADDRESS")
        pages[email] = re.sub(r'name="csrf_token"[^>]*', "", page)  # signed anew each time
    assert pages[taken] == pages["ny@krokom.se"]
    with app.app_context():
        body = outbox_for(taken)[0].body
    assert "redan ett konto" in body and "/login" in body and "glömt lösenordet" in body


def test_a_wrong_org_number_is_refused_alike_for_a_taken_address(client, make_user):
    """Does a bad organisationsnummer give away that the address is taken? (It is checked first.)"""
    taken = make_user("viewer")
    for email in (taken, "ny@krokom.se"):
        response = client.post("/register", data={**FORM, "email": email,
                                                  "org_number": "212000-2628"})
        assert 'id="org_number-error"' in response.get_data(as_text=True), email
