"""A project continues only its own organisation's earlier grant: the coordinators' form offers
no other, the operation refuses another at the field, and an applicant's page never shows
another organisation's grant, even through a link made before links were checked."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.call import decisions
from app.call.models import Application
from app.call.organisations import merge_organisations
from app.call.rules import ApplicationState
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.followup import history, queries
from app.ledger.models import Grant
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import login
from tests.followup.factories import grant, grant_by_title, import_year, pool_year

COORDINATOR = Actor(label="samordnare@example.se")


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def granted(call, org, title: str, amount_kr: int) -> Grant:
    application = make_application(call, org, amount_kr=amount_kr, title=title,
                                   state=ApplicationState.UNDER_REVIEW)
    return decisions.decide(application.id, "granted", None, "", "", "SVOM",
                            date(call.line.allocation.year, 6, 10), "§1", "",
                            COORDINATOR).grant


@pytest.fixture
def years(app) -> dict:
    """Ragunda's projects of 2022 and 2023, Bräcke's of 2022 (and its applicant), and a
    grant of 2022 imported from an exchange file."""
    with app.test_request_context():
        ours, theirs = make_organisation("Ragunda kommun"), make_organisation("Bräcke kommun")
        first = make_call(make_pool(1_000_000, year=2022), title="Utlysning 2022")
        second = make_call(make_pool(1_000_000, year=2023), title="Utlysning 2023")
        ids = {
            "ours_2022": granted(first, ours, "Vårt projekt 2022", 100_000).id,
            "theirs_2022": granted(first, theirs, "Deras projekt 2022", 77_000).id,
            "ours_2023": granted(second, ours, "Vårt projekt 2023", 200_000).id,
            "applicant": make_applicant(ours),
            "stranger": make_applicant(theirs),
        }
        import_year(pool_year(2021, grants=(grant("Importerat projekt", 50_000),),
                              earmark="brukarmiljonen"))
        ids["imported"] = grant_by_title("Importerat projekt").id
        ids["ours_application"] = db.session.get(Grant, ids["ours_2023"]).application_id
        db.session.commit()
        db.session.remove()
    return ids


def test_the_form_offers_only_the_organisations_earlier_grants(app, years, as_role):
    client = as_role("coordinator")
    page = text(client.get(f"/projekt/{years['ours_2023']}"))
    assert f'<option value="{years["ours_2022"]}">' in page
    assert "Deras projekt 2022" not in page
    assert "Importerat projekt" not in page


@pytest.mark.parametrize("other", ["theirs_2022", "imported"])
def test_another_organisations_grant_is_refused_at_the_field(app, years, as_role, other):
    client = as_role("coordinator")
    response = client.post(f"/projekt/{years['ours_2023']}/tidigare",
                           data={"link-previous": years[other]})
    assert response.status_code == 422
    page = text(response)
    assert ('id="link-previous-error"' in page
            and "Det tidigare beviljandet hör till en annan organisation" in page)
    with app.app_context():
        assert db.session.get(Grant, years["ours_2023"]).previous_grant_id is None


def test_the_same_organisations_grant_is_linked(app, years, as_role):
    client = as_role("coordinator")
    response = client.post(f"/projekt/{years['ours_2023']}/tidigare",
                           data={"link-previous": years["ours_2022"]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Grant, years["ours_2023"]).previous_grant_id == years["ours_2022"]


def test_a_grant_of_an_organisation_merged_into_ours_may_be_continued(app, years):
    """A duplicate organisation's grant, once the duplicate is merged into ours, is ours."""
    with app.test_request_context():
        duplicate = make_organisation("Ragunda kn")
        call = make_call(make_pool(500_000, year=2022, earmark="suicidprevention"))
        earlier = granted(call, duplicate, "Dubblettens projekt 2022", 10_000)
        later = db.session.get(Grant, years["ours_2023"])
        assert earlier.id not in dict(queries.link_candidates(later).choices)
        keep = db.session.get(Application, later.application_id).organisation_id
        merge_organisations(duplicate.id, keep, COORDINATOR)
        assert earlier.id in dict(queries.link_candidates(later).choices)
        history.link_previous(later.id, earlier.id, COORDINATOR)
        assert later.previous_grant_id == earlier.id


def test_the_operation_refuses_another_organisations_grant(app, years):
    with app.test_request_context():
        with pytest.raises(DomainError, match="annan organisation"):
            history.link_previous(years["ours_2023"], years["theirs_2022"], COORDINATOR)


def test_an_old_link_to_another_organisation_is_not_shown_to_the_applicant(app, years,
                                                                             as_role):
    """A link made before links were checked still holds in the database: the applicant's
    page shows their own years only, staff still see the whole chain."""
    with app.app_context():
        db.session.get(Grant, years["ours_2023"]).previous_grant_id = years["theirs_2022"]
        db.session.commit()
    client = app.test_client()
    login(client, years["applicant"])
    page = text(client.get(f"/ansokningar/{years['ours_application']}/projekt"))
    assert "Vårt projekt 2023" in page
    assert "Deras projekt 2022" not in page and "77 000 kr" not in page
    staff = as_role("coordinator")
    assert "Deras projekt 2022" in text(staff.get(f"/projekt/{years['ours_2023']}"))


def test_the_earlier_grants_offered_are_bounded_and_searchable(app, as_role):
    """With many earlier imported grants, does the select offer at most LINK_CHOICES, at the
    same cost as with a few, and does a search find the one wanted?"""
    from app.followup.queries import LINK_CHOICES
    from tests.support import queries_of_page

    with app.app_context():
        import_year(pool_year(2021, pool=900_000, grants=tuple(
            grant(f"Tidigt projekt {i:03d}", 1_000) for i in range(3))))
        import_year(pool_year(2024, grants=(grant("Det nya projektet", 10_000),)))
        new_id = grant_by_title("Det nya projektet").id
        db.session.commit()
        db.session.remove()
    client = as_role("coordinator")
    client.get(f"/projekt/{new_id}")
    few = queries_of_page(app, client, f"/projekt/{new_id}")
    with app.app_context():
        import_year(pool_year(2022, pool=900_000, grants=tuple(
            grant(f"Senare projekt {i:03d}", 1_000) for i in range(LINK_CHOICES + 20))))
        db.session.commit()
        db.session.remove()
    assert queries_of_page(app, client, f"/projekt/{new_id}") == few
    page = text(client.get(f"/projekt/{new_id}"))
    select = re.search(r'<select[^>]*id="link-previous".*?</select>', page, re.DOTALL).group(0)
    assert select.count("<option") == LINK_CHOICES + 1  # and "no earlier project"
    assert "Tidigt projekt 000" not in select  # the latest come first
    assert "sök för att hitta fler" in page
    found = text(client.get(f"/projekt/{new_id}?tidigare=tidigt+projekt+002"))
    select = re.search(r'<select[^>]*id="link-previous".*?</select>', found, re.DOTALL).group(0)
    assert select.count("<option") == 2 and "Tidigt projekt 002" in select
    # A search with LIKE's wildcards matches them as text.
    none = text(client.get(f"/projekt/{new_id}?tidigare=%25_"))
    assert "Inget tidigare projekt matchar" in none
    # The linked grant stays offered, and one already continued is no longer offered.
    with app.app_context():
        early = grant_by_title("Tidigt projekt 001").id
    assert client.post(f"/projekt/{new_id}/tidigare",
                       data={"link-previous": early}).status_code == 302
    page = text(client.get(f"/projekt/{new_id}?tidigare=senare"))
    assert f'<option selected value="{early}">' in page or f'value="{early}" selected' in page
