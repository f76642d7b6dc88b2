"""The money's whole path after a decision, in a real headless Chromium, CSRF tokens and all:
one coordinator registers a payment and asks for a final report, another attests the payment,
the applicant writes and submits the report, the first coordinator approves it and so closes
the project, and the fund's follow-up PDF shows what the project used and what went back."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from app.call import decisions
from app.call.rules import ApplicationState, CallState
from app.core.audit import Actor
from app.extensions import db
from tests.browser.conftest import screenshot
from tests.call import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Trygga unga i Strömsund"
INDICATORS = [{"name": "Antal utbildade", "kind": "count", "split": True}]
REPORT_TEXT = "Vi utbildade 40 personer i psykisk första hjälpen."


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def value_after(page, scope: str, term: str) -> str:
    """The <dd> that follows the <dt> reading exactly `term`, inside `scope`."""
    dt = page.locator(f"{scope} dt").filter(has_text=re.compile(rf"^\s*{re.escape(term)}\s*$"))
    return plain(dt.locator("xpath=following-sibling::dd[1]").inner_text()).strip()


def log_in(page, base: str, email: str) -> None:
    """Log in through the real form, as whoever was logged in before leaves the browser."""
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/login" not in url)  # wait for the POST's redirect


def followup_pdf(page, base: str) -> str:
    """Download samverkan 2022's follow-up through the dashboard's link; its text on one line."""
    from pypdf import PdfReader

    page.goto(f"{base}/")
    link = page.locator('a[href="/reports/followup/samverkan/2022.pdf"]')
    assert link.count() >= 1
    with page.expect_download() as download_info:
        link.first.click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = plain("\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages))
    return re.sub(r"\s+", " ", text)


def pdf_amount(text: str, label: str) -> int:
    """The whole-kronor amount that follows `label` in the PDF's text."""
    found = re.search(re.escape(label) + r" (-?\d{1,3}(?: \d{3})*)(?!\d)", text)
    assert found, f"{label!r} not in {text}"
    return int(found.group(1).replace(" ", ""))


def test_a_grant_is_paid_reported_closed_and_followed_up(live_server, page, make_user):
    base, served = live_server
    with served.test_request_context():
        line_id = factories.make_pool(1_000_000, year=2022, earmark="samverkan")
        call = factories.make_call(line_id, state=CallState.CLOSED, title="Projektutlysning 2022")
        organisation = factories.make_organisation("Strömsunds kommun")
        applicant = factories.make_applicant(organisation)
        application = factories.make_application(
            call, organisation, amount_kr=500_000, title=TITLE,
            state=ApplicationState.UNDER_REVIEW)
        application.indicators = INDICATORS
        db.session.flush()
        # A real decision: the Grant comes out of the pool with application_id set.
        grant = decisions.decide(application.id, "granted", None, "", "", "SVOM",
                                 date(2022, 6, 10), "§125", "", Actor(label="fixture")).grant
        application_id, grant_id = application.id, grant.id
        db.session.commit()
        db.session.remove()
    coordinator_a = make_user("coordinator", "anna.samordnare@example.se")
    coordinator_b = make_user("coordinator", "bo.samordnare@example.se")

    # --- Coordinator A finds the project and registers a payment ---------------------------
    log_in(page, base, coordinator_a)
    page.goto(f"{base}/projekt")
    row = page.locator("table tbody tr", has_text=TITLE)
    assert row.count() == 1
    assert "500 000 kr" in plain(row.inner_text())
    row.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{base}/projekt/{grant_id}")
    assert page.get_by_role("heading", level=1).inner_text().strip() == TITLE
    assert value_after(page, "dl.money-summary", "Beviljat") == "500 000 kr"
    assert value_after(page, "dl.money-summary", "Utbetalt") == "0 kr"
    assert "Alla belopp måste attesteras av en annan samordnare." in plain(
        page.locator("main").inner_text())  # the attest threshold is 0 kr by default

    page.get_by_label("Belopp").fill("300 000")
    page.get_by_label("Datum").fill("2022-07-01")
    page.get_by_label("Referens").fill("VER-2022-117")
    page.get_by_role("button", name="Registrera", exact=True).click()
    page.wait_for_url(f"{base}/projekt/{grant_id}#payments")
    assert ("300 000 kr är registrerat och väntar på attest av en annan samordnare."
            in plain(page.locator(".flashes").inner_text()))
    payment_row = page.locator("#payments ~ .table-wrap table tbody tr")
    assert payment_row.count() == 1
    cells = plain(payment_row.inner_text())
    assert "2022-07-01" in cells and "300 000 kr" in cells and "VER-2022-117" in cells
    assert "Väntar på attest" in cells
    # A registered it, so A may not attest it.
    assert payment_row.get_by_role("button", name="Attestera").count() == 0
    assert "en annan samordnare måste attestera" in cells
    assert value_after(page, "dl.money-summary", "Utbetalt") == "0 kr"  # not until attested

    # A asks for a final report.
    page.get_by_label("Rapport", exact=True).select_option(label="Slutrapport")
    page.get_by_label("Senast").fill("2023-12-31")
    page.get_by_role("button", name="Begär rapporten").click()
    page.wait_for_url(f"{base}/projekt/{grant_id}#reports")
    assert "Rapporten är begärd." in page.locator(".flashes").inner_text()
    report_row = page.locator("#reports ~ .table-wrap table tbody tr")
    assert report_row.count() == 1
    assert "Slutrapport" in report_row.inner_text() and "2023-12-31" in report_row.inner_text()
    report_url = report_row.get_by_role("link", name="Slutrapport").get_attribute("href")
    report_id = int(report_url.rsplit("/", 1)[1])
    screenshot(page, "followup-payment-pending")

    # --- Coordinator B attests the payment from the queue ----------------------------------
    log_in(page, base, coordinator_b)
    page.goto(f"{base}/utbetalningar")
    queued = page.locator("table tbody tr", has_text=TITLE)
    assert queued.count() == 1
    assert "Väntar på attest" in queued.inner_text()
    screenshot(page, "followup-attest-queue")
    queued.get_by_role("button", name="Attestera").click()
    page.locator(".flashes").wait_for()  # the same URL again: wait for the new page's message
    assert page.url.startswith(f"{base}/utbetalningar")
    assert "300 000 kr är attesterat." in plain(page.locator(".flashes").inner_text())
    queued = page.locator("table tbody tr", has_text=TITLE)
    assert "Attesterad" in queued.inner_text()
    assert coordinator_b in queued.inner_text()
    queued.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{base}/projekt/{grant_id}")
    assert value_after(page, "dl.money-summary", "Utbetalt") == "300 000 kr"
    assert value_after(page, "dl.money-summary", "Ej utbetalt") == "200 000 kr"

    # --- The applicant writes the final report ---------------------------------------------
    log_in(page, base, applicant)
    page.goto(f"{base}/ansokningar/{application_id}/projekt")
    main = plain(page.locator("main").inner_text())
    assert TITLE in main and "500 000 kr" in main and "300 000 kr" in main
    page.locator("#rapporter").get_by_role("link", name="Skriv rapporten").click()
    page.wait_for_url(f"{base}/ansokningar/{application_id}/projekt/rapporter/{report_id}")

    page.fill("#line-0-used", "280 000")
    page.fill("#to_return", "tjugo tusen")  # not an amount
    page.fill("#result-0-value", "40")
    page.fill("#result-0-women", "25")
    page.fill("#result-0-men", "15")
    page.fill("#text", REPORT_TEXT)
    page.get_by_role("button", name="Lämna in").click()
    page.wait_for_selector("#to_return-error")
    assert "Inget sparades: rätta felen nedan." in page.locator("main").inner_text()
    assert "tjugo tusen" in plain(page.locator("#to_return-error").inner_text())
    assert page.locator("#to_return").get_attribute("aria-invalid") == "true"
    assert page.locator(".error-summary a[href='#to_return']").count() == 1
    # Everything typed is still there.
    assert page.input_value("#to_return") == "tjugo tusen"
    assert page.input_value("#line-0-used") == "280 000"
    assert page.input_value("#result-0-value") == "40"
    assert page.input_value("#result-0-women") == "25"
    assert page.input_value("#result-0-men") == "15"
    assert page.input_value("#text") == REPORT_TEXT
    screenshot(page, "followup-report-error")

    page.fill("#to_return", "20 000")
    page.get_by_role("button", name="Lämna in").click()
    page.wait_for_url(f"{base}/ansokningar/{application_id}/projekt#rapporter")
    assert "Rapporten är inlämnad." in page.locator(".flashes").inner_text()
    assert "Inlämnad" in page.locator("#rapporter").inner_text()

    # --- Coordinator A approves the report, which closes the project -----------------------
    log_in(page, base, coordinator_a)
    before = followup_pdf(page, base)  # the project still open: its money not yet back
    page.goto(f"{base}/projekt/{grant_id}")
    page.locator("#reports ~ .table-wrap").get_by_role("link", name="Slutrapport").click()
    page.wait_for_url(f"{base}/projekt/rapporter/{report_id}")
    review = plain(page.locator("main").inner_text())
    assert "Inlämnad" in review and "280 000 kr" in review and "20 000 kr" in review
    assert "Antal utbildade" in review and REPORT_TEXT in review
    assert ("När slutrapporten godkänns avslutas projektet och 220 000 kr går tillbaka till"
            in review)
    page.get_by_label("Positiv utveckling", exact=True).check()
    page.get_by_label("Kommentar").fill("Väl genomfört.")
    page.get_by_role("button", name="Godkänn rapporten").click()
    confirm = page.get_by_role("alert")
    confirm.wait_for()
    assert "Godkänn slutrapporten och avsluta projektet?" in confirm.inner_text()
    assert "20 000 kr bokas som återbetalt och 220 000 kr går tillbaka" in plain(
        confirm.inner_text())
    page.get_by_role("button", name="Godkänn och avsluta projektet").click()
    page.wait_for_selector(".flashes")
    assert page.url == f"{base}/projekt/rapporter/{report_id}"
    assert "Slutrapporten är godkänd och projektet avslutat; 220 000 kr går tillbaka" in plain(
        page.locator(".flashes").inner_text())
    assert "Projektet är avslutat; 220 000 kr gick tillbaka till" in plain(
        page.locator(".closed-note").inner_text())
    assert value_after(page, "main dl.values", "Bedömning") == "Positiv utveckling"
    assert value_after(page, "main dl.values", "Status") == "Godkänd"
    screenshot(page, "followup-report-approved")

    page.goto(f"{base}/projekt/{grant_id}")
    money = "dl.money-summary"
    assert value_after(page, money, "Förbrukat enligt godkänd rapport") == "280 000 kr"
    assert value_after(page, money, "Återbetalt") == "20 000 kr"
    assert value_after(page, money, "Utbetalt") == "300 000 kr"  # paid out, before the refund
    assert value_after(page, money, "Tillbaka till Samverkansmedel 2022") == "220 000 kr"
    assert value_after(page, "main > dl.values", "Status") == "avslutat"
    assert page.get_by_role("button", name="Registrera", exact=True).count() == 0

    # --- The fund's follow-up PDF: 280 000 used, the rest of the grant back in the fund ----
    after = followup_pdf(page, base)
    # The project says where it stands, under its title.
    assert re.search(re.escape(TITLE) + r" Avslutat Strömsunds kommun .*? 500 000 300 000 "
                     r"280 000 20 000 ", after), after
    # While the project ran, its whole grant counted as used; now only what it used does.
    assert pdf_amount(before, "Använt (TOTALT)") == 500_000
    assert pdf_amount(after, "Använt (TOTALT)") == 280_000
    assert re.search(r"Projektutlysning 1 beviljade projekt, se tabellen nedan 1 000 000 280 000 ",
                     after), after
    # So the remainder of the fund holds the 220 000 kr that came back.
    assert pdf_amount(after, "Resultat") - pdf_amount(before, "Resultat") == 220_000
    assert pdf_amount(after, "Resultat") == 6_000_000 - 280_000
    assert "Återstår 5 720 000 kr" in after
