"""The call's lists at growing size: the review list, the decision log, "Mina ansökningar" and
the organisations are paged from where the last page ended, keep their filters, and cost the
same number of queries at 2 and at 30 rows."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.accounts.models import Organisation
from app.call import decisions
from app.call.models import Call
from app.call.rules import ApplicationState
from app.core.audit import Actor
from app.extensions import db
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import login
from tests.support import queries_of_page

A = ApplicationState
ACTOR = Actor(label="test")


@pytest.fixture
def world(app):
    with app.app_context():
        call = make_call(make_pool(1_000_000))
        org = make_organisation("Krokoms kommun")
        ids = {"call": call.id, "org": org.id, "applicant": make_applicant(org), "made": 0,
               "decided": 0}
        db.session.commit()
        db.session.remove()
    return ids


def add_applications(app, world, n: int, *, state=A.SUBMITTED, decide: bool = False,
                     organisations: int = 1) -> None:
    """Add `n` applications sent in to the call; decided in turn if `decide`."""
    with app.app_context():
        call = db.session.get(Call, world["call"])
        orgs = [make_organisation(f"Organisation {world['made']}-{i}")
                for i in range(organisations - 1)]
        orgs.append(db.session.get(Organisation, world["org"]))
        for i in range(n):
            number = world["made"] + i
            application = make_application(
                call, orgs[i % len(orgs)], title=f"Projekt nummer {number}", amount_kr=1_000,
                state=A.UNDER_REVIEW if decide else state)
            if decide:
                decisions.decide(application.id, "rejected" if i % 2 else "granted", None, "",
                                 "Skäl", "SVOM", date(2022, 6, 10), f"§{number}",
                                 f"RUN/{number + 1}/2022", ACTOR)
        world["made"] += n
        db.session.commit()
        db.session.remove()


def links(page: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def titles(page: str) -> list[str]:
    return re.findall(r"Projekt nummer (\d+)<", page)


# --- the review list -----------------------------------------------------------------------

def test_the_review_list_pages_through_every_application_once(app, as_role, world):
    """Do the pages of 30 applications show each once, latest sent in first, and lead back?"""
    add_applications(app, world, 30)
    client = as_role("viewer")
    first = client.get(f"/calls/{world['call']}").get_data(as_text=True)
    assert titles(first) == [str(n) for n in range(29, 4, -1)]
    assert links(first, "prev") is None
    second = client.get(links(first, "next")).get_data(as_text=True)
    assert titles(second) == ["4", "3", "2", "1", "0"]
    assert links(second, "next") is None
    back = client.get(links(second, "prev")).get_data(as_text=True)
    assert titles(back) == titles(first)


def test_the_review_list_keeps_its_filter_from_page_to_page(app, as_role, world):
    add_applications(app, world, 28)
    add_applications(app, world, 3, state=A.UNDER_REVIEW)
    client = as_role("viewer")
    page = client.get(f"/calls/{world['call']}?state=submitted").get_data(as_text=True)
    assert len(titles(page)) == 25
    following = links(page, "next")
    assert "state=submitted" in following
    rest = client.get(following).get_data(as_text=True)
    assert titles(rest) == ["2", "1", "0"]


def test_the_review_list_counts_every_state_and_sums_the_pool(app, as_role, world):
    """Do the totals count all 31 applications though the page shows 25?"""
    add_applications(app, world, 28)
    add_applications(app, world, 3, state=A.UNDER_REVIEW)
    page = as_role("viewer").get(f"/calls/{world['call']}").get_data(as_text=True)
    page = page.replace("\u00a0", " ")
    assert re.search(r">Inskickad</a>: 28<", page)
    assert re.search(r">Under bedömning</a>: 3<", page)
    assert "<strong>31</strong>" in page
    assert "<strong>31 000 kr</strong>" in page  # applied: 31 applications of 1 000 kr


def test_a_cursor_that_points_nowhere_is_an_empty_page_not_an_error(app, as_role, world):
    add_applications(app, world, 2)
    client = as_role("viewer")
    for bad in ("after=999999", "before=999999", "after=x", "after=-5&state=nonsense"):
        response = client.get(f"/calls/{world['call']}?{bad}")
        assert response.status_code == 200, bad


@pytest.mark.parametrize("query", ["", "?state=submitted", "?after={last}"])
def test_the_review_list_costs_the_same_at_2_and_30_applications(app, as_role, world, query):
    client = as_role("viewer")
    add_applications(app, world, 2, organisations=2)
    url = f"/calls/{world['call']}" + query.format(last=2)
    small = queries_of_page(app, client, url)
    add_applications(app, world, 28, organisations=5)
    assert queries_of_page(app, client, url.replace("after=2", "after=20")) == small


# --- the decision log ----------------------------------------------------------------------

def test_the_decision_log_is_paged_in_order_with_totals_of_all(app, as_role, world):
    add_applications(app, world, 55, decide=True)
    client = as_role("viewer")
    first = client.get(f"/calls/{world['call']}/decisions").get_data(as_text=True)
    assert first.count("Projekt nummer") == 50
    assert "nr 1–50 av 55" in first
    assert "55, varav 28 beviljade, 0 delvis beviljade och 27 avslagna" in first
    second = client.get(links(first, "next")).get_data(as_text=True)
    assert second.count("Projekt nummer") == 5 and "Projekt nummer 54<" in second
    assert "nr 51–55 av 55" in second
    download = client.get(f"/calls/{world['call']}/decisions?format=csv")
    assert download.get_data(as_text=True).count("Projekt nummer") == 55


def test_the_decision_log_costs_the_same_at_2_and_30_decisions(app, as_role, world):
    client = as_role("viewer")
    add_applications(app, world, 2, decide=True)
    small = queries_of_page(app, client, f"/calls/{world['call']}/decisions")
    add_applications(app, world, 28, decide=True, organisations=4)
    assert queries_of_page(app, client, f"/calls/{world['call']}/decisions") == small


# --- the applicant's own list --------------------------------------------------------------

def test_my_applications_cost_the_same_at_2_and_30(app, client, world):
    """Did "Mina ansökningar" ask once a row (7 queries at 2, 25 at 30)?"""
    add_applications(app, world, 2)
    login(client, world["applicant"])
    small = queries_of_page(app, client, "/ansokningar")
    with app.app_context():  # a second call, so the rows name more than one call
        call = make_call(make_pool(1_000_000, year=2023), title="Andra utlysningen")
        world["call"] = call.id
        db.session.commit()
    add_applications(app, world, 28)
    page = client.get("/ansokningar").get_data(as_text=True)
    assert "Andra utlysningen" in page and "Sida 1 av 2" in page
    assert queries_of_page(app, client, "/ansokningar") == small


# --- the organisations ---------------------------------------------------------------------

def test_the_organisations_are_paged_and_searched(app, as_role, world):
    add_applications(app, world, 60, organisations=60)
    client = as_role("coordinator")
    first = client.get("/calls/organisations").get_data(as_text=True)
    names = re.compile(r"<td>(Organisation [^<]+|Krokoms kommun)</td>")
    second = client.get(links(first, "next")).get_data(as_text=True)
    assert len(names.findall(first)) == 50 and len(names.findall(second)) == 10
    assert not set(names.findall(first)) & set(names.findall(second))
    found = client.get("/calls/organisations?q=krokom").get_data(as_text=True)
    assert "Krokoms kommun" in found and "<td>Organisation " not in found
    none = client.get("/calls/organisations?q=100%25_").get_data(as_text=True)
    assert "Inga organisationer matchar." in none


def test_the_organisation_pages_cost_the_same_at_2_and_30(app, as_role, world):
    client = as_role("coordinator")
    add_applications(app, world, 2, organisations=2)
    small = [queries_of_page(app, client, "/calls/organisations"),
             queries_of_page(app, client, "/calls/organisations/merge")]
    add_applications(app, world, 28, organisations=28)
    assert [queries_of_page(app, client, "/calls/organisations"),
            queries_of_page(app, client, "/calls/organisations/merge")] == small


def test_the_merge_page_offers_the_organisations_searched_for(app, as_role, world):
    add_applications(app, world, 3, organisations=3)
    client = as_role("coordinator")
    page = client.get("/calls/organisations/merge?q=krokom").get_data(as_text=True)
    assert "Krokoms kommun" in page and "Organisation 0-0" not in page


def test_the_review_list_filters_by_part_of_the_owners_name(app, as_role, world):
    add_applications(app, world, 4, organisations=2)
    client = as_role("viewer")
    page = client.get(f"/calls/{world['call']}?owner=krokom").get_data(as_text=True)
    assert sorted(titles(page)) == ["1", "3"]
    assert 'value="krokom"' in page
    assert titles(client.get(f"/calls/{world['call']}?owner=%25").get_data(as_text=True)) == []


def test_the_kept_totals_follow_every_new_application_and_decision(app, as_role, world):
    """The call's totals are computed once per change and kept: each application sent in and
    each decision shows in them at once."""
    client = as_role("viewer")
    add_applications(app, world, 2)

    def totals() -> str:
        page = client.get(f"/calls/{world['call']}").get_data(as_text=True)
        return page.replace("\u00a0", " ")

    assert re.search(r">Inskickad</a>: 2<", totals())
    assert re.search(r">Inskickad</a>: 2<", totals())  # shown again: kept
    add_applications(app, world, 1)
    assert re.search(r">Inskickad</a>: 3<", totals())
    add_applications(app, world, 1, decide=True)  # granted 1 000 kr
    page = totals()
    assert re.search(r">Beviljad</a>: 1<", page)
    assert '<dt>Beviljat</dt><dd class="num">1 000 kr</dd>' in page
    assert '<dd class="num"><strong>999 000 kr</strong></dd>' in page  # left of the pool
