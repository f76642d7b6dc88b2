"""What a report says, whatever its format: title, facts, tables of money and notes.

The PDF, CSV and Excel builders all lay out the same `Document`, so the three formats carry
the same rows and figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.money import format_amount
from app.reports.data import CallPool, FundReport, ReportKind
from app.reports.labels import Say, labels

Cell = str | tuple[str, ...]  # a tuple is a list of items, e.g. a project's goal areas


@dataclass(frozen=True)
class Row:
    """A row of a table: its text cells, then its amount (None shows as "–")."""

    cells: tuple[Cell, ...]
    amount: int | None
    note: str | None = None  # a remark on the row, e.g. which fund a transfer covers
    strong: bool = False  # totals and results, set in bold


@dataclass(frozen=True)
class Table:
    """A table of money; its last column is the amount."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    widths: tuple[float, ...]  # relative widths of the columns on paper
    grouped: bool = False  # the first column names a group, printed once per run on paper
    note_column: int | None = None  # the column a row's note is printed under on paper
    note_heading: str | None = None  # the heading of the notes' own column in spreadsheets


@dataclass(frozen=True)
class Notes:
    """Remarks a reader must not miss."""

    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A laid-out report, ready for any format."""

    lang: str
    region: str
    title: str
    printed: str
    facts: tuple[tuple[str, str], ...]
    blocks: tuple[Table | Notes, ...]
    sheet_name: str


def amount_text(ore: int | None, *, unit: bool = False) -> str:
    """Return an amount as printed: Swedish grouping, "–" when there is no figure."""
    return "–" if ore is None else format_amount(ore, unit=unit)


def build_document(report: FundReport, lang: str = "sv") -> Document:
    """Lay out a fund's follow-up or budget as a document in `lang`."""
    say = labels(lang)
    year = report.year
    title = say(f"title.{report.kind.value}", year=year, fund=report.earmark_name)
    blocks: list[Table | Notes] = [_lines_table(report, say), _summary_table(report, say)]
    notes = _notes(report, say)
    if notes:
        blocks.append(Notes(say("notes"), tuple(notes)))
    several_calls = len(report.calls) > 1
    blocks.extend(_grants_table(report, call, say, named=several_calls)
                  for call in report.calls if call.grants)
    return Document(
        lang=lang,
        region=report.region or "",
        title=title,
        printed=say("printed", date=report.printed.isoformat()),
        facts=tuple(_facts(report, say)),
        blocks=tuple(blocks),
        sheet_name=say(f"sheet.{report.kind.value}", year=year),
    )


def _facts(report: FundReport, say: Say) -> list[tuple[str, str]]:
    facts = []
    if report.kind is ReportKind.FOLLOWUP:
        state = "status.closed" if report.year_closed else "status.open"
        facts.append((say("status"), say(state, year=report.year)))
    end = report.spend_until.year
    window = "spend.window" if end != report.year else "spend.single"
    facts.append((say("spend"), say(window, start=report.year, end=end,
                                until=report.spend_until.isoformat())))
    if report.anchored:
        facts.append((say("anchored"), report.anchored))
    decided = " ".join(
        part for part in (
            report.decision_body,
            report.decision_date.isoformat() if report.decision_date else None,
            report.decision_reference,
        ) if part
    )
    if decided:
        facts.append((say("decided"), decided))
    if report.decision_text:
        facts.append((say("decision"), report.decision_text))
    return facts


def _lines_table(report: FundReport, say: Say) -> Table:
    rows = []
    for line in report.lines:
        note = None
        if line.covers:
            note = say("line.covers", target=line.covers)
        elif line.kind == "call":
            note = say("line.call", count=line.grants) if line.grants else say("line.call.none")
        rows.append(Row((line.goal_area or "", line.activity), line.figure, note=note))
    rows.append(Row(("", say("total")), report.total, strong=True))
    by_area = "" if any(line.goal_area for line in report.lines) else ".flat"
    return Table(
        key="lines",
        caption=say(f"caption.lines.{report.kind.value}{by_area}", year=report.year),
        columns=(say("col.goal_area"), say("col.activity"), say("col.amount")),
        rows=tuple(rows),
        widths=(5, 9, 3),
        grouped=True,
        note_column=1,
        note_heading=say("col.note"),
    )


def _carried_in_row(report: FundReport, say: Say) -> Row | None:
    """Return the row of what the previous year carried in, when there is one to show."""
    previous = report.year - 1
    if report.carry_in_preliminary:
        return Row((say("carried_in.preliminary", year=previous),), None)
    # A budget shows a closed previous year's carry-over even when it is 0, as a known fact; a
    # follow-up only when it changes the sum.
    shown = report.balance.carried_in or (
        report.kind is ReportKind.BUDGET and report.has_previous
    )
    if shown:
        return Row((say("carried_in", year=previous),), report.balance.carried_in)
    return None


def _coverage_rows(report: FundReport, say: Say) -> list[Row]:
    return [Row((say("covered_by", source=c.source, activity=c.activity),), c.amount)
            for c in report.coverages]


def _summary_rows_followup(report: FundReport, say: Say) -> list[Row]:
    rows = [Row((say("received", year=report.year),), report.balance.received)]
    carried = _carried_in_row(report, say)
    if carried:
        rows.append(carried)
    rows.append(Row((say("used"),), report.total))
    if report.coverages:
        before = report.result_before_cover
        label = "deficit_before_cover" if before < 0 else "result_before_cover"
        rows.append(Row((say(label),), before))
        rows.extend(_coverage_rows(report, say))
    if report.result < 0:
        rows.append(Row((say("uncovered_deficit"),), report.result, strong=True))
    else:
        label = "result_after_cover" if report.coverages else "result"
        rows.append(Row((say(label),), report.result, strong=True))
    dest = report.destination
    if dest is not None:
        key = f"dest.{dest.rule}" + ("" if dest.settled else ".open")
        rows.append(Row((say(key, next=report.year + 1),), dest.amount, strong=True))
    return rows


def _summary_rows_budget(report: FundReport, say: Say) -> list[Row]:
    rows = [Row((say("received", year=report.year),), report.balance.received)]
    carried = _carried_in_row(report, say)
    if carried:
        rows.append(carried)
    rows.extend(_coverage_rows(report, say))
    available = "available.preliminary" if report.carry_in_preliminary else "available"
    rows.append(Row((say(available),), report.available, strong=True))
    rows.append(Row((say("budgeted"),), report.total))
    left = "over_budgeted" if report.result < 0 else "not_budgeted"
    rows.append(Row((say(left),), report.result, strong=True))
    return rows


def _summary_table(report: FundReport, say: Say) -> Table:
    if report.kind is ReportKind.FOLLOWUP:
        rows = _summary_rows_followup(report, say)
    else:
        rows = _summary_rows_budget(report, say)
    return Table(
        key="summary",
        caption=say(f"caption.summary.{report.kind.value}", year=report.year),
        columns=(say("col.item"), say("col.value")),
        rows=tuple(rows),
        widths=(14, 3),
    )


def _owner_text(owner: str, partners: tuple[str, ...], say: Say) -> str:
    if not partners:
        return owner
    joined = partners[0] if len(partners) == 1 else (
        ", ".join(partners[:-1]) + f" {say('and')} " + partners[-1]
    )
    return say("owner.with", owner=owner, partners=joined)


def _grants_table(report: FundReport, call: CallPool, say: Say, *, named: bool) -> Table:
    # Group the projects by the goal areas they serve, in the order the groups first appear,
    # as the coordinators' slides do; a project serving several areas forms its own group.
    groups: dict[tuple[str, ...], list] = {}
    for grant in call.grants:
        groups.setdefault(grant.goal_areas, []).append(grant)
    rows = [
        Row((areas, grant.title, _owner_text(grant.owner, grant.partners, say)), grant.amount)
        for areas, grants in groups.items() for grant in grants
    ]
    rows.append(Row(((), say("granted_total"), ""), call.granted, strong=True))
    if call.unallocated > 0:
        rows.append(Row(((), say("unallocated"), ""), call.unallocated))
    caption = (say("caption.grants.named", activity=call.activity) if named
               else say("caption.grants", year=report.year))
    return Table(
        key="grants",
        caption=caption,
        columns=(say("col.goal_area"), say("col.project"), say("col.owner"), say("col.amount")),
        rows=tuple(rows),
        widths=(4.2, 5.6, 4.2, 2.6),
        grouped=True,
    )


def _notes(report: FundReport, say: Say) -> list[str]:
    notes = []

    def amount(ore: int) -> str:
        return format_amount(ore, unit=True)

    if report.missing_figures:
        notes.append(say(f"note.missing.{report.kind.value}", count=report.missing_figures))
    if report.stated_difference is not None:
        notes.append(say("note.stated", stated=amount(report.stated_total),
                       difference=amount(report.stated_difference)))
    if report.carry_in_preliminary:
        notes.append(say("note.previous_open", previous=report.year - 1,
                       estimate=amount(report.previous_estimate or 0)))
    if report.kind is ReportKind.FOLLOWUP:
        if report.coverages and report.result_before_cover < 0:
            sources = sorted({c.source for c in report.coverages})
            notes.append(say("note.deficit_covered", deficit=amount(-report.result_before_cover),
                           sources=f" {say('and')} ".join(sources)))
        if report.result < 0:
            notes.append(say("note.uncovered", deficit=amount(report.result), year=report.year))
    else:
        if report.result < 0:
            notes.append(say("note.over_budgeted", amount=amount(-report.result)))
        elif report.result > 0:
            notes.append(say("note.not_budgeted", amount=amount(report.result)))
    notes.extend(say("note.no_grants", activity=call.activity) for call in report.calls
                 if not call.grants)
    return notes
