"""The call's journeys in a real headless Chromium at 1280 and at 390 px, with axe-core run on
every page they reach: an applicant registers, confirms, writes a draft with a budget row it
cannot read, leaves and comes back to find it as typed and marked, attaches, reviews, submits;
a coordinator scores the application and downloads its attachment, then decides; the
applicant sees the decision and reports against the granted budget."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.call.models import Application, Call
from app.core.audit import Actor
from app.core.models import OutboundEmail
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.rules import ReportKind
from app.ledger.models import Grant
from tests.browser.conftest import WIDTHS
from tests.call import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

APPLICANT = "anna@krokom.se"
APPLICANT_PASSWORD = "ett-langt-losenord"
TITLE = "Första hjälpen till psykisk hälsa"


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def main_text(page) -> str:
    return plain(page.locator("main").inner_text())


def last_mail(served, to: str, subject_start: str = "") -> str:
    with served.app_context():
        body = db.session.scalars(
            select(OutboundEmail.body).where(OutboundEmail.to == to,
                                             OutboundEmail.subject.startswith(subject_start))
            .order_by(OutboundEmail.id.desc())).first()
        db.session.remove()
    assert body, f"no e-mail to {to}"
    return body


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]:has-text('Logga in')")
    page.wait_for_url(lambda url: "/login" not in url)


def saved(page) -> None:
    """Wait until autosave has every change on the server."""
    page.wait_for_selector("form[data-autosave][data-unsaved=false]", timeout=20_000)


@pytest.fixture
def call_id(live_server):
    _, served = live_server
    with served.app_context():
        call_id = factories.create_call(title="Projektutlysning 2021")
        db.session.get(Call, call_id).criteria = ["Behov", "Genomförbarhet"]
        db.session.commit()
        db.session.remove()
    return call_id


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_call_from_registration_to_report(width, live_server, call_id, page, axe,
                                              make_user, tmp_path):
    base, served = live_server
    page.set_viewport_size(WIDTHS[width])
    page.on("dialog", lambda dialog: dialog.accept())

    def check(name: str | None = None) -> None:
        axe(page, f"{width}-{name}" if name else None)

    # --- the applicant registers and confirms the address
    page.goto(f"{base}/register")
    check("register")
    page.fill("#email", APPLICANT)
    page.fill("#name", "Anna Berg")
    page.fill("#password", APPLICANT_PASSWORD)
    page.fill("#password2", APPLICANT_PASSWORD)
    page.fill("#organisation", "Krokoms kommun")
    page.select_option("#kind", "municipality")
    page.click("button[type=submit]:has-text('Skapa konto')")
    page.wait_for_selector("text=Kolla din e-post")
    check()
    link = re.search(r"https?://\S+(/confirm/\S+)", last_mail(served, APPLICANT)).group(1)
    page.goto(base + link)
    page.wait_for_selector("text=bekräftad")
    check("login")
    log_in(page, base, APPLICANT, APPLICANT_PASSWORD)
    page.wait_for_selector("h1:has-text('Mina ansökningar')")
    check()

    # --- writes a draft with a budget row whose amount cannot be read
    page.goto(f"{base}/utlysningar")
    check()
    page.click("text=Projektutlysning 2021")
    check()
    page.click("button:has-text('Ansök')")
    page.wait_for_selector("#title")
    page.fill("#title", TITLE)
    page.fill("#summary", "Utbildning i MHFA för skolpersonal.")
    page.fill("#background", "Många unga mår dåligt.")
    page.fill("#aim", "Fler vuxna som kan ge stöd.")
    page.fill("#target_group", "Personal på gymnasiet.")
    page.check("input[name=goal_areas] >> nth=0")
    page.fill("#owner", "Krokoms kommun")
    page.fill("#partners", "Region Jämtland Härjedalen\nJLB")
    page.fill("#user_participation", "JLB deltar i styrgruppen.")
    page.fill("#long_term_plan", "Utbildningen blir en del av skolans plan.")
    page.fill("#period_start", "2021-01-01")
    page.fill("#period_end", "2022-06-30")
    page.fill("#budget-0-description", "Instruktörer")
    page.fill("#budget-0-amount", "120 000")
    page.fill("#budget-1-description", "Lokalhyra")
    page.fill("#budget-1-amount", "12 000 kr ungefär")
    page.fill("#indicators", "Antal utbildade")
    page.fill("#answer-q1", "Genom elevhälsan.")
    saved(page)
    error = page.locator("#budget-1-error")
    error.wait_for()
    assert plain(error.inner_text()).startswith("Rad 2, belopp: ”12 000 kr ungefär”")
    assert page.get_attribute("#budget-1-amount", "aria-invalid") == "true"
    assert "markerat" in page.inner_text("#autosave-status")
    check("draft-marked")
    edit_url = page.url

    # --- leaves, and comes back to the row as typed, still marked
    page.goto(f"{base}/ansokningar")
    page.click(f"text={TITLE}")
    page.wait_for_url(edit_url)
    assert page.input_value("#budget-1-description") == "Lokalhyra"
    assert page.input_value("#budget-1-amount") == "12 000 kr ungefär"
    assert "Rad 2, belopp" in page.inner_text("#budget-1-error")
    check()
    page.fill("#budget-1-amount", "12 000")
    saved(page)
    page.wait_for_selector("#budget-1-error", state="detached")
    assert plain(page.inner_text("#budget-total")) == "132 000 kr"

    # --- attaches a plan
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#file", str(pdf))
    page.click("button:has-text('Ladda upp')")
    page.wait_for_selector("text=Bilagan är uppladdad")
    check()

    # --- reviews the whole application, then submits it
    page.click("button:has-text('Granska och skicka in')")
    page.wait_for_selector("text=Ansökan är komplett")
    review = main_text(page)
    for typed in ("Utbildning i MHFA för skolpersonal.", "Genom elevhälsan.", "Lokalhyra",
                  "12 000 kr", "132 000 kr", "plan.pdf", "2021-01-01 – 2022-06-30"):
        assert typed in review, typed
    assert page.locator("a.edit-link").count() >= 12
    check("review")
    page.click("button:has-text('Skicka in ansökan')")
    page.wait_for_selector("text=Ansökan är inskickad")
    check("submitted")
    receipt = re.search(r"https?://\S+(/ansokningar/\d+/versioner/1)",
                        last_mail(served, APPLICANT, "Kvitto")).group(1)
    page.goto(base + receipt)
    assert "Lokalhyra" in main_text(page)
    check()
    application_id = int(re.search(r"/ansokningar/(\d+)", receipt).group(1))

    # --- a coordinator scores it and downloads the attachment, then decides
    coordinator = make_user("coordinator")
    log_in(page, base, coordinator)
    page.goto(f"{base}/calls/applications/{application_id}")
    check("coordinator-application")
    page.get_by_role("button", name="Börja bedöma").click()
    page.wait_for_selector("text=Ansökan är under bedömning.")
    page.get_by_role("link", name="Min bedömning").click()
    check()
    page.select_option("#score_0", "4")
    page.select_option("#score_1", "5")
    page.fill("#comment", "Tydlig plan.")
    page.get_by_role("button", name="Spara bedömningen").click()
    page.wait_for_selector("text=Din bedömning är sparad.")
    check()
    with page.expect_download() as download:
        page.get_by_role("link", name="plan.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Besluta").click()
    check()
    page.check("input[name=outcome][value=granted]")
    page.fill("#body", "SVOM")
    page.fill("#decided_on", "2021-06-10")
    page.fill("#paragraph", "§12")
    page.get_by_role("button", name="Registrera beslutet").click()
    page.wait_for_selector("text=Beslutet är registrerat.")
    check("coordinator-decided")
    with served.app_context():
        grant_id = db.session.scalar(select(Grant.id).where(Grant.application_id
                                                            == application_id))
        report = project_reports.schedule_report(grant_id, ReportKind.INTERIM,
                                                 date(2022, 9, 30), Actor(label=coordinator))
        report_id = report.id
        db.session.commit()
        assert db.session.get(Application, application_id).state.value == "granted"
        db.session.remove()

    # --- the applicant sees the decision and reports against the granted budget
    log_in(page, base, APPLICANT, APPLICANT_PASSWORD)
    page.goto(f"{base}/ansokningar")
    row = plain(page.locator("tr", has_text=TITLE).inner_text())
    assert row.count("132 000 kr") == 2  # applied and granted
    check("applicant-list")
    page.click(f"text={TITLE}")
    decision = plain(page.locator("section.decision").inner_text())
    assert "Beviljad" in decision and "132 000 kr" in decision
    check("applicant-decision")
    page.get_by_role("link", name=re.compile("Projektets sida")).click()
    check()
    page.goto(f"{base}/ansokningar/{application_id}/projekt/rapporter/{report_id}")
    assert "Beviljad budget" in main_text(page)
    check("report-form")
    page.fill("#line-0-used", "118 000")
    page.fill("#line-1-used", "12 000")
    page.fill("#to_return", "0")
    page.fill("#result-0-value", "40")
    page.fill("#result-0-women", "25")
    page.fill("#result-0-men", "15")
    page.fill("#text", "Vi utbildade 40 personer.")
    page.get_by_role("button", name="Lämna in").click()
    page.wait_for_url(f"{base}/ansokningar/{application_id}/projekt#rapporter")
    check("report-submitted")


def test_text_kept_in_the_browser_comes_back_after_the_session_ended(live_server, call_id,
                                                                      page, axe):
    """When autosave cannot save (here the session has ended while the applicant typed), is
    what was typed kept in the browser, does leaving warn, and is it offered back after
    logging in again?"""
    base, served = live_server
    with served.app_context():
        organisation = factories.create_organisation("Bergs kommun")
        email = factories.create_applicant(organisation)
        db.session.commit()
        db.session.remove()
    log_in(page, base, email)
    page.goto(f"{base}/utlysningar/{call_id}")
    page.click("button:has-text('Ansök')")
    page.wait_for_selector("#title")
    edit_url = page.url

    page.context.clear_cookies()  # the session times out
    page.fill("#title", "Skrivet efter utloggningen")
    page.fill("#budget-0-description", "Handledning")
    page.wait_for_selector("#autosave-status:has-text('Kunde inte spara')", timeout=20_000)
    assert page.get_attribute("form[data-autosave]", "data-unsaved") == "true"
    axe(page)
    warned = []
    page.on("dialog", lambda dialog: (warned.append(dialog.type), dialog.accept()))
    page.goto(f"{base}/login")
    assert warned == ["beforeunload"]

    log_in(page, base, email)
    page.goto(edit_url)
    assert page.input_value("#title") == ""  # the server never got it
    page.wait_for_selector("#autosave-restore:not([hidden])")
    axe(page)
    page.click("#autosave-restore-button")
    assert page.input_value("#title") == "Skrivet efter utloggningen"
    assert page.input_value("#budget-0-description") == "Handledning"
    saved(page)
    page.reload()
    assert page.input_value("#title") == "Skrivet efter utloggningen"
    assert page.input_value("#budget-0-description") == "Handledning"
    assert page.locator("#autosave-restore:not([hidden])").count() == 0
