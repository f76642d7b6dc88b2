"""A coordinator starts 2021's list of goal areas from 2020's in a real browser, adds,
renames and retires an area, and chooses from the list for a new line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.audit import Actor
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.models import Allocation, Earmark
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.ledger.factories import allocation, document, line

pytestmark = pytest.mark.browser
CORONA = "Psykisk hälsa kopplat till Coronapandemin"


def test_a_coordinator_starts_a_years_goal_areas_and_chooses_from_them(
        app, imported_2020, make_user, live_server, page):
    live_server, _ = live_server
    with app.app_context():
        import_document(document(allocation(
            "samverkan", 2021, 6_000_000, line("Samordning", budget=1_000_000))),
            Actor(label="fixture"))
        db.session.commit()
        samverkan = db.session.scalar(select(Allocation.id).join(Allocation.earmark)
                                      .where(Earmark.code == "samverkan", Allocation.year == 2021))
        db.session.remove()
    email = make_user("coordinator")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server}/")

    # From the dashboard's 2021 to its (empty) list, started from 2020's.
    page.locator('a[href="/years/2021/goal-areas"]').first.click()
    assert "2021 har ingen lista över målområden än." in page.locator("main").inner_text()
    page.get_by_role("button", name="Hämta 2020 års målområden").click()
    assert "9 målområden från 2020 är tillagda i 2021 års lista." in page.locator(
        ".flashes").inner_text()

    # Add one, rename it (the former name stays), retire another after confirming.
    page.get_by_label("Målområde", exact=True).fill("Psykisk hälsa i arbetslivet")
    page.get_by_role("button", name="Lägg till").click()
    row = page.locator("tr", has_text="Psykisk hälsa i arbetslivet")
    row.get_by_role("link", name="Byt namn").click()
    page.get_by_label("Målområde", exact=True).fill("Psykisk hälsa och arbete")
    page.get_by_role("button", name="Byt namn").click()
    row = page.locator("tr", has_text="Psykisk hälsa och arbete")
    assert "Psykisk hälsa i arbetslivet (till " in row.inner_text()
    page.locator("tr", has_text=CORONA).get_by_role("link", name="Låt utgå").click()
    page.get_by_role("button", name="Låt utgå").click()
    assert "Utgått" in page.locator("tr", has_text=CORONA).inner_text()
    screenshot(page, "goal-areas")

    # A new line of 2021 chooses from the list: the retired area is not offered.
    page.goto(f"{live_server}/allocations/{samverkan}/lines/new")
    options = page.get_by_label("Målområde").locator("option").all_inner_texts()
    assert "Psykisk hälsa och arbete" in options and CORONA not in options
    page.get_by_label("Målområde").select_option("Psykisk hälsa och arbete")
    page.get_by_label("Aktivitet").fill("Arbetsplatsutbildning")
    page.get_by_label("Budget", exact=True).fill("50 000")
    page.get_by_role("button", name="Spara raden").click()
    page.wait_for_url(f"{live_server}/allocations/{samverkan}#line-*")
    row = page.locator("#lines tbody tr", has_text="Arbetsplatsutbildning")
    assert "Psykisk hälsa och arbete" in row.inner_text()
