"""Reading a `stimulansmedel/1` document into plain data, checking every rule that needs no
database.

Every error names its place in the file (the path of fields and, for YAML, the line); the
reader collects them all rather than stopping at the first.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import ImportRefused
from app.core.money import format_amount
from app.ledger.exchange.grant_reading import check_refunds, own_fund_unnamed, read_grant
from app.ledger.exchange.reader import Reader, describe, shown
from app.ledger.exchange.schema import (
    ALLOCATION_FIELDS,
    COVERS_FIELDS,
    DECISION_FIELDS,
    DOCUMENT_FIELDS,
    FORMAT,
    KINDS,
    LINE_FIELDS,
    AllocationData,
    Document,
    GrantData,
    LineData,
    join_path,
)
from app.ledger.exchange.yaml_text import parse_text
from app.ledger.rules import COUNTY, BudgetStatus, LineKind, call_pool, default_spend_until

STATUSES = tuple(status.value for status in BudgetStatus)


def load_document(text: str) -> Document:
    """Parse and check an exchange document; raise ImportRefused listing every problem."""
    raw, lines_by_path = parse_text(text)
    reader = Reader(lines_by_path)
    doc = _read_document(reader, raw)
    if reader.problems:
        raise ImportRefused(reader.problems)
    assert doc is not None
    doc.warnings = reader.warnings
    doc.line_of = reader.line_of
    return doc


def _read_document(r: Reader, raw: Any) -> Document | None:
    if raw is None:
        r.error("", _("filen är tom"))
        return None
    data = r.mapping(raw, "", DOCUMENT_FIELDS)
    if data is None:
        return None
    fmt = data.get("format")
    if fmt != FORMAT:
        r.error("format", _("formatet ska vara %(format)r, filen anger %(found)s",
                            format=FORMAT, found=shown(fmt)))
        return None
    region = r.text(data, "region", "", required=False, max_len=200)
    allocations_raw = data.get("allocations")
    if not isinstance(allocations_raw, list):
        r.error("allocations", _("fältet 'allocations' saknas eller är ingen lista"))
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
                _("%(earmark)s %(year)s finns redan i filen (%(seen)s); en fond får bara ha en "
                  "tilldelning per år", earmark=allocation.earmark, year=allocation.year,
                  seen=seen[allocation.key]),
            )
            continue
        seen[allocation.key] = allocation.place
        allocations.append(allocation)
    if not allocations_raw and not r.problems:
        r.error("allocations", _("filen innehåller inga tilldelningar"))
    return Document(allocations=allocations, region=region)


def _read_allocation(r: Reader, raw: Any, path: str) -> AllocationData | None:
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
                    _("okänd status %(found)s; tillåtna: %(allowed)s",
                      found=shown(status), allowed=", ".join(STATUSES)))
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
            r.error(join_path(path, "lines"),
                    _("fältet 'lines' saknas (det får vara en tom lista)"))
    elif not isinstance(lines_raw, list):
        r.error(join_path(path, "lines"), _("ska vara en lista, inte %(found)s",
                                            found=describe(lines_raw)))
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
    for line in lines:
        for grant in line.grants:
            own_fund_unnamed(grant, allocation.key)
            if grant.refunds is not None:
                check_refunds(r, grant.refunds, grant.payments, grant.paid,
                               join_path(grant.place, "refunds"))
    if stated_total is not None:
        for basis_name, figure in (("spent", _l("utfall")), ("budget", _l("budget"))):
            values = [getattr(line, basis_name) for line in lines]
            if any(v is not None for v in values):
                total = sum(v or 0 for v in values)
                if total != stated_total:
                    r.warn(
                        join_path(path, "stated_total"),
                        _("raderna (%(figure)s) summerar till %(total)s men dokumentet anger "
                          "TOTALT %(stated)s (skillnad %(difference)s)", figure=figure,
                          total=format_amount(total, unit=True),
                          stated=format_amount(stated_total, unit=True),
                          difference=format_amount(total - stated_total, unit=True)),
                    )
                break
    return allocation


def _read_line(r: Reader, raw: Any, path: str) -> LineData | None:
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
        r.error(join_path(path, "kind"), _("okänd sorts rad %(found)s; tillåtna: %(allowed)s",
                                           found=shown(kind), allowed=", ".join(KINDS)))
        kind = LineKind.ACTIVITY
    budget = r.amount(data, "budget", path, required=False)
    spent = r.amount(data, "spent", path, required=False)
    if data.get("budget") is None and data.get("spent") is None:
        r.error(path, _("raden saknar belopp: ange 'budget', 'spent' eller båda"))
    owner = r.text(data, "owner", path, required=False, max_len=300)
    partners = r.text_list(data, "partners", path, required=False)
    covers = None
    if kind is LineKind.TRANSFER:
        if data.get("covers") is None:
            r.error(join_path(path, "covers"), _("en överföring (transfer) måste ange 'covers': "
                                                 "{earmark, year}"))
        else:
            cpath = join_path(path, "covers")
            c = r.mapping(data["covers"], cpath, COVERS_FIELDS)
            if c is not None:
                cearmark = r.text(c, "earmark", cpath, required=True, max_len=40)
                cyear = r.year(c, "year", cpath)
                if cearmark and cyear:
                    covers = (cearmark, cyear)
    elif data.get("covers") is not None:
        r.error(join_path(path, "covers"), _("'covers' hör bara till rader med kind: transfer"))
    decided_in = None
    if kind is LineKind.CALL:
        decided_in = r.fund(data, "decided_in", path)
    elif data.get("decided_in") is not None:
        r.error(join_path(path, "decided_in"),
                _("'decided_in' hör bara till rader med kind: call (utlysning)"))
    grants: list[GrantData] = []
    if kind is LineKind.CALL:
        grants_raw = data.get("grants")
        if grants_raw is None:
            grants_raw = []
        if not isinstance(grants_raw, list):
            r.error(join_path(path, "grants"), _("ska vara en lista, inte %(found)s",
                                                 found=describe(grants_raw)))
        else:
            for k, item in enumerate(grants_raw):
                grant = read_grant(r, item, f"{path}.grants[{k}]")
                if grant is not None:
                    grants.append(grant)
    elif data.get("grants") is not None:
        r.error(join_path(path, "grants"), _("'grants' hör bara till rader med kind: call "
                                             "(utlysning)"))
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
        decided_in=decided_in,
    )
    if kind is LineKind.CALL:
        pool = call_pool(budget, spent)
        granted = sum(g.amount for g in grants)
        if granted > (pool or 0):
            r.error(
                join_path(path, "grants"),
                _("de beviljade projekten summerar till %(granted)s, mer än utlysningens %(pool)s",
                  granted=format_amount(granted, unit=True),
                  pool=format_amount(pool or 0, unit=True)),
            )
            return None
    return line
