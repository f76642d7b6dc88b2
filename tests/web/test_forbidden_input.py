"""Characters no text may hold (a NUL, a vertical tab) typed or sent anywhere: refused at the
field with a message in Swedish, never a server error, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.call.models import Application, Call
from app.call.rules import ApplicationState
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.rules import ReportKind
from app.ledger.models import Line
from tests.call.factories import (
    complete_form,
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import PASSWORD, login
from tests.followup.test_applicant_project import COORDINATOR, grant_application, report_form
from tests.ledger.factories import allocation_id

BAD = {"NUL": "\x00", "VT": "\x0b"}


def refusal(char: str, place: int = 2) -> str:
    return (f"Fältet innehåller ett tecken som inte får finnas i text (tecken "
            f"0x{ord(char):02X} på plats {place})")


@dataclass
class World:
    pool: int
    call_id: int
    allocation_id: int
    draft_id: int
    review_id: int
    granted_id: int
    grant_id: int
    report_id: int
    applicant: str


@pytest.fixture
def world(app) -> World:
    with app.test_request_context():
        pool = make_pool(1_000_000)
        call = make_call(pool)
        org = make_organisation("Ragunda kommun")
        applicant = make_applicant(org)
        draft = make_application(call, org, state=ApplicationState.DRAFT, title="Utkast")
        review = make_application(call, org, state=ApplicationState.UNDER_REVIEW,
                                  title="Granskas")
        granted, grant = grant_application(call, org)
        report = project_reports.schedule_report(grant.id, ReportKind.INTERIM,
                                                 date(2022, 12, 31), COORDINATOR)
        db.session.commit()
        built = World(pool, call.id, allocation_id("samverkan", 2022), draft.id, review.id,
                      granted.id, grant.id, report.id, applicant)
        db.session.remove()
    return built


def _call_form(w: World) -> dict:
    area = db.session.get(Call, w.call_id).goal_areas[0].id
    return {"line": str(w.pool), "title": "Utlysning", "opens_on": "2022-03-01",
            "opens_time": "08:00", "closes_on": "2022-04-15", "closes_time": "23:59",
            "goal_areas": [str(area)]}


def _application_form(w: World) -> dict:
    return complete_form(db.session.get(Application, w.draft_id).call)


REGISTER = {"email": "anna@krokom.se", "name": "Anna", "password": PASSWORD,
            "password2": PASSWORD, "organisation": "Krokoms kommun", "kind": "municipality"}

# (who, address, the form as posted, the field given the character)
FORMS = [
    ("anonymous", lambda w: "/login", lambda w: {"email": "a@b.se", "password": "x"}, "email"),
    ("anonymous", lambda w: "/register", lambda w: dict(REGISTER), "name"),
    ("anonymous", lambda w: "/confirm", lambda w: {"email": "a@b.se"}, "email"),
    ("applicant", lambda w: f"/ansokningar/{w.draft_id}", _application_form, "title"),
    ("applicant", lambda w: f"/ansokningar/{w.draft_id}", _application_form,
     "budget-0-description"),
    ("applicant", lambda w: f"/ansokningar/{w.draft_id}", _application_form, "answer-q1"),
    ("applicant", lambda w: f"/ansokningar/{w.granted_id}/projekt/rapporter/{w.report_id}",
     lambda w: report_form(), "text"),
    ("applicant", lambda w: f"/ansokningar/{w.granted_id}/projekt/rekvirera",
     lambda w: {"amount": "1 000", "text": "Första"}, "text"),
    ("coordinator", lambda w: "/calls/new", _call_form, "title"),
    ("coordinator", lambda w: f"/calls/applications/{w.review_id}/return",
     lambda w: {"message": "Komplettera"}, "message"),
    ("coordinator", lambda w: f"/calls/applications/{w.review_id}/decide",
     lambda w: {"outcome": "granted", "body": "SVOM", "decided_on": "2022-06-10"}, "body"),
    ("coordinator", lambda w: f"/allocations/{w.allocation_id}/lines/new",
     lambda w: {"activity": "Ny rad", "kind": "activity", "budget": "1 000"}, "activity"),
    ("coordinator", lambda w: f"/lines/{w.pool}/grants/new",
     lambda w: {"title": "Projekt", "owner": "Bräcke kommun", "amount": "1 000",
                "goal_areas": ["Stärka äldres psykiska hälsa"]}, "owner"),
    ("coordinator", lambda w: f"/projekt/{w.grant_id}/utbetalningar",
     lambda w: {"pay-kind": "payment", "pay-amount": "1 000", "pay-paid_on": "2022-06-01",
                "pay-reference": "VER-9"}, "pay-reference"),
    ("coordinator", lambda w: f"/projekt/{w.grant_id}/utbetalningar",
     lambda w: {"pay-kind": "payment", "pay-amount": "1 000", "pay-paid_on": "2022-06-01",
                "pay-reference": "VER-9"}, "pay-amount"),
    ("coordinator", lambda w: "/invite",
     lambda w: {"email": "ny@krokom.se", "organisation": "Krokom", "kind": "municipality"},
     "organisation"),
    ("admin", lambda w: "/admin/earmarks",
     lambda w: {"code": "traumavard", "name": "Traumavård", "remainder_rule": "carry_over"},
     "name"),
    ("admin", lambda w: "/admin/users",
     lambda w: {"email": "ny@region.se", "name": "Ny", "role": "viewer", "password": PASSWORD,
                "confirm": PASSWORD}, "name"),
]


def _log_in(client, make_user, world: World, who: str) -> None:
    if who == "applicant":
        login(client, world.applicant)
    elif who != "anonymous":
        login(client, make_user(who))


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("who, address, form, field", FORMS,
                         ids=[f"{f[0]}:{f[3]}@{i}" for i, f in enumerate(FORMS)])
def test_a_forbidden_character_is_refused_at_the_field(app, client, make_user, world, char,
                                                       who, address, form, field):
    """Does each form answer a NUL or a vertical tab in a text field with the Swedish message
    at that field, and store nothing of it?"""
    _log_in(client, make_user, world, who)
    with app.test_request_context():
        data = form(world)
    data[field] = f"a{char}b"
    with app.app_context():
        users_before = db.session.scalar(select(func.count()).select_from(User))
        lines_before = db.session.scalar(select(func.count()).select_from(Line))
    response = client.post(address(world), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 422), response.status_code  # the form again
    assert refusal(char) in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == users_before
        assert db.session.scalar(select(func.count()).select_from(Line)) == lines_before
        draft = db.session.get(Application, world.draft_id)
        assert draft.title == "Utkast" and char not in (draft.answers or {}).get("q1", "")


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
def test_the_autosave_answers_json_naming_the_field(app, client, world, char):
    """Does the applicant's autosave refuse the character in JSON, at the field, saving
    nothing?"""
    login(client, world.applicant)
    with app.test_request_context():
        data = _application_form(world)
    data["summary"] = f"a{char}b"
    response = client.post(f"/ansokningar/{world.draft_id}/autosave", data=data)
    assert response.status_code == 400
    assert response.is_json and response.json["ok"] is False
    assert refusal(char) in response.json["errors"]["summary"]
    with app.app_context():
        assert db.session.get(Application, world.draft_id).title == "Utkast"


@pytest.mark.parametrize("address", [
    "/calls/?state=%00",
    "/calls/?goal_area=1&organisation=%0B",
    "/utbetalningar?state=a%00",
    "/admin/audit?action=%0B",
    "/projekt?%00=1",
    "/calls/%00",
])
def test_searches_and_addresses_with_the_character_are_refused_clearly(as_role, address):
    """Is a filter, a field name or an address holding the character a 400 page saying so?"""
    response = as_role("admin").get(address)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Otillåtet tecken" in page and "får finnas i text" in page


def test_a_json_body_with_the_character_is_refused_in_json(client):
    response = client.post("/login", json={"email": "a\x00@b.se"})
    assert response.status_code == 400
    assert response.is_json and "0x00" in response.json["error"]


def test_an_anonymous_login_with_a_nul_keeps_what_was_typed(client):
    """Is the login page shown again with the message at the e-mail field, not a 500?"""
    response = client.post("/login", data={"email": "anna\x00@krokom.se", "password": "x"})
    assert response.status_code == 400 or response.status_code == 200
    page = response.get_data(as_text=True)
    assert refusal("\x00", 5) in page
    assert 'aria-invalid="true"' in page


def test_a_language_change_with_the_character_in_next_stays_on_the_site(client):
    response = client.post("/lang", data={"lang": "sv", "next": "/calls\x00/x"})
    assert response.status_code == 302
    assert "\x00" not in response.headers["Location"]


def test_a_crash_on_such_input_is_answered_as_a_refusal(app, client, monkeypatch):
    """Should something still break on a posted NUL, is the answer the clear 400, not a 500?"""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken(*args, **kwargs):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")

    monkeypatch.setattr("app.accounts.views.login.check_login", broken)
    monkeypatch.setattr("app.core.forms.refuse_forbidden", lambda form: True)
    response = client.post("/login", data={"email": "a\x00@b.se", "password": "x"})
    assert response.status_code == 400
    assert "Otillåtet tecken" in response.get_data(as_text=True)
