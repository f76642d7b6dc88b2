"""Builders for the applicant side's tests: calls, organisations, applicants, applications."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import Organisation, OrganisationKind
from app.accounts.users import create_user
from app.call.models import Call
from app.call.rules import CallState
from app.core.audit import Actor
from app.extensions import db
from app.ledger.models import Allocation, Earmark, GoalArea, Line, LineKind
from tests.conftest import PASSWORD

FIXTURE = Actor(label="fixture")
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
