"""Creating and changing project calls, and moving them through their states.

Nothing here commits: the request's unit of work does, once. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from app.call import queries
from app.call.models import Application, Call, CallAction
from app.call.organisations import applicant_addresses
from app.call.rules import (
    UNDECIDED_STATES,
    ApplicationState,
    CallState,
    check_call_times,
    check_call_transition,
)
from app.core import audit, mail
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.core.signals import year_closed
from app.core.types import MAX_ID
from app.extensions import db
from app.ledger.models import Allocation, GoalArea, Line, LineKind
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


def pot_left(line: Line) -> int:
    """What a call line's pool still has to grant: its amount less what is granted from it."""
    return queries.pots_left([line])[line.id]


def ensure_pot_has_money(line: Line) -> None:
    """Refuse a pot that is granted in full: a call on it could grant nothing."""
    left = pot_left(line)
    if left <= 0:
        raise DomainError(
            _("potten ”%(activity)s” i %(allocation)s är redan beviljad i sin helhet (%(pot)s; "
              "%(left)s kvar); välj en pott som har pengar kvar", activity=line.activity[:80],
              allocation=line.allocation.label, pot=format_amount(line.amount or 0, unit=True),
              left=format_amount(max(left, 0), unit=True)),
            field="line_id")


def _check_texts(data: CallInput | CallCorrection) -> str:
    """Refuse a call without a title, or with a title or text too long; return the title."""
    title = (data.title or "").strip()
    if not title:
        raise DomainError(_("ange utlysningens rubrik"), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(_("rubriken är för lång (högst %(most)s tecken)",
                            most=MAX_TITLE), field="title")
    for name in ("description", "requirements"):
        if len(getattr(data, name) or "") > MAX_TEXT:
            raise DomainError(_("texten är för lång (högst %(most)s tecken)",
                                most=MAX_TEXT), field=name)
    return title


def _pot(data: CallInput, call: Call | None) -> Line:
    """The call line chosen as the call's pot, refused unless it is one with money to grant
    in an open year."""
    line = db.session.get(Line, data.line_id) if data.line_id else None
    if line is None:
        raise DomainError(_("välj den utlysningsrad i en tilldelning som är utlysningens pott"),
                          field="line_id")
    if line.kind is not LineKind.CALL:
        raise DomainError(_("raden är ingen utlysningsrad; välj en rad av typen utlysning som "
                            "pott"), field="line_id")
    if is_year_closed(line.allocation.year):
        raise DomainError(_("året %(year)s är stängt; välj en pott i ett öppet år",
                            year=line.allocation.year),
                          field="line_id")
    if not line.amount:
        raise DomainError(_("utlysningsraden har varken budget eller utfall: potten är tom"),
                          field="line_id")
    if call is None or call.line_id != line.id:
        ensure_pot_has_money(line)
    return line


def _goal_areas(data: CallInput, year: int, call: Call | None) -> list[GoalArea]:
    """The goal areas chosen, refused unless each is on the pot's year's list and not retired
    (one the call already has may stay)."""
    wanted = set(data.goal_area_ids or [])
    areas = list(db.session.scalars(
        select(GoalArea).where(GoalArea.id.in_([i for i in wanted if 0 < i <= MAX_ID]))
        .order_by(GoalArea.name)
    ))
    if len(areas) != len(wanted):
        raise DomainError(_("ett av målområdena finns inte"), field="goal_area_ids")
    if not areas:
        raise DomainError(_("välj minst ett målområde som utlysningen gäller"),
                          field="goal_area_ids")
    if any(a.year != year for a in areas):
        raise DomainError(_("välj målområden från %(year)s, pottens år",
                            year=year), field="goal_area_ids")
    kept = set(call.goal_areas) if call is not None else set()
    retired = [a.name for a in areas if a.retired and a not in kept]
    if retired:
        raise DomainError(_("målområdet %(retired)s har utgått ur %(year)s års lista och kan inte "
                            "väljas", retired=", ".join(retired), year=year),
                          field="goal_area_ids")
    return areas


def _validate(data: CallInput, call: Call | None = None) -> tuple[Line, list[GoalArea]]:
    _check_texts(data)
    line = _pot(data, call)
    if data.opens_at is None or data.closes_at is None:
        raise DomainError(_("ange när utlysningen öppnar och stänger"),
                          field="closes_at" if data.opens_at else "opens_at")
    check_call_times(data.opens_at, data.closes_at)
    if data.max_per_project is not None:
        if data.max_per_project <= 0:
            raise DomainError(_("högsta belopp per projekt måste vara större än noll"),
                              field="max_per_project")
        if data.max_per_project > line.amount:
            raise DomainError(_("högsta belopp per projekt kan inte vara större än potten"),
                              field="max_per_project")
    return line, _goal_areas(data, line.allocation.year, call)


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
        raise DomainError(_("utlysningen finns inte"))
    if call.state is not CallState.DRAFT:
        raise DomainError(_("bara en utlysning som är ett utkast kan ändras"))
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
        raise DomainError(_("utlysningen finns inte"))
    check_call_transition(call.state, target)
    if target is CallState.OPEN:
        year = call.line.allocation.year
        if is_year_closed(year):
            raise DomainError(_("potten hör till %(year)s, som är stängt; utlysningen kan inte "
                                "öppnas", year=year))
        ensure_pot_has_money(call.line)
    before = call.state
    call.state = target
    db.session.flush()
    audit.record(actor, STATE_ACTIONS[target], "call", call.id, year=call.line.allocation.year,
                 summary=f"Utlysningen {call.title[:200]}: {before.swedish} → {target.swedish}",
                 before={"state": before.value}, after={"state": target.value})
    return call


# --- correcting an open call ---------------------------------------------------------------

@dataclass
class CallCorrection:
    """What may be corrected while a call is open: its closing time and its texts."""

    title: str
    closes_at: datetime
    description: str = ""
    requirements: str = ""


# Applications whose applicants are told of a correction: drafts and those sent in but not
# yet decided (a decided or withdrawn one is past what the call's texts change).
TOLD_STATES = (ApplicationState.DRAFT, *UNDECIDED_STATES)
CORRECTED_FIELDS = {"title": "rubriken", "closes_at": "stängningstiden",
                    "description": "beskrivningen", "requirements": "kraven"}


def correct_open_call(call_id: int, data: CallCorrection, actor: Actor,
                      now: datetime) -> list[str]:
    """Correct an open call's closing time and texts; e-mail the applicants of its drafts and
    undecided applications what changed. Return the Swedish names of what changed."""
    call = db.session.scalar(select(Call).where(Call.id == call_id).with_for_update())
    if call is None:
        raise DomainError(_("utlysningen finns inte"))
    if call.state is not CallState.OPEN:
        raise DomainError(_("bara en öppen utlysning kan rättas; ett utkast ändras som vanligt"))
    title = _check_texts(data)
    check_call_times(call.opens_at, data.closes_at)
    if data.closes_at <= now:
        raise DomainError(_("den nya stängningstiden har redan passerat; stäng utlysningen i "
                            "stället om den ska sluta ta emot ansökningar"), field="closes_at")
    before = snapshot(call)
    old_closes = call.closes_at
    call.title = title
    call.closes_at = data.closes_at
    call.description = (data.description or "").strip()
    call.requirements = (data.requirements or "").strip()
    db.session.flush()
    after = snapshot(call)
    changed = [name for key, name in CORRECTED_FIELDS.items() if before[key] != after[key]]
    if not changed:
        raise DomainError(_("inget är ändrat"))
    audit.record(actor, CallAction.CALL_CORRECT, "call", call.id, year=call.line.allocation.year,
                 summary=f"Rättade den öppna utlysningen {call.title[:200]}: "
                 + ", ".join(changed), before=before, after=after)
    _tell_applicants(call, changed, old_closes)
    return changed


def _tell_applicants(call: Call, changed: list[str], old_closes: datetime) -> None:
    organisations = db.session.scalars(
        select(Application.organisation_id).where(Application.call_id == call.id,
                                                  Application.state.in_(TOLD_STATES))
        .distinct())
    for organisation_id in organisations:
        for address in applicant_addresses(organisation_id):
            mail.queue_mail(address, f"Utlysningen är ändrad: {call.title[:200]}",
                            "call_corrected", call=call, changed=changed,
                            old_closes=utc_to_stockholm(old_closes),
                            new_closes=utc_to_stockholm(call.closes_at))


# --- when a year closes --------------------------------------------------------------------

def open_calls_of_year(year: int) -> list[Call]:
    """The calls a closing of `year` closes: open ones whose pot is in that year."""
    return list(db.session.scalars(
        select(Call).join(Line, Line.id == Call.line_id)
        .join(Allocation, Allocation.id == Line.allocation_id)
        .where(Allocation.year == year, Call.state == CallState.OPEN)
        .order_by(Call.closes_at, Call.id)
    ))


def close_calls_of_year(year: int, actor: Actor) -> str | None:
    """Close the open calls on a closed year's pots: its money is frozen, so they can take no
    application. Return what was done, for the year's audit entry."""
    closed = []
    for call in open_calls_of_year(year):
        call.state = CallState.CLOSED
        audit.record(actor, CallAction.CALL_CLOSE, "call", call.id, year=year,
                     summary=f"Utlysningen {call.title[:200]} stängdes när {year} stängdes",
                     before={"state": CallState.OPEN.value},
                     after={"state": CallState.CLOSED.value})
        closed.append(call.title)
    db.session.flush()
    if not closed:
        return None
    return "stängde utlysningarna " + ", ".join(f"”{t[:80]}”" for t in closed)


@year_closed.connect
def _on_year_closed(year: int, actor: Actor) -> str | None:
    return close_calls_of_year(year, actor)
