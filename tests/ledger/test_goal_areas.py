"""A year's list of goal areas that the coordinators manage: add, rename with history, retire,
start from last year; lines and grants choose from it, and the import matches names to it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.core.audit import Actor
from app.core.errors import DomainError, ImportRefused
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.goal_areas import lists as goal_areas
from app.ledger.lines import GrantInput, LineInput, add_grant, add_line, update_line
from app.ledger.models import GoalArea, Line
from tests.ledger.factories import allocation, allocation_id, call_line_id, document, grant, line
from tests.support import kronor

ACTOR = Actor(label="samordnare@example.se")
OLDER = "Stärka äldres psykiska hälsa"


def year_2021() -> str:
    """A 2021 budget naming three goal areas (its first import makes 2021's list)."""
    return document(allocation(
        "samverkan", 2021, 6_000_000,
        line("Samordning", budget=1_000_000, goal_area="Regional samordning"),
        line("Våga fråga", budget=340_000, goal_area=OLDER),
        line("Projektutlysning", kind="call", budget=3_000_000, goal_area="Projektutlysning",
             grants=[grant("Unga vuxna", 500_000, goal_areas=(OLDER,))]),
    ))


def names(year: int) -> list[str]:
    return [a.name for a in goal_areas.year_list(year)]


def area(year: int, name: str) -> GoalArea:
    return db.session.scalar(select(GoalArea).where(GoalArea.year == year,
                                                    GoalArea.name == name))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# --- managing the list ---------------------------------------------------------------------

def test_an_area_is_added_once_whatever_its_spelling(ctx):
    goal_areas.add_area(2023, "  Stärka  barn och ungas psykiska hälsa ", ACTOR)
    assert names(2023) == ["Stärka barn och ungas psykiska hälsa"]
    with pytest.raises(DomainError, match="2023 har redan målområdet"):
        goal_areas.add_area(2023, "stärka barn och ungas psykiska hälsa", ACTOR)
    with pytest.raises(DomainError, match="ange målområdets namn"):
        goal_areas.add_area(2023, "   ", ACTOR)
    assert actions() == ["goal_area.create"]


def test_a_renamed_area_keeps_its_former_name_and_what_uses_it(ctx):
    """Renamed, does the line show the new name, the list the old one, and the log both?"""
    import_document(year_2021(), ACTOR)
    older = area(2021, OLDER)
    goal_areas.rename_area(older.id, "Äldres psykiska hälsa", ACTOR)
    assert older.former_names == [OLDER]
    line_ = db.session.scalar(select(Line).where(Line.activity == "Våga fråga"))
    assert line_.goal_area.name == "Äldres psykiska hälsa"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "goal_area.rename"))
    assert entry.before["name"] == OLDER and entry.after["name"] == "Äldres psykiska hälsa"
    assert entry.after["former_names"] == [OLDER]
    with pytest.raises(DomainError, match="2021 har redan målområdet ”Regional samordning”"):
        goal_areas.rename_area(older.id, "regional samordning", ACTOR)


def test_a_retired_area_is_offered_for_nothing_new_but_stays_where_used(ctx):
    import_document(year_2021(), ACTOR)
    goal_areas.retire_area(area(2021, OLDER).id, ACTOR)
    assert OLDER not in goal_areas.active_names(2021)
    with pytest.raises(DomainError, match="har utgått ur 2021 års lista") as on_line:
        add_line(allocation_id("samverkan", 2021), LineInput(
            activity="Ny", budget=kronor(1), goal_area=OLDER), ACTOR)
    with pytest.raises(DomainError, match="har utgått ur 2021 års lista") as on_grant:
        add_grant(call_line_id("samverkan", 2021), GrantInput(
            title="Nytt", owner="Åre kommun", amount=kronor(1), goal_areas=[OLDER]), ACTOR)
    assert (on_line.value.field, on_grant.value.field) == ("goal_area", "goal_areas")
    # The line that used it keeps it when changed otherwise.
    line_ = db.session.scalar(select(Line).where(Line.activity == "Våga fråga"))
    update_line(line_.id, LineInput(activity="Våga fråga, webb", budget=kronor(340_000),
                                    goal_area=OLDER), ACTOR)
    assert line_.goal_area.name == OLDER and line_.goal_area.retired
    goal_areas.restore_area(area(2021, OLDER).id, ACTOR)
    assert OLDER in goal_areas.active_names(2021)
    assert actions()[-3:] == ["goal_area.retire", "line.update", "goal_area.restore"]


def test_a_line_never_creates_an_area_by_its_name(ctx):
    import_document(year_2021(), ACTOR)
    before = db.session.scalar(select(func.count()).select_from(GoalArea))
    with pytest.raises(DomainError) as refused:
        add_line(allocation_id("samverkan", 2021), LineInput(
            activity="Ny", budget=kronor(1), goal_area="Stäkra äldres psykiska hälsa"), ACTOR)
    assert "finns inte i 2021 års lista" in refused.value.message
    assert f"menade du ”{OLDER}”?" in refused.value.message
    assert db.session.scalar(select(func.count()).select_from(GoalArea)) == before


def test_a_year_starts_from_last_years_list(ctx):
    import_document(year_2021(), ACTOR)
    goal_areas.retire_area(area(2021, "Projektutlysning").id, ACTOR)
    goal_areas.add_area(2022, "Barn och ungas psykiska hälsa", ACTOR)
    added = goal_areas.start_from_previous_year(2022, ACTOR)
    assert sorted(a.name for a in added) == ["Regional samordning", OLDER]  # not the retired
    assert names(2022) == ["Barn och ungas psykiska hälsa", "Regional samordning", OLDER]
    with pytest.raises(DomainError, match="2022 har redan alla målområden från 2021"):
        goal_areas.start_from_previous_year(2022, ACTOR)
    with pytest.raises(DomainError, match="2019 har inga målområden"):
        goal_areas.start_from_previous_year(2020, ACTOR)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "goal_area.copy"))
    assert entry.year == 2022 and sorted(entry.after["names"]) == sorted(a.name for a in added)


# --- the import ----------------------------------------------------------------------------

def test_the_import_refuses_a_name_not_on_the_years_list_naming_the_line(ctx):
    """With 2021's list made, is the seed's typo refused at its line, with the right name?"""
    import_document(year_2021(), ACTOR)
    typo = document(allocation(
        "suicidprevention", 2021, 2_500_000,
        line("Samordning", budget=1_000_000, goal_area="Regional samordning"),
        line("Våga fråga", budget=340_000, goal_area="Stäkra äldres psykiska hälsa"),
    ))
    with pytest.raises(ImportRefused) as refused:
        import_document(typo, ACTOR)
    [problem] = refused.value.problems
    assert problem.place == "allocations[0].lines[1].goal_area"
    assert problem.message.startswith("raden ”Våga fråga” i suicidprevention 2021: ")
    assert problem.line == typo.splitlines().index(
        "    goal_area: Stäkra äldres psykiska hälsa") + 1  # the file's line of the name
    assert "”Stäkra äldres psykiska hälsa” finns inte i 2021 års lista" in problem.message
    assert f"menade du ”{OLDER}”?" in problem.message
    assert area(2021, "Stäkra äldres psykiska hälsa") is None


def test_the_import_of_a_new_year_refuses_last_years_name_mistyped(ctx):
    """Without a 2021 list, is "Stäkra …" still caught against 2020's "Stärka …"?"""
    import_document(document(allocation(
        "samverkan", 2020, 6_000_000, line("Våga fråga", spent=340_000, goal_area=OLDER))),
        ACTOR)
    typo = document(allocation(
        "samverkan", 2021, 6_000_000,
        line("Våga fråga", budget=340_000, goal_area="Stäkra äldres psykiska hälsa"),
        line("Nytt", budget=100_000, goal_area="Psykisk hälsa och arbete")))
    with pytest.raises(ImportRefused) as refused:
        import_document(typo, ACTOR)
    [problem] = refused.value.problems  # the new area is no typo
    assert "troligen ett skrivfel för ”Stärka äldres psykiska hälsa”" in problem.message
    assert "som står i 2020 års lista" in problem.message
    fixed = typo.replace("Stäkra", "Stärka")
    import_document(fixed, ACTOR)
    assert names(2021) == ["Psykisk hälsa och arbete", OLDER]


def test_the_import_matches_names_in_any_case_and_former_names(ctx):
    import_document(year_2021(), ACTOR)
    older = area(2021, OLDER)
    goal_areas.rename_area(older.id, "Äldres psykiska hälsa", ACTOR)
    import_document(document(allocation(
        "brukarmiljonen", 2021, 1_000_000,
        line("Samordning", budget=10_000, goal_area="regional  samordning"),
        line("Äldre", budget=10_000, goal_area=OLDER))), ACTOR)  # its former name
    rows = db.session.scalars(select(Line).where(Line.allocation_id == allocation_id(
        "brukarmiljonen", 2021)).order_by(Line.position)).all()
    assert [r.goal_area.name for r in rows] == ["Regional samordning", "Äldres psykiska hälsa"]
    assert db.session.scalar(select(func.count()).select_from(GoalArea)
                             .where(GoalArea.year == 2021)) == 3


# --- the pages -----------------------------------------------------------------------------

def _page(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def _csrf(client, url: str) -> str:
    page = client.get(url)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', _page(page)).group(1)


@pytest.fixture
def listed(app):
    with app.app_context():
        import_document(year_2021(), ACTOR)
        db.session.commit()
        ids = {"older": area(2021, OLDER).id,
               "line": db.session.scalar(select(Line.id).where(Line.activity == "Våga fråga")),
               "allocation": allocation_id("samverkan", 2021)}
        db.session.remove()
    return ids


def test_a_coordinator_manages_the_list_in_the_browser_way(app, as_role, listed):
    client = as_role("coordinator")
    url = "/years/2021/goal-areas"
    page = _page(client.get(url))
    assert OLDER in page and "Lägg till ett målområde" in page
    response = client.post(url, data={"csrf_token": _csrf(client, url), "name": ""})
    assert response.status_code == 422 and "Ange målområdets namn." in _page(response)
    response = client.post(url, data={"csrf_token": _csrf(client, url),
                                      "name": "Psykisk hälsa och arbete"})
    assert response.status_code == 302
    rename = f"/goal-areas/{listed['older']}/rename"
    response = client.post(rename, data={"csrf_token": _csrf(client, rename),
                                         "name": "Äldres psykiska hälsa"})
    assert response.status_code == 302
    page = _page(client.get(url))
    assert "Äldres psykiska hälsa" in page and f"{OLDER} (till " in page  # the former name
    retire = f"/goal-areas/{listed['older']}/retire"
    assert "Låta ”Äldres psykiska hälsa” utgå" in _page(client.get(retire))
    assert client.post(retire, data={"csrf_token": _csrf(client, retire)}).status_code == 302
    assert "Utgått" in _page(client.get(url))
    # A new line is not offered it; the line that uses it still shows it, marked.
    new_line = _page(client.get(f"/allocations/{listed['allocation']}/lines/new"))
    assert "Äldres psykiska hälsa" not in new_line and "Psykisk hälsa och arbete" in new_line
    edit = _page(client.get(f"/lines/{listed['line']}/edit"))
    assert "Äldres psykiska hälsa (utgått)" in edit


def test_starting_from_last_year_offers_only_what_is_missing(app, as_role, listed):
    client = as_role("coordinator")
    page = _page(client.get("/years/2022/goal-areas"))
    assert "Hämta 2021 års målområden" in page and "som 2022 inte har än (3)" in page
    url = "/years/2022/goal-areas/from-previous"
    assert client.post(url, data={"csrf_token": _csrf(client, "/years/2022/goal-areas")}
                       ).status_code == 302
    page = _page(client.get("/years/2022/goal-areas"))
    assert "3 målområden från 2021 är tillagda i 2022 års lista." in page
    assert "Hämta 2021 års målområden" not in page and OLDER in page


def test_adding_a_name_like_one_on_the_list_warns_of_a_slip(app, as_role, listed):
    client = as_role("coordinator")
    url = "/years/2021/goal-areas"
    client.post(url, data={"csrf_token": _csrf(client, url),
                           "name": "Stäkra äldres psykiska hälsa"})
    page = _page(client.get(url))
    assert f"Kontrollera stavningen: ”Stäkra äldres psykiska hälsa” liknar ”{OLDER}”" in page


def test_a_typed_area_not_on_the_list_is_refused_at_the_field(app, as_role, listed):
    client = as_role("coordinator")
    url = f"/allocations/{listed['allocation']}/lines/new"
    response = client.post(url, data={"csrf_token": _csrf(client, url), "goal_area": "Påhittat",
                                      "activity": "Ny", "kind": "activity", "budget": "1 000"})
    assert response.status_code == 200
    assert "Välj ett av årets målområden i listan." in _page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GoalArea)
                                 .where(GoalArea.name == "Påhittat")) == 0


def test_a_viewer_reads_the_list_but_changes_nothing(app, as_role, listed):
    client = as_role("viewer")
    page = _page(client.get("/years/2021/goal-areas"))
    assert OLDER in page and "Lägg till ett målområde" not in page and "Byt namn" not in page
    assert client.post("/years/2021/goal-areas", data={"name": "X"}).status_code in (400, 403)
