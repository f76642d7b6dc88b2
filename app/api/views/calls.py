"""Project calls: the list (the staff every call, an applicant the open ones, as on the web),
one call, and a new call with the rules of the web's form (app/call/calls.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import url_for
from flask_babel import gettext as _
from marshmallow import RAISE

from app.api.auth import api_user, money_only
from app.api.call_schemas import CallCreateSchema, CallPageSchema, CallSchema, PageQuerySchema
from app.api.problems import ApiProblem, refusal
from app.api.views import found, page_of, problems, resource_blueprint
from app.call import calls as call_service
from app.call import queries
from app.call.models import Call
from app.call.rules import CallState, is_open
from app.core.audit import Actor
from app.core.errors import DomainError
from app.web.unit_of_work import abandon

blp = resource_blueprint("api_calls", "/api/v1/calls",
                         "Utlysningar: de öppna för sökande, alla för regionens personal; nya "
                         "utlysningar av samordnare.")

def now() -> datetime:
    return datetime.now(UTC)


def call_data(call: Call) -> dict:
    """A call as the API shows it."""
    allocation = call.line.allocation
    return {
        "id": call.id, "title": call.title, "state": call.state.value,
        "open_now": is_open(call.state, call.opens_at, call.closes_at, now()),
        "line_id": call.line_id, "earmark": allocation.earmark.code, "year": allocation.year,
        "pool": call.line.amount or 0, "description": call.description,
        "requirements": call.requirements, "opens_at": call.opens_at,
        "closes_at": call.closes_at, "max_per_project": call.max_per_project,
        "goal_areas": [{"id": a.id, "name": a.name} for a in call.goal_areas],
        "questions": list(call.questions or []), "criteria": list(call.criteria or []),
    }


def visible_call(call_id: int) -> Call:
    """A call the token's user may see: a draft only for staff, as on the web; 404 else."""
    call = found(Call, call_id, _("Utlysningen finns inte."))
    if call.state is CallState.DRAFT and not api_user().is_staff:
        raise ApiProblem(404, _("Utlysningen finns inte."))
    return call


#: The fields whose refusals come from the data as it stands (the pot's line, its year and
#: goal areas, what is in the pot): 409. The others are wrong in the request itself: 422.
OF_THE_DATA = {"line_id", "goal_area_ids", "max_per_project"}


@blp.route("", methods=["GET"])
@blp.arguments(PageQuerySchema, location="query", error_status_code=400, unknown=RAISE)
@blp.response(200, CallPageSchema)
@problems(blp, {400: "Ogiltig parameter"})
def list_calls(args: dict):
    """The calls: every one for staff, those open now for applicants

    Personalen ser alla utlysningar, den senast öppnande först; en sökande de som tar emot
    ansökningar just nu, den som stänger först först (som sidan Utlysningar).
    Sidindelat: följ `next` tills den är null.
    """
    calls = queries.all_calls() if api_user().is_staff else queries.open_calls(now())
    page = page_of(calls, args, "api_calls.list_calls")
    return {**page, "items": [call_data(call) for call in page["items"]]}


@blp.route("", methods=["POST"])
@money_only
@blp.arguments(CallCreateSchema, unknown=RAISE)
@blp.response(201, CallSchema, description="Utlysningen är skapad som utkast")
@problems(blp, {409: "En regel vägrar utlysningen som det ser ut nu (raden är ingen "
                     "utlysningsrad, året är stängt, potten är tom), vid sitt fält",
                422: "Uppgifterna kunde inte användas: varje fel vid sitt fält"})
def create_call(data: dict):
    """Create a call as a draft (coordinators)

    Samma fält och regler som formuläret Ny utlysning: potten är en utlysningsrad i ett öppet
    år, målområden från pottens år, öppnar före stänger. En tid utan tidszon är svensk tid.
    Öppna utlysningen på webben.
    """
    questions = [{"key": f"q{i + 1}", "text": q["text"].strip(), "required": q["required"]}
                 for i, q in enumerate(q for q in data["questions"] if q["text"].strip())]
    given = call_service.CallInput(
        line_id=data["line_id"], title=data["title"],
        opens_at=data["opens_at"].astimezone(UTC), closes_at=data["closes_at"].astimezone(UTC),
        description=data["description"], requirements=data["requirements"],
        goal_area_ids=list(data["goal_area_ids"]), max_per_project=data["max_per_project"],
        questions=questions, criteria=[c.strip() for c in data["criteria"] if c.strip()])
    try:
        call = call_service.create_call(given, Actor.of(api_user()))
    except DomainError as exc:
        abandon()
        raise refusal(exc, 409 if exc.field in OF_THE_DATA else 422) from None
    return call_data(call), 201, {"Location": url_for("api_calls.get_call", call_id=call.id)}


@blp.route("/<int:call_id>", methods=["GET"])
@blp.response(200, CallSchema)
@problems(blp, {404: "Utlysningen finns inte (ett utkast syns bara för personalen)"})
def get_call(call_id: int):
    """One call: its pool, times, goal areas, questions and criteria"""
    return call_data(visible_call(call_id))
