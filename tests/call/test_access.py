"""Who may see and change an application, by every route."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from app.call.models import Application, Call
from app.call.rules import ApplicationState
from app.extensions import db
from tests.call.factories import complete_form
from tests.conftest import login

PDF = b"%PDF-1.4\n%%EOF\n"

# (method, path template); {a} the application, {t} its attachment
ROUTES = [
    ("GET", "/ansokningar/{a}"),
    ("POST", "/ansokningar/{a}"),
    ("POST", "/ansokningar/{a}/autosave"),
    ("GET", "/ansokningar/{a}/skicka"),
    ("POST", "/ansokningar/{a}/skicka"),
    ("GET", "/ansokningar/{a}/aterta"),
    ("POST", "/ansokningar/{a}/aterta"),
    ("POST", "/ansokningar/{a}/bilagor"),
    ("GET", "/ansokningar/{a}/bilagor/{t}"),
    ("POST", "/ansokningar/{a}/bilagor/{t}/ta-bort"),
    ("GET", "/ansokningar/{a}.pdf"),
]


@pytest.fixture
def draft(app, client, world, new_application):
    """A draft with an attachment; returns (application id, attachment id); logs out."""
    app_id = new_application()
    with app.app_context():
        form = complete_form(db.session.get(Call, world.call_id))
    client.post(f"/ansokningar/{app_id}", data=form)
    client.post(f"/ansokningar/{app_id}/bilagor", data={"file": (io.BytesIO(PDF), "a.pdf")})
    with app.app_context():
        from app.call.models import Attachment
        att_id = db.session.query(Attachment).one().id
    client.post("/logout")
    return app_id, att_id


def _call(client, method, path):
    data = {"file": (io.BytesIO(PDF), "b.pdf")} if path.endswith("/bilagor") else {"title": "x"}
    if method == "GET":
        return client.get(path)
    return client.post(path, data=data)


@pytest.mark.parametrize("method,path", ROUTES)
def test_an_applicant_of_another_organisation_gets_404(client, world, draft, method, path):
    """Can an applicant of another organisation see or change the application? No: 404."""
    app_id, att_id = draft
    login(client, world.stranger)
    assert _call(client, method, path.format(a=app_id, t=att_id)).status_code == 404


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_is_sent_to_login(client, world, draft, method, path):
    app_id, att_id = draft
    response = _call(client, method, path.format(a=app_id, t=att_id))
    if path.endswith("/autosave"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("role", ["coordinator", "viewer", "admin"])
def test_staff_neither_read_nor_change_a_draft(client, world, draft, make_user, role, method,
                                               path):
    """A draft is its applicants' own until they send it: the region's staff do not find it,
    to read or to change (404)."""
    app_id, att_id = draft
    login(client, make_user(role))
    assert _call(client, method, path.format(a=app_id, t=att_id)).status_code == 404


@pytest.mark.parametrize("method,path", ROUTES)
def test_staff_read_an_application_sent_in_but_do_not_change_it(app, client, world, draft,
                                                                  make_user, method, path):
    app_id, att_id = draft
    with app.app_context():
        application = db.session.get(Application, app_id)
        application.state, application.submitted_at = ApplicationState.SUBMITTED, datetime.now(UTC)
        db.session.commit()
    login(client, make_user("coordinator"))
    status = _call(client, method, path.format(a=app_id, t=att_id)).status_code
    if method == "GET" and not path.endswith("/aterta") and not path.endswith("/skicka"):
        assert status == 200
    else:
        assert status in (302, 403)


def test_the_staff_review_page_of_a_draft_is_not_found(client, draft, make_user):
    app_id, _att_id = draft
    login(client, make_user("coordinator"))
    assert client.get(f"/calls/applications/{app_id}").status_code == 404


@pytest.mark.parametrize("method,path", ROUTES)
def test_a_colleague_of_the_same_organisation_may(client, world, draft, method, path):
    app_id, att_id = draft
    login(client, world.colleague)
    assert _call(client, method, path.format(a=app_id, t=att_id)).status_code in (200, 302, 400)


def test_an_unknown_application_is_404(client, world):
    login(client, world.applicant)
    assert client.get("/ansokningar/99999").status_code == 404


def test_public_call_pages(client, world):
    """Can anyone see the open calls, and only applicants get the button?"""
    assert "Projektutlysning 2020" in client.get("/utlysningar").get_data(as_text=True)
    page = client.get(f"/utlysningar/{world.call_id}").get_data(as_text=True)
    assert "Minst två huvudmän" in page and "Logga in för att ansöka" in page
    login(client, world.applicant)
    page = client.get(f"/utlysningar/{world.call_id}").get_data(as_text=True)
    assert f"/utlysningar/{world.call_id}/ansok" in page
    nav = client.get("/ansokningar").get_data(as_text=True)
    assert "Mina ansökningar" in nav and "Översikt" not in nav
