"""Closing a year through its confirmation page, and reopening it (administrators only)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.models import Allocation, Earmark, Line, LineKind
from app.ledger.queries import is_year_closed
from tests.conftest import login


def page_text(response) -> str:
    """Return the page with no-break spaces as plain ones, to compare with printed figures."""
    return response.get_data(as_text=True).replace("\u00a0", " ")


def flashes(client) -> list[str]:
    """Return the messages flashed to the client, not yet shown."""
    with client.session_transaction() as session:
        messages = [message for _category, message in session.get("_flashes", [])]
    return [message.replace("\u00a0", " ") for message in messages]


def year_closed(app: Flask, year: int = 2020) -> bool:
    with app.app_context():
        return is_year_closed(year)


@pytest.fixture
def coordinator(as_role, imported_2020):
    return as_role("coordinator")


@pytest.fixture
def admin(app, make_user):
    """A second client, logged in as an administrator."""
    client = app.test_client()
    assert login(client, make_user("admin")).status_code == 200
    return client


def test_the_confirmation_page_shows_what_is_carried_over(coordinator):
    page = page_text(coordinator.get("/years/2020/close"))
    assert "72 151 kr förs över till Samverkansmedel 2021" in page
    assert "108 928 kr förs över till Suicidpreventiva medel 2021" in page
    assert "Inget att föra över" in page  # brukarmiljonen: its deficit is covered
    assert "kan inte stängas" not in page
    assert '<button type="submit"' in page and "Stäng 2020</button>" in page


def test_closing_carries_over_and_goes_to_the_dashboard(app, coordinator):
    response = coordinator.post("/years/2020/close")
    assert response.status_code == 302
    assert response.location == "/"
    assert flashes(coordinator) == [(
        "2020 är stängt; 72 151 kr överförs till Samverkansmedel 2021, "
        "108 928 kr överförs till Suicidpreventiva medel 2021."
    )]
    assert year_closed(app)


def test_a_remainder_paid_back_is_named_so(app, coordinator):
    """Does the message say so when a fund's rule returns its remainder to the state?"""
    with app.app_context():
        earmark = db.session.scalar(select(Earmark).where(Earmark.code == "suicidprevention"))
        earmark.remainder_rule = "pay_back"
        db.session.commit()
    assert "108 928 kr betalas tillbaka till staten" in page_text(
        coordinator.get("/years/2020/close"))
    coordinator.post("/years/2020/close")
    assert flashes(coordinator) == [(
        "2020 är stängt; 72 151 kr överförs till Samverkansmedel 2021, "
        "108 928 kr av Suicidpreventiva medel 2020 betalas tillbaka till staten."
    )]


def test_a_closed_year_cannot_be_closed_again(app, coordinator):
    coordinator.post("/years/2020/close")
    page = page_text(coordinator.get("/years/2020/close"))
    assert "2020 är redan stängt." in page
    assert "Stäng 2020</button>" not in page
    response = coordinator.post("/years/2020/close")
    assert response.location == "/years/2020/close"
    assert flashes(coordinator)[-1] == "Året 2020 är redan stängt."


def test_without_the_8436_transfer_closing_is_refused_naming_the_deficit(app, coordinator):
    """Is 2020 refused, naming brukarmiljonen's 8 436 kr, once the covering transfer is gone?"""
    with app.app_context():
        transfer = db.session.scalar(select(Line.id).where(Line.kind == LineKind.TRANSFER))
    assert coordinator.post(f"/lines/{transfer}/delete").status_code == 302

    page = page_text(coordinator.get("/years/2020/close"))
    assert "2020 kan inte stängas" in page
    assert "Brukarmiljonen 2020 har ett underskott på 8 436 kr som ingen annan fond täcker." in page
    assert "Stäng 2020</button>" not in page

    response = coordinator.post("/years/2020/close")
    assert response.location == "/years/2020/close"
    assert "Brukarmiljonen 2020 har ett underskott på 8 436 kr" in flashes(coordinator)[-1]
    assert not year_closed(app)


def test_close_then_reopen_works_and_is_audited(app, coordinator, admin):
    coordinator.post("/years/2020/close")
    assert year_closed(app)

    page = page_text(admin.get("/years/2020/reopen"))
    assert "ångras överföringen till 2021" in page
    assert "72 151 kr" in page and "108 928 kr" in page
    response = admin.post("/years/2020/reopen")
    assert response.status_code == 302 and response.location == "/"
    assert flashes(admin) == ["2020 är öppnat igen; överföringen till 2021 är ångrad."]
    assert not year_closed(app)

    with app.app_context():
        entries = {e.action: e for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(["year.close", "year.reopen"])))}
        assert entries["year.close"].actor.startswith("coordinator-")
        assert entries["year.close"].after["carry_over"]["samverkan"] == 7215100
        assert entries["year.reopen"].actor.startswith("admin-")
        assert entries["year.reopen"].before["carry_over"]["suicidprevention"] == 10892800


def test_an_open_year_cannot_be_reopened(app, admin, imported_2020):
    assert "2020 är inte stängt." in page_text(admin.get("/years/2020/reopen"))
    response = admin.post("/years/2020/reopen")
    assert response.location == "/years/2020/reopen"
    assert flashes(admin) == ["Året 2020 är inte stängt."]


def test_the_closed_allocation_page_links_admins_to_reopening(app, coordinator, admin):
    coordinator.post("/years/2020/close")
    with app.app_context():
        samverkan = db.session.scalar(select(Allocation.id).join(Allocation.earmark)
                                      .where(Earmark.code == "samverkan"))
    page = page_text(admin.get(f"/allocations/{samverkan}"))
    assert "Året är stängt" in page and 'href="/years/2020/reopen"' in page


@pytest.mark.parametrize("path", ["/years/1999/close", "/years/1999/reopen"])
def test_a_year_without_allocations_is_404(admin, path):
    assert admin.get(path).status_code == 404
