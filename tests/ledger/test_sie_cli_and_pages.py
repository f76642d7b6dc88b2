"""`flask payments sie` and the SIE pages: the command writes the file and records it, makes
an earlier one again exactly, refuses with a message; an administrator sets the accounts
with a message at the field; a coordinator exports and downloads."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.sie.models import SieEarmarkAccounts, SieExport
from tests.ledger.sie_reader import read_sie
from tests.ledger.sie_world import build, earmark_id, pay_on, settle


@pytest.fixture
def paid(app):
    """Two attested payments of 2022 and the settings, committed."""
    with app.app_context():
        grants = build()
        settle()
        pay_on(grants["quoted"], 30_000, date(2022, 3, 1), reference="F-101")
        pay_on(grants["swedish"], 10_000, date(2022, 8, 1), reference="F-102")
        db.session.commit()
        db.session.remove()


def _sie(runner, *args):
    return runner.invoke(args=["payments", "sie", *args])


def _count(app, model) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
    return count


def test_the_command_writes_the_file_and_records_it(app, runner, paid, tmp_path):
    out = tmp_path / "utbetalningar.se"
    result = _sie(runner, "--year", "2022", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "2 verifikationer 2022-01-01–2022-12-31" in result.output
    assert len(read_sie(out.read_bytes()).vouchers) == 2
    assert _count(app, SieExport) == 1


def test_the_command_leaves_out_what_was_exported_and_says_so(runner, paid, tmp_path):
    assert _sie(runner, "--year", "2022", "--from", "2022-01-01", "--to", "2022-03-31",
                "-o", str(tmp_path / "q1.se")).exit_code == 0
    result = _sie(runner, "--year", "2022", "-o", str(tmp_path / "year.se"))
    assert result.exit_code == 0, result.output
    assert "1 redan exporterade utbetalningar togs inte med" in result.output
    assert len(read_sie((tmp_path / "year.se").read_bytes()).vouchers) == 1


def test_again_recreates_an_export_byte_for_byte(app, runner, paid, tmp_path):
    first, second = tmp_path / "first.se", tmp_path / "second.se"
    assert _sie(runner, "--year", "2022", "-o", str(first)).exit_code == 0
    with app.app_context():
        number = db.session.scalar(select(SieExport.id))
        db.session.remove()
    result = _sie(runner, "--again", str(number), "-o", str(second))
    assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    assert _count(app, SieExport) == 1


def test_the_command_refuses_with_a_message(runner, paid, tmp_path):
    result = _sie(runner, "--year", "2022", "--from", "2022-05-01", "--to", "2022-04-01",
                  "-o", str(tmp_path / "x.se"))
    assert result.exit_code == 1
    assert "Fel: perioden slutar före den börjar" in result.output
    assert not (tmp_path / "x.se").exists()
    result = _sie(runner, "--again", "99", "-o", str(tmp_path / "x.se"))
    assert result.exit_code == 1 and "ingen SIE-export med nummer 99" in result.output
    assert _sie(runner, "-o", str(tmp_path / "x.se")).exit_code == 1


# --- the administrator's page --------------------------------------------------------------

def test_an_administrator_sets_an_earmarks_accounts_audited(app, as_role):
    client = as_role("admin")
    response = client.post("/admin/sie/samverkan", data={
        "cost_account": "4990", "cost_account_name": "Stimulansmedel",
        "responsibility": "1100", "responsibility_name": "Folkhälsa", "project": "P1",
        "project_name": "Projekt ett"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Kontona för Samverkansmedel är sparade." in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(SieEarmarkAccounts, earmark_id("samverkan"))
        assert (row.cost_account, row.responsibility, row.project, row.activity) == (
            "4990", "1100", "P1", None)
        actions = db.session.scalars(select(AuditEntry.action)).all()
        db.session.remove()
    assert actions.count("sie.accounts") == 1


@pytest.mark.parametrize("data, field, message", [
    ({"cost_account": "49A0"}, "cost_account", "Ett kontonummer är 4–8 siffror"),
    ({"cost_account": ""}, "cost_account", "Ange kostnadskontot"),
    ({"responsibility": "11 00"}, "responsibility", "inga mellanslag"),
    ({"responsibility": "1100", "responsibility_name": ""}, "responsibility_name",
     "Ange namnet på ansvar 1100"),
    ({"project_name": "Utan kod"}, "project", "Ange koden för projekt"),
])
def test_a_wrong_account_is_refused_at_its_field_keeping_what_was_typed(app, as_role, data,
                                                                          field, message):
    client = as_role("admin")
    posted = {"cost_account": "4990", "cost_account_name": "Stimulansmedel",
              "activity": "320", "activity_name": "Psykisk hälsa", **data}
    response = client.post("/admin/sie/samverkan", data=posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert 'value="Psykisk hälsa"' in page  # nothing typed is lost
    assert _count(app, SieEarmarkAccounts) == 0


def test_the_settings_are_refused_at_the_field(as_role):
    client = as_role("admin")
    response = client.post("/admin/sie", data={"company": "Region X", "bank_account": "19",
                                               "bank_account_name": "Bank", "series": "S"})
    assert response.status_code == 422
    assert 'id="bank_account-error"' in response.get_data(as_text=True)
    response = client.post("/admin/sie", data={"company": "Region X", "bank_account": "1930",
                                               "bank_account_name": "Bank", "series": "S"},
                           follow_redirects=True)
    assert "Inställningarna för SIE-exporten är sparade." in response.get_data(as_text=True)


def test_an_unknown_earmark_is_not_found(as_role):
    assert as_role("admin").get("/admin/sie/finns-inte").status_code == 404


# --- the coordinators' page ----------------------------------------------------------------

def test_a_coordinator_exports_then_downloads_the_file(app, as_role, paid):
    client = as_role("coordinator")
    response = client.post("/utbetalningar/sie", data={"year": "2022"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "har 2 verifikationer, netto 40" in page
    with app.app_context():
        export = db.session.scalar(select(SieExport))
        checksum, number = export.checksum, export.id
        db.session.remove()
    download = client.post("/utbetalningar/sie/hamta", data={"export_id": str(number)})
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Content-Disposition"].endswith(f'-{number}.se"')
    assert hashlib.sha256(download.data).hexdigest() == checksum
    assert len(read_sie(download.data).vouchers) == 2


def test_the_page_names_a_fund_without_accounts_and_a_refusal_keeps_the_form(app, as_role,
                                                                              paid):
    client = as_role("coordinator")
    page = client.get("/utbetalningar/sie").get_data(as_text=True)
    assert "Kontona är inte inställda för:" in page and "Suicidpreventiva medel" in page
    response = client.post("/utbetalningar/sie", data={
        "year": "2022", "date_from": "2022-11-01", "date_to": "2022-12-31"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="date_from-error"' in page and "inga attesterade utbetalningar" in page
    assert 'value="2022-11-01"' in page
    assert _count(app, SieExport) == 0


def test_downloading_nothing_or_an_unknown_export_says_so(as_role, paid):
    client = as_role("coordinator")
    response = client.post("/utbetalningar/sie/hamta", data={"export_id": "x"},
                           follow_redirects=True)
    assert "Välj en export att hämta." in response.get_data(as_text=True)
    response = client.post("/utbetalningar/sie/hamta", data={"export_id": "77"},
                           follow_redirects=True)
    assert "Det finns ingen SIE-export med nummer 77." in response.get_data(as_text=True)
