"""The reports' own rules, in plain Python: what is known, where a project stands, and how a
number is written."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation


def known_sum(values: Iterable[int | None]) -> int | None:
    """Return the sum of the known values, None when none is known (unknown is not 0)."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


class ProjectState(enum.StrEnum):
    """Where a granted project stands, as a year's document tells it."""

    CLOSED = "closed"  # the coordinators approved its final report and closed it
    REPORTED = "reported"  # its final report is approved (or handed in, awaiting review)
    SUBMITTED = "submitted"  # its final report is handed in and awaits review
    RUNNING = "running"  # "pågår Y+1": its second year has not begun yet
    FOLLOWED_UP = "followed_up"  # "följs upp i slutet av Y+1": in its second year
    OVERDUE = "overdue"  # its second year is over and no final report is in


@dataclass(frozen=True)
class ProjectStatus:
    """A project's state and the year it refers to (its second year)."""

    state: ProjectState
    year: int


def project_status(grant_year: int, *, closed: bool, final_approved: bool,
                   final_submitted: bool, today: date) -> ProjectStatus:
    """Return where a project granted in `grant_year` stands on `today`.

    Projects run over two years and are followed up at the end of the second (the SVOM year
    plan): before it begins a project "pågår Y+1", during it the project "följs upp i slutet
    av Y+1", and after it the missing final report is the news.
    """
    second = grant_year + 1
    if closed:
        return ProjectStatus(ProjectState.CLOSED, second)
    if final_approved:
        return ProjectStatus(ProjectState.REPORTED, second)
    if final_submitted:
        return ProjectStatus(ProjectState.SUBMITTED, second)
    if today.year < second:
        return ProjectStatus(ProjectState.RUNNING, second)
    if today.year == second:
        return ProjectStatus(ProjectState.FOLLOWED_UP, second)
    return ProjectStatus(ProjectState.OVERDUE, second)


def decimal_text(value: object) -> str:
    """Return a number as a Swedish reader writes it: "40", "12,5", never "4E+1".

    Percentages and counts come from JSON and forms as text, int, float or Decimal; a Decimal
    normalised or parsed from "4e1" prints in exponent form unless it is fixed here.
    """
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−") or "0"


def percent_text(value: object) -> str:
    """Return a percentage as printed: "40 %", "12,5 %"."""
    return f"{decimal_text(value)} %"
