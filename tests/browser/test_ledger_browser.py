"""A coordinator's way through the ledger in a real headless Chromium, CSRF tokens and all.

Drives Debian's /usr/bin/chromium through Playwright (never a downloaded browser). The app is
served from a thread on a free port of 127.0.0.1; it shares the test database with the session
`app` fixture but checks CSRF tokens, as production does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.ledger.models import Allocation, Earmark
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def test_a_coordinator_adds_a_line_and_closes_the_year(app, imported_2020, make_user,
                                                         live_server, page):
    live_server, _ = live_server
    with app.app_context():
        samverkan = db.session.scalar(select(Allocation.id).join(Allocation.earmark)
                                      .where(Earmark.code == "samverkan", Allocation.year == 2020))
    email = make_user("coordinator")

    # Log in through the real form.
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server}/")

    # From the dashboard to samverkan 2020.
    page.locator(f'a[href="/allocations/{samverkan}"]').first.click()
    page.wait_for_url(f"{live_server}/allocations/{samverkan}")
    assert page.get_by_role("heading", level=1).inner_text() == "Samverkansmedel 2020"

    # Add a line with an amount written the Swedish way.
    page.get_by_role("link", name="Lägg till rad").click()
    page.get_by_label("Målområde").select_option("Regional samordning")
    page.get_by_label("Aktivitet").fill("Handledning för SIP-samordnare")
    page.get_by_label("Budget", exact=True).fill("1 000 000,50")
    page.get_by_role("button", name="Spara raden").click()
    page.wait_for_url(f"{live_server}/allocations/{samverkan}#line-*")
    assert "Raden är sparad." in page.locator(".flashes").inner_text()
    row = page.locator("#lines tbody tr", has_text="Handledning för SIP-samordnare")
    assert "1 000 000,50 kr" in plain(row.inner_text())
    screenshot(page, "allocation")

    # A malformed amount: the Swedish message at the field, and what was typed kept.
    page.get_by_role("link", name="Lägg till rad").click()
    page.get_by_label("Aktivitet").fill("Fokusvecka psykisk hälsa")
    page.get_by_label("Budget", exact=True).fill("tusen kronor")
    page.get_by_role("button", name="Spara raden").click()
    assert plain(page.locator("#budget-error").inner_text()) == (
        "”tusen kronor” kan inte läsas som belopp; skriv t.ex. 1 000 000,50")
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Budget", exact=True).input_value() == "tusen kronor"
    assert page.get_by_label("Aktivitet").input_value() == "Fokusvecka psykisk hälsa"
    screenshot(page, "line-form-error")

    # Close 2020 through its confirmation page.
    page.goto(f"{live_server}/allocations/{samverkan}")
    page.get_by_role("link", name="Stäng 2020").click()
    page.wait_for_url(f"{live_server}/years/2020/close")
    carried = plain(page.locator("main").inner_text())
    assert "72 151 kr förs över till Samverkansmedel 2021" in carried
    # The line added above has a budget but no outcome: closing names it and asks for an
    # explicit acceptance of it as 0 kr used.
    assert "1 rad har budget men inget utfall" in carried
    assert "Samverkansmedel 2020: Handledning för SIP-samordnare" in carried
    screenshot(page, "close-year")
    page.get_by_role("button", name="Stäng 2020").click()
    assert "kryssa i att de godtas som 0 kr använt" in plain(
        page.locator("#accept_missing_outcomes-error").inner_text())
    page.get_by_label("Jag godtar att raderna ovan räknas som 0 kr använt").check()
    page.get_by_role("button", name="Stäng 2020").click()
    page.wait_for_url(f"{live_server}/")
    assert "2020 är stängt; 72 151 kr överförs till Samverkansmedel 2021" in plain(
        page.locator(".flashes").inner_text())

    # The allocation page now says the year is closed and offers no changes.
    page.goto(f"{live_server}/allocations/{samverkan}")
    assert page.get_by_role("heading", name="Året är stängt").is_visible()
    assert page.get_by_role("link", name="Lägg till rad").count() == 0
    screenshot(page, "allocation-closed")
