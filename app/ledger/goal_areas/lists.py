"""A year's list of goal areas, which the coordinators manage: adding, renaming (the former
name is kept), retiring and restoring an area, and starting a year from the year before.

Lines, grants and calls choose from the list (`chosen_areas`); nothing creates an area by
typing its name, except an import into a year that has no list yet
(app/ledger/exchange/goal_areas.py). Every change is audited; nothing here commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.types import utcnow
from app.extensions import db
from app.ledger.guards import ensure_open
from app.ledger.models import GoalArea, GoalAreaRename, LedgerAction
from app.ledger.rules import area_key, closest_name, is_probable_typo

MAX_NAME = 300


# --- reading the lists ---------------------------------------------------------------------

def year_list(year: int) -> list[GoalArea]:
    """The year's goal areas, retired ones too, by name, with their former names."""
    return list(db.session.scalars(
        select(GoalArea).where(GoalArea.year == year).order_by(GoalArea.name)
        .options(selectinload(GoalArea.renames))
    ))


def lists_of(years: set[int]) -> dict[int, list[GoalArea]]:
    """The lists of several years at once (one query each for areas and former names)."""
    found: dict[int, list[GoalArea]] = {year: [] for year in years}
    if years:
        for area in db.session.scalars(
            select(GoalArea).where(GoalArea.year.in_(years)).order_by(GoalArea.name)
            .options(selectinload(GoalArea.renames))
        ):
            found[area.year].append(area)
    return found


def active_names(year: int) -> list[str]:
    """The names a new line or grant of the year may choose: its areas not retired."""
    return list(db.session.scalars(
        select(GoalArea.name).where(GoalArea.year == year, GoalArea.retired_at.is_(None))
        .order_by(GoalArea.name)
    ))


def similar_names(year: int, name: str) -> list[str]:
    """The names of the year's other areas that `name` is most likely a slip of."""
    return [a.name for a in year_list(year) if is_probable_typo(name, a.name)]


def missing_from_previous(year: int) -> list[GoalArea]:
    """Last year's areas (not retired) that the year's list does not have yet."""
    have = {area_key(a.name) for a in year_list(year)}
    return [a for a in year_list(year - 1) if not a.retired and area_key(a.name) not in have]


def find_in(areas: list[GoalArea], name: str) -> GoalArea | None:
    """The area of a list that `name` stands for: its name, else a former name, written
    with any case or spacing."""
    key = area_key(name)
    for names_of in (lambda a: [a.name], lambda a: a.former_names):
        for area in areas:
            if any(n == name for n in names_of(area)):
                return area
        for area in areas:
            if any(area_key(n) == key for n in names_of(area)):
                return area
    return None


def chosen_areas(year: int, names: list[str], *, kept: list[str] = ()) -> list[GoalArea]:
    """The areas of the year's list that a line or grant chose, each once, in order.

    A name not on the list is refused (it is never created); a retired area only where it
    is kept, already on what is being changed (`kept`)."""
    areas = year_list(year)
    chosen: list[GoalArea] = []
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        area = find_in(areas, name)
        if area is None:
            raise DomainError(not_on_list(name, year, [a.name for a in areas if not a.retired]))
        if area.retired and area.name not in kept and name not in kept:
            raise DomainError(_("målområdet ”%(area)s” har utgått ur %(year)s års lista och kan "
                                "inte väljas för något nytt", area=area.name, year=year))
        if area not in chosen:
            chosen.append(area)
    return chosen


def not_on_list(name: str, year: int, names: list[str]) -> str:
    nearest = closest_name(name, names)
    if nearest:
        return _("målområdet ”%(name)s” finns inte i %(year)s års lista över målområden (menade "
                 "du ”%(nearest)s”?); lägg till det i listan först om det är ett nytt målområde",
                 name=name, year=year, nearest=nearest)
    return _("målområdet ”%(name)s” finns inte i %(year)s års lista över målområden; lägg till "
             "det i listan först om det är ett nytt målområde", name=name, year=year)


# --- changing a list -----------------------------------------------------------------------

def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("ange målområdets namn"))
    if len(name) > MAX_NAME:
        raise DomainError(_("namnet är för långt (högst %(most)s tecken)", most=MAX_NAME))
    return name


def _refuse_taken(year: int, name: str, area: GoalArea | None = None) -> None:
    for other in year_list(year):
        if other is not area and area_key(other.name) == area_key(name):
            if other.retired:
                raise DomainError(_("%(year)s har redan målområdet ”%(area)s” (utgått; återinför "
                                    "det i stället)", year=year, area=other.name))
            raise DomainError(_("%(year)s har redan målområdet ”%(area)s”", year=year,
                                area=other.name))


def snapshot(area: GoalArea) -> dict:
    return {"year": area.year, "name": area.name, "retired": area.retired,
            "former_names": area.former_names}


def add_area(year: int, name: str, actor: Actor) -> GoalArea:
    """Add a goal area to a year's list."""
    ensure_open(year)
    name = _clean_name(name)
    _refuse_taken(year, name)
    area = GoalArea(year=year, name=name)
    db.session.add(area)
    db.session.flush()
    audit.record(actor, LedgerAction.GOAL_AREA_CREATE, "goal_area", area.id, year=year,
                 summary=f"Nytt målområde {year}: {name[:200]}", after=snapshot(area))
    return area


def _area(area_id: int) -> GoalArea:
    area = db.session.get(GoalArea, area_id)
    if area is None:
        raise DomainError(_("målområdet finns inte"))
    ensure_open(area.year)
    return area


def rename_area(area_id: int, name: str, actor: Actor) -> GoalArea:
    """Give an area a new name; the old one is kept in its history and still matches."""
    area = _area(area_id)
    name = _clean_name(name)
    if name == area.name:
        raise DomainError(_("det nya namnet är detsamma som det nuvarande"))
    _refuse_taken(area.year, name, area)
    before = snapshot(area)
    old = area.name
    area.renames.append(GoalAreaRename(old_name=old, new_name=name, renamed_at=utcnow(),
                                       renamed_by=actor.label))
    area.name = name
    db.session.flush()
    audit.record(actor, LedgerAction.GOAL_AREA_RENAME, "goal_area", area.id, year=area.year,
                 summary=f"Målområdet ”{old[:150]}” heter nu ”{name[:150]}” ({area.year})",
                 before=before, after=snapshot(area))
    return area


def retire_area(area_id: int, actor: Actor) -> GoalArea:
    """Take an area off what new lines, grants and calls may choose; what uses it keeps it."""
    area = _area(area_id)
    if area.retired:
        raise DomainError(_("målområdet ”%(area)s” har redan utgått", area=area.name))
    before = snapshot(area)
    area.retired_at = utcnow()
    db.session.flush()
    audit.record(actor, LedgerAction.GOAL_AREA_RETIRE, "goal_area", area.id, year=area.year,
                 summary=f"Målområdet ”{area.name[:200]}” har utgått ur {area.year} års lista",
                 before=before, after=snapshot(area))
    return area


def restore_area(area_id: int, actor: Actor) -> GoalArea:
    """Put a retired area back on the year's list."""
    area = _area(area_id)
    if not area.retired:
        raise DomainError(_("målområdet ”%(area)s” har inte utgått", area=area.name))
    before = snapshot(area)
    area.retired_at = None
    db.session.flush()
    audit.record(actor, LedgerAction.GOAL_AREA_RESTORE, "goal_area", area.id, year=area.year,
                 summary=f"Målområdet ”{area.name[:200]}” är återinfört i {area.year} års lista",
                 before=before, after=snapshot(area))
    return area


def start_from_previous_year(year: int, actor: Actor) -> list[GoalArea]:
    """Add last year's areas (not retired) to the year's list; return those added."""
    ensure_open(year)
    if not any(not a.retired for a in year_list(year - 1)):
        raise DomainError(_("%(previous)s har inga målområden att börja från", previous=year - 1))
    added = []
    for old in missing_from_previous(year):
        area = GoalArea(year=year, name=old.name)
        db.session.add(area)
        added.append(area)
    if not added:
        raise DomainError(_("%(year)s har redan alla målområden från %(previous)s",
                            year=year, previous=year - 1))
    db.session.flush()
    audit.record(actor, LedgerAction.GOAL_AREA_COPY, "year", None, year=year,
                 summary=f"{len(added)} målområden från {year - 1} till {year}",
                 after={"year": year, "from_year": year - 1, "names": [a.name for a in added]})
    return added
