"""Builders of calls, organisations, applicants and submitted applications for the call tests.

They act inside an application context and flush; the test commits when it needs to.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.accounts.organisations import create_organisation
from app.accounts.users import create_user
from app.call.models import Application, ApplicationBudgetLine, BudgetCategory, Call
from app.call.rules import ApplicationState, CallState
from app.call.versions import save_version
from app.core.audit import Actor
from app.extensions import db
from app.ledger.exchange import importing as funds
from app.ledger.models import GoalArea, Line
from tests.conftest import PASSWORD
from tests.services.builders import KR, allocation, call_line_id, document, line

FIXTURE = Actor(label="fixture")
AREAS = ("Stärka barn och ungas psykiska hälsa", "Stärka äldres psykiska hälsa",
         "Förbättra omhändertagandet av särskilt utsatta grupper")


def make_pool(pool_kr: int = 1_000_000, *, year: int = 2022, earmark: str = "samverkan") -> int:
    """Import an allocation with a call line of `pool_kr` and the goal areas; return the line."""
    funds.import_document(document(allocation(
        earmark, year, 6_000_000,
        line("Projektutlysning", kind="call", budget=pool_kr),
        *[line(f"Aktivitet {i}", goal_area=area, budget=1_000) for i, area in enumerate(AREAS)],
    )), FIXTURE)
    db.session.flush()
    return call_line_id(earmark, year)


def make_call(line_id: int, *, state: CallState = CallState.OPEN, title: str = "Projektutlysning",
              criteria: tuple[str, ...] = ("Samverkan", "Hållbarhet"),
              max_per_project: int | None = None) -> Call:
    pool = db.session.get(Line, line_id)
    areas = list(db.session.scalars(select(GoalArea).where(
        GoalArea.year == pool.allocation.year, GoalArea.name.in_(AREAS))))
    now = datetime.now(timezone.utc)
    call = Call(line_id=line_id, title=title, description="Sök medel för lokala projekt.",
                opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=10),
                state=state, goal_areas=areas, criteria=list(criteria),
                questions=[{"key": "q1", "text": "Hur sprids resultaten?", "required": True}],
                max_per_project=max_per_project, created_by="fixture")
    db.session.add(call)
    db.session.flush()
    return call


def make_organisation(name: str | None = None, kind: str = "municipality"):
    return create_organisation(name or f"Kommun {os.urandom(3).hex()}", kind, FIXTURE)


def make_applicant(organisation, email: str | None = None) -> str:
    email = email or f"sokande-{os.urandom(3).hex()}@example.se"
    create_user(email, PASSWORD, "applicant", FIXTURE, organisation=organisation)
    return email


def make_application(call: Call, organisation, *, amount_kr: int = 300_000,
                     state: ApplicationState = ApplicationState.SUBMITTED,
                     title: str = "Ett projekt", areas: tuple[str, ...] = AREAS[:1],
                     proposed_kr: int | None = None) -> Application:
    """Create an application as its applicants would have written and submitted it."""
    goal_areas = [a for a in call.goal_areas if a.name in areas]
    application = Application(
        call_id=call.id, organisation_id=organisation.id, state=state, title=title,
        summary="Sammanfattning", background="Bakgrund", aim="Syfte", target_group="Unga",
        owner=organisation.name, partners=["Region Jämtland Härjedalen"],
        user_participation="Brukarrådet deltar", long_term_plan="Förs in i ordinarie drift",
        indicators=[{"name": "Antal utbildade", "kind": "count", "split": False}],
        answers={"q1": "Genom nätverket"}, goal_areas=goal_areas,
        proposed_amount=proposed_kr * KR if proposed_kr is not None else None,
        submitted_at=datetime.now(timezone.utc) if state is not ApplicationState.DRAFT else None,
    )
    application.budget_lines = [
        ApplicationBudgetLine(year=2022, category=BudgetCategory.STAFF, description="Projektledare",
                              amount=amount_kr * KR),
    ]
    db.session.add(application)
    db.session.flush()
    if state is not ApplicationState.DRAFT:
        save_version(application)
        db.session.flush()
    return application
