"""Editing an allocation's lines, and the projects granted from its call lines. Every change is
audited; nothing here commits. A change locks the allocation first, so two coordinators
changing the same pool queue up instead of overdrawing it."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError, at_field
from app.core.money import format_amount
from app.extensions import db
from app.ledger.goal_areas.lists import chosen_areas
from app.ledger.guards import (
    ensure_budget_editable,
    ensure_cover_open,
    ensure_open,
    lock_allocation,
    projects_with_follow_up,
    refuse_losing_follow_up,
)
from app.ledger.models import Allocation, Grant, LedgerAction, Line, LineKind
from app.ledger.payments import book_imported
from app.ledger.project_money import grant_money
from app.ledger.rules import call_pool, check_grants_within_pool


@dataclass
class LineInput:
    """A line as typed on its form: what add_line and update_line are given."""

    activity: str
    kind: LineKind = LineKind.ACTIVITY
    goal_area: str | None = None
    budget: int | None = None
    spent: int | None = None
    covers_allocation_id: int | None = None
    owner: str | None = None
    partners: list[str] = field(default_factory=list)


@dataclass
class GrantInput:
    """A grant as typed on its form (or decided in the call): what add_grant and update_grant
    are given. `paid` and `returned` count only for a new grant: history from outside the app."""

    title: str
    owner: str
    amount: int
    goal_areas: list[str]
    partners: list[str] = field(default_factory=list)
    paid: int | None = None
    returned: int | None = None
    status: str | None = None
    # Areas the grant may keep though they have left the year's list since they were chosen
    # (a decision on an application made to them).
    kept_goal_areas: list[str] = field(default_factory=list)


def line_snapshot(line: Line) -> dict:
    """Describe a line as the audit log keeps it before and after a change."""
    return {
        "activity": line.activity,
        "kind": line.kind.value,
        "goal_area": line.goal_area.name if line.goal_area else None,
        "budget": line.budget,
        "spent": line.spent,
        "covers": line.covers.label if line.covers else None,
        "owner": line.owner,
        "partners": list(line.partners or []),
    }


def _validate_line(allocation: Allocation, data: LineInput, line: Line | None) -> None:
    if not data.activity.strip():
        raise DomainError(_("ange aktiviteten"))
    if data.budget is None and data.spent is None:
        raise DomainError(_("ange budget, utfall eller båda"))
    for value in (data.budget, data.spent):
        if value is not None and value < 0:
            raise DomainError(_("beloppet får inte vara negativt"))
    if data.kind is LineKind.TRANSFER:
        if data.covers_allocation_id is None:
            raise DomainError(_("en överföring måste ange vilken fond vars underskott den täcker"))
        if data.covers_allocation_id == allocation.id:
            raise DomainError(_("en överföring kan inte täcka sin egen fond"))
        if db.session.get(Allocation, data.covers_allocation_id) is None:
            raise DomainError(_("fonden som överföringen ska täcka finns inte"))
    if line is not None and line.grants:
        if data.kind is not LineKind.CALL:
            raise DomainError(_("raden har beviljade projekt och måste förbli en utlysning"))
        reason = check_grants_within_pool(
            call_pool(data.budget, data.spent), sum(g.amount for g in line.grants)
        )
        if reason:
            raise DomainError(reason)


def _apply_line(line: Line, allocation: Allocation, data: LineInput) -> None:
    line.activity = data.activity.strip()
    line.kind = data.kind
    kept = [line.goal_area.name] if line.goal_area is not None else []
    with at_field("goal_area"):
        areas = chosen_areas(allocation.year, [data.goal_area or ""], kept=kept)
    line.goal_area = areas[0] if areas else None
    line.budget = data.budget
    line.spent = data.spent
    line.covers_allocation_id = (
        data.covers_allocation_id if data.kind is LineKind.TRANSFER else None
    )
    line.owner = (data.owner or "").strip() or None
    line.partners = [p.strip() for p in data.partners if p.strip()]


def add_line(allocation_id: int, data: LineInput, actor: Actor) -> Line:
    """Add a line to an allocation of an open year."""
    allocation = lock_allocation(allocation_id)
    ensure_open(allocation.year)
    _validate_line(allocation, data, None)
    if data.budget is not None:
        ensure_budget_editable(allocation.id)
    if data.kind is LineKind.TRANSFER:
        ensure_cover_open(data.covers_allocation_id, allocation.year)
    position = max((line.position for line in allocation.lines), default=-1) + 1
    line = Line(allocation_id=allocation.id, position=position, partners=[])
    db.session.add(line)
    _apply_line(line, allocation, data)
    db.session.flush()
    audit.record(actor, LedgerAction.LINE_CREATE, "line", line.id, year=allocation.year,
                 summary=f"Ny rad i {allocation.label}: {line.activity[:200]}",
                 after=line_snapshot(line))
    return line


def update_line(line_id: int, data: LineInput, actor: Actor) -> Line:
    """Change a line; a call line may never fall below the sum of its grants."""
    line = db.session.get(Line, line_id)
    if line is None:
        raise DomainError(_("raden finns inte"))
    allocation = lock_allocation(line.allocation_id)
    ensure_open(allocation.year)
    db.session.refresh(line)
    _validate_line(allocation, data, line)
    area = (data.goal_area or "").strip() or None
    if data.budget != line.budget or area != (line.goal_area.name if line.goal_area else None):
        ensure_budget_editable(allocation.id)
    ensure_cover_open(line.covers_allocation_id, allocation.year)
    if data.kind is LineKind.TRANSFER:
        ensure_cover_open(data.covers_allocation_id, allocation.year)
    before = line_snapshot(line)
    _apply_line(line, allocation, data)
    db.session.flush()
    audit.record(actor, LedgerAction.LINE_UPDATE, "line", line.id, year=allocation.year,
                 summary=f"Ändrade rad i {allocation.label}: {line.activity[:200]}",
                 before=before, after=line_snapshot(line))
    return line


def delete_line(line_id: int, actor: Actor) -> None:
    """Remove a line and its grants from an allocation of an open year."""
    line = db.session.get(Line, line_id)
    if line is None:
        raise DomainError(_("raden finns inte"))
    allocation = lock_allocation(line.allocation_id)
    ensure_open(allocation.year)
    if line.budget is not None:
        ensure_budget_editable(allocation.id)
    ensure_cover_open(line.covers_allocation_id, allocation.year)
    refuse_losing_follow_up(projects_with_follow_up(allocation.id, line_id=line.id))
    before = line_snapshot(line)
    before["grants"] = [grant_snapshot(g) for g in line.grants]
    db.session.delete(line)
    db.session.flush()
    audit.record(actor, LedgerAction.LINE_DELETE, "line", line_id, year=allocation.year,
                 summary=f"Tog bort rad i {allocation.label}: {before['activity'][:200]}",
                 before=before)


def grant_snapshot(grant: Grant) -> dict:
    """Describe a grant as the audit log keeps it before and after a change."""
    return {
        "title": grant.title,
        "owner": grant.owner,
        "partners": list(grant.partners or []),
        "goal_areas": [g.name for g in grant.goal_areas],
        "amount": grant.amount,
        "paid": grant.paid,
        "returned": grant.returned,
        "status": grant.status,
    }


def _validate_grant(line: Line, data: GrantInput, grant: Grant | None) -> None:
    if line.kind is not LineKind.CALL:
        raise DomainError(_("projekt kan bara beviljas från en utlysningsrad"))
    if not data.title.strip() or not data.owner.strip():
        raise DomainError(_("ange projektets namn och projektägare"))
    if not [g for g in data.goal_areas if g.strip()]:
        raise DomainError(_("ange minst ett målområde"))
    if data.amount <= 0:
        raise DomainError(_("det beviljade beloppet måste vara större än noll"))
    if data.paid is not None and data.paid > data.amount:
        raise DomainError(_("utbetalt kan inte vara mer än beviljat"))
    if data.returned is not None and data.returned > (data.paid or 0):
        raise DomainError(_("återbetalt kan inte vara mer än utbetalt"))
    if grant is not None:
        money = grant_money(grant)
        if money.closed and data.amount != grant.amount:
            raise DomainError(_("projektet är avslutat; det beviljade beloppet kan inte ändras"))
        if data.amount < money.paid:
            raise DomainError(
                _("beviljat kan inte bli lägre än det som redan är utbetalt (%(paid)s)",
                  paid=format_amount(money.paid, unit=True))
            )
    others = sum(g.amount for g in line.grants if grant is None or g.id != grant.id)
    reason = check_grants_within_pool(line.amount, others + data.amount)
    if reason:
        left = (line.amount or 0) - others
        raise DomainError(_("%(reason)s; kvar att bevilja är %(left)s",
                            reason=reason, left=format_amount(left, unit=True)))


def _apply_grant(grant: Grant, year: int, data: GrantInput) -> None:
    kept = [a.name for a in grant.goal_areas] + list(data.kept_goal_areas)
    with at_field("goal_areas"):
        areas = chosen_areas(year, data.goal_areas, kept=kept)
    grant.title = data.title.strip()
    grant.owner = data.owner.strip()
    grant.partners = [p.strip() for p in data.partners if p.strip()]
    grant.goal_areas = areas
    grant.amount = data.amount
    grant.status = (data.status or "").strip() or None


def add_grant(line_id: int, data: GrantInput, actor: Actor) -> Grant:
    """Grant a project from a call line; the pool is locked so two grants cannot overdraw it."""
    line = db.session.get(Line, line_id)
    if line is None:
        raise DomainError(_("utlysningsraden finns inte"))
    allocation = lock_allocation(line.allocation_id)
    ensure_open(allocation.year)
    db.session.refresh(line)
    db.session.expire(line, ["grants"])
    _validate_grant(line, data, None)
    grant = Grant(line_id=line.id, position=len(line.grants), partners=[])
    # Fill the grant before it joins the session: looking up its goal areas autoflushes, and a
    # grant without its amount would be inserted (NOT NULL) halfway.
    _apply_grant(grant, allocation.year, data)
    # Paid and returned given with a new grant are history from outside the app: booked as
    # attested payments like an import's, so they have one source from then on.
    grant.paid, grant.returned = data.paid, data.returned
    db.session.add(grant)
    db.session.flush()
    book_imported(grant, data.paid, data.returned, actor, allocation.year)
    db.session.flush()
    audit.record(actor, LedgerAction.GRANT_CREATE, "grant", grant.id, year=allocation.year,
                 summary=f"Beviljade {format_amount(grant.amount, unit=True)} till {grant.title[:200]}",
                 after=grant_snapshot(grant))
    return grant


def update_grant(grant_id: int, data: GrantInput, actor: Actor) -> Grant:
    """Change a granted project; never below what it has been paid, nor once it is closed."""
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError(_("projektet finns inte"))
    allocation = lock_allocation(grant.line.allocation_id)
    ensure_open(allocation.year)
    # The line (its pool) and its grants were read before the lock: read them again.
    db.session.refresh(grant.line)
    _validate_grant(grant.line, data, grant)
    before = grant_snapshot(grant)
    _apply_grant(grant, allocation.year, data)
    db.session.flush()
    audit.record(actor, LedgerAction.GRANT_UPDATE, "grant", grant.id, year=allocation.year,
                 summary=f"Ändrade projektet {grant.title[:200]}",
                 before=before, after=grant_snapshot(grant))
    return grant


def delete_grant(grant_id: int, actor: Actor) -> None:
    """Remove a granted project that has neither payments nor reports."""
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError(_("projektet finns inte"))
    allocation = lock_allocation(grant.line.allocation_id)
    ensure_open(allocation.year)
    refuse_losing_follow_up(projects_with_follow_up(allocation.id, grant_id=grant.id))
    before = grant_snapshot(grant)
    db.session.delete(grant)
    db.session.flush()
    audit.record(actor, LedgerAction.GRANT_DELETE, "grant", grant_id, year=allocation.year,
                 summary=f"Tog bort projektet {before['title'][:200]}", before=before)
