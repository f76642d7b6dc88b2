"""What a report says, whatever its format: title, facts, tables of money and notes.

The PDF, CSV, Excel and HTML builders all lay out the same `Document` (app/year_reports/
layout.py), so the formats carry the same rows and figures.
"""

from __future__ import annotations

from app.core.money import format_amount
from app.year_reports.data import FundReport, ReportKind
from app.year_reports.labels import Say, labels
from app.year_reports.layout import (
    Document,
    Notes,
    Row,
    Table,
    drop_money_columns,
    money_row,
)
from app.year_reports.project_tables import (
    continues_notes,
    decided_elsewhere_notes,
    grants_followup_table,
    grants_table,
    paid_by_others_notes,
    paid_for_others_table,
    results_table,
)


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
            blocks.append(grants_followup_table(report, call, say, named=several_calls))
            shared = paid_by_others_notes(call, say)
            if shared:
                blocks.append(Notes(say("grants.others.heading"), tuple(shared)))
            earlier = continues_notes(call, say)
            if earlier:
                blocks.append(Notes(say("continues.heading"), tuple(earlier)))
        else:
            blocks.append(grants_table(report, call, say, named=several_calls))
        if call.decided_in is not None:
            blocks.append(Notes(say("grants.decided_in.heading"), (say(
                "grants.decided_in", fund=call.decided_in,
                this=f"{report.earmark_name} {report.year}"),)))
    if report.decided_elsewhere:
        blocks.append(Notes(say("decided_elsewhere.heading"),
                            decided_elsewhere_notes(report, say)))
    if followup:
        if report.paid_for_others:
            blocks.append(paid_for_others_table(report, say))
        if report.results:
            blocks.append(results_table(report, say))
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
        group = line.goal_area or ""
        if line.kind == "transfer":
            # Covering another fund's deficit is no part of the goal area (or call) above it.
            group = say("group.transfer")
            if line.covers:
                note = say("line.covers", target=line.covers)
        elif line.kind == "call":
            note = say("line.call", count=line.grants) if line.grants else say("line.call.none")
        amounts = (line.budget, line.figure) if followup else (line.figure,)
        rows.append(Row((group, line.activity), amounts, note=note))
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
    table = Table(
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
    if followup and report.budget_total is None:
        # A follow-up of a year without budgets: no column of dashes.
        table = drop_money_columns(table, {0}, say("remark.no_budget", year=report.year))
    return table



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
    rows.extend(_coverage_rows(report, say))
    if len(rows) > 1:
        # Money besides the received: the reader needs what was there to use, as a sum.
        available = "available.preliminary" if report.carry_in_preliminary else "available"
        rows.append(money_row((say(available),), report.available, strong=True))
    rows.append(money_row((say("used"),), report.total))
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
    projects = sum(len(call.grants) for call in report.calls) + len(report.paid_for_others)
    if report.kind is ReportKind.FOLLOWUP and projects and not report.results:
        # Where the results would be: one line, not a heading over nothing.
        notes.append(say("results.none", count=projects))
    return notes
