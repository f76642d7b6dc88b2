"""Sums kept up to date as rows change, so a page reads them instead of adding up every row.

A tally is a table of sums per key (a call and a state, say) and the rows they are taken
from (its *roots*: applications, say, with the rows hanging off them). At each flush that
changes a root, or a row that names one, the tally reads what those roots counted for
before the flush and after it, and adds the difference to its table. The work is in the
size of the change, never of the table; both reads and the additions run in the flush's own
transaction, so a change that is rolled back takes its sums with it.

Two transactions changing the same root must not both add "after minus before" computed
from the same before: the roots are locked (PostgreSQL: `FOR UPDATE`, in id order; SQLite:
the database's write lock, taken first) before their "before" is read.

Statements that bypass the session's flush (a bulk `insert()`/`update()`, SQL by hand, a
data migration) are not seen: `rebuild` computes the table afresh, and `differences` tells
whether a table agrees with its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, Table, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

#: How many root ids one statement names at most (SQLite allows 32 766 parameters).
CHUNK = 5_000
_PENDING = "tally_roots"  # session.info: per tally, the objects that named roots this flush


@dataclass(eq=False)
class Tally:
    """The sums of `table` (its `keys` columns, then its `sums` columns), taken from the
    rows of `root` (a mapped class with an integer `id`).

    `watched` maps each mapped class whose changes move the sums to a function that names
    the root ids an instance belongs to (before and after its change: read the attribute
    history for a moved foreign key). `contributions(ids)` selects, for the given root ids,
    one row per key: the key columns, then the sums, labelled as the table's columns."""

    table: Table
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    root: type
    watched: dict[type, Callable[[object], Iterable[int | None]]]
    contributions: Callable[[Sequence[int]], Select]
    _registered: bool = field(default=False, repr=False)

    # --- keeping it up to date ----------------------------------------------------------

    def register(self) -> None:
        """Listen to every session's flushes (once)."""
        if not self._registered:
            event.listen(Session, "before_flush", self._before_flush)
            event.listen(Session, "after_flush", self._after_flush)
            self._registered = True

    def _touched(self, session: Session) -> list[object]:
        return [obj for obj in (*session.new, *session.dirty, *session.deleted)
                if type(obj) in self.watched]

    def _roots(self, objects: Iterable[object]) -> set[int]:
        return {root for obj in objects for root in self.watched[type(obj)](obj)
                if root is not None}

    def _before_flush(self, session: Session, _context, _instances) -> None:
        objects = self._touched(session)
        if not objects:
            return
        ids = self._roots(objects)
        before = self._read(session, ids, lock=True) if ids else {}
        session.info.setdefault(_PENDING, {})[self] = (objects, ids, before)

    def _after_flush(self, session: Session, _context) -> None:
        pending = session.info.get(_PENDING, {}).pop(self, None)
        if pending is None:
            return
        objects, ids, before = pending
        # A new root has its id now; so has a new row that only named its root by relationship.
        ids = ids | self._roots(objects)
        after = self._read(session, ids, lock=False)
        changes = []
        for key in before.keys() | after.keys():
            old, new = before.get(key), after.get(key)
            change = [(new[i] if new else 0) - (old[i] if old else 0)
                      for i in range(len(self.sums))]
            if any(change):
                changes.append({**dict(zip(self.keys, key)), **dict(zip(self.sums, change))})
        if changes:
            self._add(session, changes)

    def _read(self, session: Session, ids: set[int], *, lock: bool) -> dict[tuple, list[int]]:
        """What the roots `ids` count for now, per key (locking them first when asked)."""
        found: dict[tuple, list[int]] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            if lock:
                self._lock(session, chunk)
            for row in session.execute(self.contributions(chunk)).mappings():
                key = tuple(row[k] for k in self.keys)
                sums = found.setdefault(key, [0] * len(self.sums))
                for i, name in enumerate(self.sums):
                    sums[i] += int(row[name] or 0)
        return found

    def _lock(self, session: Session, ids: Sequence[int]) -> None:
        if session.get_bind().dialect.name == "sqlite":
            # The write lock before the read: another writer's "before" then follows ours.
            session.execute(self.table.update().where(self.table.c[self.keys[0]].is_(None))
                            .values({self.sums[0]: self.table.c[self.sums[0]]}))
            return
        session.execute(select(self.root.id).where(self.root.id.in_(ids))
                        .order_by(self.root.id).with_for_update())

    def _add(self, session: Session, changes: list[dict]) -> None:
        """Add each change to its key's row (a new row when there is none), atomically."""
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(self.table)
        statement = statement.on_conflict_do_update(
            index_elements=list(self.keys),
            set_={name: self.table.c[name] + statement.excluded[name] for name in self.sums})
        session.execute(statement, changes)

    # --- rebuilding and checking ----------------------------------------------------------

    def computed(self, session: Session, ids: Iterable[int] | None = None) -> dict[tuple, tuple]:
        """The sums as the rows give them now (of every root, or of `ids`), per key; keys
        whose sums are all 0 are left out."""
        if ids is None:
            ids = session.scalars(select(self.root.id)).all()
        return {key: tuple(sums) for key, sums in self._read(session, set(ids), lock=False)
                .items() if any(sums)}

    def stored(self, session: Session) -> dict[tuple, tuple]:
        """The sums the table holds, per key; rows whose sums are all 0 are left out."""
        columns = [self.table.c[k] for k in (*self.keys, *self.sums)]
        found = {}
        for row in session.execute(select(*columns)):
            key, sums = tuple(row[:len(self.keys)]), tuple(int(v) for v in row[len(self.keys):])
            if any(sums):
                found[key] = sums
        return found

    def differences(self, session: Session) -> dict[tuple, tuple[tuple | None, tuple | None]]:
        """The keys whose stored sums differ from the computed: (stored, computed)."""
        stored, computed = self.stored(session), self.computed(session)
        return {key: (stored.get(key), computed.get(key))
                for key in stored.keys() | computed.keys() if stored.get(key) != computed.get(key)}

    def rebuild(self, session: Session) -> int:
        """Compute the whole table afresh from its rows (after bulk statements); return the
        number of rows it holds."""
        session.flush()
        session.execute(delete(self.table))
        rows = [{**dict(zip(self.keys, key)), **dict(zip(self.sums, sums))}
                for key, sums in self.computed(session).items()]
        if rows:
            session.execute(self.table.insert(), rows)
        return len(rows)
