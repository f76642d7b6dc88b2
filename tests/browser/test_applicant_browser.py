"""An applicant's way through the project call in a real headless Chromium, CSRF and all:
register, confirm, write a draft, come back to it, attach a PDF, submit, see it frozen."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.models import OutboundEmail
from app.extensions import db
from tests.browser.conftest import screenshot
from tests.call import factories

PASSWORD = "ett-langt-losenord"

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(live_server):
    """The served app with an open call to apply to."""
    _, served = live_server
    with served.app_context():
        factories.create_call(title="Projektutlysning 2021")
        db.session.commit()
        db.session.remove()
    return live_server


def test_an_applicant_registers_writes_and_submits(live_server, page, tmp_path):
    base, served = live_server
    page.goto(f"{base}/register")
    page.fill("#email", "anna@krokom.se")
    page.fill("#name", "Anna Berg")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.fill("#organisation", "Krokoms kommun")
    page.select_option("#kind", "municipality")
    page.click("button[type=submit]:has-text('Skapa konto')")
    page.wait_for_selector("text=Kolla din e-post")

    with served.app_context():
        body = db.session.scalar(select(OutboundEmail.body)
                                 .where(OutboundEmail.to == "anna@krokom.se"))
        db.session.remove()
    link = re.search(r"https?://\S+(/confirm/\S+)", body).group(1)
    page.goto(base + link)
    page.wait_for_selector("text=bekräftad")
    page.fill("#email", "anna@krokom.se")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]:has-text('Logga in')")
    page.wait_for_selector("h1:has-text('Mina ansökningar')")

    page.click("nav >> text=Utlysningar")
    page.click("text=Projektutlysning 2021")
    page.click("button:has-text('Ansök')")
    page.wait_for_selector("#title")
    page.fill("#title", "Första hjälpen till psykisk hälsa")
    page.fill("#summary", "Utbildning i MHFA för skolpersonal.")
    page.click("button:has-text('Spara utkast')")
    page.wait_for_selector("text=Utkastet är sparat")
    edit_url = page.url

    page.goto(f"{base}/ansokningar")  # leave, and come back to it from the list
    page.click("text=Första hjälpen till psykisk hälsa")
    assert page.input_value("#summary") == "Utbildning i MHFA för skolpersonal."
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
    page.fill("#indicators", "Antal utbildade")
    page.fill("#answer-q1", "Genom elevhälsan.")
    page.wait_for_selector("#autosave-status:has-text('Sparat')", timeout=15_000)
    screenshot(page, "applicant-form")

    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#file", str(pdf))
    page.click("button:has-text('Ladda upp')")
    page.wait_for_selector("text=Bilagan är uppladdad")
    assert page.url.startswith(edit_url)

    page.click("button:has-text('Granska och skicka in')")
    page.wait_for_selector("text=Ansökan är komplett")
    page.click("button:has-text('Skicka in ansökan')")
    page.wait_for_selector("text=Ansökan är inskickad")
    page.wait_for_selector("text=låst")
    assert page.locator("#title").count() == 0
    assert page.locator("a:has-text('plan.pdf')").count() == 1
    screenshot(page, "applicant-submitted")
