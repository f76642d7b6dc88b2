"""Can a person download everything the system holds about them, and nobody else's?"""

from __future__ import annotations

import json
import logging

from tests.conftest import login
from tests.privacy.conftest import EMAIL, NAME


def download(client, url: str = "/konto/mina-uppgifter.json"):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, json.loads(response.get_data(as_text=True))


def test_an_applicant_downloads_their_own_application_and_not_a_colleagues(client, person,
                                                                            caplog):
    login(client, EMAIL)
    with caplog.at_level(logging.INFO, logger="stimulansmedel.security"):
        response, data = download(client)
    assert response.headers["Content-Disposition"] == 'attachment; filename="mina-uppgifter.json"'
    assert "no-store" in response.headers["Cache-Control"]
    assert response.mimetype == "application/json"
    assert data["account"]["email"] == EMAIL and data["account"]["name"] == NAME
    assert "password_hash" not in data["account"]
    assert "password_hash" not in response.get_data(as_text=True)
    assert data["organisation"]["name"] == "Krokoms kommun"
    titles = [a["title"] for a in data["applications"]]
    assert titles == ["Annas projekt"]
    assert data["applications"][0]["budget_lines"][0]["amount"] == 30_000_000
    assert sorted(e["subject"] for e in data["emails"]) == ["Kvitto: Annas projekt", "Påminnelse"]
    assert [p["reference"] for p in data["payments"]] == ["VER-7"]
    assert {"user.create", "payment.register"} <= {e["action"] for e in data["audit_log"]}
    (event,) = [json.loads(r.getMessage()) for r in caplog.records
                if r.name == "stimulansmedel.security"]
    assert event["event"] == "personal_data.export"
    assert event["user"] == EMAIL and event["subject_id"] == data["account"]["id"]


def test_a_colleagues_export_has_their_application_and_not_annas(client, person):
    login(client, person.colleague)
    _response, data = download(client)
    assert [a["title"] for a in data["applications"]] == ["Kollegans projekt"]
    assert EMAIL not in json.dumps(data, ensure_ascii=False)


def test_an_application_that_names_a_person_is_in_their_export(app, client, person):
    """Written by the colleague, but naming Anna as its contact: it is about her too."""
    from app.call.models import Application
    from app.extensions import db

    with app.app_context():
        theirs = db.session.get(Application, person.colleague_application_id)
        theirs.owner = f"Krokoms kommun, kontakt {NAME}"
        db.session.commit()
    login(client, EMAIL)
    _response, data = download(client)
    assert sorted(a["title"] for a in data["applications"]) == ["Annas projekt",
                                                                 "Kollegans projekt"]


def test_the_download_asks_a_visitor_to_log_in(client, person):
    response = client.get("/konto/mina-uppgifter.json")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_user_menu_offers_the_download(client, person):
    login(client, EMAIL)
    page = client.get("/utlysningar").get_data(as_text=True)
    assert 'href="/konto/mina-uppgifter.json" download>Mina uppgifter</a>' in page


def test_an_administrator_downloads_a_persons_data_for_them(client, person, as_role):
    admin = as_role("admin")
    response, data = download(admin, f"/admin/users/{person.user_id}/data.json")
    assert data["account"]["email"] == EMAIL
    assert "attachment" in response.headers["Content-Disposition"]


def test_an_applicant_cannot_download_another_persons_data(client, person):
    login(client, person.stranger)
    assert client.get(f"/admin/users/{person.user_id}/data.json").status_code == 403


def test_a_coordinator_cannot_download_another_persons_data(person, as_role):
    assert as_role("coordinator").get(
        f"/admin/users/{person.user_id}/data.json").status_code == 403


def test_an_unknown_account_is_not_found(as_role):
    assert as_role("admin").get("/admin/users/999999/data.json").status_code == 404
