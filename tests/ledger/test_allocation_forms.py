"""Can a coordinator add, change and remove lines and grants, and are bad inputs refused?"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.audit import Actor
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.models import Allocation, Earmark, Grant, Line, LineKind
from app.ledger.years import close_year

CALL = "Utlysning/beviljande av lokala samverkansprojekt/aktiviteter inom samtliga områden"


def page_text(response) -> str:
    """Return the page with no-break spaces as plain ones, to compare with printed figures."""
    return response.get_data(as_text=True).replace("\u00a0", " ")


def field_error(page: str, name: str) -> str:
    """Return the error message shown at the field `name`."""
    found = re.search(rf'id="{name}-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert found, f"no error at the field {name!r}"
    return found.group(1).strip()


@pytest.fixture
def ids(app, imported_2020):
    """The ids of samverkan 2020, its call line and transfer line, and the call's first grant."""
    with app.app_context():
        allocation = db.session.scalar(
            select(Allocation).join(Allocation.earmark)
            .where(Earmark.code == "samverkan", Allocation.year == 2020)
        )
        lines = {line.kind: line for line in allocation.lines}
        return {
            "allocation": allocation.id,
            "call": lines[LineKind.CALL].id,
            "transfer": lines[LineKind.TRANSFER].id,
            "grant": lines[LineKind.CALL].grants[0].id,
        }


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")


def line_form(**fields) -> dict:
    data = {"goal_area": "Regional samordning", "activity": "Utbildning i SIP", "kind": "activity",
            "budget": "", "spent": "", "covers": "", "owner": "", "partners": ""}
    data.update(fields)
    return data


def grant_form(**fields) -> dict:
    data = {"title": "Nytt samverkansprojekt", "owner": "Bergs kommun", "partners": "HC Berg",
            "goal_areas": ["Stärka äldres psykiska hälsa"],
            "amount": "100 000", "status": "beviljat"}
    data.update(fields)
    return data


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- lines ---------------------------------------------------------------------------------

def test_a_line_with_a_swedish_amount_is_stored_in_ore(app, ids, coordinator):
    """Is "1 000 000,50" read as 100000050 öre and shown back as "1 000 000,50 kr"?"""
    response = coordinator.post(f"/allocations/{ids['allocation']}/lines/new",
                                data=line_form(budget="1 000 000,50", partners="JLB, NSPH"))
    assert response.status_code == 302
    assert response.location.endswith(f"/allocations/{ids['allocation']}#line-"
                                      + response.location.rsplit("-", 1)[1])
    page = page_text(coordinator.get(response.location))
    assert "Raden är sparad." in page
    assert "1 000 000,50 kr" in page
    with app.app_context():
        line = db.session.scalar(select(Line).where(Line.activity == "Utbildning i SIP"))
        assert (line.budget, line.spent) == (100000050, None)
        assert line.goal_area.name == "Regional samordning"
        assert line.partners == ["JLB", "NSPH"]
        assert line.position == 6  # after the six imported lines
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "line.create"))


@pytest.mark.parametrize("budget, spent, field, message", [
    ("-5", "", "budget", "”-5”: beloppet får inte vara negativt"),
    ("abc", "", "budget", "”abc” kan inte läsas som belopp; skriv t.ex. 1 000 000,50"),
    ("12,345", "", "budget", "”12,345”: beloppet får ha högst två decimaler (hela öre)"),
    ("1.000,50", "", "budget", "”1.000,50” kan inte läsas som belopp; skriv t.ex. 1 000 000,50"),
    ("", "10 kr 50", "spent", "”10 kr 50” kan inte läsas som belopp; skriv t.ex. 1 000 000,50"),
    ("", "", "budget", "Ange budget, utfall eller båda."),
])
def test_a_bad_amount_is_refused_at_its_field_keeping_the_input(
        app, ids, coordinator, budget, spent, field, message):
    """Is a malformed, negative or missing amount refused in Swedish, with nothing saved or lost?"""
    lines = count(app, Line)
    response = coordinator.post(f"/allocations/{ids['allocation']}/lines/new",
                                data=line_form(budget=budget, spent=spent, owner="Åre kommun"))
    assert response.status_code == 200
    page = page_text(response)
    assert "Det finns fel i formuläret" in page
    assert field_error(page, field) == message
    assert f'value="{budget or spent}"' in page
    assert "Utbildning i SIP</textarea>" in page and 'value="Åre kommun"' in page
    assert count(app, Line) == lines


def test_an_activity_of_spaces_only_is_missing(app, ids, coordinator):
    lines = count(app, Line)
    response = coordinator.post(f"/allocations/{ids['allocation']}/lines/new",
                                data=line_form(activity="   ", spent="100"))
    assert field_error(page_text(response), "activity") == "Beskriv aktiviteten."
    assert count(app, Line) == lines


def test_a_transfer_must_name_the_fund_it_covers(app, ids, coordinator):
    response = coordinator.post(f"/allocations/{ids['allocation']}/lines/new",
                                data=line_form(kind="transfer", spent="100"))
    assert response.status_code == 200
    assert field_error(page_text(response), "covers") == (
        "Välj den fond vars underskott överföringen täcker.")


def test_a_transfer_covering_another_fund_is_saved(app, ids, coordinator):
    with app.app_context():
        covered = db.session.scalar(select(Allocation.id).join(Allocation.earmark)
                                    .where(Earmark.code == "suicidprevention"))
    response = coordinator.post(f"/allocations/{ids['allocation']}/lines/new",
                                data=line_form(kind="transfer", spent="100", covers=str(covered)))
    assert response.status_code == 302
    with app.app_context():
        line = db.session.scalar(select(Line).where(Line.activity == "Utbildning i SIP"))
        assert (line.kind, line.covers_allocation_id) == (LineKind.TRANSFER, covered)


def test_the_edit_form_shows_the_line_as_it_is(ids, coordinator):
    page = page_text(coordinator.get(f"/lines/{ids['call']}/edit"))
    assert 'value="4 844 860"' in page
    assert '<option selected value="call">Utlysning</option>' in page
    # The goal area is chosen from the year's list, never typed.
    assert '<option selected value="Projektutlysning">Projektutlysning</option>' in page
    assert '<option value="Regional samordning">Regional samordning</option>' in page
    assert "<datalist" not in page


def test_a_call_line_cannot_fall_below_its_grants(app, ids, coordinator):
    """Is lowering the call's pool under the 4 844 860 kr granted refused, and nothing changed?"""
    response = coordinator.post(f"/lines/{ids['call']}/edit", data=line_form(
        goal_area="Projektutlysning", activity=CALL, kind="call", spent="4 000 000"))
    assert response.status_code == 200
    page = page_text(response)
    assert ("Beviljade projekt summerar till 4 844 860 kr, mer än utlysningens 4 000 000 kr"
            in page)
    assert 'value="4 000 000"' in page
    with app.app_context():
        assert db.session.get(Line, ids["call"]).spent == 484486000


def test_a_line_is_changed_and_audited(app, ids, coordinator):
    response = coordinator.post(f"/lines/{ids['call']}/edit", data=line_form(
        goal_area="Projektutlysning", activity=CALL, kind="call", spent="5 000 000"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Line, ids["call"]).spent == 500000000
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "line.update"))
        assert (entry.before["spent"], entry.after["spent"]) == (484486000, 500000000)


def test_removing_a_line_asks_first_and_names_its_grants(app, ids, coordinator):
    page = page_text(coordinator.get(f"/lines/{ids['call']}/delete"))
    assert "Ta bort raden ”Utlysning/beviljande av lokala" in page
    assert "Detta tar också bort 8 beviljade projekt." in page
    assert count(app, Grant) == 8

    response = coordinator.post(f"/lines/{ids['call']}/delete")
    assert response.status_code == 302
    assert "Raden ”Utlysning/beviljande" in page_text(coordinator.get(response.location))
    assert count(app, Grant) == 0
    with app.app_context():
        assert db.session.get(Line, ids["call"]) is None


def test_html_in_an_activity_is_shown_escaped(app, ids, coordinator):
    script = '<script>alert("x")</script>'
    coordinator.post(f"/allocations/{ids['allocation']}/lines/new",
                     data=line_form(activity=script, spent="1"))
    coordinator.post(f"/lines/{ids['call']}/grants/new", data=grant_form(
        title="<b>fet</b>", amount="1"))  # refused (the pool is used up) but re-rendered
    page = coordinator.get(f"/allocations/{ids['allocation']}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<script>" not in page


def test_after_closing_no_line_can_be_changed(app, ids, coordinator):
    """Is a change to a closed year refused, by the form and by a POST alike?"""
    with app.app_context():
        close_year(2020, Actor(label="fixture"))
        db.session.commit()
    for url in (f"/allocations/{ids['allocation']}/lines/new", f"/lines/{ids['call']}/edit",
                f"/lines/{ids['transfer']}/delete", f"/lines/{ids['call']}/grants/new",
                f"/grants/{ids['grant']}/edit", f"/grants/{ids['grant']}/delete"):
        assert coordinator.get(url).status_code == 302, url
    response = coordinator.post(f"/lines/{ids['call']}/edit", data=line_form(
        goal_area="Projektutlysning", activity=CALL, kind="call", spent="5 000 000"),
        follow_redirects=True)
    assert "2020 är stängt; en administratör måste öppna året innan något ändras." in (
        page_text(response))
    coordinator.post(f"/lines/{ids['transfer']}/delete")
    with app.app_context():
        assert db.session.get(Line, ids["call"]).spent == 484486000
        assert db.session.get(Line, ids["transfer"]) is not None


# --- grants --------------------------------------------------------------------------------

def test_a_grant_above_what_is_left_is_refused_with_the_amount_left(app, ids, coordinator):
    """With 155 140 kr left in the pool, is 200 000 kr refused, and 155 140 kr granted?"""
    coordinator.post(f"/lines/{ids['call']}/edit", data=line_form(
        goal_area="Projektutlysning", activity=CALL, kind="call", spent="5 000 000"))
    url = f"/lines/{ids['call']}/grants/new"
    assert "Kvar att fördela: 155 140 kr" in page_text(coordinator.get(url))

    response = coordinator.post(url, data=grant_form(amount="200 000"))
    assert response.status_code == 200
    page = page_text(response)
    assert "kvar att bevilja är 155 140 kr" in page
    assert 'value="200 000"' in page and "Nytt samverkansprojekt</textarea>" in page
    assert count(app, Grant) == 8

    response = coordinator.post(url, data=grant_form(
        amount="155 140", goal_areas=["Stärka äldres psykiska hälsa", "Regional samordning"]))
    assert response.status_code == 302
    page = page_text(coordinator.get(response.location))
    assert "Projektet är sparat." in page
    with app.app_context():
        grant = db.session.scalar(select(Grant).where(Grant.title == "Nytt samverkansprojekt"))
        assert grant.amount == 15514000 and grant.partners == ["HC Berg"]
        assert [a.name for a in grant.goal_areas] == [
            "Regional samordning", "Stärka äldres psykiska hälsa"]


def test_a_grant_needs_an_amount_and_a_goal_area(app, ids, coordinator):
    response = coordinator.post(f"/lines/{ids['call']}/grants/new",
                                data=grant_form(amount="", goal_areas=[]))
    page = page_text(response)
    assert field_error(page, "amount") == "Ange ett belopp."
    assert field_error(page, "goal_areas") == "Välj minst ett målområde."
    assert count(app, Grant) == 8


def test_a_grant_is_changed_within_its_pool(app, ids, coordinator):
    url = f"/grants/{ids['grant']}/edit"
    page = page_text(coordinator.get(url))
    assert 'value="630 000"' in page
    assert "Kvar att fördela: 630 000 kr" in page  # the pool without this grant
    assert re.search(r'<input checked class="ds-input" id="goal_areas-\d+" name="goal_areas" '
                     r'type="checkbox" value="Stärka barn och ungas psykiska hälsa">', page)
    response = coordinator.post(url, data=grant_form(
        title="Minska elevers sjukskrivning", owner="Härjedalens kommun", amount="600 000",
        goal_areas=["Stärka barn och ungas psykiska hälsa"]))
    assert response.status_code == 302
    with app.app_context():
        grant = db.session.get(Grant, ids["grant"])
        assert grant.amount == 60000000
    assert 'name="paid"' not in page and 'name="returned"' not in page  # from payments now
    page = page_text(coordinator.get(response.location))
    assert "Status: beviljat" in page


def test_removing_a_grant_asks_first(app, ids, coordinator):
    page = page_text(coordinator.get(f"/grants/{ids['grant']}/delete"))
    assert "Ta bort projektet ”Minska elevers sjukskrivning" in page
    response = coordinator.post(f"/grants/{ids['grant']}/delete")
    assert response.status_code == 302
    assert count(app, Grant) == 7


def test_grants_are_only_for_call_lines(ids, coordinator):
    assert coordinator.get(f"/lines/{ids['transfer']}/grants/new").status_code == 404
