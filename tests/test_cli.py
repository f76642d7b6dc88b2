"""The command line is a contract with scripts: names, options, messages and exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.models import CarryOver, YearClosing
from tests.conftest import DATA_2020, PASSWORD

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).with_name("flask")


def bad_2020(tmp_path: Path) -> Path:
    """Write the 2020 data with a negative grant, deep in the file."""
    data = yaml.safe_load(DATA_2020.read_text(encoding="utf-8"))
    data["allocations"][1]["lines"][4]["grants"][0]["amount"] = -630000
    path = tmp_path / "negativ.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def invoke(runner, *args: str, input: str | None = None):
    return runner.invoke(args=list(args), input=input)


def rows(app, model) -> list:
    with app.app_context():
        found = db.session.scalars(select(model)).all()
        db.session.remove()
        return found


# --- through the test runner ------------------------------------------------------------------

def test_import_reports_each_fund_it_imported(app, runner):
    """Does `funds import` import the 2020 file and say which funds it imported?"""
    result = invoke(runner, "funds", "import", str(DATA_2020))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Importerade brukarmiljonen 2020 (Brukarmiljonen 2020)",
        "Importerade samverkan 2020 (Samverkansmedel 2020)",
        "Importerade suicidprevention 2020 (Suicidpreventiva medel 2020)",
    ]
    entries = rows(app, AuditEntry)
    assert len(entries) == 3 and all(e.actor.startswith("kommandorad:") for e in entries)


def test_a_refused_import_names_the_place_and_changes_nothing(app, runner, tmp_path):
    """Does a refused file exit 1 with the path and line of the problem, importing nothing?"""
    path = bad_2020(tmp_path)
    result = invoke(runner, "funds", "import", str(path))
    assert result.exit_code == 1
    assert f"Fel: {path} importerades inte; inget har ändrats." in result.stderr
    assert "allocations[1].lines[4].grants[0].amount" in result.stderr
    assert "rad " in result.stderr and "negativt belopp" in result.stderr
    assert result.stdout == ""
    assert rows(app, AuditEntry) == []


def test_importing_twice_is_refused_with_a_hint(runner):
    """Does a second import of 2020 exit 1 and point to --replace?"""
    assert invoke(runner, "funds", "import", str(DATA_2020)).exit_code == 0
    result = invoke(runner, "funds", "import", str(DATA_2020))
    assert result.exit_code == 1
    assert "finns redan i databasen" in result.stderr and "--replace" in result.stderr


def test_replace_says_what_it_replaced(runner):
    """Does `--replace` replace the year and say so?"""
    invoke(runner, "funds", "import", str(DATA_2020))
    result = invoke(runner, "funds", "import", "--replace", str(DATA_2020))
    assert result.exit_code == 0, result.output
    assert "Ersatte samverkan 2020" in result.stdout


def test_a_stated_total_mismatch_warns_but_imports(runner, tmp_path):
    """Is a TOTALT that the lines do not reach a warning on stderr, with the import done?"""
    data = yaml.safe_load(DATA_2020.read_text(encoding="utf-8"))
    data["allocations"][2]["stated_total"] = 2_391_000
    path = tmp_path / "slarv.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = invoke(runner, "funds", "import", str(path))
    assert result.exit_code == 0
    assert "Varning:" in result.stderr and "allocations[2].stated_total" in result.stderr
    assert "Importerade suicidprevention 2020" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    (None, "finns inte"),
    (b"\xff\xfe\x00format", "inte en textfil i UTF-8"),
    (b"", "filen är tom"),
])
def test_an_unreadable_file_is_refused_without_a_traceback(runner, tmp_path, content, message):
    """Is a missing, binary or empty file refused with a message and exit code 1?"""
    path = tmp_path / "fil.yaml"
    if content is not None:
        path.write_bytes(content)
    result = invoke(runner, "funds", "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_export_writes_a_file_and_to_standard_out(runner, tmp_path):
    """Does `funds export` write the year to -o FILE, and the same to stdout without -o?"""
    invoke(runner, "funds", "import", str(DATA_2020))
    out = tmp_path / "2020.yaml"
    result = invoke(runner, "funds", "export", "--year", "2020", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert f"Skrev {out}" in result.stderr
    written = out.read_text(encoding="utf-8")
    assert written.startswith("# stimulansmedel/1")
    assert yaml.safe_load(written)["allocations"][1]["stated_total"] == 6_131_032
    to_stdout = invoke(runner, "funds", "export", "--year", "2020")
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout == written


def test_exporting_an_empty_year_fails(runner):
    """Does an export of a year without data exit 1 with a message?"""
    result = invoke(runner, "funds", "export", "--year", "1999")
    assert result.exit_code == 1
    assert "Fel: det finns inga tilldelningar för 1999" in result.stderr


def test_close_and_reopen_year(app, runner):
    """Does close-year print each fund's carry-over, and reopen-year undo it?"""
    invoke(runner, "funds", "import", str(DATA_2020))
    result = invoke(runner, "funds", "close-year", "2020")
    assert result.exit_code == 0, result.output
    assert "Stängde 2020." in result.stdout
    assert "samverkan: 72\u00a0151\u00a0kr överförs till 2021" in result.stdout
    assert "suicidprevention: 108\u00a0928\u00a0kr överförs till 2021" in result.stdout
    assert "brukarmiljonen: 0\u00a0kr överförs till 2021" in result.stdout
    assert len(rows(app, YearClosing)) == 1

    again = invoke(runner, "funds", "close-year", "2020")
    assert again.exit_code == 1
    assert "året 2020 stängdes inte: året 2020 är redan stängt" in again.stderr

    reopened = invoke(runner, "funds", "reopen-year", "2020")
    assert reopened.exit_code == 0
    assert "Öppnade 2020 igen" in reopened.stdout
    assert rows(app, YearClosing) == [] and rows(app, CarryOver) == []
    assert invoke(runner, "funds", "reopen-year", "2020").exit_code == 1


def test_close_year_names_the_deficit_that_stops_it(runner, tmp_path):
    """Without the transfer, does close-year exit 1 naming brukarmiljonen's deficit?"""
    data = yaml.safe_load(DATA_2020.read_text(encoding="utf-8"))
    del data["allocations"][1]["lines"][5]
    del data["allocations"][1]["stated_total"]
    path = tmp_path / "utan-skuld.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    invoke(runner, "funds", "import", str(path))
    result = invoke(runner, "funds", "close-year", "2020")
    assert result.exit_code == 1
    assert "Brukarmiljonen 2020 har ett underskott på 8\u00a0436\u00a0kr" in result.stderr


def test_a_pay_back_fund_says_its_remainder_goes_back(runner, tmp_path):
    """Does close-year say that a pay_back fund's remainder is paid back, not carried?"""
    added = invoke(runner, "funds", "add-earmark", "--code", "ungdomsmottagning",
                   "--name", "Ungdomsmottagningen", "--remainder", "pay_back")
    assert added.exit_code == 0, added.output
    path = tmp_path / "um.yaml"
    path.write_text("format: stimulansmedel/1\nallocations:\n  - earmark: ungdomsmottagning\n"
                    "    year: 2022\n    received: 1800000\n    lines:\n"
                    "      - activity: Personal\n        spent: 1700000\n", encoding="utf-8")
    assert invoke(runner, "funds", "import", str(path)).exit_code == 0
    result = invoke(runner, "funds", "close-year", "2022")
    assert ("ungdomsmottagning: 100\u00a0000\u00a0kr betalas tillbaka, inte till 2023"
            in result.stdout)


def test_users_create_reads_the_password_from_stdin(app, runner):
    """Does `users create --password-stdin` create an account that the password opens?"""
    result = invoke(runner, "users", "create", "--email", "Samordnare@Example.se",
                    "--role", "coordinator", "--name", "Sam", "--password-stdin",
                    input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Skapade samordnare@example.se (coordinator)." in result.stdout
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "samordnare@example.se"))
        assert user.check_password(PASSWORD) and user.name == "Sam"
        db.session.remove()


def test_users_create_refuses_a_weak_password(app, runner):
    """Is a short password refused with exit 1, and no account made?"""
    result = invoke(runner, "users", "create", "--email", "a@example.se", "--role", "viewer",
                    "--password-stdin", input="kort\n")
    assert result.exit_code == 1
    assert "lösenordet måste ha minst 10 tecken" in result.stderr
    assert rows(app, User) == []


@pytest.mark.parametrize("password, reason", [
    ("Sommar2024!", "för lätt att gissa"),
    ("anna.berg@example.se", "får inte innehålla din e-postadress"),
])
def test_users_create_refuses_a_password_easy_to_guess(app, runner, password, reason):
    result = invoke(runner, "users", "create", "--email", "anna.berg@example.se",
                    "--role", "viewer", "--password-stdin", input=password + "\n")
    assert result.exit_code == 1 and reason in result.stderr
    assert rows(app, User) == []


def test_users_create_refuses_a_taken_email(runner):
    """Is a second account for the same e-mail (in any case) refused?"""
    invoke(runner, "users", "create", "--email", "a@example.se", "--role", "viewer",
           "--password-stdin", input=PASSWORD + "\n")
    result = invoke(runner, "users", "create", "--email", "A@example.se", "--role", "admin",
                    "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "det finns redan ett konto för a@example.se" in result.stderr


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--email", "a@example.se", "--role", "superuser"], 2, "superuser"),
    (["--email", "inte-en-adress", "--role", "viewer"], 1, "ingen giltig e-postadress"),
])
def test_users_create_refuses_a_bad_role_or_email(app, runner, args, code, message):
    """Is an unknown role (a usage error, exit 2) or a malformed e-mail (exit 1) refused?"""
    result = invoke(runner, "users", "create", *args, "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == code
    assert message in result.output
    assert rows(app, User) == []


def test_report_writes_a_pdf(runner, tmp_path):
    """Does `funds report followup` write the fund's follow-up as a PDF file?"""
    invoke(runner, "funds", "import", str(DATA_2020))
    out = tmp_path / "samverkan.pdf"
    result = invoke(runner, "funds", "report", "followup", "--earmark", "samverkan",
                    "--year", "2020", "--format", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


# --- as scripts run it: a real process, a real exit code ---------------------------------------

def _flask(database: Path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "cli-test",
           "APP_ENV": "development", "FLASK_APP": "wsgi"}
    env.pop("TEST_DATABASE_URL", None)

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(FLASK), "--app", "wsgi", *args], cwd=ROOT, env=env,
                              input=input, capture_output=True, text=True, timeout=120,
                              check=False)

    return run


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A SQLite file brought up to date by `flask db upgrade`, once for the module."""
    database = tmp_path_factory.mktemp("cli") / "migrated.db"
    upgraded = _flask(database)("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    return database


@pytest.fixture
def flask_cli(migrated, tmp_path):
    """Run `flask --app wsgi …` in a subprocess against a fresh copy of the migrated file."""
    database = tmp_path / "cli.db"
    shutil.copyfile(migrated, database)
    return _flask(database)


def test_a_refused_import_exits_non_zero_without_a_traceback(flask_cli, tmp_path):
    """Does a script see exit code 1, the place of the problem, and no Python traceback?"""
    path = bad_2020(tmp_path)
    result = flask_cli("funds", "import", str(path))
    assert result.returncode == 1
    assert "allocations[1].lines[4].grants[0].amount" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("text", [
    ("format: stimulansmedel/1\nallocations:\n  - earmark: samverkan\n    year: 2021\n"
     "    received: 1000\n    spend_until: 2022-13-01\n    lines: []\n"),
    "format: stimulansmedel/1\n? [a]\n: b\n",
    "format: [stimulansmedel/1\n",
])
def test_odd_files_exit_non_zero_without_a_traceback(flask_cli, tmp_path, text):
    """Does an impossible date, a list as key or broken YAML exit 1 with a message, not a crash?"""
    path = tmp_path / "konstig.yaml"
    path.write_text(text, encoding="utf-8")
    result = flask_cli("funds", "import", str(path))
    assert result.returncode == 1
    assert "importerades inte" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_2020_contract_as_a_script_sees_it(flask_cli, tmp_path):
    """Does import exit 0, a second import 1, and export, close-year and reopen-year exit 0?"""
    assert flask_cli("funds", "import", str(DATA_2020)).returncode == 0
    assert flask_cli("funds", "import", str(DATA_2020)).returncode == 1
    out = tmp_path / "export.yaml"
    assert flask_cli("funds", "export", "--year", "2020", "-o", str(out)).returncode == 0
    stdout = flask_cli("funds", "export", "--year", "2020")
    assert stdout.returncode == 0 and stdout.stdout == out.read_text(encoding="utf-8")
    closed = flask_cli("funds", "close-year", "2020")
    assert closed.returncode == 0 and "72\u00a0151" in closed.stdout
    assert flask_cli("funds", "reopen-year", "2020").returncode == 0


def test_users_create_as_a_script(flask_cli):
    """Does a script create an account from stdin (exit 0), and a weak password exit 1?"""
    made = flask_cli("users", "create", "--email", "admin@example.se", "--role", "admin",
                     "--password-stdin", input=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    weak = flask_cli("users", "create", "--email", "b@example.se", "--role", "admin",
                     "--password-stdin", input="kort\n")
    assert weak.returncode == 1 and "minst 10 tecken" in weak.stderr
    bad_role = flask_cli("users", "create", "--email", "c@example.se", "--role", "gud",
                         "--password-stdin", input=PASSWORD + "\n")
    assert bad_role.returncode == 2


def test_a_file_above_the_import_limit_is_refused_unread(app, runner, tmp_path, monkeypatch):
    """Is a file larger than IMPORT_MAX_BYTES refused at once, with exit code 1 and nothing
    imported, as the import page refuses it?"""
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 4096)  # undone after the test
    path = tmp_path / "stor.yaml"
    path.write_text(DATA_2020.read_text(encoding="utf-8") + "#" * 5000, encoding="utf-8")
    opened = []
    real_open = Path.open

    def counting_open(self, *args, **kwargs):
        stream = real_open(self, *args, **kwargs)
        if self == path:
            opened.append(stream)
        return stream

    monkeypatch.setattr(Path, "open", counting_open)
    result = invoke(runner, "funds", "import", str(path))
    assert result.exit_code == 1
    assert "större än 4 kB" in result.stderr and "IMPORT_MAX_BYTES" in result.stderr
    assert "Traceback" not in result.output
    assert rows(app, AuditEntry) == []
    assert [stream.closed for stream in opened] == [True]


def test_the_import_limit_is_a_setting_of_two_mebibytes(app):
    assert app.config["IMPORT_MAX_BYTES"] == 2 * 1024 * 1024


@pytest.mark.parametrize(("content", "message"), [
    (b"format: stimulansmedel/1\nallocations: " + b"[" * 3000 + b"]" * 3000, "djupare"),
    (b"format: stimulansmedel/1\nallocations: !!binary aGVsbG8=\n", "taggen !!binary"),
    (b"format: stimulansmedel/1\nregion: J\xe4mtland\nallocations: []\n",
     "rad 2, dokumentet: filen är inte en textfil i UTF-8"),
])
def test_a_hostile_file_is_refused_with_its_place(app, runner, tmp_path, content, message):
    path = tmp_path / "fientlig.yaml"
    path.write_bytes(content)
    result = invoke(runner, "funds", "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr and "inget har ändrats" in result.stderr
    assert "Traceback" not in result.output
    assert rows(app, AuditEntry) == []
