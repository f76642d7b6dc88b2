"""Creating and changing project calls, and moving them through their states.

Nothing here commits: the request's unit of work does, once. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.call.models import Call, CallAction
from app.call.rules import CallState, check_call_times, check_call_transition
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.models import GoalArea, Line, LineKind
from app.ledger.queries import is_year_closed

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MAX_TITLE = 300
MAX_TEXT = 20_000
# What the audit log calls the move of a call into each state it can be moved to.
STATE_ACTIONS = {
    CallState.OPEN: CallAction.CALL_OPEN,
    CallState.CLOSED: CallAction.CALL_CLOSE,
    CallState.DECIDED: CallAction.CALL_DECIDE,
}


def stockholm_to_utc(day: date, moment: time) -> datetime:
    """Return a date and time on a Swedish wall clock as an aware UTC timestamp."""
    return datetime.combine(day, moment, tzinfo=STOCKHOLM).astimezone(timezone.utc)


def utc_to_stockholm(moment: datetime) -> datetime:
    return moment.astimezone(STOCKHOLM)


def parse_questions(text: str) -> list[dict]:
    """Read questions one per line; a leading "*" marks a question that must be answered."""
    questions = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        required = line.startswith("*")
        line = line.lstrip("*").strip()
        if line:
            questions.append({"key": f"q{len(questions) + 1}", "text": line,
                              "required": required})
    return questions


def questions_text(questions: list[dict]) -> str:
    return "\n".join(("* " if q.get("required") else "") + q["text"] for q in questions or [])


def parse_criteria(text: str) -> list[str]:
    """Read the review criteria, one per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass
class CallInput:
    line_id: int | None
    title: str
    opens_at: datetime
    closes_at: datetime
    description: str = ""
    requirements: str = ""
    goal_area_ids: list[int] = field(default_factory=list)
    max_per_project: int | None = None
    questions: list[dict] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)


def snapshot(call: Call) -> dict:
    return {
        "title": call.title,
        "line": call.line.activity if call.line else None,
        "line_id": call.line_id,
        "description": call.description,
        "requirements": call.requirements,
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "goal_areas": [g.name for g in call.goal_areas],
        "max_per_project": call.max_per_project,
        "questions": list(call.questions or []),
        "criteria": list(call.criteria or []),
        "state": call.state.value,
    }


def _validate(data: CallInput, call: Call | None = None) -> tuple[Line, list[GoalArea]]:
    title = (data.title or "").strip()
    if not title:
        raise DomainError("ange utlysningens rubrik")
    if len(title) > MAX_TITLE:
        raise DomainError(f"rubriken är för lång (högst {MAX_TITLE} tecken)")
    for text in (data.description, data.requirements):
        if len(text or "") > MAX_TEXT:
            raise DomainError(f"texten är för lång (högst {MAX_TEXT} tecken)")
    line = db.session.get(Line, data.line_id) if data.line_id else None
    if line is None:
        raise DomainError("välj den utlysningsrad i en tilldelning som är utlysningens pott")
    if line.kind is not LineKind.CALL:
        raise DomainError("raden är ingen utlysningsrad; välj en rad av typen utlysning som pott")
    if is_year_closed(line.allocation.year):
        raise DomainError(f"året {line.allocation.year} är stängt; välj en pott i ett öppet år")
    if not line.amount:
        raise DomainError("utlysningsraden har varken budget eller utfall: potten är tom")
    if data.opens_at is None or data.closes_at is None:
        raise DomainError("ange när utlysningen öppnar och stänger")
    check_call_times(data.opens_at, data.closes_at)
    if data.max_per_project is not None:
        if data.max_per_project <= 0:
            raise DomainError("högsta belopp per projekt måste vara större än noll")
        if data.max_per_project > line.amount:
            raise DomainError("högsta belopp per projekt kan inte vara större än potten")
    areas = list(db.session.scalars(
        select(GoalArea).where(GoalArea.id.in_(data.goal_area_ids or []))
        .order_by(GoalArea.name)
    ))
    if len(areas) != len(set(data.goal_area_ids or [])):
        raise DomainError("ett av målområdena finns inte")
    if not areas:
        raise DomainError("välj minst ett målområde som utlysningen gäller")
    if any(a.year != line.allocation.year for a in areas):
        raise DomainError(f"välj målområden från {line.allocation.year}, pottens år")
    kept = set(call.goal_areas) if call is not None else set()
    retired = [a.name for a in areas if a.retired and a not in kept]
    if retired:
        raise DomainError(f"målområdet {', '.join(retired)} har utgått ur "
                          f"{line.allocation.year} års lista och kan inte väljas")
    return line, areas


def _apply(call: Call, data: CallInput, line: Line, areas: list[GoalArea]) -> None:
    call.line = line
    call.title = data.title.strip()
    call.description = (data.description or "").strip()
    call.requirements = (data.requirements or "").strip()
    call.opens_at = data.opens_at
    call.closes_at = data.closes_at
    call.goal_areas = areas
    call.max_per_project = data.max_per_project
    call.questions = list(data.questions)
    call.criteria = list(data.criteria)


def create_call(data: CallInput, actor: Actor) -> Call:
    """Create a call as a draft on a call line's pool."""
    line, areas = _validate(data)
    call = Call(state=CallState.DRAFT, created_by=actor.label)
    _apply(call, data, line, areas)
    db.session.add(call)
    db.session.flush()
    audit.record(actor, CallAction.CALL_CREATE, "call", call.id, year=line.allocation.year,
                 summary=f"Ny utlysning {call.title[:200]}", after=snapshot(call))
    return call


def update_call(call_id: int, data: CallInput, actor: Actor) -> Call:
    """Change a call; only a draft may change."""
    call = db.session.get(Call, call_id)
    if call is None:
        raise DomainError("utlysningen finns inte")
    if call.state is not CallState.DRAFT:
        raise DomainError("bara en utlysning som är ett utkast kan ändras")
    line, areas = _validate(data, call)
    before = snapshot(call)
    _apply(call, data, line, areas)
    db.session.flush()
    audit.record(actor, CallAction.CALL_UPDATE, "call", call.id, year=line.allocation.year,
                 summary=f"Ändrade utlysningen {call.title[:200]}",
                 before=before, after=snapshot(call))
    return call


def set_state(call_id: int, target: CallState, actor: Actor) -> Call:
    """Open, close or mark a call decided, as the state table allows."""
    call = db.session.scalar(select(Call).where(Call.id == call_id).with_for_update())
    if call is None:
        raise DomainError("utlysningen finns inte")
    check_call_transition(call.state, target)
    before = call.state
    call.state = target
    db.session.flush()
    audit.record(actor, STATE_ACTIONS[target], "call", call.id, year=call.line.allocation.year,
                 summary=f"Utlysningen {call.title[:200]}: {before.swedish} → {target.swedish}",
                 before={"state": before.value}, after={"state": target.value})
    return call


