"""What a report says, whatever its format: title, facts, tables of money and notes.

The PDF, CSV and Excel builders all lay out the same `Document`, so the three formats carry
the same rows and figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.money import format_amount
from app.year_reports.data import CallPool, FundReport, ProjectResult, ReportKind
from app.year_reports.labels import Say, labels

Cell = str | tuple[str, ...]  # a tuple is a list of items, e.g. a project's goal areas


# An amount cell: öre, None for a figure not known yet (shown as "–"), or BLANK for a cell
# the row leaves empty (e.g. the paid column of a row that only sums what was granted).
BLANK = ""
Amount = int | None | str


@dataclass(frozen=True)
class Row:
    """A row of a table: its text cells, then its amounts (None shows as "–")."""

    cells: tuple[Cell, ...]
    amounts: tuple[Amount, ...]
    note: str | None = None  # a remark on the row, e.g. which fund a transfer covers
    strong: bool = False  # totals and results, set in bold

    @property
    def amount(self) -> Amount:
        """Return the amount of the last column (None when the table has no amounts)."""
        return self.amounts[-1] if self.amounts else None


def money_row(cells: tuple[Cell, ...], amount: Amount, **options) -> Row:
    """Return a row of a table with one amount column."""
    return Row(cells, (amount,), **options)


@dataclass(frozen=True)
class Table:
    """A table; its last `money` columns hold amounts (none in a table of text)."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    widths: tuple[float, ...]  # relative widths of the columns on paper
    grouped: bool = False  # the first column names a group, printed once per run on paper
    note_column: int | None = None  # the column a row's note is printed under on paper
    note_heading: str | None = None  # the heading of the notes' own column in spreadsheets
    money: int = 1  # how many of the last columns are amounts
    compact: bool = False  # set a size smaller on paper, for a table of many columns

    @property
    def text_columns(self) -> int:
        return len(self.columns) - self.money


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


def amount_text(ore: Amount, *, unit: bool = False) -> str:
    """Return an amount as printed: Swedish grouping, "–" when there is no figure."""
    if isinstance(ore, str):
        return ore
    return "–" if ore is None else format_amount(ore, unit=unit)


def build_document(report: FundReport, lang: str = "sv") -> Document:
    """Lay out a fund's follow-up or budget as a document in `lang`."""
    say = labels(lang)
    year = report.year
    title = say(report.title_key, year=year, fund=report.earmark_name)
    followup = report.kind is ReportKind.FOLLOWUP
    blocks: list[Table | Notes] = [_lines_table(report, say), _summary_table(report, say)]
    notes = _notes(report, say)
    if notes:
        blocks.append(Notes(say("notes"), tuple(notes)))
    several_calls = len(report.calls) > 1
    for call in report.calls:
        if not call.grants:
            continue
        if followup:
            blocks.append(_grants_followup_table(report, call, say, named=several_calls))
            shared = _paid_by_others_notes(call, say)
            if shared:
                blocks.append(Notes(say("grants.others.heading"), tuple(shared)))
        else:
            blocks.append(_grants_table(report, call, say, named=several_calls))
    if followup:
        if report.paid_for_others:
            blocks.append(_paid_for_others_table(report, say))
        blocks.append(_results_block(report, say))
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
    followup = report.kind is ReportKind.FOLLOWUP
    rows = []
    for line in report.lines:
        note = None
        if line.covers:
            note = say("line.covers", target=line.covers)
        elif line.kind == "call":
            note = say("line.call", count=line.grants) if line.grants else say("line.call.none")
        amounts = (line.budget, line.figure) if followup else (line.figure,)
        rows.append(Row((line.goal_area or "", line.activity), amounts, note=note))
    if followup and report.paid_for_others:
        rows.append(Row(("", say("line.paid_for_others")), (None, report.paid_for_others_total),
                        note=say("line.paid_for_others.note")))
    totals = (report.budget_total, report.total) if followup else (report.total,)
    rows.append(Row(("", say("total")), totals, strong=True))
    by_area = "" if any(line.goal_area for line in report.lines) else ".flat"
    if followup:
        columns = (say("col.goal_area"), say("col.activity"), say("col.budget"),
                   say("col.outcome"))
        widths: tuple[float, ...] = (4.6, 8.2, 2.6, 2.6)
    else:
        columns = (say("col.goal_area"), say("col.activity"), say("col.amount"))
        widths = (5, 9, 3)
    return Table(
        key="lines",
        caption=say(f"caption.lines.{report.kind.value}{by_area}", year=report.year),
        columns=columns,
        rows=tuple(rows),
        widths=widths,
        grouped=True,
        note_column=1,
        note_heading=say("col.note"),
        money=2 if followup else 1,
    )


def _carried_in_row(report: FundReport, say: Say) -> Row | None:
    """Return the row of what the previous year carried in, when there is one to show."""
    previous = report.year - 1
    if report.carry_in_preliminary:
        return money_row((say("carried_in.preliminary", year=previous),), None)
    # A budget shows a closed previous year's carry-over even when it is 0, as a known fact; a
    # follow-up only when it changes the sum.
    shown = report.balance.carried_in or (
        report.kind is ReportKind.BUDGET and report.has_previous
    )
    if shown:
        return money_row((say("carried_in", year=previous),), report.balance.carried_in)
    return None


def _returned_in_rows(report: FundReport, say: Say) -> list[Row]:
    """The row of what projects of closed earlier years did not use, when there is any."""
    if not report.balance.returned_in:
        return []
    return [money_row((say("returned_in"),), report.balance.returned_in)]


def _coverage_rows(report: FundReport, say: Say) -> list[Row]:
    return [money_row((say("covered_by", source=c.source, activity=c.activity),), c.amount)
            for c in report.coverages]


def _summary_rows_followup(report: FundReport, say: Say) -> list[Row]:
    rows = [money_row((say("received", year=report.year),), report.balance.received)]
    carried = _carried_in_row(report, say)
    if carried:
        rows.append(carried)
    rows.extend(_returned_in_rows(report, say))
    rows.append(money_row((say("used"),), report.total))
    if report.coverages:
        before = report.result_before_cover
        label = "deficit_before_cover" if before < 0 else "result_before_cover"
        rows.append(money_row((say(label),), before))
        rows.extend(_coverage_rows(report, say))
    if report.result < 0:
        rows.append(money_row((say("uncovered_deficit"),), report.result, strong=True))
    else:
        label = "result_after_cover" if report.coverages else "result"
        rows.append(money_row((say(label),), report.result, strong=True))
    dest = report.destination
    if dest is not None:
        key = f"dest.{dest.rule}" + ("" if dest.settled else ".open")
        rows.append(money_row((say(key, next=report.year + 1),), dest.amount, strong=True))
    return rows


def _summary_rows_budget(report: FundReport, say: Say) -> list[Row]:
    rows = [money_row((say("received", year=report.year),), report.balance.received)]
    carried = _carried_in_row(report, say)
    if carried:
        rows.append(carried)
    rows.extend(_returned_in_rows(report, say))
    rows.extend(_coverage_rows(report, say))
    available = "available.preliminary" if report.carry_in_preliminary else "available"
    rows.append(money_row((say(available),), report.available, strong=True))
    rows.append(money_row((say("budgeted"),), report.total))
    left = "over_budgeted" if report.result < 0 else "not_budgeted"
    rows.append(money_row((say(left),), report.result, strong=True))
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


def _grouped(items, key) -> list:
    """Return items grouped by `key`, the groups in the order they first appear.

    As the coordinators' slides do, a project serving several goal areas forms its own group.
    """
    groups: dict = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return [item for members in groups.values() for item in members]


def _grants_caption(report: FundReport, call: CallPool, say: Say, *, named: bool) -> str:
    return (say("caption.grants.named", activity=call.activity) if named
            else say("caption.grants", year=report.year))


def _grants_table(report: FundReport, call: CallPool, say: Say, *, named: bool) -> Table:
    rows = [
        money_row((grant.goal_areas, grant.title,
                   _owner_text(grant.owner, grant.partners, say)), grant.amount)
        for grant in _grouped(call.grants, lambda g: g.goal_areas)
    ]
    rows.append(money_row(((), say("granted_total"), ""), call.granted, strong=True))
    if call.unallocated > 0:
        rows.append(money_row(((), say("unallocated"), ""), call.unallocated))
    return Table(
        key="grants",
        caption=_grants_caption(report, call, say, named=named),
        columns=(say("col.goal_area"), say("col.project"), say("col.owner"), say("col.amount")),
        rows=tuple(rows),
        widths=(4.2, 5.6, 4.2, 2.6),
        grouped=True,
    )


def _grants_followup_table(report: FundReport, call: CallPool, say: Say, *,
                           named: bool) -> Table:
    """The granted projects with what was granted, paid, used (as reported) and returned."""
    rows = [
        Row((grant.goal_areas, grant.title, _owner_text(grant.owner, grant.partners, say)),
            (grant.amount, grant.paid, grant.used, grant.returned))
        for grant in _grouped(call.grants, lambda g: g.goal_areas)
    ]
    rows.append(Row(((), say("granted_total"), ""),
                    (call.granted, call.paid, call.used, call.returned), strong=True))
    if call.unallocated > 0:
        rows.append(Row(((), say("unallocated"), ""), (call.unallocated, BLANK, BLANK, BLANK)))
    return Table(
        key="grants",
        caption=_grants_caption(report, call, say, named=named),
        columns=(say("col.goal_area"), say("col.project"), say("col.owner"),
                 say("col.granted"), say("col.paid"), say("col.used"), say("col.returned")),
        rows=tuple(rows),
        widths=(3.5, 3.4, 4.2, 2.4, 2.4, 2.4, 2.4),
        grouped=True,
        money=4,
        compact=True,
    )


def _paid_by_others_notes(call: CallPool, say: Say) -> list[str]:
    """Return a note for each grant of the call another fund paid part of."""
    return [
        say("grants.others.item", project=grant.title, source=share.source,
            amount=format_amount(share.amount, unit=True))
        for grant in call.grants for share in grant.paid_by_others
    ]


def _paid_for_others_table(report: FundReport, say: Say) -> Table:
    rows = [money_row((p.title, p.granted_from), p.amount) for p in report.paid_for_others]
    rows.append(money_row((say("paid_for_others.total"), ""), report.paid_for_others_total,
                          strong=True))
    return Table(
        key="paid_for_others",
        caption=say("caption.paid_for_others"),
        columns=(say("col.project"), say("col.granted_from"), say("col.amount")),
        rows=tuple(rows),
        widths=(8, 6, 3),
    )


def _result_value(result: ProjectResult, say: Say) -> str:
    """Return a result's value as read: "40 (varav kvinnor 25, män 15)", "Ja", "12,5 %"."""
    value = result.value
    if value is None:
        text = "–"
    elif result.kind == "yes_no":
        text = say("result.yes") if value else say("result.no")
    elif result.kind == "percent":
        text = f"{str(value).replace('.', ',')} %"
    else:
        text = format_amount(int(value) * 100)
    parts = [say(f"result.{key}", count=getattr(result, key))
             for key in ("women", "men", "girls", "boys") if getattr(result, key) is not None]
    if parts:
        text += " (" + say("result.of_which", parts=", ".join(parts)) + ")"
    return text


def _results_block(report: FundReport, say: Say) -> Table | Notes:
    """The results the projects reported, by the goal areas of their grants."""
    if not report.results:
        return Notes(say("caption.results"), (say("results.none"),))
    rows = []
    for result in _grouped(report.results, lambda r: r.goal_areas):
        project = result.project
        if result.report_kind != "final":
            project = say("results.interim", project=project)
        rating = say(f"rating.{result.rating}") if result.rating else "–"
        rows.append(Row((result.goal_areas, project, result.name,
                         _result_value(result, say), rating), ()))
    return Table(
        key="results",
        caption=say("caption.results"),
        columns=(say("col.goal_area"), say("col.project"), say("col.indicator"),
                 say("col.result"), say("col.rating")),
        rows=tuple(rows),
        widths=(3.4, 4, 4, 3.2, 2.8),
        grouped=True,
        money=0,
        compact=True,
    )


def _remainder_note(report: FundReport, say: Say) -> str | None:
    """Return what is left and where it goes, by the fund's rule: carried into the next year
    or paid back to the state; an estimate until the year is closed."""
    dest = report.destination
    if dest is None or dest.amount <= 0:
        return None
    state = "settled" if dest.settled else "open"
    return say(f"note.remainder.{dest.rule}.{state}", amount=format_amount(dest.amount, unit=True),
               year=report.year, next=report.year + 1)


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
        remainder = _remainder_note(report, say)
        if remainder:
            notes.append(remainder)
        if report.paid_for_others:
            notes.append(say("note.paid_for_others",
                             amount=amount(report.paid_for_others_total)))
    else:
        if report.result < 0:
            notes.append(say("note.over_budgeted", amount=amount(-report.result)))
        elif report.result > 0:
            notes.append(say("note.not_budgeted", amount=amount(report.result)))
    notes.extend(say("note.no_grants", activity=call.activity) for call in report.calls
                 if not call.grants)
    return notes
