"""Back up everything: every table of the schema and the attachments' files, in one zip.

The tables are read in one transaction that sees a single moment (REPEATABLE READ on
PostgreSQL, one read transaction on SQLite), so a backup taken while people work is still
consistent; the files are read after it. The format is described in `backup_format`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from flask_babel import gettext as _
from sqlalchemy import Connection, select

from app.admin.backup_format import (
    FORMAT,
    MANIFEST,
    TABLES,
    BackupRefused,
    column_kinds,
    encode_row,
    file_member,
    read_columns,
)
from app.extensions import db

_CHUNK = 1024 * 1024


@dataclass
class BackupSummary:
    """What a backup holds: rows per table, and the files."""

    revision: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    file_bytes: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def schema_revision(connection: Connection) -> str | None:
    """Return the database's Alembic revision, or None when it was never migrated."""
    heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) > 1:
        raise BackupRefused(_("databasen har flera schemaversioner (%(heads)s)",
                              heads=", ".join(heads)))
    return heads[0] if heads else None


def write_backup(target: Path, upload_folder: Path) -> BackupSummary:
    """Write the whole database and the upload folder's files to `target` (a zip).

    The file appears only when complete (written beside it, then renamed) and is readable by
    its owner only: it holds personal data and password hashes."""
    target = Path(target)
    if target.is_dir():
        raise BackupRefused(_("%(target)s är en mapp; ange ett filnamn", target=target))
    if not target.parent.is_dir():
        raise BackupRefused(_("mappen %(parent)s finns inte", parent=target.parent))
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                       dir=target.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            summary, tables = _write_tables(archive)
            files = _write_files(archive, Path(upload_folder), summary)
            archive.writestr(_entry(MANIFEST), json.dumps({
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "alembic_revision": summary.revision,
                "database": db.engine.dialect.name,
                "tables": tables,
                "files": files,
            }, ensure_ascii=False, indent=1))
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return summary


def _write_tables(archive: zipfile.ZipFile) -> tuple[BackupSummary, list[dict]]:
    with _at_one_moment(db.engine.connect()) as connection:
        revision = schema_revision(connection)
        if revision is None:
            raise BackupRefused(_("databasen har inget schema (kör flask db upgrade)"))
        summary, tables = BackupSummary(revision=revision), []
        for table in db.metadata.sorted_tables:  # parents before children
            kinds = column_kinds(table)
            count = 0
            query = select(*read_columns(table)).order_by(*table.primary_key.columns)
            with archive.open(_entry(f"{TABLES}{table.name}.jsonl"), "w") as out:
                for row in connection.execution_options(yield_per=1000).execute(query):
                    out.write(json.dumps(encode_row(row, kinds), ensure_ascii=False)
                              .encode("utf-8") + b"\n")
                    count += 1
            summary.rows[table.name] = count
            tables.append({"name": table.name, "columns": kinds, "rows": count})
        connection.rollback()  # nothing was changed: this only ends the snapshot
    return summary, tables


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip member dated now (zipfile would date a streamed one 1980), compressed."""
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _at_one_moment(connection: Connection) -> Connection:
    """Make every read on `connection` see the database as it was at the first one."""
    if connection.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="REPEATABLE READ")
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")  # pysqlite opens no transaction for reads
    return connection


def _write_files(archive: zipfile.ZipFile, folder: Path, summary: BackupSummary) -> list[dict]:
    files = []
    for path in uploaded_files(folder):
        relative = path.relative_to(folder).as_posix()
        digest, size = hashlib.sha256(), 0
        with path.open("rb") as source, archive.open(_entry(file_member(relative)), "w") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        files.append({"path": relative, "size": size, "sha256": digest.hexdigest()})
        summary.files += 1
        summary.file_bytes += size
    return files


def uploaded_files(folder: Path) -> list[Path]:
    """Return the regular files under the upload folder, sorted; none if it does not exist."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
