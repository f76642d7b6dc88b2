"""Builders of the call's tests: pools, calls, organisations, applicants, drafts and submitted
applications, and a complete application form as an applicant would send it.

They act inside an application context and flush; the test commits when it needs to.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import select

from app.accounts.models import Organisation, OrganisationKind
from app.accounts.organisations import create_organisation as register_organisation
from app.accounts.users import create_user
from app.call.models import Application, ApplicationBudgetLine, BudgetCategory, Call
from app.call.rules import ApplicationState, CallState
from app.call.versions import save_version
from app.core.audit import Actor
from app.extensions import db
from app.ledger.exchange import importing as funds
from app.ledger.models import Allocation, Earmark, GoalArea, Line, LineKind
from tests.conftest import PASSWORD
from tests.ledger.factories import allocation, call_line_id, document, line
from tests.support import kronor

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
    return register_organisation(name or f"Kommun {os.urandom(3).hex()}", kind, FIXTURE)


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
        proposed_amount=kronor(proposed_kr) if proposed_kr is not None else None,
        submitted_at=datetime.now(timezone.utc) if state is not ApplicationState.DRAFT else None,
    )
    application.budget_lines = [
        ApplicationBudgetLine(year=2022, category=BudgetCategory.STAFF, description="Projektledare",
                              amount=kronor(amount_kr)),
    ]
    db.session.add(application)
    db.session.flush()
    if state is not ApplicationState.DRAFT:
        save_version(application)
        db.session.flush()
    return application


def make_competing_applications(count: int, *, pool_kr: int = 1_000_000,
                                amount_kr: int = 150_000) -> tuple[int, int, list[int]]:
    """A pool, an open call on it and `count` applications under review, each asking
    `amount_kr`, committed: return (the pool's line id, the call's id, the applications' ids)."""
    pool = make_pool(pool_kr)
    call = make_call(pool)
    org = make_organisation("Östersunds kommun")
    ids = [make_application(call, org, amount_kr=amount_kr, title=f"Projekt {i}",
                            state=ApplicationState.UNDER_REVIEW).id
           for i in range(count)]
    call_id = call.id
    db.session.commit()
    return pool, call_id, ids


GOAL_AREAS = ("Stärka barn och ungas psykiska hälsa", "Stärka äldres psykiska hälsa",
              "Utåtriktat arbete och utbildningsinsatser")


def call_line() -> Line:
    """A call line of the samverkan allocation of 2020, made if missing."""
    earmark = db.session.scalar(select(Earmark).where(Earmark.code == "samverkan"))
    allocation = db.session.scalar(select(Allocation).where(
        Allocation.earmark_id == earmark.id, Allocation.year == 2020))
    if allocation is None:
        allocation = Allocation(earmark_id=earmark.id, year=2020, received=620_318_300,
                                spend_until=date(2021, 12, 31))
        db.session.add(allocation)
        db.session.flush()
    line = Line(allocation_id=allocation.id, activity="Projektutlysning", kind=LineKind.CALL,
                budget=500_000_000, position=99)
    db.session.add(line)
    db.session.flush()
    return line


def goal_areas() -> list[GoalArea]:
    areas = []
    for name in GOAL_AREAS:
        area = db.session.scalar(select(GoalArea).where(GoalArea.year == 2020,
                                                        GoalArea.name == name))
        if area is None:
            area = GoalArea(year=2020, name=name)
            db.session.add(area)
        areas.append(area)
    db.session.flush()
    return areas


def create_call(*, state: CallState = CallState.OPEN, opens_at: datetime | None = None,
                closes_at: datetime | None = None, questions: list | None = None,
                max_per_project: int | None = None, title: str = "Projektutlysning 2020") -> int:
    """Insert a call (open around now unless told) and return its id; the caller commits."""
    now = datetime.now(UTC)
    call = Call(line_id=call_line().id, title=title,
                description="Lokala samverkansprojekt.", requirements="Minst två huvudmän.",
                opens_at=opens_at or now - timedelta(days=1),
                closes_at=closes_at or now + timedelta(days=30),
                questions=questions if questions is not None else [
                    {"key": "q1", "text": "Hur når ni målgruppen?", "required": True}],
                max_per_project=max_per_project, state=state, goal_areas=goal_areas())
    db.session.add(call)
    db.session.flush()
    return call.id


def create_organisation(name: str = "Krokoms kommun") -> int:
    org = Organisation(name=name, kind=OrganisationKind.MUNICIPALITY)
    db.session.add(org)
    db.session.flush()
    return org.id


def create_applicant(organisation_id: int, email: str | None = None) -> str:
    """Create a confirmed applicant of an organisation; the password is PASSWORD."""
    email = email or f"sokande-{os.urandom(3).hex()}@example.se"
    create_user(email, PASSWORD, "applicant", FIXTURE,
                organisation=db.session.get(Organisation, organisation_id), confirmed=True)
    return email


def complete_form(call: Call, **overrides) -> dict:
    """The form of a complete application to `call`, as posted."""
    data = {
        "title": "Första hjälpen till psykisk hälsa",
        "summary": "Utbildning i MHFA för skolpersonal.",
        "background": "Många unga mår dåligt.",
        "aim": "Fler vuxna som kan ge stöd.",
        "target_group": "Personal på gymnasiet.",
        "owner": "Krokoms kommun",
        "partners": "Region Jämtland Härjedalen\nJLB",
        "user_participation": "JLB deltar i styrgruppen.",
        "long_term_plan": "Utbildningen blir en del av skolans plan.",
        "period_start": "2021-01-01",
        "period_end": "2022-06-30",
        "goal_areas": [str(call.goal_areas[0].id)],
        "budget-0-year": "2021", "budget-0-category": "staff",
        "budget-0-description": "Instruktörer", "budget-0-amount": "120 000",
        "budget-1-year": "2021", "budget-1-category": "material",
        "budget-1-description": "Kursböcker", "budget-1-amount": "8 500,50",
        "budget-2-year": "2021", "budget-2-category": "staff",
        "budget-2-description": "", "budget-2-amount": "",
        "indicators": "Antal utbildade\nAntal skolor",
        "answer-q1": "Genom elevhälsan.",
        "next": "stay",
    }
    data.update(overrides)
    return data
