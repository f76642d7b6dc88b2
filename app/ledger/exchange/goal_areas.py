"""The goal areas an import's names stand for: matched to each year's list, or making the
list of a year that has none yet (see docs/import-format.md, "Goal areas")."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.core.errors import DomainError, Problem
from app.extensions import db
from app.ledger.goal_areas.lists import find_in, lists_of, not_on_list
from app.ledger.models import GoalArea
from app.ledger.rules import area_key, is_probable_typo


@dataclass
class _Use:
    place: str
    name: str
    where: str  # the line or project that names it, as people read it: "raden ”Våga fråga”"


@dataclass
class ImportedAreas:
    """The goal areas an import's names stand for, year by year.

    A year with a list: every name must be on it (a current or former name, in any case or
    spacing); one that is not is refused with the nearest name. A year without one: the
    file's names make its list, except a name that is most likely another mistyped (one on
    last year's list, or used more often in the file): "Stäkra äldres psykiska hälsa"."""

    lists: dict[int, list[GoalArea]]
    made: dict[tuple[int, str], GoalArea] = field(default_factory=dict)

    @classmethod
    def for_years(cls, years: set[int]) -> ImportedAreas:
        return cls(lists_of(years | {y - 1 for y in years}))

    def problems(self, uses: dict[int, list[_Use]]) -> list[Problem]:
        """Why the names used in each year cannot be matched to its list (none: they can)."""
        found: list[Problem] = []
        for year, used in uses.items():
            areas = self.lists.get(year, [])
            if areas:
                names = [a.name for a in areas if not a.retired]
                found += [Problem(u.place, f"{u.where}: {not_on_list(u.name, year, names)}")
                          for u in used if find_in(areas, u.name) is None]
            else:
                found += self._typos(year, used)
        return found

    def _typos(self, year: int, used: list[_Use]) -> list[Problem]:
        last_year = [a.name for a in self.lists.get(year - 1, []) if not a.retired]
        counts: dict[str, int] = {}
        for u in used:
            counts[area_key(u.name)] = counts.get(area_key(u.name), 0) + 1
        names = list(dict.fromkeys(u.name for u in used))  # each name once, as first used
        # Judged once per name, not per use: a file of 10 000 grants names a few areas.
        verdicts = {name: self._slip_of(year, name, last_year, names, counts) for name in names}
        found = []
        for u in used:
            verdict = verdicts[u.name]
            if verdict is None:
                continue
            likely, in_last_year = verdict
            words = {"where": u.where, "name": u.name, "likely": likely, "year": year,
                     "last_year": year - 1}
            if in_last_year:
                found.append(Problem(u.place, _(
                    "%(where)s: målområdet ”%(name)s” är troligen ett skrivfel för ”%(likely)s”, "
                    "som står i %(last_year)s års lista; rätta filen, eller lägg in %(year)s års "
                    "lista över målområden med det namnet först om det är ett nytt målområde",
                    **words)))
            else:
                found.append(Problem(u.place, _(
                    "%(where)s: målområdet ”%(name)s” är troligen ett skrivfel för ”%(likely)s”, "
                    "som filen använder oftare; rätta filen, eller lägg in %(year)s års lista "
                    "över målområden med det namnet först om det är ett nytt målområde",
                    **words)))
        return found

    @staticmethod
    def _slip_of(year: int, name: str, last_year: list[str], names: list[str],
                 counts: dict[str, int]) -> tuple[str, bool] | None:
        """The name `name` is probably a slip of, and whether that name stands in last year's
        list (else the file uses it more often), or None."""
        if any(area_key(n) == area_key(name) for n in last_year):
            return None
        likely = next((n for n in last_year if is_probable_typo(name, n)), None)
        if likely is not None:
            return likely, True
        likely = next((o for o in names if counts[area_key(o)] > counts[area_key(name)]
                       and is_probable_typo(name, o)), None)
        return (likely, False) if likely is not None else None

    def get(self, year: int, name: str | None) -> GoalArea | None:
        """The area `name` stands for in the year: its list's, or the one the import makes."""
        if name is None:
            return None
        areas = self.lists.get(year, [])
        if areas:
            area = find_in(areas, name)
            if area is None:
                raise DomainError(not_on_list(name, year, [a.name for a in areas]))
            return area
        key = (year, area_key(name))
        if key not in self.made:
            self.made[key] = GoalArea(year=year, name=" ".join(name.split()))
            db.session.add(self.made[key])
        return self.made[key]

    def all(self, year: int, names: list[str]) -> list[GoalArea]:
        areas: list[GoalArea] = []
        for name in names:
            area = self.get(year, name)
            if area not in areas:
                areas.append(area)
        return areas


def import_uses(allocations) -> dict[int, list[_Use]]:
    """Every goal area an exchange document names, with its place, by year."""
    uses: dict[int, list[_Use]] = {}
    for a in allocations:
        for line in a.lines:
            about = f"raden ”{_short(line.activity)}” i {a.earmark} {a.year}"
            if line.goal_area:
                uses.setdefault(a.year, []).append(_Use(f"{line.place}.goal_area",
                                                        line.goal_area, about))
            for i, g in enumerate(line.grants):
                for j, name in enumerate(g.goal_areas):
                    uses.setdefault(a.year, []).append(_Use(
                        f"{line.place}.grants[{i}].goal_areas[{j}]", name,
                        f"projektet ”{_short(g.title)}” i {a.earmark} {a.year}"))
    return uses


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
