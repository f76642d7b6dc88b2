"""Writing a draft: saving, resuming, sharing within the organisation, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.call.models import Application, Call
from app.extensions import db
from tests.call.factories import complete_form
from tests.conftest import login


def _form(app, world, **overrides):
    with app.app_context():
        return complete_form(db.session.get(Call, world.call_id), **overrides)


def test_a_draft_is_saved_and_resumed(app, client, world, new_application):
    """Does a saved draft come back with everything typed, and the total computed?"""
    app_id = new_application()
    response = client.post(f"/ansokningar/{app_id}", data=_form(app, world))
    assert response.status_code == 302
    client.post("/logout")
    login(client, world.applicant)
    listing = client.get("/ansokningar").get_data(as_text=True)
    assert "Första hjälpen till psykisk hälsa" in listing and "Utkast" in listing
    page = client.get(f"/ansokningar/{app_id}").get_data(as_text=True)
    assert "Utbildning i MHFA för skolpersonal." in page
    assert "128\u00a0500,50\u00a0kr" in page
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.amount_applied == 12_850_050
        assert len(application.budget_lines) == 2  # the empty row is ignored
        assert application.partners == ["Region Jämtland Härjedalen", "JLB"]
        assert application.answers == {"q1": "Genom elevhälsan."}


def test_a_colleague_of_the_same_organisation_edits_the_draft(app, client, world,
                                                              new_application):
    """Can another applicant of the same organisation open and change the same draft?"""
    app_id = new_application()
    client.post(f"/ansokningar/{app_id}", data=_form(app, world))
    client.post("/logout")
    login(client, world.colleague)
    assert "Första hjälpen" in client.get("/ansokningar").get_data(as_text=True)
    client.post(f"/ansokningar/{app_id}", data=_form(app, world, title="Ändrad av kollegan"))
    with app.app_context():
        assert db.session.get(Application, app_id).title == "Ändrad av kollegan"


def test_a_malformed_amount_is_kept_at_the_field_and_the_rest_saved(app, client, world,
                                                                     new_application):
    app_id = new_application()
    response = client.post(f"/ansokningar/{app_id}",
                           data=_form(app, world, **{"budget-1-amount": "12,000.50"}))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'value="12,000.50"' in text
    assert "kan inte läsas som belopp" in text
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.title == "Första hjälpen till psykisk hälsa"
        assert [line.amount for line in application.budget_lines] == [12_000_000]


def test_a_title_of_10000_characters_is_refused_and_nothing_saved(app, client, world,
                                                                  new_application):
    app_id = new_application()
    response = client.post(f"/ansokningar/{app_id}",
                           data=_form(app, world, title="x" * 10_000))
    assert response.status_code == 400
    assert "högst 300 tecken" in response.get_data(as_text=True)
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.title == "" and application.summary == ""
        assert application.budget_lines == []


TEXT_FIELDS = ["title", "summary", "background", "aim", "target_group", "owner", "partners",
               "user_participation", "long_term_plan", "indicators", "answer-q1",
               "budget-0-description"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_html_in_every_text_field_is_shown_escaped(app, client, world, new_application, field):
    """Is script typed into a field shown as text, both in the form and when frozen?"""
    app_id = new_application()
    evil = '<script>alert("x")</script><b>fet</b>'
    client.post(f"/ansokningar/{app_id}", data=_form(app, world, **{field: evil}))
    page = client.get(f"/ansokningar/{app_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>fet</b>" not in page
    assert "&lt;script&gt;" in page
    with app.app_context():
        db.session.get(Application, app_id).state = "submitted"
        db.session.commit()
    page = client.get(f"/ansokningar/{app_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;b&gt;fet&lt;/b&gt;" in page
    assert client.get(f"/ansokningar/{app_id}.pdf").status_code == 200


def test_autosave_saves_with_the_same_rules_and_answers_json(app, client, world, new_application):
    app_id = new_application()
    response = client.post(f"/ansokningar/{app_id}/autosave",
                           data=_form(app, world, **{"budget-1-amount": "tolv"}))
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] and body["saved_at"] and "budget-1-amount" in body["errors"]
    response = client.post(f"/ansokningar/{app_id}/autosave", data=_form(app, world, title="y" * 301))
    assert response.status_code == 400 and not response.get_json()["ok"]
    client.post("/logout")
    response = client.post(f"/ansokningar/{app_id}/autosave", data=_form(app, world))
    assert response.status_code == 401 and response.get_json()["ok"] is False


def test_the_list_shows_only_the_own_organisations_applications(app, client, world,
                                                               new_application):
    new_application()
    client.post("/logout")
    login(client, world.stranger)
    assert "Din organisation har inga ansökningar" in client.get("/ansokningar").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_the_application_downloads_as_a_pdf(app, client, world, new_application):
    app_id = new_application()
    client.post(f"/ansokningar/{app_id}", data=_form(app, world))
    response = client.get(f"/ansokningar/{app_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")
