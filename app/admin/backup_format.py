"""The backup file: one zip with a manifest, a JSON-lines file per table and the attachments.

```
manifest.json            format, when, the Alembic revision, each table's columns and rows,
                         each file's size and SHA-256
tables/<table>.jsonl     one row per line, {column: value}, in primary-key order
files/<path>             the files of UPLOAD_FOLDER, as they were
```

Every value is written so that it reads back exactly: integers (öre) as JSON integers, dates
as `YYYY-MM-DD`, timestamps as ISO 8601 in UTC with their offset, booleans as JSON booleans,
enums by their stored value, binary as base64, decimals as text, and a JSON column as the
text of its document (`null` in the line is SQL NULL; the text `"null"` is a JSON null).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, Column, Table, bindparam, cast, sql, type_coerce
from sqlalchemy import types as sa_types

from app.core.errors import DomainError
from app.core.types import SealedText

FORMAT = "stimulansmedel-backup/1"
MANIFEST = "manifest.json"
TABLES = "tables/"
FILES = "files/"
#: The funds the first migration creates: a database holding only them counts as empty.
SEEDED_EARMARKS = frozenset({"brukarmiljonen", "samverkan", "suicidprevention"})


class BackupRefused(DomainError):
    """A backup could not be written or restored; the message says why, in Swedish."""


def _kind(column_type: sa_types.TypeEngine) -> str:
    """Name how a column's values are written, from its type (a decorator by what it wraps)."""
    while isinstance(column_type, sa_types.TypeDecorator):
        column_type = column_type.impl_instance
    # Order matters: Enum is a String, BigInteger an Integer, Float a Numeric.
    for kind, types in (("json", sa_types.JSON), ("enum", sa_types.Enum),
                        ("boolean", sa_types.Boolean), ("datetime", sa_types.DateTime),
                        ("date", sa_types.Date), ("time", sa_types.Time),
                        ("integer", sa_types.Integer), ("text", sa_types.String),
                        ("binary", sa_types.LargeBinary), ("float", sa_types.Float),
                        ("decimal", sa_types.Numeric)):
        if isinstance(column_type, types):
            return kind
    raise BackupRefused(_("kolumntypen %(type)r kan inte sparas i en säkerhetskopia",
                          type=column_type))


def column_kinds(table: Table) -> dict[str, str]:
    """Return each column's kind, in the table's column order."""
    return {column.name: _kind(column.type) for column in table.columns}


def read_columns(table: Table) -> list:
    """Return what to select for each column: a JSON column as its document's text, a sealed
    secret as it is stored (a backup never holds it open; restored, it is stored as read)."""
    return [cast(column, sa_types.Text).label(column.name) if _kind(column.type) == "json"
            else type_coerce(column, sa_types.String).label(column.name)
            if isinstance(column.type, SealedText) else column for column in table.columns]


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(timezone.utc).isoformat()


_ENCODE: dict[str, Callable[[Any], Any]] = {
    "json": str, "enum": lambda v: getattr(v, "value", v), "boolean": bool,
    "datetime": _utc, "date": date.isoformat, "time": time.isoformat, "integer": int,
    "text": str, "binary": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "float": float, "decimal": str,
}


def encode_row(row, kinds: dict[str, str]) -> dict[str, Any]:
    """Return a row read with `read_columns` as a JSON-able dict."""
    values = row._mapping
    return {name: None if values[name] is None else _ENCODE[kind](values[name])
            for name, kind in kinds.items()}


def _decode_json(text: str):
    value = json.loads(text)
    return JSON.NULL if value is None else value


_DECODE: dict[str, Callable[[Any], Any]] = {
    "json": _decode_json, "enum": str, "boolean": bool, "datetime": datetime.fromisoformat,
    "date": date.fromisoformat, "time": time.fromisoformat, "integer": int, "text": str,
    "binary": base64.b64decode, "float": float, "decimal": Decimal,
}


def decode_row(line: dict[str, Any], table: Table, kinds: dict[str, str]) -> dict[str, Any]:
    """Return a backed-up row as the values to insert, keyed by `insert_statement`'s names."""
    row = {}
    for column in table.columns:
        value = line.get(column.name)
        if value is not None:
            value = _DECODE[kinds[column.name]](value)
            enum_class = getattr(column.type, "enum_class", None)
            if enum_class is not None:
                value = enum_class(value)
        row[f"v_{column.name}"] = value
    return row


def insert_statement(table: Table):
    """Insert a row of `decode_row`: a JSON column takes None as SQL NULL, JSON.NULL as null."""
    def parameter(column: Column):
        kind = _kind(column.type)
        column_type = sa_types.JSON(none_as_null=True) if kind == "json" else column.type
        return bindparam(f"v_{column.name}", type_=column_type)

    return sql.insert(table).values({column.name: parameter(column) for column in table.columns})


def self_references(table: Table) -> list[str]:
    """Return the columns pointing at the same table (a merged organisation, a renewed grant),
    which are set after every row of the table is in."""
    return sorted({fk.parent.name for fk in table.foreign_keys if fk.column.table is table})


def file_member(relative: str) -> str:
    """Return the name in the zip of a file of the upload folder."""
    return FILES + relative


def safe_relative(member: str) -> str:
    """Return a `files/` member's path inside the upload folder; refuse one that leaves it."""
    path = PurePosixPath(member[len(FILES):])
    if not path.parts or path.is_absolute() or ".." in path.parts or "\\" in member:
        raise BackupRefused(_("säkerhetskopian har en fil med otillåtet namn: %(member)s",
                              member=member))
    return path.as_posix()
