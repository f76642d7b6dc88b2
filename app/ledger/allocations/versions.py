"""The versions of an allocation's budget: deciding one records its decision and freezes a
copy of its lines; a revision (the October redistribution) opens the next version, which the
live lines then are until it is decided in turn. Audited; nothing here commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError, at_field
from app.core.identifiers import normalise_diary_number
from app.core.money import format_amount
from app.core.types import utcnow
from app.extensions import db
from app.ledger.allocations.models import BudgetVersion, BudgetVersionLine
from app.ledger.guards import ensure_open, lock_allocation
from app.ledger.models import Allocation, LedgerAction
from app.ledger.rules import BudgetChange, BudgetRow, BudgetStatus, budget_changes


@dataclass
class DecisionInput:
    """A budget decision as typed: the body, the day (or only the month), paragraph, diary
    number and text."""

    body: str
    date: dt.date | None = None
    month_only: bool = False
    paragraph: str | None = None
    diary_number: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class VersionView:
    """A version of a budget with what changed since the one before it."""

    version: BudgetVersion
    number: int
    status: BudgetStatus
    total: int
    changes: list[BudgetChange]


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _latest(allocation: Allocation) -> BudgetVersion | None:
    return allocation.versions[-1] if allocation.versions else None


def _live_rows(allocation: Allocation) -> list[BudgetRow]:
    return [BudgetRow(f"line-{line.id}", line.activity,
                      line.goal_area.name if line.goal_area else None, line.budget)
            for line in allocation.lines]


def _frozen_rows(version: BudgetVersion) -> list[BudgetRow]:
    return [BudgetRow(f"line-{row.line_id}" if row.line_id else f"frozen-{row.id}",
                      row.activity, row.goal_area, row.budget) for row in version.lines]


def _freeze(version: BudgetVersion, allocation: Allocation) -> None:
    """Copy each live line's budget and goal area into the version."""
    version.lines = [
        BudgetVersionLine(line_id=line.id, position=line.position, activity=line.activity,
                          goal_area=line.goal_area.name if line.goal_area else None,
                          kind=line.kind, budget=line.budget)
        for line in allocation.lines
    ]


def _snapshot(version: BudgetVersion) -> dict:
    return {
        "number": version.number, "status": version.status.value,
        "body": version.decision_body, "date": version.decision_date,
        "month_only": version.decision_month_only, "paragraph": version.decision_paragraph,
        "diary_number": version.decision_diary_number, "text": version.decision_text,
        "lines": [{"activity": r.activity, "goal_area": r.goal_area, "budget": r.budget}
                  for r in version.lines],
    }


def decide_budget(allocation_id: int, decision: DecisionInput, actor: Actor) -> BudgetVersion:
    """Record the decision on the allocation's preliminary budget and freeze that version; the
    allocation's decision becomes this one."""
    allocation = lock_allocation(allocation_id)
    ensure_open(allocation.year)
    if not _text(decision.body):
        raise DomainError(_("ange vem som fattade beslutet (t.ex. SVOM)"), field="body")
    if decision.date is None:
        raise DomainError(_("ange beslutets datum eller månad"), field="date")
    diary = _text(decision.diary_number)
    with at_field("diary_number"):
        diary = normalise_diary_number(diary) if diary else None
    if not allocation.preliminary:
        raise DomainError(_("budgeten är redan beslutad; påbörja en revidering för att besluta "
                            "en ny version"))
    latest = _latest(allocation)
    if latest is None or latest.decided:
        # The first decision, or a file made the budget preliminary again after a decision.
        latest = BudgetVersion(allocation_id=allocation.id,
                               number=latest.number + 1 if latest else 1,
                               created_by=actor.label)
        db.session.add(latest)
    latest.status = BudgetStatus.DECIDED
    latest.decision_body = _text(decision.body)
    latest.decision_date = decision.date
    latest.decision_month_only = decision.month_only
    latest.decision_paragraph = _text(decision.paragraph)
    latest.decision_diary_number = diary
    latest.decision_text = _text(decision.text)
    latest.decided_at = utcnow()
    latest.decided_by = actor.label
    _freeze(latest, allocation)
    before_status = allocation.budget_status
    allocation.budget_status = BudgetStatus.DECIDED
    allocation.decision_body = latest.decision_body
    allocation.decision_date = latest.decision_date
    allocation.decision_month_only = latest.decision_month_only
    allocation.decision_reference = latest.decision_paragraph
    allocation.decision_diary_number = latest.decision_diary_number
    allocation.decision_text = latest.decision_text
    db.session.flush()
    total = sum(r.budget or 0 for r in latest.lines)
    audit.record(actor, LedgerAction.BUDGET_DECIDE, "allocation", allocation.id,
                 year=allocation.year,
                 summary=f"Beslutade budget version {latest.number} för {allocation.label} "
                 f"({latest.decision_body} {latest.decision_date}): "
                 f"{format_amount(total, unit=True)}",
                 before={"budget_status": before_status.value if before_status else None},
                 after=_snapshot(latest))
    return latest


def start_revision(allocation_id: int, actor: Actor) -> BudgetVersion:
    """Open the next version of a decided budget; until it is decided, the live lines are it.
    A budget decided before versions were kept (imported) is frozen as version 1 first."""
    allocation = lock_allocation(allocation_id)
    ensure_open(allocation.year)
    if allocation.preliminary:
        raise DomainError(_("budgeten är preliminär; besluta den innan den revideras"))
    latest = _latest(allocation)
    if latest is None or not latest.decided:
        # Decided outside the app (an imported file's budget): freeze it as it stands first.
        if latest is None:
            latest = BudgetVersion(allocation_id=allocation.id, number=1,
                                   created_by=actor.label)
            db.session.add(latest)
        latest.status = BudgetStatus.DECIDED
        latest.decision_body = allocation.decision_body
        latest.decision_date = allocation.decision_date
        latest.decision_month_only = allocation.decision_month_only
        latest.decision_paragraph = allocation.decision_reference
        latest.decision_diary_number = allocation.decision_diary_number
        latest.decision_text = allocation.decision_text
        _freeze(latest, allocation)
    revision = BudgetVersion(allocation_id=allocation.id, number=latest.number + 1,
                             status=BudgetStatus.PRELIMINARY, created_by=actor.label)
    db.session.add(revision)
    allocation.budget_status = BudgetStatus.PRELIMINARY
    db.session.flush()
    audit.record(actor, LedgerAction.BUDGET_REVISE, "allocation", allocation.id,
                 year=allocation.year,
                 summary=f"Påbörjade revidering (version {revision.number}) av budgeten för "
                 f"{allocation.label}",
                 before={"version": latest.number, "budget_status": "decided"},
                 after={"version": revision.number, "budget_status": "preliminary"})
    return revision


def version_history(allocation: Allocation) -> list[VersionView]:
    """Return the allocation's budget versions, oldest first, each with what changed line by
    line since the one before; an undecided revision is compared as the live lines (those of
    `allocation` as loaded). One query, two when there are versions."""
    found = list(db.session.scalars(
        select(BudgetVersion).where(BudgetVersion.allocation_id == allocation.id)
        .options(selectinload(BudgetVersion.lines)).order_by(BudgetVersion.number)
    ))
    views: list[VersionView] = []
    previous: list[BudgetRow] | None = None
    for version in found:
        rows = _frozen_rows(version) if version.decided else _live_rows(allocation)
        views.append(VersionView(
            version, version.number, version.status, sum(r.budget or 0 for r in rows),
            budget_changes(previous, rows) if previous is not None else [],
        ))
        previous = rows
    return views
