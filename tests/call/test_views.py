"""The coordinators' call pages: forms, review, decisions, the decision log, permissions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import Organisation
from app.call.models import Application, Call, Decision
from app.call.rules import ApplicationState, CallState
from app.extensions import db
from app.ledger.models import GoalArea, Grant
from app.year_reports.downloads import render_report
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import login
from tests.support import kronor, queries_of_page
from tests.year_reports.reading import pdf_text, plain

A = ApplicationState


def csrf(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)


@pytest.fixture
def world(app):
    """A pool of 1 000 000 with an open call and applications in several states; ids by name."""
    with app.app_context():
        pool = make_pool(1_000_000)
        call = make_call(pool)
        org = make_organisation("Krokoms kommun")
        other = make_organisation("Åre kommun")
        applicant = make_applicant(org)
        ids = {
            "pool": pool, "call": call.id, "org": org.id, "other": other.id,
            "submitted": make_application(call, org, title="Alfaprojektet").id,
            "review": make_application(call, org, title="Bedöms", amount_kr=300_000,
                                       state=A.UNDER_REVIEW).id,
            "draft": make_application(call, org, title="Gammaprojektet", state=A.DRAFT).id,
            "applicant": applicant,
        }
        db.session.commit()
        db.session.remove()
    return ids


def text(response) -> str:
    return plain(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


# --- calls ---------------------------------------------------------------------------------

def test_a_coordinator_creates_a_call_and_opens_it(app, as_role, world):
    """Can a coordinator create a call in Swedish time, then open it after confirming?"""
    client = as_role("coordinator")
    with app.app_context():
        area = db.session.scalar(select(GoalArea.id).where(GoalArea.year == 2022))
    form = {
        "csrf_token": csrf(client, "/calls/new"), "line": str(world["pool"]),
        "title": "Projektutlysning 2022", "description": "<script>alert(1)</script>",
        "opens_on": "2022-03-01", "opens_time": "08:00",
        "closes_on": "2022-04-15", "closes_time": "23:59", "goal_areas": [str(area)],
        "max_per_project": "500 000", "questions": "* Hur sprids resultaten?\nÖvrigt",
        "criteria": "Samverkan\nHållbarhet",
    }
    response = client.post("/calls/new", data=form)
    assert response.status_code == 302, text(response)
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.title == "Projektutlysning 2022"))
        assert call.opens_at.hour == 7 and call.max_per_project == kronor(500_000)
        assert call.questions[0] == {"key": "q1", "text": "Hur sprids resultaten?",
                                     "required": True}
        call_id = call.id
    page = client.get(f"/calls/{call_id}")
    assert "<script>alert" not in page.get_data(as_text=True)
    url = f"/calls/{call_id}/state/open"
    response = client.post(url, data={"csrf_token": csrf(client, url)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Call, call_id).state is CallState.OPEN
    # An open call cannot be edited any more.
    assert client.get(f"/calls/{call_id}/edit").status_code == 302


def test_a_call_that_closes_before_it_opens_is_refused_with_a_message(app, as_role, world):
    client = as_role("coordinator")
    with app.app_context():
        area = db.session.scalar(select(GoalArea.id).where(GoalArea.year == 2022))
    response = client.post("/calls/new", data={
        "csrf_token": csrf(client, "/calls/new"), "line": str(world["pool"]), "title": "X",
        "opens_on": "2022-03-01", "opens_time": "08:00", "closes_on": "2022-02-01",
        "closes_time": "08:00", "goal_areas": [str(area)], "max_per_project": "mycket",
    })
    assert response.status_code == 422
    assert "”mycket”" in text(response)
    response = client.post("/calls/new", data={
        "csrf_token": csrf(client, "/calls/new"), "line": str(world["pool"]), "title": "X",
        "opens_on": "2022-03-01", "opens_time": "08:00", "closes_on": "2022-02-01",
        "closes_time": "08:00", "goal_areas": [str(area)],
    })
    assert response.status_code == 422
    assert "måste stänga efter att den öppnar" in text(response)


# --- review --------------------------------------------------------------------------------

def test_the_review_list_shows_the_pool_and_filters(app, as_role, world):
    client = as_role("viewer")
    page = text(client.get(f"/calls/{world['call']}"))
    assert "Alfaprojektet" in page and "Bedöms" in page and "Gammaprojektet" not in page
    assert "1 000 000 kr" in page
    filtered = text(client.get(f"/calls/{world['call']}?state=under_review"))
    assert "Bedöms" in filtered and "Alfaprojektet" not in filtered
    assert "Bedöms" not in text(client.get(f"/calls/{world['call']}?organisation={world['other']}"))


def test_the_review_list_takes_a_fixed_number_of_queries(app, as_role, world):
    """Does the list cost the same number of queries for 2 and for 12 applications?"""
    client = as_role("viewer")

    def count() -> int:
        return queries_of_page(app, client, f"/calls/{world['call']}")

    before = count()
    with app.app_context():
        call = db.session.get(Call, world["call"])
        org = db.session.get(Organisation, world["org"])
        for i in range(10):
            make_application(call, org, title=f"Fler {i}")
        db.session.commit()
        db.session.remove()
    assert count() == before


def test_a_coordinator_reviews_returns_and_decides(app, as_role, world):
    """Start a review, return, see it; decide another in part and see the pool shrink."""
    client = as_role("coordinator")
    base = f"/calls/applications/{world['submitted']}"
    token = csrf(client, base)
    assert client.post(f"{base}/start", data={"csrf_token": token}).status_code == 302
    url = f"{base}/return"
    response = client.post(url, data={"csrf_token": csrf(client, url),
                                      "message": "Komplettera budgeten."})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Application, world["submitted"]).state is A.RETURNED
    url = f"/calls/applications/{world['review']}/assessment"
    response = client.post(url, data={"csrf_token": csrf(client, url), "score_0": "4",
                                      "score_1": "5", "comment": "Bra samverkan"})
    assert response.status_code == 302
    assert "Bra samverkan" in text(client.get(f"/calls/applications/{world['review']}"))
    url = f"/calls/applications/{world['review']}/decide"
    typed = {"outcome": "partly_granted", "amount": "200 000",
             "conditions": "Rapport i maj", "body": "SVOM", "decided_on": "2022-06-10",
             "paragraph": "§12", "diary_number": "RUN 290 2022"}
    response = client.post(url, data={"csrf_token": csrf(client, url), **typed})
    # The number is shown as it will be saved before it is: the page asks to confirm.
    assert response.status_code == 422
    assert "Diarienumret sparas som RUN/290/2022" in text(response)
    with app.app_context():
        assert db.session.scalar(select(Decision)) is None
    response = client.post(url, data={"csrf_token": csrf(client, url), **typed,
                                      "diary_number_shown": "RUN/290/2022"})
    assert response.status_code == 302, text(response)
    with app.app_context():
        decision = db.session.scalar(select(Decision))
        assert decision.diary_number == "RUN/290/2022" and decision.amount == kronor(200_000)
    page = text(client.get(f"/calls/{world['call']}"))
    assert "800 000 kr" in page  # left of the pool
    log = text(client.get(f"/calls/{world['call']}/decisions"))
    assert "RUN/290/2022" in log and "Rapport i maj" in log and "Delvis beviljad" in log


def test_a_decision_beyond_the_pool_says_what_is_left(app, as_role, world):
    client = as_role("coordinator")
    with app.app_context():
        call = db.session.get(Call, world["call"])
        big = make_application(call, db.session.get(Organisation, world["org"]),
                               amount_kr=900_000, state=A.UNDER_REVIEW, title="Stort")
        db.session.commit()
        big_id = big.id
    for application_id in (big_id, world["review"]):
        url = f"/calls/applications/{application_id}/decide"
        response = client.post(url, data={
            "csrf_token": csrf(client, url), "outcome": "granted", "body": "SVOM",
            "decided_on": "2022-06-10"})
    assert response.status_code == 422
    assert "kvar att bevilja är 100 000 kr" in text(response)
    with app.app_context():
        assert db.session.get(Application, world["review"]).state is A.UNDER_REVIEW


# --- the decision log and the reports ------------------------------------------------------

def _decide_some(app, world):
    from datetime import date

    from app.call import decisions
    from app.core.audit import Actor

    with app.app_context():
        call = db.session.get(Call, world["call"])
        org = db.session.get(Organisation, world["org"])
        second = make_application(call, org, amount_kr=100_000, state=A.UNDER_REVIEW,
                                  title="Avslaget projekt")
        decisions.decide(world["review"], "granted", None, "", "", "SVOM", date(2022, 6, 10),
                         "§12", "RUN/290/2022", Actor(label="x"))
        decisions.decide(second.id, "rejected", None, "", "Saknar samverkan", "SVOM",
                         date(2022, 6, 10), "§13", "RUN/290:2/2022", Actor(label="x"))
        db.session.commit()
        db.session.remove()


def test_the_decision_log_pdf_lists_decisions_in_order_with_totals(app, as_role, world):
    _decide_some(app, world)
    client = as_role("viewer")
    response = client.get(f"/calls/{world['call']}/decisions.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    content = pdf_text(response.data)
    assert "Beslutsunderlag: Projektutlysning" in content
    assert content.index("Bedöms") < content.index("Avslaget projekt")
    assert "Saknar samverkan" in content and "RUN/290:2/2022" in content
    assert "Totalt beviljat 300 000 kr" in content
    assert "Pottens storlek 1 000 000 kr" in content and "Kvar 700 000 kr" in content
    assert "Sida 1 av 1" in content


def test_a_granted_application_appears_in_the_followup_pdf(app, world):
    _decide_some(app, world)
    with app.app_context():
        content = pdf_text(render_report("followup", "samverkan", 2022, "pdf"))
        assert "Bedöms" in content and "Krokoms kommun" in content
        grant = db.session.scalar(select(Grant))
        assert grant.application_id == world["review"]


# --- organisations -------------------------------------------------------------------------

def test_merging_organisations_moves_applications_after_confirmation(app, as_role, world):
    client = as_role("coordinator")
    assert "Åre kommun" in text(client.get("/calls/organisations"))
    token = csrf(client, "/calls/organisations/merge")
    data = {"csrf_token": token, "duplicate": str(world["org"]), "keep": str(world["other"])}
    page = client.post("/calls/organisations/merge", data=data)
    assert page.status_code == 200 and "Det går inte att ångra" in text(page)
    with app.app_context():
        assert db.session.get(Organisation, world["org"]).merged_into_id is None
    response = client.post("/calls/organisations/merge", data={**data, "confirmed": "yes"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, world["org"]).merged_into_id == world["other"]
        assert db.session.get(Application, world["review"]).organisation_id == world["other"]


# --- permissions ---------------------------------------------------------------------------

def _pages(world) -> list[tuple[str, str]]:
    a, r, c = world["submitted"], world["review"], world["call"]
    return [
        ("GET", "/calls/new"), ("POST", "/calls/new"),
        ("GET", f"/calls/{c}/edit"), ("POST", f"/calls/{c}/edit"),
        ("GET", f"/calls/{c}/state/closed"), ("POST", f"/calls/{c}/state/closed"),
        ("POST", f"/calls/applications/{a}/start"),
        ("GET", f"/calls/applications/{a}/return"), ("POST", f"/calls/applications/{a}/return"),
        ("GET", f"/calls/applications/{r}/assessment"),
        ("POST", f"/calls/applications/{r}/assessment"),
        ("GET", f"/calls/applications/{r}/proposal"), ("POST", f"/calls/applications/{r}/proposal"),
        ("GET", f"/calls/applications/{r}/decide"), ("POST", f"/calls/applications/{r}/decide"),
        ("GET", "/calls/organisations"),
        ("GET", "/calls/organisations/merge"), ("POST", "/calls/organisations/merge"),
    ]


def test_a_viewer_gets_403_on_every_form_and_action(app, as_role, world):
    """Can a viewer change nothing, by any route?"""
    client = as_role("viewer")
    for method, url in _pages(world):
        response = client.open(url, method=method, data={"outcome": "granted"})
        assert response.status_code == 403, (method, url)
    with app.app_context():
        assert db.session.scalar(select(Decision)) is None
        assert db.session.get(Application, world["review"]).state is A.UNDER_REVIEW


def test_an_applicant_cannot_reach_the_coordinators_pages(app, client, world):
    """Does an applicant get 403 on every coordinator page, including the review of their own
    application and the decision log?"""
    assert login(client, world["applicant"]).status_code == 200
    c = world["call"]
    readable = [("GET", "/calls/"), ("GET", f"/calls/{c}"), ("GET", f"/calls/{c}/decisions"),
                ("GET", f"/calls/{c}/decisions.pdf"),
                ("GET", f"/calls/applications/{world['review']}")]
    for method, url in readable + _pages(world):
        assert client.open(url, method=method).status_code in (403, 404), (method, url)


def test_a_draft_is_not_shown_to_coordinators(as_role, world):
    client = as_role("coordinator")
    assert client.get(f"/calls/applications/{world['draft']}").status_code == 404


def test_staff_pages_render(as_role, world):
    client = as_role("coordinator")
    for url in ("/calls/", f"/calls/{world['call']}", f"/calls/applications/{world['review']}",
                f"/calls/applications/{world['review']}/decide", f"/calls/{world['call']}/decisions",
                f"/calls/{world['call']}/edit" if False else "/calls/new",
                f"/calls/{world['call']}/state/closed", "/calls/organisations/merge"):
        assert client.get(url).status_code == 200, url


def test_the_review_page_shows_what_changed_after_a_return(app, as_role, world):
    """After a return and a new submission, does the review page show before and after?"""
    from app.call.versions import save_version

    with app.app_context():
        application = db.session.get(Application, world["submitted"])
        application.state = A.RETURNED
        application.target_group = "Äldre <b>på landsbygden</b>"
        application.state = A.SUBMITTED
        save_version(application)
        db.session.commit()
    client = as_role("viewer")
    response = client.get(f"/calls/applications/{world['submitted']}")
    page = text(response)
    assert "Vad som ändrats sedan förra versionen" in page
    assert "Målgrupp Unga Äldre &lt;b&gt;på landsbygden&lt;/b&gt;" in page
    assert "<b>på" not in response.get_data(as_text=True)
