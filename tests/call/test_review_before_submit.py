"""Review before submit: the submit page shows the whole application as the coordinators will
read it, with links back to each part, and the receipt links to the version sent in."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.call.models import Call
from app.core.models import OutboundEmail
from app.extensions import db
from tests.call.factories import complete_form
from tests.call.test_nothing_lost import page_text

PDF = b"%PDF-1.4\n%%EOF\n"


def _write(app, client, world, app_id, **overrides):
    with app.app_context():
        data = complete_form(db.session.get(Call, world.call_id), **overrides)
    assert client.post(f"/ansokningar/{app_id}", data=data).status_code in (302, 400)


def test_the_review_shows_every_field_budget_and_attachment_with_links_back(
        app, client, world, new_application):
    app_id = new_application()
    _write(app, client, world, app_id)
    client.post(f"/ansokningar/{app_id}/bilagor", data={"file": (io.BytesIO(PDF), "plan.pdf")},
                content_type="multipart/form-data")
    page = page_text(client.get(f"/ansokningar/{app_id}/skicka"))
    assert "Ansökan är komplett" in page
    for typed in ("Första hjälpen till psykisk hälsa", "Utbildning i MHFA för skolpersonal.",
                  "Många unga mår dåligt.", "Fler vuxna som kan ge stöd.",
                  "Personal på gymnasiet.", "Krokoms kommun", "Region Jämtland Härjedalen, JLB",
                  "JLB deltar i styrgruppen.", "Utbildningen blir en del av skolans plan.",
                  "2021-01-01 – 2022-06-30", "Antal utbildade, Antal skolor",
                  "Genom elevhälsan.", "Instruktörer", "Kursböcker", "8 500,50 kr",
                  "128 500,50 kr", "plan.pdf"):
        assert typed in page, typed
    edit = f"/ansokningar/{app_id}#"
    for anchor in ("title", "summary", "budget_lines", "bilagor", "answer-q1", "period_start"):
        assert f'href="{edit}{anchor}"' in page, anchor
    assert re.search(rf'href="/ansokningar/{app_id}/bilagor/\d+"', page)
    assert "Skicka in ansökan" in page


def test_the_review_says_what_is_missing_and_offers_no_submit(app, client, world,
                                                              new_application):
    app_id = new_application()
    _write(app, client, world, app_id, summary="", indicators="")
    page = page_text(client.get(f"/ansokningar/{app_id}/skicka"))
    assert "Det här saknas innan ansökan kan skickas in" in page
    assert f'href="/ansokningar/{app_id}#summary">Sammanfattning saknas' in page
    assert "Ange minst en indikator" in page
    assert "Första hjälpen till psykisk hälsa" in page  # the rest is still shown
    assert "Skicka in ansökan" not in page


def test_the_receipt_links_to_the_version_sent_in(app, client, world, new_application):
    app_id = new_application()
    _write(app, client, world, app_id)
    assert client.post(f"/ansokningar/{app_id}/skicka").status_code == 302
    with app.app_context():
        body = db.session.scalar(select(OutboundEmail.body)
                                 .where(OutboundEmail.to == world.applicant)
                                 .where(OutboundEmail.subject.like("Kvitto%")))
    link = re.search(r"http://localhost(/ansokningar/\d+/versioner/1)\b", body).group(1)
    page = page_text(client.get(link))
    assert "Version 1, inskickad" in page
    assert "Utbildning i MHFA för skolpersonal." in page and "128 500,50 kr" in page
    assert client.get(f"/ansokningar/{app_id}/versioner/2").status_code == 404
