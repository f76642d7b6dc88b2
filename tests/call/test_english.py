"""The call's pages in English: every state and budget category goes through its label, so
none is left in Swedish (see tests/views/test_english.py for the catalog itself).

Only states whose Swedish text is in the English catalog are asserted; "Utkast", "Stängd",
"Beslutad", "Under bedömning", "Beviljad", "Delvis beviljad" and "Återtagen" are extracted
from their labels and translated once the catalog is updated.
"""

from __future__ import annotations

import html

import pytest

from app.call.rules import ApplicationState
from app.call.versions import save_version
from app.extensions import db
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import login

A = ApplicationState
# The Swedish names of the states on these pages, and what the English pages say instead.
STATES = {
    "Öppen": "Open",
    "Inskickad": "Submitted",
    "Återsänd för komplettering": "Returned for completion",
    "Avslagen": "Rejected",
}


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ")


def in_english(client) -> None:
    assert client.post("/lang", data={"lang": "en", "next": "/"}).status_code == 302


@pytest.fixture
def world(app):
    """An open call with a submitted, a returned (changed and sent in again) and a rejected
    application of one organisation; ids by name."""
    with app.app_context():
        call = make_call(make_pool())
        org = make_organisation("Krokoms kommun")
        applicant = make_applicant(org)
        submitted = make_application(call, org, title="Alfa")
        make_application(call, org, title="Beta", state=A.RETURNED)
        make_application(call, org, title="Gamma", state=A.REJECTED)
        submitted.title = "Alfa, andra versionen"
        save_version(submitted)
        db.session.commit()
        ids = {"call": call.id, "submitted": submitted.id, "applicant": applicant}
        db.session.remove()
    return ids


def assert_english(page: str, *swedish: str) -> None:
    for name in swedish:
        assert name not in page, name
        if name in STATES:
            assert STATES[name] in page, STATES[name]


def test_the_coordinators_call_pages_name_every_state_in_english(as_role, world):
    """Do the call list, a call's review list and an application show no Swedish state?"""
    client = as_role("coordinator")
    in_english(client)
    assert_english(page_text(client.get("/calls/")), "Öppen")
    review_list = page_text(client.get(f"/calls/{world['call']}"))
    assert_english(review_list, *STATES)
    application = page_text(client.get(f"/calls/applications/{world['submitted']}"))
    # "Personal" is the Swedish budget line for staff; the footer's "Personal data" is English.
    assert_english(application.replace("Personal data", ""), "Inskickad", "Personal",
                   "Projektets namn")
    assert "Staff" in application and "Project name" in application


def test_the_applicants_list_names_every_state_in_english(client, world):
    """Does the applicant's list of applications show its states in English?"""
    assert login(client, world["applicant"]).status_code == 200
    in_english(client)
    page = page_text(client.get("/ansokningar"))
    assert_english(page, "Inskickad", "Återsänd för komplettering", "Avslagen")
    shown = page_text(client.get(f"/ansokningar/{world['submitted']}"))
    assert_english(shown.replace("Personal data", ""), "Inskickad", "Personal")
    assert "Staff" in shown


def test_the_swedish_pages_still_name_the_states_in_swedish(as_role, world):
    """Is Swedish, the source language, still what a page shows without a choice?"""
    client = as_role("coordinator")
    page = page_text(client.get(f"/calls/{world['call']}"))
    for swedish in STATES:
        assert swedish in page, swedish
