"""Importing a `stimulansmedel/1` document into the ledger: all of it or nothing.

The document is read and checked without the database first (reading.py), then against it:
known earmarks, open years, existing allocations, what transfers cover and what replacing would
lose. Only when nothing is refused are allocations created or replaced. Every allocation is
audited; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import insert, select, update
from sqlalchemy.orm import aliased

from app.core import audit
from app.core.audit import Actor
from app.core.errors import ImportRefused, Problem
from app.extensions import db
from app.ledger.exchange.exporting import allocation_data
from app.ledger.exchange.goal_areas import ImportedAreas, import_uses
from app.ledger.exchange.reading import load_document
from app.ledger.exchange.schema import AllocationData, Document, GrantData
from app.ledger.exchange.writing import build_allocation
from app.ledger.guards import closed_cover_message, projects_with_follow_up
from app.ledger.models import (
    Allocation,
    Earmark,
    Grant,
    LedgerAction,
    Line,
    Payment,
    PaymentKind,
    YearClosing,
    grant_goal_area,
)
from app.ledger.payments import imported_item, imported_payments
from app.ledger.queries import is_year_closed
from app.ledger.rules import LineKind

Key = tuple[str, int]  # (earmark code, year): an allocation in a document and in the database


@dataclass
class ImportResult:
    """What an import did: the allocations it created and replaced (by code and year, as the
    file names them: "samverkan 2020"), and its warnings. `names` gives each the name people
    read ("Samverkansmedel 2020")."""

    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def name_of(self, label: str) -> str:
        """The fund's name and year of an allocation the import created or replaced."""
        return self.names.get(label, label)


def import_document(text: str, actor: Actor, *, replace: bool = False) -> ImportResult:
    """Import an exchange document; raise ImportRefused (changing nothing) if any rule fails."""
    doc = load_document(text)
    earmarks = {e.code: e for e in db.session.scalars(select(Earmark))}
    years = sorted({a.year for a in doc.allocations} | {key[1] for key in _named_funds(doc)})
    existing = {
        (a.earmark.code, a.year): a
        for a in db.session.scalars(
            select(Allocation).where(Allocation.year.in_(years)).with_for_update(of=Allocation)
        ).unique()
    }
    closed = set(db.session.scalars(select(YearClosing.year).where(YearClosing.year.in_(years))))
    problems = _problems(doc, earmarks, existing, closed, replace=replace)
    for problem in _across_problems(doc, existing, closed):
        problem.line = doc.line_of(problem.place) if doc.line_of else None
        problems.append(problem)
    goal_areas = ImportedAreas.for_years({a.year for a in doc.allocations})
    for problem in goal_areas.problems(import_uses(doc.allocations)):
        problem.line = doc.line_of(problem.place) if doc.line_of else None
        problems.append(problem)
    if problems:
        raise ImportRefused(problems)

    befores = {
        a.key: build_allocation(allocation_data(existing[a.key]))
        for a in doc.allocations if a.key in existing
    }
    kept_links = _continuations_into([existing[a.key] for a in doc.allocations
                                      if a.key in existing])
    targets = _prepare_allocations(doc, earmarks, existing)
    result = ImportResult(warnings=list(doc.warnings))
    written: dict[tuple[str, int, str], int] = {}
    for a in doc.allocations:
        written.update(_write_lines(targets[a.key], a, targets, goal_areas, actor))
    _link_continued(doc, written)
    for grant_id, key in kept_links:
        if key in written:  # the replaced grant came back: so does the later year's link
            db.session.get(Grant, grant_id).previous_grant_id = written[key]
    db.session.flush()
    for a in doc.allocations:
        allocation = targets[a.key]
        after = build_allocation(a)
        label = f"{a.earmark} {a.year}"
        result.names[label] = allocation.label
        if a.key in befores:
            result.replaced.append(label)
            audit.record(actor, LedgerAction.ALLOCATION_REPLACE, "allocation", allocation.id,
                         year=a.year, summary=f"Ersatte {label} genom import",
                         before=befores[a.key], after=after)
        else:
            result.created.append(label)
            audit.record(actor, LedgerAction.ALLOCATION_IMPORT, "allocation", allocation.id,
                         year=a.year, summary=f"Importerade {label}", after=after)
    return result


def _problems(doc: Document, earmarks: dict[str, Earmark], existing: dict[Key, Allocation],
              closed: set[int], *, replace: bool) -> list[Problem]:
    """Return every reason the database refuses the document (none: it may be imported)."""
    keys = {a.key for a in doc.allocations}
    problems: list[Problem] = []
    known = ", ".join(sorted(earmarks)) or "inga"
    for a in doc.allocations:
        if a.earmark not in earmarks:
            problems.append(Problem(
                f"{a.place}.earmark",
                _("okänd fond %(earmark)r; kända koder: %(known)s (en administratör kan lägga till "
                  "fler)", earmark=a.earmark, known=known),
            ))
        if a.year in closed:
            problems.append(Problem(
                a.place, _("året %(year)s är stängt; öppna det igen innan något importeras till "
                           "det", year=a.year)
            ))
        elif a.key in existing and not replace:
            problems.append(Problem(
                a.place,
                _("%(earmark)s %(year)s finns redan i databasen; importera med --replace för att "
                  "ersätta den", earmark=a.earmark, year=a.year),
            ))
        for line in a.lines:
            if line.covers is None:
                continue
            if line.covers == a.key:
                problems.append(Problem(f"{line.place}.covers", _("en överföring kan inte täcka "
                                                                  "sin egen fond")))
            elif line.covers not in keys and line.covers not in existing:
                problems.append(Problem(
                    f"{line.place}.covers",
                    _("överföringen täcker %(earmark)s %(year)s, som varken finns i filen eller "
                      "i databasen", earmark=line.covers[0], year=line.covers[1]),
                ))
            elif line.covers[1] in closed:
                problems.append(
                    Problem(f"{line.place}.covers", closed_cover_message(*line.covers))
                )
        if replace and a.key in existing and a.year not in closed:
            problems.extend(_replacing_problems(a, existing[a.key]))
    return problems


def _replacing_problems(a: AllocationData, old: Allocation) -> list[Problem]:
    """Return why replacing an allocation would lose history or change a frozen year."""
    problems = []
    followed = projects_with_follow_up(old.id)
    if followed:
        problems.append(Problem(a.place, (
            _("%(earmark)s %(year)s har projekt med utbetalningar eller rapporter registrerade här "
              "(%(followed)s); de skulle försvinna om tilldelningen ersattes",
              earmark=a.earmark, year=a.year, followed=", ".join(followed[:3]))
        )))
    # Replacing deletes the allocation's transfers; one covering a closed year is frozen.
    for line in old.lines:
        if line.covers is not None and is_year_closed(line.covers.year):
            problems.append(Problem(
                a.place, closed_cover_message(line.covers.earmark.code, line.covers.year)
            ))
    return problems


def _prepare_allocations(doc: Document, earmarks: dict[str, Earmark],
                         existing: dict[Key, Allocation]) -> dict[Key, Allocation]:
    """Create the document's new allocations and empty the replaced ones, with the document's
    figures; return every allocation a line may name (replaced, new and other existing ones)."""
    targets: dict[Key, Allocation] = dict(existing)
    for a in doc.allocations:
        allocation = existing.get(a.key)
        if allocation is not None:
            # Delete through the session, not in bulk: a bulk delete leaves the grants (gone by
            # the database's cascade) in the session, where SQLite's reused ids collide with
            # the new grants' ids.
            for stale in allocation.lines:
                db.session.delete(stale)
            db.session.expire(allocation, ["lines"])
        else:
            allocation = Allocation(earmark=earmarks[a.earmark], year=a.year)
            db.session.add(allocation)
        allocation.region = doc.region
        allocation.received = a.received
        allocation.spend_until = a.spend_until
        allocation.anchored = a.anchored
        allocation.decision_body = a.decision_body
        allocation.decision_date = a.decision_date
        allocation.decision_reference = a.decision_reference
        allocation.decision_text = a.decision_text
        allocation.stated_total = a.stated_total
        allocation.recipient = a.recipient
        allocation.budget_status = a.status
        allocation.decision_month_only = a.decision_month_only
        allocation.decision_diary_number = a.decision_diary_number
        targets[a.key] = allocation
    db.session.flush()
    return targets


def _write_lines(allocation: Allocation, a: AllocationData, targets: dict[Key, Allocation],
                 goal_areas: ImportedAreas, actor: Actor) -> dict[tuple[str, int, str], int]:
    """Add the document's lines and grants to an allocation; book each grant's payments and
    refunds (or its `paid` and `returned`) as attested payments. Return the ids of the grants
    written, by (earmark, year, title) as a `continues` names them.

    The grants, their goal areas and payments are inserted in bulk, not as ORM objects: the
    ORM must read back each new object's id, which SQLite's driver can only do one row at a
    time (no ordered RETURNING for many rows), so 10 000 grants cost 27 000 statements there
    against 52 on PostgreSQL. In bulk, a few statements per allocation on both."""
    rows = []
    for position, line in enumerate(a.lines):
        row = Line(allocation_id=allocation.id,
            position=position,
            goal_area=goal_areas.get(a.year, line.goal_area),
            activity=line.activity,
            kind=line.kind,
            budget=line.budget,
            spent=line.spent,
            covers=targets[line.covers] if line.covers else None,
            decided_in=targets[line.decided_in] if line.decided_in else None,
            owner=line.owner,
            partners=list(line.partners),
        )
        db.session.add(row)
        rows.append(row)
        for g in line.grants:
            goal_areas.all(a.year, g.goal_areas)  # created now, flushed with the lines
    db.session.flush()
    grants = [dict(line_id=row.id, position=gpos, title=g.title, owner=g.owner,
                   partners=list(g.partners), amount=g.amount, paid=g.paid,
                   returned=g.returned, status=g.status, report_due=g.report_due)
              for row, line in zip(rows, a.lines, strict=True)
              for gpos, g in enumerate(line.grants)]
    written: dict[tuple[str, int, str], int] = {}
    if grants:
        # With the NULLs written, every row has the same columns: one batch, not one per run
        # of rows that leave out the same ones.
        db.session.execute(insert(Grant).execution_options(render_nulls=True), grants)
        ids = {(line_id, position): grant_id for grant_id, line_id, position in db.session.execute(
            select(Grant.id, Grant.line_id, Grant.position)
            .where(Grant.line_id.in_([row.id for row in rows])))}
        areas, payments = [], []
        for row, line in zip(rows, a.lines, strict=True):
            for gpos, g in enumerate(line.grants):
                grant_id = ids[(row.id, gpos)]
                areas += [{"grant_id": grant_id, "goal_area_id": area.id}
                          for area in goal_areas.all(a.year, g.goal_areas)]
                written[(a.earmark, a.year, g.title)] = grant_id
                # The file's own payments and refunds, or else its totals `paid`/`returned`.
                payments += imported_payments(
                    grant_id, allocation, None if g.payments is not None else g.paid,
                    None if g.refunds is not None else g.returned, actor, a.year)
                for kind, items in ((PaymentKind.PAYMENT, g.payments),
                                    (PaymentKind.REFUND, g.refunds)):
                    payments += [imported_item(
                        grant_id, kind, (targets[item.fund] if item.fund else allocation).id,
                        item.amount, item.paid_on, item.reference, actor)
                        for item in items or []]
        if areas:
            db.session.execute(insert(grant_goal_area), areas)
        if payments:
            db.session.execute(insert(Payment).execution_options(render_nulls=True), payments)
    for row in rows:
        db.session.expire(row, ["grants"])
    db.session.expire(allocation, ["lines"])
    return written


def _link_continued(doc: Document, written: dict[tuple[str, int, str], int]) -> None:
    """Link each grant that `continues` an earlier one to it (in the file or the database)."""
    links = []
    for a in doc.allocations:
        for line in a.lines:
            for g in line.grants:
                if g.continues is None:
                    continue
                previous = written.get(g.continues) or _grant_named(*g.continues).id
                links.append({"id": written[(a.earmark, a.year, g.title)],
                              "previous_grant_id": previous})
    if links:
        db.session.execute(update(Grant), links)


def _continues_problem(a: AllocationData, g: GrantData, exists: bool,
                       claimed: dict[tuple[str, int, str], str], *, in_file: bool,
                       replaced_ids: set[int]) -> str | None:
    """Why a grant's `continues` is refused: it names no grant, a later year's, itself, or a
    grant another project already continues (in the file, or in the database by a grant the
    file does not replace), as a project is continued by one grant only."""
    earmark, year, title = g.continues
    if not exists:
        return _("projektet ”%(title)s” finns inte i %(earmark)s %(year)s, varken i filen eller i "
                 "databasen", title=title, earmark=earmark, year=year)
    if year > a.year or g.continues == (a.earmark, a.year, g.title):
        return _("”%(title)s” (%(earmark)s %(year)s) är inget tidigare beviljande av projektet i "
                 "%(own_earmark)s %(own_year)s", title=title, earmark=earmark, year=year,
                 own_earmark=a.earmark, own_year=a.year)
    if g.continues in claimed:
        return _("”%(title)s” (%(earmark)s %(year)s) fortsätts redan av ”%(claimed)s” i filen",
                 title=title, earmark=earmark, year=year, claimed=claimed[g.continues])
    claimed[g.continues] = g.title
    if in_file:
        return None
    earlier = _grant_named(earmark, year, title)
    later = db.session.execute(
        select(Grant.title).join(Line, Line.id == Grant.line_id)
        .where(Grant.previous_grant_id == earlier.id,
               Line.allocation_id.not_in(replaced_ids or {0}))
    ).scalars().first()
    if later is not None:
        return _("”%(title)s” (%(earmark)s %(year)s) fortsätts redan av ”%(later)s” i databasen",
                 title=title, earmark=earmark, year=year, later=later)
    return None


def _continuations_into(replaced: list[Allocation]) -> list[tuple[int, tuple[str, int, str]]]:
    """The grants of other allocations that continue a grant of those being replaced, each
    with the (earmark, year, title) of the grant it continues (one query)."""
    if not replaced:
        return []
    ids = [a.id for a in replaced]
    earlier = aliased(Grant)
    earlier_line = aliased(Line)
    rows = db.session.execute(
        select(Grant.id, Earmark.code, Allocation.year, earlier.title)
        .join(Line, Line.id == Grant.line_id)
        .join(earlier, earlier.id == Grant.previous_grant_id)
        .join(earlier_line, earlier_line.id == earlier.line_id)
        .join(Allocation, Allocation.id == earlier_line.allocation_id)
        .join(Earmark, Earmark.id == Allocation.earmark_id)
        .where(earlier_line.allocation_id.in_(ids), Line.allocation_id.not_in(ids))
    )
    return [(grant_id, (code, year, title)) for grant_id, code, year, title in rows]


def _grant_named(earmark: str, year: int, title: str) -> Grant | None:
    """The database's grant of that fund's year with that title (the first, by position)."""
    return db.session.scalars(
        select(Grant).join(Line, Line.id == Grant.line_id)
        .join(Allocation, Allocation.id == Line.allocation_id)
        .join(Earmark, Earmark.id == Allocation.earmark_id)
        .where(Earmark.code == earmark, Allocation.year == year, Grant.title == title)
        .order_by(Line.position, Grant.position, Grant.id)
    ).first()


def _named_funds(doc: Document) -> set[Key]:
    """Every allocation a line or grant of the document names besides its own."""
    named: set[Key] = set()
    for a in doc.allocations:
        for line in a.lines:
            named.update(key for key in (line.covers, line.decided_in) if key)
            for g in line.grants:
                if g.continues:
                    named.add(g.continues[:2])
                named.update(p.fund for p in (g.payments or []) + (g.refunds or []) if p.fund)
    return named


def _across_problems(doc: Document, existing: dict[Key, Allocation],
                     closed: set[int]) -> list[Problem]:
    """Why the document's references across funds and years are refused: a `decided_in` that
    names no allocation with a call line, a `continues` that names no grant, a payment or
    refund of an allocation that does not exist, a payment from a closed year."""
    in_file = {a.key: a for a in doc.allocations}
    problems = []
    claimed: dict[tuple[str, int, str], str] = {}  # an earlier grant → the grant continuing it
    replaced_ids = {existing[k].id for k in in_file if k in existing}

    def has_call(key: Key) -> bool:
        if key in in_file:
            return any(line.kind is LineKind.CALL for line in in_file[key].lines)
        return key in existing and any(line.kind is LineKind.CALL
                                       for line in existing[key].lines)

    def has_grant(earmark: str, year: int, title: str) -> bool:
        if (earmark, year) in in_file:
            return any(g.title == title for line in in_file[(earmark, year)].lines
                       for g in line.grants)
        return _grant_named(earmark, year, title) is not None

    for a in doc.allocations:
        for line in a.lines:
            if line.decided_in is not None and not has_call(line.decided_in):
                earmark, year = line.decided_in
                problems.append(Problem(f"{line.place}.decided_in", _(
                    "%(earmark)s %(year)s har ingen utlysningsrad (kind: call) i filen eller i "
                    "databasen; decided_in ska ange den tilldelning vars utlysning beslutade "
                    "projekten", earmark=earmark, year=year)))
            for g in line.grants:
                if g.continues is not None:
                    message = _continues_problem(
                        a, g, has_grant(*g.continues), claimed,
                        in_file=g.continues[:2] in in_file,
                        replaced_ids=replaced_ids)
                    if message:
                        problems.append(Problem(f"{g.place}.continues", message))
                for item, what in [(p, "payment") for p in g.payments or []] + [
                        (p, "refund") for p in g.refunds or []]:
                    key = item.fund
                    where = f"{item.place}.{'from' if what == 'payment' else 'to'}"
                    if key is None:
                        continue
                    if key not in in_file and key not in existing:
                        problems.append(Problem(where, _(
                            "%(earmark)s %(year)s finns varken i filen eller i databasen",
                            earmark=key[0], year=key[1])))
                    elif what == "payment" and key[1] in closed:
                        problems.append(Problem(where, _(
                            "året %(year)s är stängt; en utbetalning från %(earmark)s %(year)s "
                            "skulle ändra dess utfall (öppna året igen först)",
                            earmark=key[0], year=key[1])))
    return problems
