"""`flask funds backup FILE` and `flask funds restore FILE`: everything out, everything back,
exactly; and a restore that would destroy or mix data is refused with a message."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.users import create_user
from app.admin.backup_format import MANIFEST, encode_row
from app.core.audit import Actor
from app.extensions import db
from app.ledger.models import Earmark
from tests.admin.backup_world import (
    contents,
    dispose,
    files_in,
    fill,
    new_app,
    skip_without_postgres,
)
from tests.conftest import PASSWORD, is_postgres


#: The newest migration: what a backup of the migrated test database names.
def _head_revision() -> str:
    config = AlembicConfig()
    config.set_main_option("script_location",
                           str(Path(__file__).resolve().parents[2] / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


HEAD = _head_revision()


@pytest.fixture
def source(app, tmp_path, monkeypatch):
    """The suite's database filled with something in every table, and its own upload folder."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "source-uploads"))
    fill(app)
    (tmp_path / "source-uploads" / "äldre").mkdir()
    (tmp_path / "source-uploads" / "äldre" / "kvar.txt").write_bytes(b"en fil utan rad\n")
    return app


@pytest.fixture
def fresh(tmp_path):
    """A second, empty and migrated SQLite database with an empty upload folder."""
    other = new_app(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "fresh-uploads")
    yield other
    dispose(other)


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["funds", *args])


def back_up(app, path: Path) -> Path:
    result = run(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def assert_same(first, second) -> None:
    mine, theirs = contents(first), contents(second)
    # The data's version is restored and then made new by the restore's own commit, so no
    # process reuses figures it kept of the data before (app/core/reading/figures.py).
    before, after = mine.pop("data_version"), theirs.pop("data_version")
    assert len(after) == 1 and after != before
    for table in mine:
        assert mine[table] == theirs[table], table
    assert files_in(Path(first.config["UPLOAD_FOLDER"])) == files_in(
        Path(second.config["UPLOAD_FOLDER"]))


def test_a_restored_backup_is_the_database_and_the_files_row_for_row(source, fresh, tmp_path):
    """Back up the 2020 data with applications, attachments and payments, restore it into a
    fresh database: is every row of every table, and every file, the same?"""
    backup = back_up(source, tmp_path / "kopia.zip")
    result = run(fresh, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "Återställde" in result.output and "schemaversion" in result.output
    assert_same(source, fresh)
    tables = contents(fresh)
    assert all(tables[name] for name in tables), [n for n in tables if not tables[n]]
    assert len(files_in(Path(fresh.config["UPLOAD_FOLDER"]))) == 3


def test_the_backup_names_its_schema_and_counts_and_only_its_owner_may_read_it(source,
                                                                                tmp_path):
    backup = back_up(source, tmp_path / "kopia.zip")
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    with zipfile.ZipFile(backup) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        names = set(archive.namelist())
    assert manifest["alembic_revision"] == HEAD
    tables = {entry["name"]: entry for entry in manifest["tables"]}
    assert set(tables) == set(db.metadata.tables)
    assert {"audit_entry", "outbound_email", "alembic_version"} & set(tables) == {
        "audit_entry", "outbound_email"}
    assert all(f"tables/{name}.jsonl" in names for name in tables)
    assert {entry["path"] for entry in manifest["files"]} >= {"äldre/kvar.txt"}
    with zipfile.ZipFile(backup) as archive:
        payment = json.loads(archive.read("tables/payment.jsonl").splitlines()[0])
    assert isinstance(payment["amount"], int) and payment["paid_on"] == "2022-06-01"


def test_a_backup_restored_into_itself_needs_replace(source, tmp_path):
    """Is a restore into a database in use refused, changing nothing, unless --replace?"""
    backup = back_up(source, tmp_path / "kopia.zip")
    with source.app_context():
        create_user("ny@example.se", PASSWORD, "viewer", Actor(label="test"))
        db.session.commit()
    stray = Path(source.config["UPLOAD_FOLDER"]) / "efteråt.bin"
    stray.write_bytes(b"kom efter kopian")
    before = contents(source)
    refused = run(source, "restore", str(backup))
    assert refused.exit_code == 1
    assert "databasen innehåller redan data" in refused.output and "--replace" in refused.output
    assert contents(source) == before and stray.exists()

    replaced = run(source, "restore", "--replace", str(backup))
    assert replaced.exit_code == 0, replaced.output
    with source.app_context():
        assert db.session.scalar(select(User).where(User.email == "ny@example.se")) is None
    assert not stray.exists(), "a file of the replaced data is removed"
    assert "äldre/kvar.txt" in files_in(Path(source.config["UPLOAD_FOLDER"]))


def test_a_database_with_only_the_seeded_funds_counts_as_empty(fresh, tmp_path):
    with fresh.app_context():
        assert db.session.scalar(select(func.count()).select_from(Earmark)) == 3
    backup = back_up(fresh, tmp_path / "tom.zip")
    target = new_app(f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "target-uploads")
    try:
        assert run(target, "restore", str(backup)).exit_code == 0
        assert_same(fresh, target)
    finally:
        dispose(target)


def test_new_rows_after_a_restore_take_ids_after_the_restored_ones(source, fresh, tmp_path):
    run(fresh, "restore", str(back_up(source, tmp_path / "kopia.zip")))
    with fresh.app_context():
        highest = db.session.scalar(select(func.max(User.id)))
        user = create_user("efter@example.se", PASSWORD, "viewer", Actor(label="test"))
        db.session.commit()
        assert user.id > highest


def rewrite(backup: Path, target: Path, change) -> Path:
    """Copy a backup, passing each member's name and bytes through `change`."""
    with zipfile.ZipFile(backup) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


def other_revision(name: str, data: bytes) -> bytes:
    if name != MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["alembic_revision"] = "0002"
    return json.dumps(manifest).encode()


def damaged_file(name: str, data: bytes) -> bytes:
    return b"ersatt innehall" if name.startswith("files/") else data


def broken_manifest(name: str, data: bytes) -> bytes:
    if name != MANIFEST:
        return data
    manifest = json.loads(data)
    del manifest["tables"][0]["rows"]
    return json.dumps(manifest).encode()


@pytest.mark.parametrize("change,message", [
    (other_revision, f"säkerhetskopian är från schemaversion 0002, databasen har {HEAD}"),
    (damaged_file, "i säkerhetskopian är skadad"),
    (broken_manifest, "manifest.json är skadat"),
])
def test_a_backup_of_another_schema_or_damaged_is_refused(source, fresh, tmp_path, change,
                                                          message):
    backup = rewrite(back_up(source, tmp_path / "kopia.zip"), tmp_path / "ändrad.zip", change)
    before = contents(fresh)
    result = run(fresh, "restore", str(backup))
    assert result.exit_code == 1
    assert message in result.output
    assert contents(fresh) == before
    assert files_in(Path(fresh.config["UPLOAD_FOLDER"])) == {}, "no file is left behind"


@pytest.mark.parametrize("content,message", [
    (b"inte en zip", "är inte en säkerhetskopia"),
    (None, "finns inte"),
])
def test_a_file_that_is_not_a_backup_is_refused(fresh, tmp_path, content, message):
    path = tmp_path / "fel.zip"
    if content is not None:
        path.write_bytes(content)
    result = run(fresh, "restore", str(path))
    assert result.exit_code == 1 and message in result.output


def test_restore_needs_a_migrated_database(source, tmp_path):
    backup = back_up(source, tmp_path / "kopia.zip")
    bare = new_app(f"sqlite:///{tmp_path / 'bare.db'}", tmp_path / "bare", migrate=False)
    try:
        result = run(bare, "restore", str(backup))
        assert result.exit_code == 1 and "flask db upgrade" in result.output
    finally:
        dispose(bare)


def test_a_zip_entry_leaving_the_upload_folder_is_refused(source, fresh, tmp_path):
    def escape(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["files"][0]["path"] = "../../utanför"
        return json.dumps(manifest).encode()

    backup = rewrite(back_up(source, tmp_path / "kopia.zip"), tmp_path / "ut.zip", escape)
    result = run(fresh, "restore", str(backup))
    assert result.exit_code == 1 and "otillåtet namn" in result.output
    assert not (tmp_path / "utanför").exists()


# --- across databases --------------------------------------------------------------------------

@pytest.fixture
def postgres_target(app, tmp_path):
    """A migrated PostgreSQL database: the suite's own when it runs there (emptied after each
    test by the suite), else the one TEST_POSTGRES_URL names."""
    if is_postgres(app):
        yield app
        return
    url = skip_without_postgres(os.environ.get("TEST_POSTGRES_URL"))
    target = new_app(url, tmp_path / "pg-uploads")
    yield target
    dispose(target)


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql_exactly(postgres_target, tmp_path,
                                                          monkeypatch):
    sqlite = new_app(f"sqlite:///{tmp_path / 'from.db'}", tmp_path / "from-uploads")
    monkeypatch.setitem(postgres_target.config, "UPLOAD_FOLDER", str(tmp_path / "pg-uploads"))
    try:
        fill(sqlite)
        backup = back_up(sqlite, tmp_path / "sqlite.zip")
        result = run(postgres_target, "restore", str(backup))
        assert result.exit_code == 0, result.output
        assert_same(sqlite, postgres_target)
        with postgres_target.app_context():
            highest = db.session.scalar(select(func.max(User.id)))
            user = create_user("efter@example.se", PASSWORD, "viewer", Actor(label="test"))
            db.session.commit()
            assert user.id > highest, "the id sequences continue after the restored rows"
    finally:
        dispose(sqlite)


def test_timestamps_are_written_in_utc_whatever_the_servers_time_zone():
    """PostgreSQL hands timestamps back in its session's zone; SQLite keeps wall-clock time.
    A backup written in UTC restores into either at the same instant."""
    stockholm = datetime(2024, 6, 1, 14, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    row = SimpleNamespace(_mapping={"at": stockholm})
    assert encode_row(row, {"at": "datetime"}) == {"at": "2024-06-01T12:30:00+00:00"}
