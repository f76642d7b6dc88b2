"""Reading the audit log: what its filter offers, and its entries newest first."""

from __future__ import annotations

from sqlalchemy import Select, select

from app.admin.audit_rows import AuditRow
from app.core.models import AuditEntry
from app.extensions import db


def filter_choices() -> tuple[list[int], list[str]]:
    """Return the years and the action codes that occur in the log, for the filter (two queries)."""
    years = db.session.scalars(
        select(AuditEntry.year).where(AuditEntry.year.is_not(None)).distinct()
        .order_by(AuditEntry.year.desc())
    ).all()
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    return list(years), list(actions)


def _entries(year: int | None, action: str | None) -> Select:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if year is not None:
        query = query.where(AuditEntry.year == year)
    if action:
        query = query.where(AuditEntry.action == action)
    return query


def audit_page(*, year: int | None, action: str | None, page: int, per_page: int):
    """Return one page of the log, newest first, filtered by year and action.

    The page's items are AuditRow; a page past the end is a 404.
    """
    pagination = db.paginate(_entries(year, action), page=page, per_page=per_page,
                             error_out=True, count=True)
    pagination.items = [AuditRow.of(entry) for entry in pagination.items]
    return pagination


def audit_rows(*, year: int | None, action: str | None) -> list[AuditRow]:
    """Return every entry the filters let through, newest first (for a download)."""
    return [AuditRow.of(entry) for entry in db.session.scalars(_entries(year, action))]
