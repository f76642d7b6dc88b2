"""Keyset pagination: a page of a list read from where the previous one ended, so page 400
costs what page 1 costs (an offset reads and throws away every row before it).

A page is asked for by the id of a row it follows (`after`) or precedes (`before`); the
query finds that row's place through a subquery, so a page is one statement, and an id that
does not exist simply gives an empty page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list, and whether rows come before or after it."""

    items: list[Any]
    has_prev: bool
    has_next: bool

    @property
    def prev_before(self) -> int | None:
        """The id to ask `before=` for the page before this one."""
        return self.items[0].id if self.items and self.has_prev else None

    @property
    def next_after(self) -> int | None:
        """The id to ask `after=` for the page after this one."""
        return self.items[-1].id if self.items and self.has_next else None


def keyset_page(query: Select, order: Sequence[ColumnElement], id_column: ColumnElement, *,
                after: int | None = None, before: int | None = None, per_page: int,
                descending: bool = False) -> KeysetPage:
    """Return the page of `query` after (or before) the row with that id, in `order`.

    `order` must be unique (end it with the id) and should be the tail of an index whose head
    the query's filters fix, so the database reads only the page's rows. `query` must not be
    ordered yet.
    """
    keys = tuple_(*order)

    def place(row_id: int):
        return (select(*order).where(id_column == row_id).correlate(None).scalar_subquery())

    def ordered(q: Select, backwards: bool) -> Select:
        down = descending != backwards
        return q.order_by(*[c.desc() if down else c.asc() for c in order])

    if before is not None:
        query = query.where(keys > place(before) if descending else keys < place(before))
        rows = list(db.session.scalars(ordered(query, True).limit(per_page + 1)))
        return KeysetPage(rows[:per_page][::-1], has_prev=len(rows) > per_page, has_next=True)
    if after is not None:
        query = query.where(keys < place(after) if descending else keys > place(after))
    rows = list(db.session.scalars(ordered(query, False).limit(per_page + 1)))
    return KeysetPage(rows[:per_page], has_prev=after is not None, has_next=len(rows) > per_page)
