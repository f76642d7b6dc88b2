"""The year's document for SVOM (seed 003 as one file): "Uppföljning Y års länsmedel psykisk
hälsa", a section per county-level fund with its follow-up, then "Information om (prel.)
budget Y+1" with each fund's budget, where the next year exists.

Each section is the fund's own report `Document`, so the year's document has the same tables,
numbers and words as the single reports; the formats lay it out with a cover and a table of
contents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.core.errors import DomainError
from app.ledger.queries import allocations_of_year, load_ledger
from app.year_reports.data import FundReport
from app.year_reports.document import build_document
from app.year_reports.labels import LANGUAGES, labels
from app.year_reports.layout import Document
from app.year_reports.queries import year_reports
from app.year_reports.scope import budget_is_preliminary, county_level


@dataclass(frozen=True)
class Section:
    """One fund's report within the year's document."""

    anchor: str  # an id for links and the table of contents, e.g. "uppfoljning-samverkan"
    document: Document
    report: FundReport


@dataclass(frozen=True)
class Part:
    """The follow-up of the year, or the budget of the next: a heading and a section per fund."""

    anchor: str
    heading: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class YearDocument:
    """The whole year's document, ready for any format."""

    lang: str
    year: int
    region: str
    title: str
    window: str  # "förbrukas 2020–2021"
    printed: str
    facts: tuple[tuple[str, str], ...]  # where the activities were anchored
    funds: tuple[str, ...]
    parts: tuple[Part, ...]
    notes: tuple[str, ...]  # e.g. that the next year has no budget yet

    @property
    def sections(self) -> list[Section]:
        return [section for part in self.parts for section in part.sections]


def load_year_document(year: int, lang: str = "sv", *, today: date | None = None,
                       every_recipient: bool = False) -> YearDocument:
    """Read the year's county-level follow-ups and the next year's budgets into a document;
    with `every_recipient`, every recipient's funds (the workbook totals each apart).

    Raise DomainError (in Swedish) for an unknown language or a year without allocations.
    """
    if lang not in LANGUAGES:
        raise DomainError(_("okänt språk %(lang)r; välj sv eller en", lang=lang))
    scope = list if every_recipient else county_level
    allocations = scope(allocations_of_year(year))
    if not allocations:
        raise DomainError(_("det finns inga tilldelningar för %(year)s", year=year))
    ledger = load_ledger()  # once, for both years' reports
    followups = year_reports("followup", year, today=today, allocations=allocations,
                             ledger=ledger)
    following = scope(allocations_of_year(year + 1))
    budgets = (year_reports("budget", year + 1, today=today, allocations=following,
                            ledger=ledger) if following else [])
    preliminary = any(budget_is_preliminary(a) for a in following)
    return build_year_document(followups, budgets, lang, preliminary=preliminary)


def build_year_document(followups: list[FundReport], budgets: list[FundReport], lang: str,
                        *, preliminary: bool = False) -> YearDocument:
    """Lay out the year's follow-ups and the next year's budgets as one document."""
    say = labels(lang)
    first = followups[0]
    year = first.year
    parts = [_part("uppfoljning", say("year.part.followup", year=year), followups, lang)]
    notes: list[str] = []
    if budgets:
        heading = "year.part.budget" if preliminary else "year.part.budget.decided"
        parts.append(_part("budget", say(heading, year=year + 1), budgets, lang))
    else:
        notes.append(say("year.no_next", next=year + 1))
    anchored = _distinct(r.anchored for r in followups)
    return YearDocument(
        lang=lang,
        year=year,
        region=next((r.region for r in followups if r.region), "") or "",
        title=say("year.title", year=year),
        window=_window(followups, say),
        printed=say("printed", date=first.printed.isoformat()),
        facts=((say("anchored"), anchored),) if anchored else (),
        funds=tuple(r.earmark_name for r in followups),
        parts=tuple(parts),
        notes=tuple(notes),
    )


def _part(stem: str, heading: str, reports: list[FundReport], lang: str) -> Part:
    say = labels(lang)
    anchored = _distinct(r.anchored for r in reports)
    start, end = _span(reports)
    facts = [(say("spend"), f"{start}–{end}")]
    if anchored:
        facts.append((say("anchored"), anchored))
    return Part(
        anchor=stem,
        heading=heading,
        facts=tuple(facts),
        sections=tuple(Section(f"{stem}-{r.earmark_code}", build_document(r, lang), r)
                       for r in reports),
    )


def _span(reports: list[FundReport]) -> tuple[int, int]:
    """Return the year and the latest year the money may be spent."""
    return min(r.year for r in reports), max(r.spend_until.year for r in reports)


def _window(reports: list[FundReport], say) -> str:
    """Return "förbrukas 2020–2021"."""
    start, end = _span(reports)
    return say("year.window", start=start, end=end)


def _distinct(values) -> str:
    """Return the distinct non-empty values joined by "; ", in their order."""
    return "; ".join(dict.fromkeys(v for v in values if v))
