"""What a change to the ledger's money checks first: its allocation locked, its year open, and
no history of the projects' follow-up lost. Shared by the operations on lines, grants, payments,
imports and project reports, so none of them needs another's module for it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import DomainError
from app.extensions import db
from app.ledger.allocations.models import BudgetVersion
from app.ledger.models import Allocation, Grant, Line, Payment
from app.ledger.queries import is_year_closed


def lock_allocation(allocation_id: int) -> Allocation:
    """Load an allocation with a row lock, so concurrent changes to its money queue up."""
    allocation = db.session.scalar(
        select(Allocation).where(Allocation.id == allocation_id).with_for_update(of=Allocation)
        .execution_options(populate_existing=True)
    )
    if allocation is None:
        raise DomainError(_("tilldelningen finns inte"))
    return allocation


def ensure_open(year: int) -> None:
    """Refuse a change to the money of a closed year."""
    if is_year_closed(year):
        raise DomainError(_("året %(year)s är stängt; en administratör måste öppna det innan något "
                            "ändras", year=year))


def ensure_budget_editable(allocation_id: int) -> None:
    """Refuse a change to the budget of an allocation decided in the app (its version is
    frozen): a change to it is a revision, with a decision of its own. A budget decided only
    in an imported file has no version and stays editable."""
    allocation = db.session.get(Allocation, allocation_id)
    latest = db.session.scalar(
        select(BudgetVersion).where(BudgetVersion.allocation_id == allocation_id)
        .order_by(BudgetVersion.number.desc()).limit(1)
    )
    if latest is not None and latest.decided and not allocation.preliminary:
        raise DomainError(
            _("budgeten är beslutad (version %(number)s); påbörja en revidering för att ändra "
              "budget eller målområde", number=latest.number)
        )


def closed_cover_message(earmark: str, year: int) -> str:
    """Say why a transfer covering an allocation of a closed year cannot change."""
    return _("en överföring som täcker %(earmark)s %(year)s kan inte läggas till, ändras eller "
             "tas bort medan %(year)s är stängt (årets resultat är redan fört vidare); öppna "
             "%(year)s igen först", earmark=earmark, year=year)


def ensure_cover_open(covered_allocation_id: int | None, year: int) -> None:
    """Refuse a change to a transfer (booked in `year`) covering an allocation of a closed year.

    A covered allocation of another year is locked, as close_year locks its year's allocations,
    so that a transfer and the closing of the year it covers cannot interleave (within `year`,
    the lock and check of the transfer's own allocation already do).
    """
    if covered_allocation_id is None:
        return
    covered = db.session.get(Allocation, covered_allocation_id)
    if covered is None or covered.year == year:
        return
    covered = lock_allocation(covered_allocation_id)
    if is_year_closed(covered.year):
        raise DomainError(closed_cover_message(covered.earmark.code, covered.year))


def projects_with_follow_up(allocation_id: int, line_id: int | None = None,
                            grant_id: int | None = None) -> list[str]:
    """Titles of grants (of an allocation, a line or one grant) that have payments registered
    in the app or project reports: history that deleting them would lose."""
    query = (
        select(Grant.title).join(Grant.line).where(Line.allocation_id == allocation_id)
        .where(
            select(Payment.id).where(Payment.grant_id == Grant.id, Payment.imported.is_(False))
            .exists()
            | Grant.reports.any()
        )
        .order_by(Grant.id)
    )
    if line_id is not None:
        query = query.where(Grant.line_id == line_id)
    if grant_id is not None:
        query = query.where(Grant.id == grant_id)
    return list(db.session.scalars(query))


def refuse_losing_follow_up(titles: list[str]) -> None:
    """Refuse to delete grants that have payments or reports (their titles, when any)."""
    if titles:
        raise DomainError(
            _("%(titles)s har utbetalningar eller rapporter; de skulle försvinna. Rätta beviljat "
              "belopp i stället, eller avsluta projektet.", titles=", ".join(titles[:3]))
        )
