"""A coordinator's way through the ledger in a real headless Chromium, CSRF tokens and all.

Drives Debian's /usr/bin/chromium through Playwright (never a downloaded browser). The app is
served from a thread on a free port of 127.0.0.1; it shares the test database with the session
`app` fixture but checks CSRF tokens, as production does.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Allocation, Earmark
from tests.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(tempfile.gettempdir()) / "stimulansmedel-browser"

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="Playwright is not installed (pip install -e '.[test]')")


@pytest.fixture
def live_server(app):
    """Serve an app with CSRF checks on the test database; yield its base URL."""
    from werkzeug.serving import make_server

    served = create_app({
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "browser-test-secret",
        "WTF_CSRF_ENABLED": True,
    })
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with served.app_context():
        db.session.remove()
        db.engine.dispose()  # let the database be emptied after the test


@pytest.fixture
def page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_coordinator_adds_a_line_and_closes_the_year(app, imported_2020, make_user,
                                                         live_server, page):
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
    page.get_by_label("Målområde").fill("Regional samordning")
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
    screenshot(page, "close-year")
    page.get_by_role("button", name="Stäng 2020").click()
    page.wait_for_url(f"{live_server}/")
    assert "2020 är stängt; 72 151 kr överförs till Samverkansmedel 2021" in plain(
        page.locator(".flashes").inner_text())

    # The allocation page now says the year is closed and offers no changes.
    page.goto(f"{live_server}/allocations/{samverkan}")
    assert page.get_by_role("heading", name="Året är stängt").is_visible()
    assert page.get_by_role("link", name="Lägg till rad").count() == 0
    screenshot(page, "allocation-closed")
