"""Importing a file on the import page: all or nothing, every problem listed."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.models import Allocation
from tests.ledger.factories import allocation, document, year_document


def upload(client, text: str | bytes, *, name: str = "2020.yaml", replace: bool = False):
    content = text.encode("utf-8") if isinstance(text, str) else text
    data = {"file": (BytesIO(content), name)}
    if replace:
        data["replace"] = "y"
    return client.post("/import", data=data, content_type="multipart/form-data")


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count(Allocation.id))),
                db.session.scalar(select(func.count(AuditEntry.id))))


def flashes(client) -> list[str]:
    """Return and clear the messages waiting for the next page."""
    with client.session_transaction() as session:
        return [m.replace("\u00a0", " ") for _c, m in session.pop("_flashes", [])]


def test_the_page_offers_a_labelled_file_field(as_role):
    page = as_role("coordinator").get("/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert '<label class="ds-label" for="file">Fil att importera</label>' in page
    assert 'accept=".yaml,.yml,.json"' in page
    assert "Ersätt befintliga" in page


def test_a_file_is_imported_and_the_overview_says_what(app, as_role, data_2020):
    client = as_role("coordinator")
    response = upload(client, data_2020)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # The funds by the names people read, not the file's codes.
    assert flashes(client) == ["Importerade Brukarmiljonen 2020.",
                               "Importerade Samverkansmedel 2020.",
                               "Importerade Suicidpreventiva medel 2020."]
    assert counts(app)[0] == 3


def test_warnings_of_the_file_are_shown(as_role):
    client = as_role("coordinator")
    text = document(allocation("suicidprevention", 2020, 2500000,
                               {"activity": "Suicid Zero", "spent": 1290000},
                               stated_total=1300000))
    upload(client, text, name="s.json")
    messages = flashes(client)
    assert messages[0] == "Importerade Suicidpreventiva medel 2020."
    assert messages[1].startswith("Varning: ")
    assert "dokumentet anger TOTALT 1 300 000 kr" in messages[1]


def test_a_refused_file_lists_every_problem_and_changes_nothing(app, as_role, data_2020):
    """When a file breaks rules, does the page list them all, and is nothing kept?"""
    client = as_role("coordinator")
    upload(client, data_2020)
    before = counts(app)
    bad = document(
        allocation("okand", 2021, 100),
        allocation("samverkan", 2020, 100),
    )
    response = upload(client, bad, name="bad.json")
    page = response.get_data(as_text=True).replace("\u00a0", " ")
    assert response.status_code == 422
    assert "Filen importerades inte; inget har ändrats" in page
    assert "okänd fond &#39;okand&#39;" in page
    assert "samverkan 2020 finns redan i databasen" in page
    assert "<code>allocations[0] (okand 2021).earmark</code>" in page
    assert "Kryssa i ”Ersätt befintliga”" in page
    assert counts(app) == before


def test_replacing_needs_the_box_ticked(app, as_role, data_2020):
    client = as_role("coordinator")
    upload(client, data_2020)
    flashes(client)
    assert upload(client, data_2020).status_code == 422
    response = upload(client, data_2020, replace=True)
    assert response.status_code == 302
    assert "Ersatte Samverkansmedel 2020." in flashes(client)
    assert counts(app)[0] == 3


def test_a_file_of_several_years_is_imported_at_once(app, as_role):
    client = as_role("admin")
    text = year_document(2021)
    assert upload(client, text).status_code == 302
    assert counts(app)[0] == 3


@pytest.mark.parametrize("name, content, message", [
    ("data.txt", "format: stimulansmedel/1", "Filen måste sluta på .yaml, .yml eller .json"),
    ("data.yaml", b"\xff\xfe\x00f\x00o", "Filen är inte en textfil i UTF-8"),
    ("data.yaml", b"x" * 2049, "Filen är för stor; den får vara högst 2 kB"),
])
def test_files_that_cannot_be_read_are_refused_at_the_field(app, as_role, monkeypatch, name,
                                                            content, message):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 2048)
    client = as_role("coordinator")
    response = upload(client, content, name=name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'class="ds-validation-message"' in page
    assert counts(app) == (0, counts(app)[1])


def test_no_file_is_an_error_in_the_summary(as_role):
    response = as_role("coordinator").post("/import", data={}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<a class="ds-link" href="#file">Välj en fil att importera</a>' in page


def test_a_document_that_is_not_the_format_is_refused(as_role):
    response = upload(as_role("coordinator"), "format: annat/2\nallocations: []\n")
    assert response.status_code == 422
    assert "Filen importerades inte" in response.get_data(as_text=True)


def test_the_import_is_in_the_audit_log_with_the_person(app, as_role, data_2020):
    client = as_role("coordinator")
    upload(client, data_2020)
    with app.app_context():
        actors = set(db.session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "allocation.import")))
    assert len(actors) == 1
    assert actors.pop().startswith("coordinator-")


@pytest.mark.parametrize("content, message", [
    ("format: stimulansmedel/1\nallocations: " + "[" * 3000 + "]" * 3000,
     "nästlade djupare än formatet tillåter"),
    ('{"format": "stimulansmedel/1", "allocations": [{"earmark": "samverkan", "year": '
     + "9" * 5000 + "}]}", "är inget årtal"),
    (year_document(2021).replace("activity: JLB inkl.", 'activity: "JLB\\0" #', 1),
     "tecken 0x00 på plats 4"),
    (year_document(2021).replace("activity: JLB inkl.", "activity: !!binary aGVsbG8= #", 1),
     "taggen !!binary"),
])
def test_a_hostile_file_is_listed_with_its_place_and_changes_nothing(app, as_role, content,
                                                                    message):
    """Is a file built to crash the reader refused on the page, in Swedish, importing nothing?"""
    client = as_role("coordinator")
    before = counts(app)
    response = upload(client, content, name="fil.json")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts(app) == before
