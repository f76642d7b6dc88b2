"""Importing a year of many projects costs a fixed number of statements, on SQLite as on
PostgreSQL: the projects, their goal areas and payments go in bulk, not one row at a time."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.ledger.models import Grant, Payment, grant_goal_area
from tests.ledger.factories import allocation, document, grant, import_text, line
from tests.support import count_queries

AREAS = ("Stärka barn och ungas psykiska hälsa", "Stärka äldres psykiska hälsa")


def year_of(year: int, projects: int) -> str:
    """A samverkan year whose call granted `projects` projects, each paid, some refunded."""
    grants = [grant(f"Projekt {n}", 10_000, owner=f"Kommun {n % 7}", goal_areas=AREAS[: 1 + n % 2],
                    paid=4_000, **({"returned": 500} if n % 3 == 0 else {}))
              for n in range(projects)]
    return document(allocation("samverkan", year, 100_000_000,
                               line("Personal", spent=1_000_000),
                               line("Projektutlysning", kind="call", budget=20_000_000,
                                    grants=grants)))


def test_an_import_costs_as_many_statements_at_10_projects_as_at_300(app):
    with count_queries(app) as few:
        import_text(app, year_of(2021, 10))
    # A year whose previous year has no goal-area list either, as 2021's: 2022 would read
    # 2021's list (and its former names) to match its names, a query of its own.
    with count_queries(app) as many:
        import_text(app, year_of(2031, 300))
    assert len(many) == len(few), (len(few), len(many))
    assert len(many) <= 40, len(many)


def test_the_bulk_import_keeps_every_project_with_its_goal_areas_and_money(app):
    import_text(app, year_of(2022, 300))
    with app.app_context():
        assert db.session.scalar(select(func.count(Grant.id))) == 300
        assert db.session.scalar(select(func.count()).select_from(grant_goal_area)) == 450
        paid = db.session.scalar(select(func.sum(Payment.amount)))
        assert paid == 300 * 4_000_00 + 100 * 500_00  # öre: every paid, every third returned
        project = db.session.scalar(select(Grant).where(Grant.title == "Projekt 7"))
        assert project.position == 7 and project.owner == "Kommun 0"
        assert [a.name for a in project.goal_areas] == sorted(AREAS)
        assert {(p.kind.value, p.amount, p.imported) for p in db.session.scalars(
            select(Payment).where(Payment.grant_id == project.id))} == {("payment", 4_000_00,
                                                                         True)}
