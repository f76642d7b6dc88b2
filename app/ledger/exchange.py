"""The `stimulansmedel/1` exchange format: read a document into plain data, checking every rule
that needs no database, and write one back.

Every error names its place in the file (the path of fields and, for YAML, the line).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from app.core.errors import AmountError, ImportRefused, Problem
from app.core.money import exchange_amount, format_amount, parse_exchange_amount
from app.ledger.rules import call_pool

FORMAT = "stimulansmedel/1"
KINDS = ("activity", "call", "transfer")
MIN_YEAR, MAX_YEAR = 1990, 2100

DOCUMENT_FIELDS = {"format", "region", "allocations"}
ALLOCATION_FIELDS = {
    "earmark", "year", "spend_until", "received", "anchored", "decision", "lines", "stated_total",
}
DECISION_FIELDS = {"body", "date", "reference", "text"}
LINE_FIELDS = {
    "activity", "goal_area", "kind", "budget", "spent", "covers", "owner", "partners", "grants",
}
COVERS_FIELDS = {"earmark", "year"}
GRANT_FIELDS = {"title", "owner", "partners", "goal_areas", "amount", "paid", "returned", "status"}


@dataclass
class GrantData:
    title: str
    owner: str
    goal_areas: list[str]
    amount: int
    partners: list[str] = field(default_factory=list)
    paid: int | None = None
    returned: int | None = None
    status: str | None = None


@dataclass
class LineData:
    activity: str
    kind: str = "activity"
    goal_area: str | None = None
    budget: int | None = None
    spent: int | None = None
    covers: tuple[str, int] | None = None
    owner: str | None = None
    partners: list[str] = field(default_factory=list)
    grants: list[GrantData] = field(default_factory=list)
    place: str = ""


@dataclass
class AllocationData:
    earmark: str
    year: int
    received: int
    spend_until: dt.date
    anchored: str | None = None
    decision_body: str | None = None
    decision_date: dt.date | None = None
    decision_reference: str | None = None
    decision_text: str | None = None
    stated_total: int | None = None
    lines: list[LineData] = field(default_factory=list)
    place: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.earmark, self.year)


@dataclass
class Document:
    allocations: list[AllocationData]
    region: str | None = None
    warnings: list[Problem] = field(default_factory=list)


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
                    _join(path, str(key)),
                    f"okänt fält {key!r}; tillåtna fält här: {', '.join(sorted(allowed))}",
                )
        return value

    def text(self, data: dict, key: str, path: str, *, required: bool, max_len: int = 2000):
        where = _join(path, key)
        if key not in data or data[key] is None:
            if required:
                self.error(where, f"fältet {key!r} saknas")
            return None
        value = data[key]
        if isinstance(value, (bool, dict, list)):
            self.error(where, f"ska vara text, inte {_describe(value)}")
            return None
        value = str(value).strip()
        if required and not value:
            self.error(where, f"fältet {key!r} får inte vara tomt")
            return None
        if len(value) > max_len:
            self.error(where, f"texten är för lång ({len(value)} tecken, högst {max_len})")
            return None
        return value or None

    def text_list(self, data: dict, key: str, path: str, *, required: bool) -> list[str]:
        where = _join(path, key)
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
            items.append(str(item).strip())
        if required and not items and not any(p.place.startswith(where) for p in self.problems):
            self.error(where, "ange minst ett värde")
        return items

    def amount(self, data: dict, key: str, path: str, *, required: bool) -> int | None:
        where = _join(path, key)
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
        where = _join(path, key)
        value = data.get(key)
        if value is None:
            self.error(where, f"fältet {key!r} saknas")
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"{value!r} är inget årtal")
            return None
        if not MIN_YEAR <= value <= MAX_YEAR:
            self.error(where, f"årtalet {value} ligger utanför {MIN_YEAR}–{MAX_YEAR}")
            return None
        return value

    def date(self, data: dict, key: str, path: str) -> dt.date | None:
        where = _join(path, key)
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
        self.error(where, f"{value!r} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2021-12-31")
        return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    if value is None:
        return "ett tomt värde"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, str):
        return f"texten {value!r}"
    return repr(value)


def _line_map(text: str) -> dict[str, int]:
    """Map each field path to its 1-based line in the YAML text, to point errors at it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    found: dict[str, int] = {}
    walked: set[int] = set()

    def walk(node: yaml.Node, path: str) -> None:
        found.setdefault(path, node.start_mark.line + 1)
        # An alias is the node of its anchor again: walking it each time would take exponential
        # time on a few lines of nested aliases.
        if id(node) in walked:
            return
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value)
                found[_join(path, key)] = key_node.start_mark.line + 1
                walk(value_node, _join(path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    if root is not None:
        walk(root, "")
    return found


_DECIMAL_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                continue  # a list or mapping as key: the base class refuses it with its line
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"fältet {key!r} står två gånger (först på rad {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        # YAML 1.1 also reads 0x10, 010 (octal: 8) and 1:30 (base 60: 90) as integers; an amount
        # written so is a slip, so keep it as text for the reader to refuse with its place.
        if not _DECIMAL_INT.match(self.construct_scalar(node)):
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node):
        # An impossible date such as 2021-13-01 would raise a bare ValueError: keep it as text
        # for the reader to refuse with its place.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _UniqueKeyLoader.construct_yaml_int)
_UniqueKeyLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _UniqueKeyLoader.construct_yaml_timestamp
)


def _json_tabs_as_spaces(text: str) -> str:
    """Return a JSON document indented with tabs with spaces instead, so YAML can read it.

    JSON allows tabs between tokens, YAML does not; a valid JSON document has no raw tab
    inside a string (it would be escaped), so every tab in it is whitespace.
    """
    if "\t" not in text:
        return text
    try:
        json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return text
    return text.replace("\t", " ")


def load_document(text: str) -> Document:
    """Parse and check an exchange document; raise ImportRefused listing every problem."""
    text = _json_tabs_as_spaces(text)
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"filen är inte giltig YAML/JSON: {what}"
        if context:
            message += f" ({context})"
        raise ImportRefused([Problem("", message, line)]) from None
    reader = _Reader(_line_map(text))
    doc = _read_document(reader, raw)
    if reader.problems:
        raise ImportRefused(reader.problems)
    assert doc is not None
    doc.warnings = reader.warnings
    return doc


def _read_document(r: _Reader, raw: Any) -> Document | None:
    if raw is None:
        r.error("", "filen är tom")
        return None
    data = r.mapping(raw, "", DOCUMENT_FIELDS)
    if data is None:
        return None
    fmt = data.get("format")
    if fmt != FORMAT:
        r.error("format", f"formatet ska vara {FORMAT!r}, filen anger {fmt!r}")
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
    decision = {}
    if data.get("decision") is not None:
        d = r.mapping(data["decision"], _join(path, "decision"), DECISION_FIELDS) or {}
        dpath = _join(path, "decision")
        decision = {
            "decision_body": r.text(d, "body", dpath, required=False, max_len=200),
            "decision_date": r.date(d, "date", dpath),
            "decision_reference": r.text(d, "reference", dpath, required=False, max_len=200),
            "decision_text": r.text(d, "text", dpath, required=False),
        }
    lines_raw = data.get("lines")
    lines: list[LineData] = []
    if lines_raw is None:
        if "lines" not in data:
            r.error(_join(path, "lines"), "fältet 'lines' saknas (det får vara en tom lista)")
    elif not isinstance(lines_raw, list):
        r.error(_join(path, "lines"), f"ska vara en lista, inte {_describe(lines_raw)}")
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
        spend_until=spend_until or dt.date(year + 1, 12, 31),
        anchored=anchored,
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
                        _join(path, "stated_total"),
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
    kind = data.get("kind", "activity")
    if kind not in KINDS:
        r.error(_join(path, "kind"), f"okänd sorts rad {kind!r}; tillåtna: {', '.join(KINDS)}")
        kind = "activity"
    budget = r.amount(data, "budget", path, required=False)
    spent = r.amount(data, "spent", path, required=False)
    if data.get("budget") is None and data.get("spent") is None:
        r.error(path, "raden saknar belopp: ange 'budget', 'spent' eller båda")
    owner = r.text(data, "owner", path, required=False, max_len=300)
    partners = r.text_list(data, "partners", path, required=False)
    covers = None
    if kind == "transfer":
        if data.get("covers") is None:
            r.error(_join(path, "covers"), "en överföring (transfer) måste ange 'covers': {earmark, year}")
        else:
            cpath = _join(path, "covers")
            c = r.mapping(data["covers"], cpath, COVERS_FIELDS)
            if c is not None:
                cearmark = r.text(c, "earmark", cpath, required=True, max_len=40)
                cyear = r.year(c, "year", cpath)
                if cearmark and cyear:
                    covers = (cearmark, cyear)
    elif data.get("covers") is not None:
        r.error(_join(path, "covers"), "'covers' hör bara till rader med kind: transfer")
    grants: list[GrantData] = []
    if kind == "call":
        grants_raw = data.get("grants")
        if grants_raw is None:
            grants_raw = []
        if not isinstance(grants_raw, list):
            r.error(_join(path, "grants"), f"ska vara en lista, inte {_describe(grants_raw)}")
        else:
            for k, item in enumerate(grants_raw):
                grant = _read_grant(r, item, f"{path}.grants[{k}]")
                if grant is not None:
                    grants.append(grant)
    elif data.get("grants") is not None:
        r.error(_join(path, "grants"), "'grants' hör bara till rader med kind: call (utlysning)")
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
    if kind == "call":
        pool = call_pool(budget, spent)
        granted = sum(g.amount for g in grants)
        if granted > (pool or 0):
            r.error(
                _join(path, "grants"),
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
    if amount is not None and paid is not None and paid > amount:
        r.error(_join(path, "paid"), "utbetalt är mer än det beviljade beloppet")
    if paid is not None and returned is not None and returned > paid:
        r.error(_join(path, "returned"), "återbetalt är mer än det utbetalda beloppet")
    if len(r.problems) > before or title is None or owner is None or amount is None:
        return None
    return GrantData(
        title=title, owner=owner, partners=partners, goal_areas=goal_areas,
        amount=amount, paid=paid, returned=returned, status=status,
    )


def dump_document(doc: dict) -> str:
    """Write an exchange document (plain dicts, as `build` makes them) as YAML."""
    header = (
        "# stimulansmedel/1: see spec/import-format.md. Amounts in kronor; "
        "exported by Stimulansmedel.\n"
    )
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def build_allocation(a: AllocationData) -> dict:
    """Turn an allocation's data back into the exchange format's mapping, fields in spec order."""
    out: dict[str, Any] = {"earmark": a.earmark, "year": a.year}
    out["spend_until"] = a.spend_until
    out["received"] = exchange_amount(a.received)
    if a.anchored is not None:
        out["anchored"] = a.anchored
    decision = {
        k: v
        for k, v in (
            ("body", a.decision_body),
            ("date", a.decision_date),
            ("reference", a.decision_reference),
            ("text", a.decision_text),
        )
        if v is not None
    }
    if decision:
        out["decision"] = decision
    if a.stated_total is not None:
        out["stated_total"] = exchange_amount(a.stated_total)
    out["lines"] = [build_line(line) for line in a.lines]
    return out


def build_line(line: LineData) -> dict:
    out: dict[str, Any] = {}
    if line.goal_area is not None:
        out["goal_area"] = line.goal_area
    if line.kind != "activity":
        out["kind"] = line.kind
    out["activity"] = line.activity
    for key in ("budget", "spent"):
        value = getattr(line, key)
        if value is not None:
            out[key] = exchange_amount(value)
    if line.covers is not None:
        out["covers"] = {"earmark": line.covers[0], "year": line.covers[1]}
    if line.owner is not None:
        out["owner"] = line.owner
    if line.partners:
        out["partners"] = list(line.partners)
    if line.kind == "call":
        out["grants"] = [build_grant(g) for g in line.grants]
    return out


def build_grant(g: GrantData) -> dict:
    out: dict[str, Any] = {"title": g.title, "owner": g.owner}
    if g.partners:
        out["partners"] = list(g.partners)
    out["goal_areas"] = list(g.goal_areas)
    out["amount"] = exchange_amount(g.amount)
    for key in ("paid", "returned"):
        value = getattr(g, key)
        if value is not None:
            out[key] = exchange_amount(value)
    if g.status is not None:
        out["status"] = g.status
    return out
