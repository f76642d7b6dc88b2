"""Can an administrator anonymise an account, so that the person's name and e-mail are gone
everywhere while applications, decisions and money stay?"""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from app.accounts.models import User
from app.call.models import Application
from app.core.models import AuditEntry, OutboundEmail
from app.extensions import db
from app.ledger.models import Payment
from tests.conftest import login
from tests.privacy.conftest import EMAIL, NAME, database_dump, money_totals


def anonymise(client, user_id: int, **data):
    return client.post(f"/admin/users/{user_id}/anonymise", data={"understood": "y", **data})


def test_the_confirmation_says_what_goes_and_what_stays(person, as_role):
    page = as_role("admin").get(f"/admin/users/{person.user_id}/anonymise")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"Anonymisera kontot {EMAIL}?" in text
    assert "Det här försvinner" in text and "Det här finns kvar" in text
    assert "kan aldrig mer logga in" in text
    assert "utbetalningar och alla belopp" in text


def test_the_name_and_email_are_gone_from_the_whole_database_and_money_stays(app, person,
                                                                             as_role, caplog):
    with app.app_context():
        before = money_totals()
        dump = database_dump()
        assert EMAIL in dump and NAME in dump and EMAIL.upper() in dump
        db.session.remove()
    client = as_role("admin")
    with caplog.at_level(logging.INFO, logger="stimulansmedel.security"):
        response = anonymise(client, person.user_id)
    assert response.status_code == 302
    with app.app_context():
        dump = database_dump()
        assert EMAIL not in dump.lower()
        assert NAME.lower() not in dump.lower()
        assert money_totals() == before
        user = db.session.get(User, person.user_id)
        assert user.name.startswith("Anonymiserad användare ")
        assert user.email.endswith("@anonymiserad.invalid")
        assert not user.active and user.anonymised_at is not None
        # The applications and the payment stay, named by the pseudonym.
        mine = db.session.get(Application, person.application_id)
        assert mine.title == "Annas projekt" and mine.created_by_id == user.id
        assert mine.summary == f"Kontaktperson: {user.name}, {user.name}, 070-123 45 67."
        payment = db.session.scalar(select(Payment).where(Payment.reference == "VER-7"))
        assert payment.registered_by == user.name
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.actor_id == user.id)).all()
        assert entries and {e.actor for e in entries} == {user.name}
        done = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.anonymise"))
        assert done.entity_id == user.id and done.actor.startswith("admin-")
        # The unsent e-mail is gone; the sent one keeps its subject, not its content.
        (kept,) = db.session.scalars(select(OutboundEmail).where(
            OutboundEmail.to == user.email)).all()
        assert kept.subject == "Påminnelse" and NAME not in kept.body
        pseudonym = user.name
    events = [json.loads(r.getMessage()) for r in caplog.records
              if r.name == "stimulansmedel.security"]
    assert [e["event"] for e in events] == ["account.anonymise"]
    assert events[0]["pseudonym"] == pseudonym and EMAIL not in json.dumps(events[0])


def test_the_colleagues_data_is_left_alone(app, person, as_role):
    anonymise(as_role("admin"), person.user_id)
    with app.app_context():
        dump = database_dump()
        assert person.colleague in dump and person.stranger in dump
        assert db.session.get(Application, person.colleague_application_id).created_by_id


def test_an_anonymised_account_cannot_log_in_and_its_session_ends(app, person, client,
                                                                 make_user):
    login(client, EMAIL)
    assert client.get("/konto/mina-uppgifter.json").status_code == 200
    admin = app.test_client()
    login(admin, make_user("admin"))
    assert anonymise(admin, person.user_id).status_code == 302
    # The person's open session is over, and the old address and password open nothing.
    assert client.get("/konto/mina-uppgifter.json").status_code == 302
    page = login(client, EMAIL).get_data(as_text=True)
    assert "Fel e-postadress eller lösenord" in page


def test_an_anonymised_account_cannot_be_activated_again(app, person, as_role):
    client = as_role("admin")
    anonymise(client, person.user_id)
    response = client.post(f"/admin/users/{person.user_id}/active", data={"active": "1"},
                           follow_redirects=True)
    assert "kontot är anonymiserat och kan inte aktiveras igen" in response.get_data(
        as_text=True).lower()
    with app.app_context():
        assert not db.session.get(User, person.user_id).active


def test_anonymising_twice_says_it_is_done(person, as_role):
    client = as_role("admin")
    anonymise(client, person.user_id)
    page = client.get(f"/admin/users/{person.user_id}/anonymise",
                      follow_redirects=True).get_data(as_text=True)
    assert "Kontot är redan anonymiserat." in page
    assert "<span class=\"ds-tag\" data-color=\"neutral\">Anonymiserat</span>" in page
    assert f'href="/admin/users/{person.user_id}/anonymise"' not in page


def test_without_the_confirmation_nothing_happens_and_the_field_says_why(app, person, as_role):
    response = as_role("admin").post(f"/admin/users/{person.user_id}/anonymise", data={})
    assert response.status_code == 422
    assert "Kryssa i att du förstår att anonymiseringen inte går att ångra" in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, person.user_id).email == EMAIL


def test_the_account_list_links_to_anonymising(person, as_role):
    page = as_role("admin").get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{person.user_id}/anonymise"' in page


def test_an_administrator_cannot_anonymise_their_own_account(app, client, as_role):
    admin = as_role("admin")
    with app.app_context():
        me = db.session.scalar(select(User).where(User.role == "admin"))
        my_id = me.id
    page = admin.get(f"/admin/users/{my_id}/anonymise").get_data(as_text=True)
    assert "Du kan inte anonymisera ditt eget konto." in page
    assert anonymise(admin, my_id).status_code == 403
    with app.app_context():
        assert db.session.get(User, my_id).anonymised_at is None


def test_an_applicant_cannot_anonymise_another_account(app, client, person):
    login(client, person.stranger)
    assert client.get(f"/admin/users/{person.user_id}/anonymise").status_code == 403
    assert anonymise(client, person.user_id).status_code == 403
    with app.app_context():
        assert db.session.get(User, person.user_id).anonymised_at is None


def test_a_coordinator_cannot_anonymise_an_account(app, person, as_role):
    assert anonymise(as_role("coordinator"), person.user_id).status_code == 403
