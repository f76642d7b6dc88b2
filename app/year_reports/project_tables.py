"""The tables of a report about the projects: those granted from a call (with their money
and where each stands), those another fund granted and this one paid, and their results."""

from __future__ import annotations

from app.core.money import format_amount
from app.year_reports.data import CallPool, FundReport, ProjectResult
from app.year_reports.labels import Say
from app.year_reports.layout import (
    BLANK,
    Row,
    Table,
    drop_money_columns,
    joined,
    money_row,
    unknown_money_columns,
)
from app.year_reports.rules import decimal_text, percent_text


def owner_text(owner: str, partners: tuple[str, ...], say: Say) -> str:
    if not partners:
        return owner
    return say("owner.with", owner=owner, partners=joined(list(partners), say))


def _grants_caption(report: FundReport, call: CallPool, say: Say, *, named: bool) -> str:
    return (say("caption.grants.named", activity=call.activity) if named
            else say("caption.grants", year=report.year))


def grants_table(report: FundReport, call: CallPool, say: Say, *, named: bool) -> Table:
    rows = [
        money_row((grant.goal_areas, grant.title,
                   owner_text(grant.owner, grant.partners, say)), grant.amount)
        for grant in call.grants
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


def grants_followup_table(report: FundReport, call: CallPool, say: Say, *,
                           named: bool) -> Table:
    """The granted projects with what was granted, paid, used (as reported) and returned."""
    rows = [
        Row((grant.goal_areas, grant.title, owner_text(grant.owner, grant.partners, say)),
            (grant.amount, grant.paid, grant.used, grant.returned),
            note=_status_text(grant.status, say))
        for grant in call.grants
    ]
    rows.append(Row(((), say("granted_total"), ""),
                    (call.granted, call.paid, call.used, call.returned), strong=True))
    if call.unallocated > 0:
        rows.append(Row(((), say("unallocated"), ""), (call.unallocated, BLANK, BLANK, BLANK)))
    table = Table(
        key="grants",
        caption=_grants_caption(report, call, say, named=named),
        columns=(say("col.goal_area"), say("col.project"), say("col.owner"),
                 say("col.granted"), say("col.paid"), say("col.used"), say("col.returned")),
        rows=tuple(rows),
        widths=(3.5, 3.4, 4.2, 2.4, 2.4, 2.4, 2.4),
        grouped=True,
        note_column=1,
        note_heading=say("col.status"),
        money=4,
        compact=True,
    )
    unknown = unknown_money_columns(table)
    if not unknown:
        return table
    names = [table.columns[table.text_columns + i].split(" (")[0] for i in sorted(unknown)]
    return drop_money_columns(table, unknown, say(
        "remark.nothing_registered", columns=joined(names, say)))


def _status_text(status, say: Say) -> str | None:
    """Return where a project stands, e.g. "Pågår 2021", "Avslutat"."""
    if status is None:
        return None
    return say(f"project.{status.state.value}", year=status.year)


def paid_by_others_notes(call: CallPool, say: Say) -> list[str]:
    """Return a note for each grant of the call another fund paid part of."""
    return [
        say("grants.others.item", project=grant.title, source=share.source,
            amount=format_amount(share.amount, unit=True))
        for grant in call.grants for share in grant.paid_by_others
    ]


def continues_notes(call: CallPool, say: Say) -> list[str]:
    """Return a note for each grant of the call that continues an earlier year's grant: that
    grant and what it used ("–" while no report says)."""
    notes = []
    for grant in call.grants:
        earlier = grant.continues
        if earlier is None:
            continue
        used = format_amount(earlier.used, unit=True) if earlier.used is not None else "–"
        notes.append(say("continues.item", project=grant.title, earlier=earlier.title,
                         source=earlier.granted_from,
                         amount=format_amount(earlier.amount, unit=True), used=used))
    return notes


def decided_elsewhere_notes(report: FundReport, say: Say) -> tuple[str, ...]:
    """The projects this fund's call decided that other funds pay, and why they are not in
    its totals."""
    items = [
        say("decided_elsewhere.item", source=row.paid_from, project=row.title,
            owner=owner_text(row.owner, row.partners, say),
            amount=format_amount(row.amount, unit=True))
        for row in report.decided_elsewhere
    ]
    return (*items, say("decided_elsewhere.counted"))


def paid_for_others_table(report: FundReport, say: Say) -> Table:
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


def result_value(result: ProjectResult, say: Say) -> str:
    """Return a result's value as read: "40 (varav kvinnor 25, män 15)", "Ja", "12,5 %"."""
    value = result.value
    if value is None:
        text = "–"
    elif result.kind == "yes_no":
        text = say("result.yes") if value else say("result.no")
    elif result.kind == "percent":
        text = percent_text(value)
    else:
        text = _count_text(value)
    parts = [say(f"result.{key}", count=getattr(result, key))
             for key in ("women", "men", "girls", "boys") if getattr(result, key) is not None]
    if parts:
        text += " (" + say("result.of_which", parts=", ".join(parts)) + ")"
    return text


def _count_text(value: object) -> str:
    """Return a count with Swedish grouping ("1 200"), or as a decimal number if it is one."""
    text = decimal_text(value)
    if text.lstrip("−").isdigit():
        return format_amount(int(text.replace("−", "-")) * 100)
    return text


def results_table(report: FundReport, say: Say) -> Table:
    """The results the projects reported, by the goal areas of their grants."""
    rows = []
    for result in report.results:
        project = result.project
        if result.report_kind != "final":
            project = say("results.interim", project=project)
        rating = say(f"rating.{result.rating}") if result.rating else "–"
        rows.append(Row((result.goal_areas, project, result.name,
                         result_value(result, say), rating), ()))
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
