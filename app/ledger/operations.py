"""Changing the ledger: import and export of the exchange format, lines and grants, closing
and reopening years. Every change is audited; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError, ImportRefused, Problem
from app.core.money import format_amount
from app.extensions import db
from app.ledger import exchange
from app.ledger.models import (
    Allocation,
    CarryOver,
    Earmark,
    GoalArea,
    Grant,
    Line,
    LineKind,
    YearClosing,
)
from app.ledger.queries import is_year_closed, load_ledger
from app.ledger.rules import Basis, call_pool, check_grants_within_pool, closing_refusal

# --- reading allocations back as exchange data --------------------------------------------

def allocations_of_year(year: int) -> list[Allocation]:
    """Return the year's allocations with lines, grants and goal areas loaded (4 queries)."""
    return list(
        db.session.scalars(
            select(Allocation)
            .join(Allocation.earmark)
            .where(Allocation.year == year)
            .order_by(Earmark.sort_order, Earmark.code)
            .options(
                selectinload(Allocation.lines).selectinload(Line.grants).selectinload(
                    Grant.goal_areas
                ),
                selectinload(Allocation.lines).joinedload(Line.covers),
            )
        ).unique()
    )


def allocation_data(allocation: Allocation) -> exchange.AllocationData:
    """Describe an allocation as exchange data (for export and for the audit log)."""
    return exchange.AllocationData(
        earmark=allocation.earmark.code,
        year=allocation.year,
        received=allocation.received,
        spend_until=allocation.spend_until,
        anchored=allocation.anchored,
        decision_body=allocation.decision_body,
        decision_date=allocation.decision_date,
        decision_reference=allocation.decision_reference,
        decision_text=allocation.decision_text,
        stated_total=allocation.stated_total,
        lines=[
            exchange.LineData(
                activity=line.activity,
                kind=line.kind.value,
                goal_area=line.goal_area.name if line.goal_area else None,
                budget=line.budget,
                spent=line.spent,
                covers=(line.covers.earmark.code, line.covers.year) if line.covers else None,
                owner=line.owner,
                partners=list(line.partners or []),
                grants=[
                    exchange.GrantData(
                        title=g.title,
                        owner=g.owner,
                        partners=list(g.partners or []),
                        goal_areas=[ga.name for ga in g.goal_areas],
                        amount=g.amount,
                        paid=g.paid,
                        returned=g.returned,
                        status=g.status,
                    )
                    for g in line.grants
                ],
            )
            for line in allocation.lines
        ],
    )


def export_year(year: int) -> str:
    """Return the year's allocations as a `stimulansmedel/1` YAML document."""
    allocations = allocations_of_year(year)
    if not allocations:
        raise DomainError(f"det finns inga tilldelningar för {year} att exportera")
    doc: dict = {"format": exchange.FORMAT}
    regions = {a.region for a in allocations if a.region}
    if len(regions) == 1:
        doc["region"] = regions.pop()
    doc["allocations"] = [exchange.build_allocation(allocation_data(a)) for a in allocations]
    return exchange.dump_document(doc)


# --- import --------------------------------------------------------------------------------

@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class GoalAreas:
    """Find or create the goal areas of a year, once per name."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], GoalArea] = {}

    def get(self, year: int, name: str | None) -> GoalArea | None:
        if name is None:
            return None
        key = (year, name)
        if key not in self._cache:
            area = db.session.scalar(
                select(GoalArea).where(GoalArea.year == year, GoalArea.name == name)
            )
            if area is None:
                area = GoalArea(year=year, name=name)
                db.session.add(area)
            self._cache[key] = area
        return self._cache[key]


def import_document(text: str, actor: Actor, *, replace: bool = False) -> ImportResult:
    """Import an exchange document; raise ImportRefused (changing nothing) if any rule fails."""
    doc = exchange.load_document(text)
    earmarks = {e.code: e for e in db.session.scalars(select(Earmark))}
    keys = {a.key for a in doc.allocations}
    years = sorted(
        {a.year for a in doc.allocations}
        | {line.covers[1] for a in doc.allocations for line in a.lines if line.covers}
    )
    existing = {
        (a.earmark.code, a.year): a
        for a in db.session.scalars(
            select(Allocation).where(Allocation.year.in_(years)).with_for_update(of=Allocation)
        ).unique()
    }
    closed = set(db.session.scalars(select(YearClosing.year).where(YearClosing.year.in_(years))))
    problems: list[Problem] = []
    known = ", ".join(sorted(earmarks)) or "inga"
    for a in doc.allocations:
        if a.earmark not in earmarks:
            problems.append(Problem(
                f"{a.place}.earmark",
                f"okänd fond {a.earmark!r}; kända koder: {known} (en administratör kan lägga till fler)",
            ))
        if a.year in closed:
            problems.append(Problem(
                a.place, f"året {a.year} är stängt; öppna det igen innan något importeras till det"
            ))
        elif a.key in existing and not replace:
            problems.append(Problem(
                a.place,
                f"{a.earmark} {a.year} finns redan i databasen; importera med --replace för att "
                "ersätta den",
            ))
        for line in a.lines:
            if line.covers is None:
                continue
            if line.covers == a.key:
                problems.append(Problem(f"{line.place}.covers", "en överföring kan inte täcka sin egen fond"))
            elif line.covers not in keys and line.covers not in existing:
                problems.append(Problem(
                    f"{line.place}.covers",
                    f"överföringen täcker {line.covers[0]} {line.covers[1]}, som varken finns i "
                    "filen eller i databasen",
                ))
            elif line.covers[1] in closed:
                problems.append(
                    Problem(f"{line.place}.covers", _closed_cover_message(*line.covers))
                )
        if replace and a.key in existing and a.year not in closed:
            followed = projects_with_follow_up(existing[a.key].id)
            if followed:
                problems.append(Problem(a.place, (
                    f"{a.earmark} {a.year} har projekt med utbetalningar eller rapporter "
                    f"registrerade här ({', '.join(followed[:3])}); de skulle försvinna om "
                    "tilldelningen ersattes"
                )))
            # Replacing deletes the allocation's transfers; one covering a closed year is frozen.
            for old in existing[a.key].lines:
                if old.covers is not None and is_year_closed(old.covers.year):
                    problems.append(Problem(
                        a.place, _closed_cover_message(old.covers.earmark.code, old.covers.year)
                    ))
    if problems:
        raise ImportRefused(problems)

    result = ImportResult(warnings=list(doc.warnings))
    goal_areas = GoalAreas()
    targets: dict[tuple[str, int], Allocation] = dict(existing)
    befores: dict[tuple[str, int], dict] = {}
    for a in doc.allocations:
        allocation = existing.get(a.key)
        if allocation is not None:
            befores[a.key] = exchange.build_allocation(allocation_data(allocation))
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
        targets[a.key] = allocation
    db.session.flush()

    from app.ledger import payments

    imported_money: list[tuple[Line, int, int | None, int | None]] = []
    for a in doc.allocations:
        allocation = targets[a.key]
        for position, line in enumerate(a.lines):
            row = Line(allocation_id=allocation.id,
                position=position,
                goal_area=goal_areas.get(a.year, line.goal_area),
                activity=line.activity,
                kind=LineKind(line.kind),
                budget=line.budget,
                spent=line.spent,
                covers=targets[line.covers] if line.covers else None,
                owner=line.owner,
                partners=list(line.partners),
            )
            db.session.add(row)
            for gpos, g in enumerate(line.grants):
                imported_money.append((row, gpos, g.paid, g.returned))
                row.grants.append(Grant(
                    position=gpos,
                    title=g.title,
                    owner=g.owner,
                    partners=list(g.partners),
                    goal_areas=_unique([goal_areas.get(a.year, n) for n in g.goal_areas]),
                    amount=g.amount,
                    paid=g.paid,
                    returned=g.returned,
                    status=g.status,
                ))
        db.session.flush()
        for row, gpos, paid, returned in imported_money:
            payments.book_imported(row.grants[gpos], paid, returned, actor, a.year)
        imported_money.clear()
        db.session.flush()
        db.session.expire(allocation, ["lines"])
        after = exchange.build_allocation(a)
        label = f"{a.earmark} {a.year}"
        if a.key in befores:
            result.replaced.append(label)
            audit.record(actor, "allocation.replace", "allocation", allocation.id, year=a.year,
                         summary=f"Ersatte {label} genom import", before=befores[a.key], after=after)
        else:
            result.created.append(label)
            audit.record(actor, "allocation.import", "allocation", allocation.id, year=a.year,
                         summary=f"Importerade {label}", after=after)
    return result


def projects_with_follow_up(allocation_id: int, line_id: int | None = None,
                            grant_id: int | None = None) -> list[str]:
    """Titles of grants (of an allocation, a line or one grant) that have payments registered
    in the app or project reports: history that deleting them would lose."""
    from app.followup.models import ProjectReport
    from app.ledger.models import Payment

    query = (
        select(Grant.title).join(Grant.line).where(Line.allocation_id == allocation_id)
        .where(
            select(Payment.id).where(Payment.grant_id == Grant.id, Payment.imported.is_(False))
            .exists()
            | select(ProjectReport.id).where(ProjectReport.grant_id == Grant.id).exists()
        )
        .order_by(Grant.id)
    )
    if line_id is not None:
        query = query.where(Grant.line_id == line_id)
    if grant_id is not None:
        query = query.where(Grant.id == grant_id)
    return list(db.session.scalars(query))


def _closed_cover_message(earmark: str, year: int) -> str:
    return (
        f"en överföring som täcker {earmark} {year} kan inte läggas till, ändras eller tas bort "
        f"medan {year} är stängt (årets resultat är redan fört vidare); öppna {year} igen först"
    )


def _ensure_cover_open(covered_allocation_id: int | None, year: int) -> None:
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
        raise DomainError(_closed_cover_message(covered.earmark.code, covered.year))


def _unique(items):
    seen, out = set(), []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out


# --- closing and reopening years -----------------------------------------------------------

def close_year(year: int, actor: Actor) -> YearClosing:
    """Close a year: refuse on an uncovered deficit, else carry each remainder into year+1."""
    if is_year_closed(year):
        raise DomainError(f"året {year} är redan stängt")
    if is_year_closed(year + 1):
        # The remainders would be carried into a year whose own carry-over is already made.
        raise DomainError(f"öppna först {year + 1}: stängning av {year} för över pengar dit")
    allocations = list(
        db.session.scalars(
            select(Allocation).where(Allocation.year == year).with_for_update(of=Allocation)
        ).unique()
    )
    if not allocations:
        raise DomainError(f"det finns inga tilldelningar för {year}")
    open_earlier = db.session.scalars(
        select(Allocation.year)
        .where(Allocation.year < year, Allocation.year.not_in(select(YearClosing.year)))
        .distinct()
        .order_by(Allocation.year)
    ).all()
    if open_earlier:
        raise DomainError(
            f"stäng först {', '.join(map(str, open_earlier))}: deras överföringar till {year} "
            "är inte kända förrän de är stängda"
        )
    ledger = load_ledger([year])
    balances = {a.id: ledger.balance(a, Basis.OUTCOME) for a in ledger.allocations}
    refusal = closing_refusal({a.label: balances[a.id].deficit for a in ledger.allocations})
    if refusal:
        raise DomainError(refusal)
    closing = YearClosing(year=year, closed_by=actor.label)
    db.session.add(closing)
    carried = {}
    paid_back = set()  # their remainder goes back to the state: the log must not say "carried"
    for allocation in ledger.allocations:
        amount = balances[allocation.id].result
        closing.carry_overs.append(CarryOver(
            from_allocation_id=allocation.id,
            earmark_id=allocation.earmark_id,
            to_year=year + 1,
            amount=amount,
            rule=allocation.earmark.remainder_rule,
        ))
        carried[allocation.earmark.code] = amount
        if allocation.earmark.remainder_rule == "pay_back":
            paid_back.add(allocation.earmark.code)
    db.session.flush()
    audit.record(actor, "year.close", "year", closing.id, year=year,
                 summary=f"Stängde {year}; överfört till {year + 1}: "
                 + ", ".join(f"{k} {format_amount(v, unit=True)}"
                             + (" (betalas tillbaka)" if k in paid_back else "")
                             for k, v in carried.items()),
                 after={"carry_over": carried})
    return closing


def reopen_year(year: int, actor: Actor) -> None:
    """Reopen a closed year, undoing its carry-over; refuse while the next year is closed."""
    closing = db.session.scalar(
        select(YearClosing).where(YearClosing.year == year).with_for_update()
    )
    if closing is None:
        raise DomainError(f"året {year} är inte stängt")
    if is_year_closed(year + 1):
        raise DomainError(f"öppna först {year + 1}: det bygger på överföringen från {year}")
    before = {
        "carry_over": {c.from_allocation.earmark.code: c.amount for c in closing.carry_overs},
        "closed_by": closing.closed_by,
        "closed_at": closing.closed_at,
    }
    closing_id = closing.id
    db.session.delete(closing)
    db.session.flush()
    audit.record(actor, "year.reopen", "year", closing_id, year=year,
                 summary=f"Öppnade {year} igen; överföringen till {year + 1} är ångrad",
                 before=before)


# --- editing lines and grants --------------------------------------------------------------

@dataclass
class LineInput:
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
    title: str
    owner: str
    amount: int
    goal_areas: list[str]
    partners: list[str] = field(default_factory=list)
    paid: int | None = None
    returned: int | None = None
    status: str | None = None


def lock_allocation(allocation_id: int) -> Allocation:
    """Load an allocation with a row lock, so concurrent changes to its money queue up."""
    allocation = db.session.scalar(
        select(Allocation).where(Allocation.id == allocation_id).with_for_update(of=Allocation)
        .execution_options(populate_existing=True)
    )
    if allocation is None:
        raise DomainError("tilldelningen finns inte")
    return allocation


def ensure_open(year: int) -> None:
    if is_year_closed(year):
        raise DomainError(f"året {year} är stängt; en administratör måste öppna det innan något ändras")


def line_snapshot(line: Line) -> dict:
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
        raise DomainError("ange aktiviteten")
    if data.budget is None and data.spent is None:
        raise DomainError("ange budget, utfall eller båda")
    for value in (data.budget, data.spent):
        if value is not None and value < 0:
            raise DomainError("beloppet får inte vara negativt")
    if data.kind is LineKind.TRANSFER:
        if data.covers_allocation_id is None:
            raise DomainError("en överföring måste ange vilken fond vars underskott den täcker")
        if data.covers_allocation_id == allocation.id:
            raise DomainError("en överföring kan inte täcka sin egen fond")
        if db.session.get(Allocation, data.covers_allocation_id) is None:
            raise DomainError("fonden som överföringen ska täcka finns inte")
    if line is not None and line.grants:
        if data.kind is not LineKind.CALL:
            raise DomainError("raden har beviljade projekt och måste förbli en utlysning")
        reason = check_grants_within_pool(
            call_pool(data.budget, data.spent), sum(g.amount for g in line.grants)
        )
        if reason:
            raise DomainError(reason)


def _apply_line(line: Line, allocation: Allocation, data: LineInput) -> None:
    line.activity = data.activity.strip()
    line.kind = data.kind
    line.goal_area = GoalAreas().get(allocation.year, (data.goal_area or "").strip() or None)
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
    if data.kind is LineKind.TRANSFER:
        _ensure_cover_open(data.covers_allocation_id, allocation.year)
    position = max((line.position for line in allocation.lines), default=-1) + 1
    line = Line(allocation_id=allocation.id, position=position, partners=[])
    db.session.add(line)
    _apply_line(line, allocation, data)
    db.session.flush()
    audit.record(actor, "line.create", "line", line.id, year=allocation.year,
                 summary=f"Ny rad i {allocation.label}: {line.activity[:200]}",
                 after=line_snapshot(line))
    return line


def update_line(line_id: int, data: LineInput, actor: Actor) -> Line:
    """Change a line; a call line may never fall below the sum of its grants."""
    line = db.session.get(Line, line_id)
    if line is None:
        raise DomainError("raden finns inte")
    allocation = lock_allocation(line.allocation_id)
    ensure_open(allocation.year)
    db.session.refresh(line)
    _validate_line(allocation, data, line)
    _ensure_cover_open(line.covers_allocation_id, allocation.year)
    if data.kind is LineKind.TRANSFER:
        _ensure_cover_open(data.covers_allocation_id, allocation.year)
    before = line_snapshot(line)
    _apply_line(line, allocation, data)
    db.session.flush()
    audit.record(actor, "line.update", "line", line.id, year=allocation.year,
                 summary=f"Ändrade rad i {allocation.label}: {line.activity[:200]}",
                 before=before, after=line_snapshot(line))
    return line


def delete_line(line_id: int, actor: Actor) -> None:
    """Remove a line and its grants from an allocation of an open year."""
    line = db.session.get(Line, line_id)
    if line is None:
        raise DomainError("raden finns inte")
    allocation = lock_allocation(line.allocation_id)
    ensure_open(allocation.year)
    _ensure_cover_open(line.covers_allocation_id, allocation.year)
    _refuse_losing_follow_up(projects_with_follow_up(allocation.id, line_id=line.id))
    before = line_snapshot(line)
    before["grants"] = [grant_snapshot(g) for g in line.grants]
    db.session.delete(line)
    db.session.flush()
    audit.record(actor, "line.delete", "line", line_id, year=allocation.year,
                 summary=f"Tog bort rad i {allocation.label}: {before['activity'][:200]}",
                 before=before)


def grant_snapshot(grant: Grant) -> dict:
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


def _refuse_losing_follow_up(titles: list[str]) -> None:
    if titles:
        raise DomainError(
            f"{', '.join(titles[:3])} har utbetalningar eller rapporter; de skulle försvinna. "
            "Rätta beviljat belopp i stället, eller avsluta projektet."
        )


def _validate_grant(line: Line, data: GrantInput, grant: Grant | None) -> None:
    if line.kind is not LineKind.CALL:
        raise DomainError("projekt kan bara beviljas från en utlysningsrad")
    if not data.title.strip() or not data.owner.strip():
        raise DomainError("ange projektets namn och projektägare")
    if not [g for g in data.goal_areas if g.strip()]:
        raise DomainError("ange minst ett målområde")
    if data.amount <= 0:
        raise DomainError("det beviljade beloppet måste vara större än noll")
    if data.paid is not None and data.paid > data.amount:
        raise DomainError("utbetalt kan inte vara mer än beviljat")
    if data.returned is not None and data.returned > (data.paid or 0):
        raise DomainError("återbetalt kan inte vara mer än utbetalt")
    if grant is not None:
        from app.ledger.project_money import grant_money

        money = grant_money(grant)
        if money.closed and data.amount != grant.amount:
            raise DomainError("projektet är avslutat; det beviljade beloppet kan inte ändras")
        if data.amount < money.paid:
            raise DomainError(
                f"beviljat kan inte bli lägre än det som redan är utbetalt "
                f"({format_amount(money.paid, unit=True)})"
            )
    others = sum(g.amount for g in line.grants if grant is None or g.id != grant.id)
    reason = check_grants_within_pool(line.amount, others + data.amount)
    if reason:
        left = (line.amount or 0) - others
        raise DomainError(f"{reason}; kvar att bevilja är {format_amount(left, unit=True)}")


def _apply_grant(grant: Grant, year: int, data: GrantInput) -> None:
    areas = GoalAreas()
    grant.title = data.title.strip()
    grant.owner = data.owner.strip()
    grant.partners = [p.strip() for p in data.partners if p.strip()]
    grant.goal_areas = _unique([areas.get(year, n.strip()) for n in data.goal_areas if n.strip()])
    grant.amount = data.amount
    grant.status = (data.status or "").strip() or None


def add_grant(line_id: int, data: GrantInput, actor: Actor) -> Grant:
    """Grant a project from a call line; the pool is locked so two grants cannot overdraw it."""
    line = db.session.get(Line, line_id)
    if line is None:
        raise DomainError("utlysningsraden finns inte")
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
    from app.ledger import payments

    payments.book_imported(grant, data.paid, data.returned, actor, allocation.year)
    db.session.flush()
    audit.record(actor, "grant.create", "grant", grant.id, year=allocation.year,
                 summary=f"Beviljade {format_amount(grant.amount, unit=True)} till {grant.title[:200]}",
                 after=grant_snapshot(grant))
    return grant


def update_grant(grant_id: int, data: GrantInput, actor: Actor) -> Grant:
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError("projektet finns inte")
    allocation = lock_allocation(grant.line.allocation_id)
    ensure_open(allocation.year)
    # The line (its pool) and its grants were read before the lock: read them again.
    db.session.refresh(grant.line)
    _validate_grant(grant.line, data, grant)
    before = grant_snapshot(grant)
    _apply_grant(grant, allocation.year, data)
    db.session.flush()
    audit.record(actor, "grant.update", "grant", grant.id, year=allocation.year,
                 summary=f"Ändrade projektet {grant.title[:200]}",
                 before=before, after=grant_snapshot(grant))
    return grant


def delete_grant(grant_id: int, actor: Actor) -> None:
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError("projektet finns inte")
    allocation = lock_allocation(grant.line.allocation_id)
    ensure_open(allocation.year)
    _refuse_losing_follow_up(projects_with_follow_up(allocation.id, grant_id=grant.id))
    before = grant_snapshot(grant)
    db.session.delete(grant)
    db.session.flush()
    audit.record(actor, "grant.delete", "grant", grant_id, year=allocation.year,
                 summary=f"Tog bort projektet {before['title'][:200]}", before=before)


# --- earmarks ------------------------------------------------------------------------------

def add_earmark(code: str, name: str, actor: Actor, *, description: str = "",
                remainder_rule: str = "carry_over") -> Earmark:
    """Define a new earmark (an administrator's act; no code change needed)."""
    import re

    code = code.strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9_-]{1,39}", code):
        raise DomainError("koden ska vara 2–40 tecken: små bokstäver a–z, siffror, - och _")
    if db.session.scalar(select(Earmark).where(Earmark.code == code)):
        raise DomainError(f"fonden {code!r} finns redan")
    if not name.strip():
        raise DomainError("ange fondens namn")
    if remainder_rule not in ("carry_over", "pay_back"):
        raise DomainError("okänd regel för överskott")
    earmark = Earmark(code=code, name=name.strip(), description=description.strip(),
                      remainder_rule=remainder_rule, sort_order=100, active=True)
    db.session.add(earmark)
    db.session.flush()
    audit.record(actor, "earmark.create", "earmark", earmark.id,
                 summary=f"Ny fond {code}: {earmark.name}",
                 after={"code": code, "name": earmark.name, "remainder_rule": remainder_rule})
    return earmark

