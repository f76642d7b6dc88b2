"""The walker of a loaded exchange document: reads fields of each kind, collecting every
problem with its place in the file rather than stopping at the first."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import gettext as _

from app.core.errors import AmountError, Problem
from app.core.money import parse_exchange_amount
from app.core.text import first_forbidden
from app.ledger.exchange.schema import COVERS_FIELDS, MAX_YEAR, MIN_YEAR, join_path

_YEAR = re.compile(r"^[0-9]{1,6}$")  # digits 0-9 only: "²".isdigit() is true too
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # a decision known only by its month


class Reader:
    """Walks the loaded YAML, collecting every problem rather than stopping at the first."""

    def __init__(self, lines_by_path: dict[str, int]) -> None:
        self.lines_by_path = lines_by_path
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, self.line_of(path)))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Problem(path, message, self.line_of(path)))

    def line_of(self, path: str) -> int | None:
        """Return the line of `path`, or of the nearest enclosing field (a missing one has none)."""
        while path:
            if path in self.lines_by_path:
                return self.lines_by_path[path]
            parent = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path)
            path = parent if parent != path else ""
        return None

    def mapping(self, value: Any, path: str, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, _("ska vara en mappning (fält: värde), inte %(found)s",
                               found=describe(value)))
            return None
        for key in value:
            if key not in allowed:
                self.error(
                    join_path(path, str(key)),
                    _("okänt fält %(key)r; tillåtna fält här: %(allowed)s",
                      key=key, allowed=", ".join(sorted(allowed))),
                )
        return value

    def text(self, data: dict, key: str, path: str, *, required: bool, max_len: int = 2000):
        where = join_path(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error(where, _("fältet %(key)r saknas", key=key))
            return None
        value = data[key]
        if isinstance(value, (bool, dict, list)):
            self.error(where, _("ska vara text, inte %(found)s", found=describe(value)))
            return None
        value = str(value).strip()
        if (message := forbidden(value)) is not None:
            self.error(where, message)
            return None
        if required and not value:
            self.error(where, _("fältet %(key)r får inte vara tomt", key=key))
            return None
        if len(value) > max_len:
            self.error(where, _("texten är för lång (%(count)s tecken, högst %(most)s)",
                                count=len(value), most=max_len))
            return None
        return value or None

    def text_list(self, data: dict, key: str, path: str, *, required: bool) -> list[str]:
        where = join_path(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.error(where, _("fältet %(key)r saknas", key=key))
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(where, _("ska vara en lista av namn, inte %(found)s",
                                found=describe(value)))
            return []
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, (str, int)) or isinstance(item, bool) or not str(item).strip():
                self.error(f"{where}[{i}]", _("ska vara ett namn (text)"))
                continue
            if len(str(item)) > 300:
                self.error(f"{where}[{i}]", _("namnet är för långt (högst 300 tecken)"))
                continue
            if (message := forbidden(str(item))) is not None:
                self.error(f"{where}[{i}]", message)
                continue
            items.append(str(item).strip())
        if required and not items and not any(p.place.startswith(where) for p in self.problems):
            self.error(where, _("ange minst ett värde"))
        return items

    def amount(self, data: dict, key: str, path: str, *, required: bool) -> int | None:
        where = join_path(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error(where, _("fältet %(key)r (belopp) saknas", key=key))
            return None
        try:
            return parse_exchange_amount(data[key])
        except AmountError as exc:
            self.error(where, exc.message)
            return None

    def year(self, data: dict, key: str, path: str) -> int | None:
        where = join_path(path, key)
        value = data.get(key)
        if value is None:
            self.error(where, _("fältet %(key)r saknas", key=key))
            return None
        if isinstance(value, str) and _YEAR.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, _("%(value)s är inget årtal", value=shown(value)))
            return None
        if not MIN_YEAR <= value <= MAX_YEAR:
            self.error(where, _("årtalet %(value)s ligger utanför %(first)s–%(last)s",
                                value=value, first=MIN_YEAR, last=MAX_YEAR))
            return None
        return value

    def date(self, data: dict, key: str, path: str) -> dt.date | None:
        where = join_path(path, key)
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(where, _("%(value)s är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2021-12-31",
                            value=shown(value)))
        return None

    def day_or_month(self, data: dict, key: str, path: str) -> tuple[dt.date | None, bool]:
        """Read a date that may be only a month (`2021-06`): (its first day, month only)."""
        value = data.get(key)
        if isinstance(value, str) and (found := _MONTH.match(value.strip())):
            year, month = int(found.group(1)), int(found.group(2))
            if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR:
                return dt.date(year, month, 1), True
            self.error(join_path(path, key), _("%(value)s är ingen månad; skriv ÅÅÅÅ-MM",
                                               value=shown(value)))
            return None, False
        return self.date(data, key, path), False

    def fund(self, data: dict, key: str, path: str) -> tuple[str, int] | None:
        """Read a reference to an allocation, `{earmark, year}` (None when absent or wrong)."""
        if data.get(key) is None:
            return None
        where = join_path(path, key)
        ref = self.mapping(data[key], where, COVERS_FIELDS)
        if ref is None:
            return None
        earmark = self.text(ref, "earmark", where, required=True, max_len=40)
        year = self.year(ref, "year", where)
        return (earmark, year) if earmark and year else None



def describe(value: Any) -> str:
    if value is None:
        return _("ett tomt värde")
    if isinstance(value, list):
        return _("en lista")
    if isinstance(value, dict):
        return _("en mappning")
    if isinstance(value, str):
        return _("texten %(text)s", text=shown(value))
    return shown(value)


def shown(value: Any, limit: int = 60) -> str:
    """Return a value as a message quotes it: escaped, and cut short when it is long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def forbidden(text: str) -> str | None:
    """Return why a text of the file is refused for a character no text may hold, or None."""
    found = first_forbidden(text)
    if found is None:
        return None
    return _("texten innehåller ett tecken som inte får finnas i text (tecken %(code)s på plats "
             "%(place)s)", code=found.code, place=found.place)
