"""Reading a `stimulansmedel/1` document into plain data, checking every rule that needs no
database.

Every error names its place in the file (the path of fields and, for YAML, the line); the
reader collects them all rather than stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from app.core.errors import AmountError, ImportRefused, Problem
from app.core.money import format_amount, parse_exchange_amount
from app.core.text import first_forbidden
from app.ledger.exchange.schema import (
    ALLOCATION_FIELDS,
    COVERS_FIELDS,
    DECISION_FIELDS,
    DOCUMENT_FIELDS,
    FORMAT,
    GRANT_FIELDS,
    KINDS,
    LINE_FIELDS,
    MAX_YEAR,
    MIN_YEAR,
    AllocationData,
    Document,
    GrantData,
    LineData,
    join_path,
)
from app.ledger.exchange.yaml_text import parse_text
from app.ledger.rules import COUNTY, BudgetStatus, LineKind, call_pool, default_spend_until

_YEAR = re.compile(r"^[0-9]{1,6}$")  # digits 0-9 only: "²".isdigit() is true too
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")  # a decision known only by its month
STATUSES = tuple(status.value for status in BudgetStatus)


def load_document(text: str) -> Document:
    """Parse and check an exchange document; raise ImportRefused listing every problem."""
    raw, lines_by_path = parse_text(text)
    reader = _Reader(lines_by_path)
    doc = _read_document(reader, raw)
    if reader.problems:
        raise ImportRefused(reader.problems)
    assert doc is not None
    doc.warnings = reader.warnings
    doc.line_of = reader.line_of
    return doc


class _Reader:
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
            self.error(path, f"ska vara en mappning (fält: värde), inte {_describe(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.error(
                    join_path(path, str(key)),
                    f"okänt fält {key!r}; tillåtna fält här: {', '.join(sorted(allowed))}",
                )
        return value

    def text(self, data: dict, key: str, path: str, *, required: bool, max_len: int = 2000):
        where = join_path(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error(where, f"fältet {key!r} saknas")
            return None
        value = data[key]
        if isinstance(value, (bool, dict, list)):
            self.error(where, f"ska vara text, inte {_describe(value)}")
            return None
        value = str(value).strip()
        if (message := _forbidden(value)) is not None:
            self.error(where, message)
            return None
        if required and not value:
            self.error(where, f"fältet {key!r} får inte vara tomt")
            return None
        if len(value) > max_len:
            self.error(where, f"texten är för lång ({len(value)} tecken, högst {max_len})")
            return None
        return value or None

    def text_list(self, data: dict, key: str, path: str, *, required: bool) -> list[str]:
        where = join_path(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.error(where, f"fältet {key!r} saknas")
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(where, f"ska vara en lista av namn, inte {_describe(value)}")
            return []
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, (str, int)) or isinstance(item, bool) or not str(item).strip():
                self.error(f"{where}[{i}]", "ska vara ett namn (text)")
                continue
            if len(str(item)) > 300:
                self.error(f"{where}[{i}]", "namnet är för långt (högst 300 tecken)")
                continue
            if (message := _forbidden(str(item))) is not None:
                self.error(f"{where}[{i}]", message)
                continue
            items.append(str(item).strip())
        if required and not items and not any(p.place.startswith(where) for p in self.problems):
            self.error(where, "ange minst ett värde")
        return items

    def amount(self, data: dict, key: str, path: str, *, required: bool) -> int | None:
        where = join_path(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error(where, f"fältet {key!r} (belopp) saknas")
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
            self.error(where, f"fältet {key!r} saknas")
            return None
        if isinstance(value, str) and _YEAR.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"{_shown(value)} är inget årtal")
            return None
        if not MIN_YEAR <= value <= MAX_YEAR:
            self.error(where, f"årtalet {value} ligger utanför {MIN_YEAR}–{MAX_YEAR}")
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
        self.error(where, f"{_shown(value)} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2021-12-31")
        return None

    def day_or_month(self, data: dict, key: str, path: str) -> tuple[dt.date | None, bool]:
        """Read a date that may be only a month (`2021-06`): (its first day, month only)."""
        value = data.get(key)
        if isinstance(value, str) and (found := _MONTH.match(value.strip())):
            year, month = int(found.group(1)), int(found.group(2))
            if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR:
                return dt.date(year, month, 1), True
            self.error(join_path(path, key), f"{_shown(value)} är ingen månad; skriv ÅÅÅÅ-MM")
            return None, False
        return self.date(data, key, path), False



def _describe(value: Any) -> str:
    if value is None:
        return "ett tomt värde"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, str):
        return f"texten {_shown(value)}"
    return _shown(value)


def _shown(value: Any, limit: int = 60) -> str:
    """Return a value as a message quotes it: escaped, and cut short when it is long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _forbidden(text: str) -> str | None:
    """Return why a text of the file is refused for a character no text may hold, or None."""
    found = first_forbidden(text)
    if found is None:
        return None
    return (f"texten innehåller ett tecken som inte får finnas i text (tecken {found.code} "
            f"på plats {found.place})")



def _read_document(r: _Reader, raw: Any) -> Document | None:
    if raw is None:
        r.error("", "filen är tom")
        return None
    data = r.mapping(raw, "", DOCUMENT_FIELDS)
    if data is None:
        return None
    fmt = data.get("format")
    if fmt != FORMAT:
        r.error("format", f"formatet ska vara {FORMAT!r}, filen anger {_shown(fmt)}")
        return None
    region = r.text(data, "region", "", required=False, max_len=200)
    allocations_raw = data.get("allocations")
    if not isinstance(allocations_raw, list):
        r.error("allocations", "fältet 'allocations' saknas eller är ingen lista")
        return None
    allocations = []
    seen: dict[tuple[str, int], str] = {}
    for i, item in enumerate(allocations_raw):
        allocation = _read_allocation(r, item, f"allocations[{i}]")
        if allocation is None:
            continue
        if allocation.key in seen:
            r.error(
                f"allocations[{i}]",
                f"{allocation.earmark} {allocation.year} finns redan i filen ({seen[allocation.key]}); "
                "en fond får bara ha en tilldelning per år",
            )
            continue
        seen[allocation.key] = allocation.place
        allocations.append(allocation)
    if not allocations_raw and not r.problems:
        r.error("allocations", "filen innehåller inga tilldelningar")
    return Document(allocations=allocations, region=region)


def _read_allocation(r: _Reader, raw: Any, path: str) -> AllocationData | None:
    data = r.mapping(raw, path, ALLOCATION_FIELDS)
    if data is None:
        return None
    before = len(r.problems)
    earmark = r.text(data, "earmark", path, required=True, max_len=40)
    year = r.year(data, "year", path)
    received = r.amount(data, "received", path, required=True)
    spend_until = r.date(data, "spend_until", path)
    anchored = r.text(data, "anchored", path, required=False)
    stated_total = r.amount(data, "stated_total", path, required=False)
    recipient = r.text(data, "recipient", path, required=False, max_len=200) or COUNTY
    status = data.get("status")
    if status is not None:
        if status in STATUSES:
            status = BudgetStatus(status)
        else:
            r.error(join_path(path, "status"),
                    f"okänd status {_shown(status)}; tillåtna: {', '.join(STATUSES)}")
            status = None
    decision = {}
    if data.get("decision") is not None:
        d = r.mapping(data["decision"], join_path(path, "decision"), DECISION_FIELDS) or {}
        dpath = join_path(path, "decision")
        decided_on, month_only = r.day_or_month(d, "date", dpath)
        decision = {
            "decision_body": r.text(d, "body", dpath, required=False, max_len=200),
            "decision_date": decided_on,
            "decision_month_only": month_only,
            "decision_reference": r.text(d, "reference", dpath, required=False, max_len=200),
            "decision_diary_number": r.text(d, "diary_number", dpath, required=False,
                                            max_len=60),
            "decision_text": r.text(d, "text", dpath, required=False),
        }
    lines_raw = data.get("lines")
    lines: list[LineData] = []
    if lines_raw is None:
        if "lines" not in data:
            r.error(join_path(path, "lines"), "fältet 'lines' saknas (det får vara en tom lista)")
    elif not isinstance(lines_raw, list):
        r.error(join_path(path, "lines"), f"ska vara en lista, inte {_describe(lines_raw)}")
    else:
        for j, item in enumerate(lines_raw):
            line = _read_line(r, item, f"{path}.lines[{j}]")
            if line is not None:
                lines.append(line)
    if len(r.problems) > before or earmark is None or year is None or received is None:
        return None
    allocation = AllocationData(
        earmark=earmark,
        year=year,
        received=received,
        spend_until=spend_until or default_spend_until(year),
        anchored=anchored,
        recipient=recipient,
        status=status,
        stated_total=stated_total,
        lines=lines,
        place=f"{path} ({earmark} {year})",
        **decision,
    )
    if stated_total is not None:
        for basis_name, figure in (("spent", "utfall"), ("budget", "budget")):
            values = [getattr(line, basis_name) for line in lines]
            if any(v is not None for v in values):
                total = sum(v or 0 for v in values)
                if total != stated_total:
                    r.warn(
                        join_path(path, "stated_total"),
                        f"raderna ({figure}) summerar till {format_amount(total, unit=True)} men "
                        f"dokumentet anger TOTALT {format_amount(stated_total, unit=True)} "
                        f"(skillnad {format_amount(total - stated_total, unit=True)})",
                    )
                break
    return allocation


def _read_line(r: _Reader, raw: Any, path: str) -> LineData | None:
    data = r.mapping(raw, path, LINE_FIELDS)
    if data is None:
        return None
    before = len(r.problems)
    activity = r.text(data, "activity", path, required=True)
    goal_area = r.text(data, "goal_area", path, required=False, max_len=300)
    kind = data.get("kind", LineKind.ACTIVITY.value)
    if kind in KINDS:
        kind = LineKind(kind)
    else:
        r.error(join_path(path, "kind"), f"okänd sorts rad {_shown(kind)}; tillåtna: {', '.join(KINDS)}")
        kind = LineKind.ACTIVITY
    budget = r.amount(data, "budget", path, required=False)
    spent = r.amount(data, "spent", path, required=False)
    if data.get("budget") is None and data.get("spent") is None:
        r.error(path, "raden saknar belopp: ange 'budget', 'spent' eller båda")
    owner = r.text(data, "owner", path, required=False, max_len=300)
    partners = r.text_list(data, "partners", path, required=False)
    covers = None
    if kind is LineKind.TRANSFER:
        if data.get("covers") is None:
            r.error(join_path(path, "covers"), "en överföring (transfer) måste ange 'covers': {earmark, year}")
        else:
            cpath = join_path(path, "covers")
            c = r.mapping(data["covers"], cpath, COVERS_FIELDS)
            if c is not None:
                cearmark = r.text(c, "earmark", cpath, required=True, max_len=40)
                cyear = r.year(c, "year", cpath)
                if cearmark and cyear:
                    covers = (cearmark, cyear)
    elif data.get("covers") is not None:
        r.error(join_path(path, "covers"), "'covers' hör bara till rader med kind: transfer")
    grants: list[GrantData] = []
    if kind is LineKind.CALL:
        grants_raw = data.get("grants")
        if grants_raw is None:
            grants_raw = []
        if not isinstance(grants_raw, list):
            r.error(join_path(path, "grants"), f"ska vara en lista, inte {_describe(grants_raw)}")
        else:
            for k, item in enumerate(grants_raw):
                grant = _read_grant(r, item, f"{path}.grants[{k}]")
                if grant is not None:
                    grants.append(grant)
    elif data.get("grants") is not None:
        r.error(join_path(path, "grants"), "'grants' hör bara till rader med kind: call (utlysning)")
    if len(r.problems) > before or activity is None:
        return None
    line = LineData(
        activity=activity,
        kind=kind,
        goal_area=goal_area,
        budget=budget,
        spent=spent,
        covers=covers,
        owner=owner,
        partners=partners,
        grants=grants,
        place=path,
    )
    if kind is LineKind.CALL:
        pool = call_pool(budget, spent)
        granted = sum(g.amount for g in grants)
        if granted > (pool or 0):
            r.error(
                join_path(path, "grants"),
                f"de beviljade projekten summerar till {format_amount(granted, unit=True)}, mer "
                f"än utlysningens {format_amount(pool or 0, unit=True)}",
            )
            return None
    return line


def _read_grant(r: _Reader, raw: Any, path: str) -> GrantData | None:
    data = r.mapping(raw, path, GRANT_FIELDS)
    if data is None:
        return None
    before = len(r.problems)
    title = r.text(data, "title", path, required=True)
    owner = r.text(data, "owner", path, required=True, max_len=300)
    partners = r.text_list(data, "partners", path, required=False)
    goal_areas = r.text_list(data, "goal_areas", path, required=True)
    amount = r.amount(data, "amount", path, required=True)
    paid = r.amount(data, "paid", path, required=False)
    returned = r.amount(data, "returned", path, required=False)
    status = r.text(data, "status", path, required=False, max_len=40)
    report_due = r.date(data, "report_due", path)
    if amount is not None and paid is not None and paid > amount:
        r.error(join_path(path, "paid"), "utbetalt är mer än det beviljade beloppet")
    if paid is not None and returned is not None and returned > paid:
        r.error(join_path(path, "returned"), "återbetalt är mer än det utbetalda beloppet")
    if len(r.problems) > before or title is None or owner is None or amount is None:
        return None
    return GrantData(
        title=title, owner=owner, partners=partners, goal_areas=goal_areas,
        amount=amount, paid=paid, returned=returned, status=status, report_due=report_due,
    )
