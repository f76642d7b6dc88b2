"""The whole year as one Excel workbook: an overview sheet, then each fund's follow-up on a
sheet of its own (the same rows as that fund's follow-up workbook)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from openpyxl import Workbook

from app.year_reports.data import FundReport
from app.year_reports.document import build_document
from app.year_reports.formats.sheet_rows import Money, RowKind, SheetCell, sheet_rows
from app.year_reports.formats.workbook import fill_sheet, sheet_title, workbook_bytes
from app.year_reports.labels import Say, labels


def build_year_workbook(reports: list[FundReport], lang: str, *,
                        budgets: list[FundReport] = ()) -> bytes:
    """Return the follow-ups of a year's funds as the bytes of one .xlsx file.

    The first sheet is an overview (fund, received, carried in, budgeted, outcome, what
    remains and where it goes); then one sheet per fund, named after it. With the next year's
    `budgets`, a sheet of their overview (available, budgeted, not budgeted) follows, and a
    sheet per fund's budget.
    """
    say = labels(lang)
    book = Workbook()
    overview = book.active
    overview.title = sheet_title(say("sheet.overview"))
    fill_sheet(overview, overview_rows(reports, say))
    taken = {overview.title.lower()}
    for report in reports:
        sheet = book.create_sheet(_free_title(report.earmark_name, taken))
        fill_sheet(sheet, sheet_rows(build_document(report, lang)))
    if budgets:
        year = budgets[0].year
        sheet = book.create_sheet(_free_title(say("year.sheet.budget", year=year), taken))
        fill_sheet(sheet, budget_overview_rows(budgets, say))
        for report in budgets:
            sheet = book.create_sheet(_free_title(f"{report.earmark_name} {year}", taken))
            fill_sheet(sheet, sheet_rows(build_document(report, lang)))
    return workbook_bytes(book)


def budget_overview_rows(reports: list[FundReport],
                         say: Say) -> Iterator[tuple[RowKind, list[SheetCell]]]:
    """Yield the next year's budget overview: per fund what is available, budgeted and not
    yet budgeted, then the totals of each recipient of the money."""
    yield RowKind.TITLE, [say("year.budget_overview", year=reports[0].year)]
    yield RowKind.BLANK, []
    yield RowKind.HEADER, [say("col.fund"), say("col.received"), say("col.carried_in"),
                           say("col.available"), say("col.budgeted"), say("col.not_budgeted")]
    yield from _per_recipient(reports, say, _budget_rows, _budget_total_row)


def _budget_rows(reports: list[FundReport]) -> Iterator[tuple[RowKind, list[SheetCell]]]:
    for report in reports:
        yield RowKind.ROW, [
            report.earmark_name,
            Money(report.balance.received),
            Money(report.balance.carried_in + report.balance.returned_in),
            Money(report.available),
            Money(report.total),
            Money(report.result),
        ]


def _budget_total_row(reports: list[FundReport],
                      label: str) -> tuple[RowKind, list[SheetCell]]:
    return RowKind.TOTAL, [
        label,
        Money(sum(r.balance.received for r in reports)),
        Money(sum(r.balance.carried_in + r.balance.returned_in for r in reports)),
        Money(sum(r.available for r in reports)),
        Money(sum(r.total for r in reports)),
        Money(sum(r.result for r in reports)),
    ]


def overview_rows(reports: list[FundReport],
                  say: Say) -> Iterator[tuple[RowKind, list[SheetCell]]]:
    """Yield the overview sheet's rows: one per fund, then the totals."""
    year = reports[0].year
    yield RowKind.TITLE, [say("overview.title", year=year)]
    region = next((r.region for r in reports if r.region), None)
    if region:
        yield RowKind.FACT, [region]
    yield RowKind.FACT, [say("printed", date=reports[0].printed.isoformat())]
    state = "overview.state.closed" if reports[0].year_closed else "overview.state.open"
    yield RowKind.NOTE, [say("overview.note", state=say(state))]
    budgets = [r.budget_total for r in reports if r.budget_total is not None]
    if not budgets:
        # A year of outcomes only: no column of dashes.
        yield RowKind.NOTE, [say("remark.no_budget", year=year)]
    yield RowKind.BLANK, []
    budget_heading = [say("col.budgeted")] if budgets else []
    yield RowKind.HEADER, [say("col.fund"), say("col.received"), say("col.carried_in"),
                           *budget_heading, say("col.outcome"), say("col.remainder"),
                           say("col.rule")]
    with_budget = bool(budgets)
    yield from _per_recipient(
        reports, say, lambda group: _fund_rows(group, say, with_budget=with_budget),
        lambda group, label: _total_row(group, label, with_budget=with_budget))


def _per_recipient(reports: list[FundReport], say: Say,
                   rows: Callable[[list[FundReport]], Iterable[tuple[RowKind, list[SheetCell]]]],
                   total: Callable[[list[FundReport], str], tuple[RowKind, list[SheetCell]]]
                   ) -> Iterator[tuple[RowKind, list[SheetCell]]]:
    """Yield the funds' rows and a total for each recipient of the money: the amounts of
    different recipients are never added together. Each recipient is named above its funds
    when there are several."""
    groups: dict[str, list[FundReport]] = {}
    for report in reports:
        groups.setdefault(report.recipient, []).append(report)
    for recipient, group in groups.items():
        if len(groups) > 1:
            yield RowKind.FACT, [_recipient_text(recipient, say)]
        yield from rows(group)
        yield total(group, say("total") if len(groups) == 1
                    else say("total.recipient", recipient=_recipient_text(recipient, say)))


def _recipient_text(recipient: str, say: Say) -> str:
    if recipient in ("county", "region", "municipalities"):
        return say(f"recipient.{recipient}")
    return recipient


def _fund_rows(reports: list[FundReport], say: Say, *,
               with_budget: bool) -> Iterator[tuple[RowKind, list[SheetCell]]]:
    for report in reports:
        budget = [Money(report.budget_total)] if with_budget else []
        yield RowKind.ROW, [
            report.earmark_name,
            Money(report.balance.received),
            # Carried over, and returned by projects of closed earlier years.
            Money(report.balance.carried_in + report.balance.returned_in),
            *budget,
            Money(report.total),
            Money(report.result),
            _rule_text(report, say),
        ]


def _total_row(reports: list[FundReport], label: str, *,
               with_budget: bool) -> tuple[RowKind, list[SheetCell]]:
    budgets = [r.budget_total for r in reports if r.budget_total is not None]
    return RowKind.TOTAL, [
        label,
        Money(sum(r.balance.received for r in reports)),
        Money(sum(r.balance.carried_in + r.balance.returned_in for r in reports)),
        *([Money(sum(budgets) if budgets else None)] if with_budget else []),
        Money(sum(r.total for r in reports)),
        Money(sum(r.result for r in reports)),
        "",
    ]


def _rule_text(report: FundReport, say: Say) -> str:
    """Return where the fund's remainder goes, marked preliminary until the year is closed."""
    dest = report.destination
    if dest is None:
        return say("rule.deficit")
    text = say(f"rule.{dest.rule}", next=report.year + 1)
    return text if dest.settled else say("rule.open", rule=text)


def _free_title(name: str, taken: set[str]) -> str:
    """Return a sheet title for `name` no other sheet has (Excel ignores case)."""
    title = sheet_title(name)
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = title[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate
