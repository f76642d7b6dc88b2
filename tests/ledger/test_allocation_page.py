"""Does the allocation page show the ledger's figures, escaped, in a fixed number of queries?"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.core.audit import Actor
from app.core.money import kronor
from app.extensions import db
from app.ledger.models import Allocation, Earmark, GoalArea, Grant, Line, LineKind
from app.ledger.years import close_year
from tests.support import queries_of_page


def page_text(response) -> str:
    """Return the page with no-break spaces as plain ones, to compare with printed figures."""
    return response.get_data(as_text=True).replace("\u00a0", " ")


def allocation_id(app, code: str, year: int = 2020) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Allocation.id).join(Allocation.earmark)
            .where(Earmark.code == code, Allocation.year == year)
        )


def row_amount(page: str, label: str) -> str:
    """Return the amount printed in the table row headed `label`."""
    found = re.search(rf"{label}</th>\s*<td class=\"num[^\"]*\">(?:<strong>)?([^<]+)<", page)
    assert found, f"no row {label!r}"
    return found.group(1)


def test_samverkan_2020_shows_the_seeds_figures(app, imported_2020, as_role):
    """Does the page show what seed 003 says of the collaboration funds 2020?"""
    client = as_role("viewer")
    response = client.get(f"/allocations/{allocation_id(app, 'samverkan')}")
    assert response.status_code == 200
    page = page_text(response)
    assert "<h1" in page and "Samverkansmedel 2020</h1>" in page
    assert "2020–2021, senast 31 december 2021" in page
    assert "Fredagsgruppen och LIFO 2020" in page
    assert "Målområden beslutade i SVOM maj 2020" in page
    assert row_amount(page, "Erhållna medel") == "6 203 183 kr"
    assert row_amount(page, "Använt / budgeterat") == "6 131 032 kr"
    assert row_amount(page, "Resultat / ännu inte budgeterat") == "72 151 kr"
    assert row_amount(page, "Totalt beviljat") == "4 844 860 kr"
    assert row_amount(page, "Kvar att fördela") == "0 kr"
    assert "TOTALT" in page
    assert page.count('id="grant-') == 8
    assert "Merkraft" in page and "Medborgarskolan" in page
    assert "Härjedalens kommun<br><span class=\"muted\">med socialförvaltningen" in page
    assert "Täcker underskottet i" in page and ">Brukarmiljonen 2020</a>" in page
    assert "8 436 kr" in page
    assert "Året är stängt" not in page


def test_the_covered_fund_shows_the_transfer_and_no_deficit(app, imported_2020, as_role):
    """Does brukarmiljonen 2020 show its deficit covered by the collaboration funds?"""
    client = as_role("viewer")
    page = page_text(client.get(f"/allocations/{allocation_id(app, 'brukarmiljonen')}"))
    assert row_amount(page, "Täckt genom överföringar från andra fonder") == "8 436 kr"
    assert row_amount(page, "Använt / budgeterat") == "1 008 436 kr"
    assert row_amount(page, "Resultat / ännu inte budgeterat") == "0 kr"
    assert "Underskottet" not in page


def test_a_closed_year_says_so_and_offers_no_changes(app, imported_2020, as_role):
    """Once 2020 is closed, does a coordinator see the notice and the carry-over, no buttons?"""
    with app.app_context():
        close_year(2020, Actor(label="fixture"))
        db.session.commit()
    client = as_role("coordinator")
    page = page_text(client.get(f"/allocations/{allocation_id(app, 'samverkan')}"))
    assert "Året är stängt" in page
    assert "Resultatet 72 151 kr är överfört till Samverkansmedel 2021." in page
    assert "Lägg till rad" not in page
    assert "/edit" not in page and "/delete" not in page and "/grants/new" not in page
    assert "Öppna 2020 igen" not in page  # only for administrators


def test_an_unknown_allocation_is_404(imported_2020, as_role):
    client = as_role("viewer")
    assert client.get("/allocations/999999").status_code == 404


def _allocation_with_calls(app, year: int, calls: int) -> int:
    """Store an allocation with `calls` call lines of one grant each, and a transfer line."""
    with app.app_context():
        earmarks = {e.code: e for e in db.session.scalars(select(Earmark))}
        area = GoalArea(year=year, name="Stärka barn och ungas psykiska hälsa")
        covered = Allocation(earmark=earmarks["brukarmiljonen"], year=year,
                             received=kronor(1000), spend_until=date(year + 1, 12, 31))
        allocation = Allocation(earmark=earmarks["samverkan"], year=year,
                                received=kronor(10_000_000), spend_until=date(year + 1, 12, 31))
        for position in range(calls):
            line = Line(position=position, goal_area=area, activity=f"Utlysning {position}",
                        kind=LineKind.CALL, spent=kronor(1000), partners=[])
            line.grants.append(Grant(position=0, title=f"Projekt {position}", owner="Åre kommun",
                                     partners=["HC Åre"], amount=kronor(500), goal_areas=[area]))
            allocation.lines.append(line)
        allocation.lines.append(Line(position=calls, activity="Skuld", kind=LineKind.TRANSFER,
                                     spent=kronor(10), covers=covered, partners=[]))
        db.session.add_all([covered, allocation])
        db.session.commit()
        return allocation.id




@pytest.mark.parametrize("role", ["viewer", "coordinator"])
def test_the_page_takes_the_same_queries_for_3_and_60_lines(app, as_role, role):
    """Is the number of queries fixed, whatever the number of lines and grants?"""
    small = _allocation_with_calls(app, 2031, 3)
    large = _allocation_with_calls(app, 2032, 60)
    client = as_role(role)
    client.get(f"/allocations/{small}")  # let the session and caches settle first
    few = queries_of_page(app, client, f"/allocations/{small}")
    many = queries_of_page(app, client, f"/allocations/{large}")
    assert few == many, (few, many)
    # +1 since two-factor login: whether everyone must use it (an account without it); +1
    # since a call's projects are counted and summed apart from the first ones listed; +1
    # since the projects' money is summed in the database (three aggregates, not two reads); +1
    # since the budget's versions are read.
    assert many <= 16, many
    page = page_text(client.get(f"/allocations/{large}"))
    assert page.count('id="grant-') == 60


def _call_with_grants(app, year: int, grants: int) -> int:
    """An allocation whose one call granted `grants` projects of 500 kr."""
    with app.app_context():
        earmark = db.session.scalar(select(Earmark).where(Earmark.code == "samverkan"))
        allocation = Allocation(earmark=earmark, year=year, received=kronor(10_000_000),
                                spend_until=date(year + 1, 12, 31))
        line = Line(position=0, activity="Projektutlysning", kind=LineKind.CALL,
                    budget=kronor(100_000), partners=[])
        for i in range(grants):
            line.grants.append(Grant(position=i, title=f"Projekt {i:03d}", owner="Åre kommun",
                                     partners=[], amount=kronor(500)))
        allocation.lines.append(line)
        db.session.add(allocation)
        db.session.commit()
        return allocation.id


def test_a_big_call_lists_its_first_projects_and_links_to_the_rest(app, as_role):
    """Does a call of 60 projects cost the page as many queries as a call of 2, list the first
    25 and link to the list of all of them, with totals over all 60?"""
    small = _call_with_grants(app, 2041, 2)
    large = _call_with_grants(app, 2042, 60)
    client = as_role("viewer")
    client.get(f"/allocations/{small}")
    assert queries_of_page(app, client, f"/allocations/{small}") == queries_of_page(
        app, client, f"/allocations/{large}")
    page = page_text(client.get(f"/allocations/{large}"))
    assert page.count('id="grant-') == 25
    assert "Projekt 000" in page and "Projekt 024" in page and "Projekt 025" not in page
    assert "60 beviljade projekt" in page
    assert "Visar de första 25 av 60 projekt." in page
    assert "30 000" in page  # granted in all: 60 × 500 kr
    assert "70 000" in page  # left of the pool
    link = re.search(r'href="(/projekt\?line=\d+)"', page).group(1)
    listed = page_text(client.get(link))
    assert "60 projekt" in listed and "Projektutlysning" in listed
    assert "Projekt 059" in listed or 'rel="next"' in listed  # all, or a next page
    # The small call lists all its projects, with no link.
    small_page = page_text(client.get(f"/allocations/{small}"))
    assert small_page.count('id="grant-') == 2 and "Visar de första" not in small_page
