"""Reading the audit log: what its filter offers, and its entries newest first.

Nothing here reads the whole log: the filter's years come from the log's first and last year
(two index look-ups), its actions from the registry, and a page is read from where the
previous one ended (keyset on the time and id), never counted.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select

from app.admin.audit_rows import AuditRow
from app.core.audit import AuditAction
from app.core.models import AuditEntry
from app.core.reading.keyset import KeysetPage, keyset_page
from app.extensions import db

# The log's order (descending), the tail of its indexes ix_audit_entry_at_id and those of
# the filters (year, at, id) and (action, at, id).
LOG_ORDER = (AuditEntry.at, AuditEntry.id)


def filter_choices() -> tuple[list[int], list[str]]:
    """Return the years from the log's latest to its first, and every action's code, for the
    filter (one query of two index look-ups)."""
    first = select(func.min(AuditEntry.year)).scalar_subquery()
    last = select(func.max(AuditEntry.year)).scalar_subquery()
    low, high = db.session.execute(select(first, last)).one()
    years = list(range(high, low - 1, -1)) if low is not None else []
    return years, sorted(AuditAction.registry())


def _entries(year: int | None, action: str | None) -> Select:
    query = select(AuditEntry)
    if year is not None:
        query = query.where(AuditEntry.year == year)
    if action:
        query = query.where(AuditEntry.action == action)
    return query


def audit_page(*, year: int | None, action: str | None, after: int | None,
               before: int | None, per_page: int) -> KeysetPage:
    """Return one page of the log, newest first, filtered by year and action: the one after
    (or before) the entry with that id. The page's items are AuditRow."""
    page = keyset_page(_entries(year, action), LOG_ORDER, AuditEntry.id, after=after,
                       before=before, per_page=per_page, descending=True)
    return KeysetPage([AuditRow.of(entry) for entry in page.items], page.has_prev,
                      page.has_next)


def audit_rows(*, year: int | None, action: str | None) -> list[AuditRow]:
    """Return every entry the filters let through, newest first (for a download)."""
    query = _entries(year, action).order_by(*(c.desc() for c in LOG_ORDER))
    return [AuditRow.of(entry) for entry in db.session.scalars(query)]
