"""The list of granted projects a page at a time, from where the last page ended.

The list's order (the latest year first, then the funds', lines' and projects' own order)
spans four tables, so no one index serves it; an offset would still sort and skip every
project before the page, so the last page of 2 000 projects cost five times the first. A
page is read after (or before) the project it follows (or precedes) instead: the rows
after that project's place in the order, the first `per_page` of them, so page 40 costs
what page 1 does. The count of the whole list is kept between changes of the data.

On PostgreSQL a page reads only its own rows: the lines are put in the list's order (they are
few: a year's funds have tens of them), and each line's projects are read in their order
from `ix_grant_line_id_position` until the page is full, so no view sorts every project.
SQLite, which has no LATERAL join, sorts the filtered projects as before.
"""

from __future__ import annotations

from sqlalchemy import Select, func, literal, select, true, tuple_

from app.core.reading.figures import remember
from app.core.reading.keyset import KeysetPage
from app.extensions import db
from app.followup.queries import in_state, of_year_and_fund, projects_select
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
    cursor_id = before if before is not None else after
    place = None
    if cursor_id is not None:
        place = db.session.execute(
            select(*ORDER).select_from(Grant).join(Grant.line).join(Line.allocation)
            .join(Allocation.earmark).where(Grant.id == cursor_id)).first()
        if place is None:
            return KeysetPage([], has_prev=after is not None, has_next=before is not None)
    backwards = before is not None
    if db.session.get_bind().dialect.name == "postgresql":
        query = _by_lines(year, earmark_id, state, line_id, place, backwards, per_page + 1)
    else:
        query = projects_select(year, earmark_id, state, line_id, ordered=False)
        if place is not None:
            query = query.where(_past(ORDER, place, backwards))
        query = query.order_by(*_in_order(ORDER, backwards)).limit(per_page + 1)
    rows = list(db.session.scalars(query).unique())
    if backwards:
        return KeysetPage(rows[:per_page][::-1], has_prev=len(rows) > per_page, has_next=True)
    return KeysetPage(rows[:per_page], has_prev=after is not None,
                      has_next=len(rows) > per_page)


def _in_order(columns, backwards: bool) -> list:
    return [c.desc() if backwards else c.asc() for c in columns]


def _past(columns, place: tuple, backwards: bool, *, or_at: bool = False):
    """The condition that `columns` come after `place` in the list's order (before it when
    `backwards`), or are at it too with `or_at`."""
    keys, cursor = tuple_(*columns), tuple_(*(literal(value) for value in place))
    if backwards:
        return keys <= cursor if or_at else keys < cursor
    return keys >= cursor if or_at else keys > cursor


def _by_lines(year: int | None, earmark_id: int | None, state: ProjectState | None,
              line_id: int | None, place: tuple | None, backwards: bool, limit: int) -> Select:
    """The page's projects, its lines taken in the list's order and each line's projects read
    from its index until `limit` rows are found (one statement, PostgreSQL's LATERAL)."""
    keys = ORDER[:4]  # a line's place in the order; a project's own follows on its line
    lines = (select(Line.id.label("line_id"), *(k.label(f"k{n}") for n, k in enumerate(keys)))
             .join(Line.allocation).join(Allocation.earmark))
    lines = of_year_and_fund(lines, year, earmark_id)
    if line_id:
        lines = lines.where(Line.id == line_id)
    if place is not None:  # from the cursor's own line on
        lines = lines.where(_past(keys, place[:4], backwards, or_at=True))
    # OFFSET 0 keeps the ordered lines a subquery of their own, read before the projects.
    lines = (lines.order_by(*_in_order([*keys, Line.id], backwards)).offset(0)
             .subquery("lines"))
    line_keys = [lines.c[f"k{n}"] for n in range(len(keys))]
    grants = (select(Grant.id.label("grant_id"), Grant.position.label("position"))
              .where(Grant.line_id == lines.c.line_id))
    if state:
        grants = grants.where(in_state(state))
    if place is not None:  # on the cursor's line, only the projects past the cursor
        grants = grants.where(_past([*line_keys, Grant.position, Grant.id], place, backwards))
    grants = (grants.order_by(*_in_order([Grant.position, Grant.id], backwards)).limit(limit)
              .lateral("grants"))
    # The list's order (ORDER): the lines' keys, then the project's place on its line.
    order = [*line_keys, grants.c.position, grants.c.grant_id]
    page = (select(*order).select_from(lines.join(grants, true()))
            .order_by(*_in_order(order, backwards)).limit(limit).subquery("page"))
    return (projects_select(None, None, None, ordered=False)
            .join(page, page.c.grant_id == Grant.id)
            .order_by(*_in_order(page.c, backwards)))


def projects_count(year: int | None, earmark_id: int | None, state: ProjectState | None,
                   line_id: int | None = None) -> int:
    """How many projects the filters let through (counted once per change of the data)."""
    def count() -> str:
        query = projects_select(year, earmark_id, state, line_id, ordered=False)
        return str(db.session.scalar(select(func.count()).select_from(
            query.with_only_columns(Grant.id).subquery())))

    return int(remember("projects-count", (year or "", earmark_id or "",
                                           state.value if state else "", line_id or ""), count))
