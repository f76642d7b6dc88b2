"""Calls on a pot that has money: the new-call form shows each pot's left amount and refuses
an exhausted one; an open call's closing time and texts are corrected, audited, its applicants
told; closing a year closes its calls, and a closed year's pot takes no application."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.call import calls
from app.call.models import Call
from app.call.rules import ApplicationState, CallState
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.models import AuditEntry, OutboundEmail
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.goal_areas.lists import retire_area
from app.ledger.lines import GrantInput, add_grant
from app.ledger.years import close_year
from tests.call.factories import (
    AREAS,
    complete_form,
    make_applicant,
    make_application,
    make_call,
    make_organisation,
)
from tests.conftest import login
from tests.ledger.factories import allocation, call_line_id, document, line
from tests.support import kronor

ACTOR = Actor(label="samordnare@example.se")


def pool_with_outcomes(pool_kr: int = 1_000_000, year: int = 2022) -> int:
    """A year whose lines have outcomes (so it may close), with a call line of `pool_kr`."""
    import_document(document(allocation(
        "samverkan", year, 6_000_000,
        line("Projektutlysning", kind="call", budget=pool_kr, spent=pool_kr),
        *[line(f"Aktivitet {i}", goal_area=area, spent=1_000) for i, area in enumerate(AREAS)],
    )), ACTOR)
    db.session.flush()
    return call_line_id("samverkan", year)


def grant_from(line_id: int, amount_kr: int, title: str = "Beviljat") -> None:
    add_grant(line_id, GrantInput(title=title, owner="Krokoms kommun", amount=kronor(amount_kr),
                                  goal_areas=[AREAS[0]]), ACTOR)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True).replace("\u00a0", " "))


def plain(response) -> str:
    """The page's words without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response))).replace(" .", ".")


def csrf(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)


def call_form(line_id: int, area_id: int, **extra) -> dict:
    return {"line": str(line_id), "title": "Lokala projekt 2022", "opens_on": "2022-03-01",
            "opens_time": "08:00", "closes_on": "2022-04-15", "closes_time": "23:59",
            "goal_areas": [str(area_id)], **extra}


# --- the pot's left amount -----------------------------------------------------------------

@pytest.fixture
def pots(app) -> dict:
    """Two pots of 2022: one with 600 000 kr left of 1 000 000, one granted in full."""
    with app.app_context():
        half = pool_with_outcomes(1_000_000)
        grant_from(half, 400_000)
        import_document(document(allocation(
            "suicidprevention", 2022, 2_000_000,
            line("Utlysning", kind="call", budget=500_000, spent=500_000),
        )), ACTOR)
        full = call_line_id("suicidprevention", 2022)
        grant_from(full, 500_000, title="Hela potten")
        area_id = make_call(half).goal_areas[0].id
        db.session.commit()
        db.session.remove()
    return {"half": half, "full": full, "area": area_id}


def test_the_new_call_form_shows_what_each_pot_has_left(as_role, pots):
    page = text(as_role("coordinator").get("/calls/new"))
    assert "Samverkansmedel 2022: Projektutlysning (600 000 kr kvar av 1 000 000 kr)" in page
    assert "Suicidpreventiva medel 2022: Utlysning (inget kvar att bevilja av 500 000 kr)" in page


def test_a_call_on_an_exhausted_pot_is_refused_at_the_pot(app, as_role, pots):
    client = as_role("coordinator")
    before = _count(app, Call)
    response = client.post("/calls/new", data={"csrf_token": csrf(client, "/calls/new"),
                                               **call_form(pots["full"], pots["area"])})
    page = text(response)
    assert response.status_code == 422
    assert re.search(r'id="line-error"[^>]*>\s*Potten ”Utlysning” i Suicidpreventiva medel 2022 '
                     r"är redan beviljad i sin helhet", page)
    assert 'value="Lokala projekt 2022"' in page  # what was typed is kept
    assert _count(app, Call) == before


def test_a_goal_area_retired_since_the_form_was_shown_is_refused_at_the_field(app, as_role,
                                                                              pots):
    """Is a goal area retired by another coordinator while the new-call form was open
    refused at the goal areas' field, named, with nothing created?"""
    client = as_role("coordinator")
    token = csrf(client, "/calls/new")
    with app.app_context():
        name = retire_area(pots["area"], ACTOR).name
        db.session.commit()
        db.session.remove()
    before = _count(app, Call)
    response = client.post("/calls/new", data={"csrf_token": token,
                                               **call_form(pots["half"], pots["area"])})
    assert response.status_code == 422
    assert re.search(rf'id="goal_areas-error"[^>]*>\s*Målområdet {name} har utgått ur 2022 '
                     r"års lista och kan inte väljas\.", text(response))
    assert _count(app, Call) == before


@pytest.mark.parametrize("area_id", [0, 2**31, 2**63, 10**40])
def test_a_goal_area_id_no_row_can_have_is_refused_at_the_field(as_role, pots, area_id):
    """Does an id beyond the database's integers get the rules' refusal, not a 500?"""
    client = as_role("coordinator")
    response = client.post("/calls/new", data={"csrf_token": csrf(client, "/calls/new"),
                                               **call_form(pots["half"], area_id)})
    assert response.status_code == 422
    assert re.search(r'id="goal_areas-error"[^>]*>\s*Ett av målområdena finns inte\.',
                     text(response))


def test_a_draft_on_a_pot_granted_in_full_since_cannot_be_opened(ctx):
    pool = pool_with_outcomes(100_000)
    draft = make_call(pool, state=CallState.DRAFT)
    grant_from(pool, 100_000)
    with pytest.raises(DomainError, match="redan beviljad i sin helhet"):
        calls.set_state(draft.id, CallState.OPEN, ACTOR)
    assert draft.state is CallState.DRAFT


def _count(app, model) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
    return n


# --- correcting an open call ---------------------------------------------------------------

@pytest.fixture
def open_call(app) -> dict:
    """An open call with a draft, a submitted, a withdrawn and a decided application, each of
    its own organisation with one applicant."""
    with app.app_context():
        call = make_call(pool_with_outcomes())
        emails = {}
        for state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED,
                      ApplicationState.WITHDRAWN, ApplicationState.REJECTED):
            org = make_organisation(f"Kommun {state.value}")
            emails[state] = make_applicant(org, f"{state.value}@example.se")
            make_application(call, org, state=state)
        db.session.commit()
        ids = {"call": call.id, "emails": emails, "closes_at": call.closes_at}
        db.session.remove()
    return ids


def test_an_open_calls_closing_time_and_texts_are_corrected_and_applicants_told(
        ctx, open_call):
    new_close = open_call["closes_at"] + timedelta(days=7)
    changed = calls.correct_open_call(open_call["call"], calls.CallCorrection(
        title="Projektutlysning", closes_at=new_close,
        description="Sök medel för lokala projekt. Nu även för föreningar."), ACTOR,
        datetime.now(UTC))
    assert changed == ["stängningstiden", "beskrivningen"]
    call = db.session.get(Call, open_call["call"])
    assert call.closes_at == new_close and call.state is CallState.OPEN
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "call.correct"))
    assert "stängningstiden, beskrivningen" in entry.summary
    assert entry.before["closes_at"] != entry.after["closes_at"]
    mails = {m.to: m for m in db.session.scalars(select(OutboundEmail))}
    told = {open_call["emails"][s] for s in (ApplicationState.DRAFT, ApplicationState.SUBMITTED)}
    assert set(mails) == told  # not the withdrawn nor the decided
    body = next(iter(mails.values())).body
    assert "är ändrad: stängningstiden, beskrivningen" in body
    assert f"stänger nu {calls.utc_to_stockholm(new_close):%Y-%m-%d kl. %H:%M}" in body


def test_only_an_open_call_is_corrected_and_never_to_a_past_closing(ctx, open_call):
    now = datetime.now(UTC)
    with pytest.raises(DomainError, match="redan passerat"):
        calls.correct_open_call(open_call["call"], calls.CallCorrection(
            title="Projektutlysning", closes_at=now - timedelta(minutes=1)), ACTOR, now)
    draft = make_call(db.session.get(Call, open_call["call"]).line_id, state=CallState.DRAFT)
    with pytest.raises(DomainError, match="bara en öppen utlysning"):
        calls.correct_open_call(draft.id, calls.CallCorrection(
            title="X", closes_at=now + timedelta(days=1)), ACTOR, now)


def test_the_correction_page_keeps_what_was_typed_when_refused(app, as_role, open_call):
    client = as_role("coordinator")
    url = f"/calls/{open_call['call']}/correct"
    assert "Rätta utlysningen" in text(client.get(f"/calls/{open_call['call']}"))
    yesterday = calls.utc_to_stockholm(datetime.now(UTC) - timedelta(days=1))
    response = client.post(url, data={"csrf_token": csrf(client, url), "title": "Ny rubrik",
                                      "description": "Ny text", "requirements": "",
                                      "closes_on": yesterday.date().isoformat(),
                                      "closes_time": "12:00"})
    assert response.status_code == 422
    page = text(response)
    assert "redan passerat" in page and 'value="Ny rubrik"' in page
    later = calls.utc_to_stockholm(open_call["closes_at"] + timedelta(days=3))
    response = client.post(url, data={"csrf_token": csrf(client, url), "title": "Ny rubrik",
                                      "description": "Ny text", "requirements": "",
                                      "closes_on": later.date().isoformat(),
                                      "closes_time": later.strftime("%H:%M")})
    assert response.status_code == 302
    assert _count(app, OutboundEmail) == 2


# --- closing the year ----------------------------------------------------------------------

@pytest.fixture
def year_with_call(app) -> dict:
    with app.app_context():
        call = make_call(pool_with_outcomes())
        org = make_organisation("Krokoms kommun")
        applicant = make_applicant(org)
        draft = make_application(call, org, state=ApplicationState.DRAFT)
        db.session.commit()
        ids = {"call": call.id, "applicant": applicant, "draft": draft.id}
        db.session.remove()
    return ids


def test_the_closing_page_says_which_calls_close_and_closing_closes_them(app, as_role,
                                                                         year_with_call):
    client = as_role("coordinator")
    page = plain(client.get("/years/2022/close"))
    assert "Utlysningar som stängs" in page and "Projektutlysning (Samverkansmedel 2022)" in page
    response = client.post("/years/2022/close", data={"csrf_token": csrf(client, "/years/2022/close")})
    assert response.status_code == 302
    flashed = plain(client.get("/"))
    assert "Utlysningarna på årets potter är stängda: ”Projektutlysning”." in flashed
    with app.app_context():
        assert db.session.get(Call, year_with_call["call"]).state is CallState.CLOSED
        closing = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "year.close"))
        assert "stängde utlysningarna ”Projektutlysning”" in closing.summary
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "call.closed", AuditEntry.entity_id == year_with_call["call"]))


def test_the_command_line_names_the_calls_that_closing_the_year_closes(app, year_with_call):
    result = app.test_cli_runner().invoke(args=["funds", "close-year", "2022"])
    assert result.exit_code == 0, result.output
    assert "stängde utlysningen ”Projektutlysning”" in result.output
    with app.app_context():
        assert db.session.get(Call, year_with_call["call"]).state is CallState.CLOSED


def test_a_closed_years_pot_takes_no_application(app, client, year_with_call):
    with app.app_context():
        close_year(2022, ACTOR)
        db.session.commit()
        db.session.remove()
    login(client, year_with_call["applicant"])
    page = text(client.get(f"/utlysningar/{year_with_call['call']}"))
    assert "Utlysningens pengar hör till 2022, som är stängt" in page and "Ansök</button>" not in page
    response = client.post(f"/utlysningar/{year_with_call['call']}/ansok", follow_redirects=True)
    assert "Utlysningens pengar hör till 2022, som är stängt; utlysningen tar inte emot fler " \
           "ansökningar." in text(response)
    with app.app_context():
        form = complete_form(db.session.get(Call, year_with_call["call"]))
    response = client.post(f"/ansokningar/{year_with_call['draft']}/skicka", data=form,
                           follow_redirects=True)
    assert "som är stängt" in text(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Call)) == 1
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "application.submit")) is None
