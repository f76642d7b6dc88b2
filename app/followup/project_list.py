"""The list of granted projects a page at a time, from where the last page ended.

The list's order (the latest year first, then the funds', lines' and projects' own order)
spans four tables, so no one index serves it; an offset would still sort and skip every
project before the page, so the last page of 2 000 projects cost five times the first. A
page is read after (or before) the project it follows (or precedes) instead: the rows
after that project's place in the order, the first `per_page` of them, so page 40 costs
what page 1 does. The count of the whole list is kept between changes of the data.
"""

from __future__ import annotations

from sqlalchemy import func, literal, select, tuple_

from app.core.reading.figures import remember
from app.core.reading.keyset import KeysetPage
from app.extensions import db
from app.followup.queries import projects_select
from app.followup.rules import ProjectState
from app.ledger.models import Allocation, Earmark, Grant, Line

#: The list's order, every key ascending (the year negated: the latest first).
ORDER = (-Allocation.year, Earmark.sort_order, Earmark.code, Line.position, Grant.position,
         Grant.id)


def projects_page(year: int | None, earmark_id: int | None, state: ProjectState | None,
                  line_id: int | None = None, *, after: int | None = None,
                  before: int | None = None, per_page: int) -> KeysetPage:
    """Return one page of the granted projects (filtered as `projects_select`), after or
    before the project with that id: one query, and one for the cursor's place."""
    query = projects_select(year, earmark_id, state, line_id, ordered=False)
    cursor_id = before if before is not None else after
    if cursor_id is not None:
        place = db.session.execute(
            select(*ORDER).select_from(Grant).join(Grant.line).join(Line.allocation)
            .join(Allocation.earmark).where(Grant.id == cursor_id)).first()
        if place is None:
            return KeysetPage([], has_prev=after is not None, has_next=before is not None)
        keys, cursor = tuple_(*ORDER), tuple_(*(literal(value) for value in place))
        query = query.where(keys < cursor if before is not None else keys > cursor)
    backwards = before is not None
    rows = list(db.session.scalars(
        query.order_by(*(c.desc() if backwards else c.asc() for c in ORDER))
        .limit(per_page + 1)).unique())
    if backwards:
        return KeysetPage(rows[:per_page][::-1], has_prev=len(rows) > per_page, has_next=True)
    return KeysetPage(rows[:per_page], has_prev=after is not None,
                      has_next=len(rows) > per_page)


def projects_count(year: int | None, earmark_id: int | None, state: ProjectState | None,
                   line_id: int | None = None) -> int:
    """How many projects the filters let through (counted once per change of the data)."""
    def count() -> str:
        query = projects_select(year, earmark_id, state, line_id, ordered=False)
        return str(db.session.scalar(select(func.count()).select_from(
            query.with_only_columns(Grant.id).subquery())))

    return int(remember("projects-count", (year or "", earmark_id or "",
                                           state.value if state else "", line_id or ""), count))
