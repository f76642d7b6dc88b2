"""Builders of the ledger's tests: exchange documents, years built from the 2020 data, and views
of the database (balances, every row) to compare before and after."""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select

from app.accounts.users import find_by_email
from app.core.audit import Actor
from app.extensions import db
from app.ledger.exchange.importing import import_document
from app.ledger.models import Allocation, Earmark, Line, LineKind
from app.ledger.queries import load_ledger
from app.ledger.rules import Balance, Basis
from app.ledger.years import close_year
from tests.conftest import DATA_2020

FIXTURE = Actor(label="fixture")


def grant(title: str, amount: int, *, owner: str = "Krokoms kommun",
          goal_areas: tuple[str, ...] = ("Stärka barn och ungas psykiska hälsa",),
          **extra: Any) -> dict:
    return {"title": title, "owner": owner, "goal_areas": list(goal_areas), "amount": amount,
            **extra}


def line(activity: str, *, spent: int | None = None, budget: int | None = None,
         kind: str | None = None, covers: tuple[str, int] | None = None,
         grants: list[dict] | None = None, goal_area: str | None = None) -> dict:
    out: dict[str, Any] = {"activity": activity}
    if goal_area is not None:
        out["goal_area"] = goal_area
    if kind is not None:
        out["kind"] = kind
    if budget is not None:
        out["budget"] = budget
    if spent is not None:
        out["spent"] = spent
    if covers is not None:
        out["covers"] = {"earmark": covers[0], "year": covers[1]}
    if grants is not None:
        out["grants"] = grants
    return out


def allocation(earmark: str, year: int, received: int, *lines: dict, **extra: Any) -> dict:
    return {"earmark": earmark, "year": year, "received": received, **extra,
            "lines": list(lines)}


def document(*allocations: dict, region: str | None = "Region Jämtland Härjedalen") -> str:
    doc: dict[str, Any] = {"format": "stimulansmedel/1"}
    if region is not None:
        doc["region"] = region
    doc["allocations"] = list(allocations)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table, in primary-key order: the whole state of the database."""
    db.session.flush()  # a Core select of a table does not autoflush the session
    out = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = [tuple(row) for row in rows]
    return out


def balances(year: int, basis: Basis = Basis.OUTCOME) -> dict[str, Balance]:
    """Return the balance of each fund's allocation of the year, by earmark code."""
    ledger = load_ledger([year])
    return {a.earmark.code: ledger.balance(a, basis) for a in ledger.allocations}


def allocation_id(earmark: str, year: int) -> int:
    return db.session.scalar(
        select(Allocation.id).join(Allocation.earmark)
        .where(Earmark.code == earmark, Allocation.year == year)
    )


def line_id(earmark: str, year: int, activity: str) -> int:
    return db.session.scalar(
        select(Line.id).where(Line.allocation_id == allocation_id(earmark, year),
                              Line.activity == activity)
    )


def call_line_id(earmark: str, year: int) -> int:
    return db.session.scalar(
        select(Line.id).where(Line.allocation_id == allocation_id(earmark, year),
                              Line.kind == LineKind.CALL)
    )


def year_document(year: int) -> str:
    """Return the real 2020 follow-up as if it were the follow-up of `year`."""
    text = DATA_2020.read_text(encoding="utf-8")
    return (text.replace("year: 2020", f"year: {year}")
                .replace("spend_until: 2021-12-31", f"spend_until: {year + 1}-12-31"))


def import_text(app, text: str, *, replace: bool = False) -> None:
    """Import a document as the command line would, and commit."""
    with app.app_context():
        import_document(text, FIXTURE, replace=replace)
        db.session.commit()
        db.session.remove()


def close(app, year: int) -> None:
    """Close a year as the command line would, and commit."""
    with app.app_context():
        close_year(year, FIXTURE)
        db.session.commit()
        db.session.remove()


def user_id(app, email: str) -> int:
    with app.app_context():
        return find_by_email(email).id
