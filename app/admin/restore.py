"""Restore a backup into a migrated database of the same schema revision, and its files.

The database must hold nothing but the funds its migration creates, unless `replace` is
given; then everything in it is replaced. Every row goes in as it was, primary keys included,
and PostgreSQL's id sequences continue after the highest. Like every operation this flushes
and never commits: the command commits, then calls `RestoreResult.remove_stale_files` (or,
when the commit fails, `remove_new_files`).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Integer, Table, bindparam, func, select, text, update

from app.admin.backup import schema_revision, sha256_of, uploaded_files
from app.admin.backup_format import (
    FORMAT,
    MANIFEST,
    SEEDED_EARMARKS,
    TABLES,
    BackupRefused,
    column_kinds,
    decode_row,
    file_member,
    insert_statement,
    safe_relative,
    self_references,
)
from app.extensions import db

_BATCH = 1000


@dataclass
class RestoreResult:
    """What was restored, and the files of the replaced data still to remove."""

    revision: str
    created_at: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    stale_files: list[Path] = field(default_factory=list)
    new_files: list[Path] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def remove_stale_files(self) -> None:
        """Delete the files that belonged to the replaced data (after the commit)."""
        for path in self.stale_files:
            path.unlink(missing_ok=True)

    def remove_new_files(self) -> None:
        """Delete the files this restore added (when it is rolled back)."""
        for path in self.new_files:
            path.unlink(missing_ok=True)


def restore_backup(source: Path, upload_folder: Path, *, replace: bool = False) -> RestoreResult:
    """Load the backup at `source` into the database and its files into `upload_folder`."""
    with _open(Path(source)) as archive:
        manifest = _manifest(archive)
        connection = db.session.connection()
        _check_schema(manifest, schema_revision(connection))
        folder = Path(upload_folder)
        stale = _stale_files(manifest, folder)
        if not replace:
            _refuse_if_in_use(stale)
        result = RestoreResult(revision=manifest["alembic_revision"],
                               created_at=manifest.get("created_at", ""), stale_files=stale)
        try:
            _write_files(archive, manifest, folder, result)
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            entries = {entry["name"]: entry for entry in manifest["tables"]}
            for table in db.metadata.sorted_tables:  # parents before children
                result.rows[table.name] = _load_table(archive, table, entries[table.name])
            _continue_sequences()
            db.session.flush()
        except BaseException:
            result.remove_new_files()  # the caller rolls the database back
            raise
    return result


def _open(source: Path) -> zipfile.ZipFile:
    if not source.is_file():
        raise BackupRefused(_("filen %(source)s finns inte", source=source))
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupRefused(_("%(source)s är inte en säkerhetskopia (ingen zip-fil)",
                              source=source)) from exc


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BackupRefused(_("säkerhetskopian saknar manifest.json")) from exc
    except (ValueError, zipfile.BadZipFile) as exc:
        raise BackupRefused(_("säkerhetskopians manifest.json är skadat")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupRefused(_("okänt format %(found)r; väntade %(expected)s",
                              found=found, expected=FORMAT))
    well_formed = (
        isinstance(manifest.get("tables"), list) and isinstance(manifest.get("files", []), list)
        and all(isinstance(t, dict) and isinstance(t.get("name"), str)
                and isinstance(t.get("columns"), dict) and isinstance(t.get("rows"), int)
                for t in manifest["tables"])
        and all(isinstance(f, dict) and isinstance(f.get("path"), str)
                and isinstance(f.get("sha256"), str) for f in manifest.get("files", [])))
    if not well_formed:
        raise BackupRefused(_("säkerhetskopians manifest.json är skadat"))
    return manifest


def _check_schema(manifest: dict, revision: str | None) -> None:
    if revision is None:
        raise BackupRefused(_("databasen har inget schema: kör flask db upgrade först"))
    theirs = manifest.get("alembic_revision")
    if theirs != revision:
        raise BackupRefused(
            _("säkerhetskopian är från schemaversion %(theirs)s, databasen har %(revision)s; "
              "återställ i en databas med samma version (flask db upgrade/downgrade %(theirs)s)",
              theirs=theirs, revision=revision))
    ours = {table.name: column_kinds(table) for table in db.metadata.sorted_tables}
    saved = {entry["name"]: entry["columns"] for entry in manifest.get("tables", [])}
    if saved != ours:
        differing = sorted(set(ours) ^ set(saved) | {
            name for name in set(ours) & set(saved) if ours[name] != saved[name]})
        raise BackupRefused(_("säkerhetskopians tabeller stämmer inte med programmets "
                              "(%(differing)s)", differing=", ".join(differing)))


def _stale_files(manifest: dict, folder: Path) -> list[Path]:
    """Return the files in the upload folder that the backup does not have as they are."""
    wanted = {entry["path"]: entry["sha256"] for entry in manifest.get("files", [])}
    return [path for path in uploaded_files(folder)
            if wanted.get(path.relative_to(folder).as_posix()) != sha256_of(path)]


def _refuse_if_in_use(stale: list[Path]) -> None:
    for table in db.metadata.sorted_tables:
        query = select(func.count()).select_from(table)
        if table.name == "earmark":
            query = query.where(table.c.code.not_in(SEEDED_EARMARKS))
        count = db.session.scalar(query)
        if count:
            raise BackupRefused(
                _("databasen innehåller redan data (%(count)s rader i tabellen %(table)s); "
                  "återställ i en tom databas, eller ange --replace för att ersätta allt i den",
                  count=count, table=table.name))
    if stale:
        raise BackupRefused(
            _("mappen för bilagor innehåller redan %(count)s filer som inte finns i "
              "säkerhetskopian; töm den, eller ange --replace för att ersätta allt",
              count=len(stale)))


def _write_files(archive: zipfile.ZipFile, manifest: dict, folder: Path,
                 result: RestoreResult) -> None:
    """Write each file (checked against its SHA-256) beside its place, then move it there."""
    for entry in manifest.get("files", []):
        relative = safe_relative(file_member(entry["path"]))
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        digest = hashlib.sha256()
        try:
            with archive.open(file_member(entry["path"])) as source, partial.open("wb") as out:
                while chunk := source.read(1024 * 1024):
                    digest.update(chunk)
                    out.write(chunk)
        except KeyError as exc:
            raise BackupRefused(_("säkerhetskopian saknar filen %(path)s",
                                  path=entry["path"])) from exc
        except zipfile.BadZipFile as exc:
            partial.unlink(missing_ok=True)
            raise BackupRefused(_("filen %(path)s i säkerhetskopian är skadad",
                                  path=entry["path"])) from exc
        if digest.hexdigest() != entry["sha256"]:
            partial.unlink(missing_ok=True)
            raise BackupRefused(_("filen %(path)s i säkerhetskopian är skadad",
                                  path=entry["path"]))
        if not target.exists():
            result.new_files.append(target)
        os.replace(partial, target)
        result.files += 1


def _lines(archive: zipfile.ZipFile, table: Table) -> Iterator[dict]:
    try:
        with archive.open(f"{TABLES}{table.name}.jsonl") as source:
            for number, line in enumerate(source, start=1):
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise BackupRefused(
                        _("rad %(number)s i %(file)s är skadad",
                          number=number, file=TABLES + table.name + ".jsonl")) from exc
    except KeyError as exc:
        raise BackupRefused(_("säkerhetskopian saknar tabellen %(table)s",
                              table=table.name)) from exc
    except zipfile.BadZipFile as exc:
        raise BackupRefused(_("tabellen %(table)s i säkerhetskopian är skadad",
                              table=table.name)) from exc


def _load_table(archive: zipfile.ZipFile, table: Table, entry: dict) -> int:
    """Insert a table's rows; columns pointing at the same table are set once all are in."""
    kinds = entry["columns"]
    later = self_references(table)
    keys = [column.name for column in table.primary_key.columns]
    statement = insert_statement(table)
    links, batch, count = [], [], 0
    for line in _lines(archive, table):
        row = decode_row(line, table, kinds)
        if later and any(row[f"v_{name}"] is not None for name in later):
            links.append({f"v_{name}": row[f"v_{name}"] for name in [*keys, *later]})
            row.update({f"v_{name}": None for name in later})
        batch.append(row)
        count += 1
        if len(batch) == _BATCH:
            db.session.execute(statement, batch)
            batch = []
    if batch:
        db.session.execute(statement, batch)
    if links:
        link = update(table).where(
            *[table.c[name] == bindparam(f"v_{name}") for name in keys])
        link = link.values({name: bindparam(f"v_{name}") for name in later})
        db.session.execute(link, links)
    if count != entry["rows"]:
        raise BackupRefused(_("tabellen %(table)s har %(count)s rader, manifestet säger %(rows)s",
                              table=table.name, count=count, rows=entry["rows"]))
    return count


def _continue_sequences() -> None:
    """Make PostgreSQL's id sequences continue after the highest restored id."""
    if db.engine.dialect.name != "postgresql":
        return  # SQLite takes the next rowid after the highest there is
    quote = db.engine.dialect.identifier_preparer
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].autoincrement is False or not isinstance(key[0].type, Integer):
            continue
        name, column = quote.format_table(table), quote.quote(key[0].name)
        sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                     {"t": name, "c": key[0].name})
        if sequence:
            db.session.execute(text(
                f"SELECT setval(:s, COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"),
                {"s": sequence})
