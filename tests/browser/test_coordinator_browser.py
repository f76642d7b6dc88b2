"""A coordinator decides an application in a real headless Chromium, CSRF tokens and all: take
it under review, grant it in part, see the pool shrink and the decision in the log, and find the
granted project in the fund's follow-up PDF."""

from __future__ import annotations

import re
from io import BytesIO

import pytest

from app.call.rules import ApplicationState, CallState
from app.extensions import db
from app.ledger.models import Line
from tests.browser.conftest import screenshot
from tests.call import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Samtalsstöd för unga i Bräcke"


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def kronor(text: str) -> int:
    """Read an amount such as "1 000 000 kr" as whole kronor."""
    digits = re.sub(r"[^\d-]", "", plain(text).split(",")[0])
    return int(digits)


def left_on_call_page(page) -> int:
    value = page.locator("dl.pool dt", has_text="Kvar att bevilja").locator(
        "xpath=following-sibling::dd[1]")
    return kronor(value.inner_text())


def test_a_coordinator_grants_an_application_in_part(live_server, page, make_user):
    base, served = live_server
    with served.app_context():
        line_id = factories.make_pool(1_000_000, year=2022, earmark="samverkan")
        call = factories.make_call(line_id, state=CallState.CLOSED, title="Projektutlysning 2022")
        organisation = factories.make_organisation("Bräcke kommun")
        application = factories.make_application(
            call, organisation, amount_kr=300_000, state=ApplicationState.SUBMITTED, title=TITLE)
        call_id, application_id = call.id, application.id
        pool_line = db.session.get(Line, line_id)
        earmark_code, year = pool_line.allocation.earmark.code, pool_line.allocation.year
        db.session.commit()
        db.session.remove()
    email = make_user("coordinator")

    # Log in through the real form.
    page.goto(f"{base}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")

    # The call page: what is left of the pool before any decision.
    page.goto(f"{base}/calls/{call_id}")
    left_before = left_on_call_page(page)
    assert left_before > 0

    # Open the application from the call's list and take it under review.
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{base}/calls/applications/{application_id}")
    assert "300 000 kr" in plain(page.locator("main").inner_text())
    page.get_by_role("button", name="Börja bedöma").click()
    page.wait_for_selector("text=Ansökan är under bedömning.")

    # Decide: granted in part, 200 000 kr.
    page.get_by_role("link", name="Besluta").click()
    page.wait_for_url(f"{base}/calls/applications/{application_id}/decide")
    assert kronor(page.locator("dt:has-text('Kvar att bevilja i potten') + dd strong")
                  .inner_text()) == left_before
    page.check("input[name=outcome][value=partly_granted]")
    page.fill("#amount", "200 000")
    page.fill("#conditions", "Projektet ska redovisa antalet samtal per kvartal.")
    page.fill("#body", "SVOM")
    page.fill("#decided_on", "2022-06-10")
    page.fill("#paragraph", "§125")
    page.fill("#diary_number", "RUN 290 2022")
    screenshot(page, "coordinator-decide")
    page.get_by_role("button", name="Registrera beslutet").click()
    # The diary number is shown as it will be saved; registering again saves it so.
    assert "Diarienumret sparas som RUN/290/2022" in page.locator("body").inner_text()
    page.get_by_role("button", name="Registrera beslutet").click()
    page.wait_for_url(f"{base}/calls/applications/{application_id}")
    assert "Beslutet är registrerat." in page.locator(".flashes").inner_text()
    decision = plain(page.locator("section[aria-labelledby=decision-heading]").inner_text())
    assert "Delvis beviljad, 200 000 kr" in decision
    assert "RUN/290/2022" in decision
    screenshot(page, "coordinator-decided")

    # The pool has 200 000 kr less left.
    page.goto(f"{base}/calls/{call_id}")
    assert left_on_call_page(page) == left_before - 200_000

    # The decision log lists it, with the diary number written the standard way.
    page.get_by_role("link", name="Beslutslogg").click()
    page.wait_for_url(f"{base}/calls/{call_id}/decisions")
    row = page.locator("table tbody tr", has_text=TITLE)
    assert row.count() == 1
    cells = [plain(c) for c in row.locator("td").all_inner_texts()]
    assert cells[1:5] == ["2022-06-10", "SVOM", "§125", "RUN/290/2022"]
    assert cells[7] == "Delvis beviljad"
    assert "200 000 kr" in cells[9]
    screenshot(page, "coordinator-decision-log")

    # The fund's follow-up PDF carries the granted project.
    from pypdf import PdfReader

    from app.year_reports.downloads import render_report

    with served.app_context():
        content = render_report("followup", earmark_code, year, "pdf")
        db.session.remove()
    text = plain("\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages))
    granted = re.sub(r"\s+", " ", text.split("Beviljade projekt ur utlysningen")[1])
    assert TITLE in granted
    assert re.search(re.escape(TITLE) + r" .*? 200 000 ", granted)  # the project's own amount
