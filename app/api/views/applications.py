"""Applications: an applicant starts, writes and submits their organisation's, the staff read
every one, and coordinators decide them, with the web's rules (app/call/applications.py,
app/call/decisions.py).

An applicant of another organisation is answered 404, as on the web, so no id tells whether
an application exists; staff are refused (403) what only applicants do.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from marshmallow import RAISE

from app.api.auth import api_user, applicant_only, money_only
from app.api.call_schemas import (
    ApplicationPatchSchema,
    ApplicationSchema,
    DecisionInputSchema,
    DecisionSchema,
)
from app.api.problems import ApiProblem, refusal
from app.api.views import found, found_first, problems, resource_blueprint
from app.api.views.calls import now, visible_call
from app.call import applications as service
from app.call import decisions as decision_service
from app.call import queries
from app.call.models import Application
from app.call.rules import (
    EDITABLE_STATES,
    ApplicationState,
    indicator_name,
    is_open,
    may_read_application,
)
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.web.messages import sentence
from app.web.unit_of_work import abandon

blp = resource_blueprint("api_applications", "/api/v1",
                         "Ansökningar: sökande skriver och skickar in sin organisations, "
                         "personalen läser alla, samordnare beslutar.")

NOT_FOUND = {404: "Ansökan finns inte, eller hör till en annan organisation"}
#: Where the draft's own names of fields are other than the API's.
FIELD_NAMES = {"goal_areas": "goal_area_ids", "budget_lines": "budget"}


def application_data(application: Application) -> dict:
    """An application as the API shows it, with what it lacks before it can be submitted."""
    grant = queries.grant_of(application.id)
    return {
        **{name: getattr(application, name) for name in service.TEXT_FIELDS},
        "id": application.id, "call_id": application.call_id,
        "organisation": application.organisation.name, "state": application.state.value,
        "editable": application.state in EDITABLE_STATES,
        "partners": list(application.partners or []),
        "indicators": [indicator_name(i) for i in application.indicators or []],
        "goal_areas": [{"id": a.id, "name": a.name} for a in application.goal_areas],
        "period_start": application.period_start, "period_end": application.period_end,
        "budget": [{"year": line.year, "category": line.category.value,
                    "description": line.description, "amount": line.amount}
                   for line in application.budget_lines],
        "amount_applied": application.amount_applied,
        "answers": dict(application.answers or {}),
        "continues_grant_id": application.continues_grant_id,
        "submitted_at": application.submitted_at, "version": application.version,
        "missing": ([] if application.state not in EDITABLE_STATES
                    else [_missing(m) for m in service.missing(application)]),
        "grant_id": grant.id if grant else None,
    }


def _missing(item) -> dict:
    return {"field": _api_field(item.field),
            "message": sentence(DomainError(item.message))}


def readable(application_id: int) -> Application:
    """An application the token's user may read; 404 for another organisation's."""
    application = found(Application, application_id, _("Ansökan finns inte."))
    if not may_read_application(api_user(), application):
        raise ApiProblem(404, _("Ansökan finns inte."))
    return application


def editable(application_id: int) -> Application:
    """The user's own organisation's application while it may change; 409 once sent in."""
    application = readable(application_id)
    if application.state not in EDITABLE_STATES:
        raise ApiProblem(409, _("Ansökan är inskickad och kan inte ändras."))
    return application


@blp.route("/calls/<int:call_id>/applications", methods=["POST"])
@applicant_only
@blp.response(201, ApplicationSchema, description="Ett nytt utkast för din organisation")
@problems(blp, {404: "Utlysningen finns inte", 409: "Utlysningen tar inte emot ansökningar nu"})
def start_application(call_id: int):
    """Start a draft application to an open call (applicants)"""
    call = visible_call(call_id)
    try:
        application = service.start(call, api_user(), now())
    except DomainError as exc:
        abandon()
        raise refusal(exc) from None
    return application_data(application), 201, {
        "Location": url_for("api_applications.get_application", application_id=application.id)}


@blp.route("/applications/<int:application_id>", methods=["GET"])
@blp.response(200, ApplicationSchema)
@problems(blp, NOT_FOUND)
def get_application(application_id: int):
    """One application: its fields, budget, state and what it still lacks"""
    return application_data(readable(application_id))


def _draft_input(application: Application, data: dict) -> service.DraftInput:
    """The draft as the web's form would post it back (app/call/applications.py), with the
    fields the request gives instead."""
    given = service.draft_input_of(application)
    given.texts.update({name: data[name] for name in service.TEXT_FIELDS if name in data})
    if "partners" in data:
        given.partners = "\n".join(data["partners"])
    if "indicators" in data:
        given.indicators = "\n".join(data["indicators"])
    if "goal_area_ids" in data:
        given.goal_areas = [str(i) for i in data["goal_area_ids"]]
    if "budget" in data:
        given.budget = [{"year": str(row["year"]), "category": row["category"],
                         "description": row["description"],
                         "amount": format_amount(row["amount"])} for row in data["budget"]]
    for name in ("period_start", "period_end"):
        if name in data:
            setattr(given, name, data[name].isoformat() if data[name] else "")
    if "continues_grant_id" in data:
        given.continues_grant = ("" if data["continues_grant_id"] is None
                                 else str(data["continues_grant_id"]))
    given.answers.update(data.get("answers", {}))
    return given


def _api_field(name: str) -> str:
    """The draft's name of a field ("budget-0-amount") as the API's ("budget.0.amount")."""
    if name.startswith("budget-"):
        return name.replace("-", ".")
    return FIELD_NAMES.get(name, name)


def _of_the_request(errors: dict[str, str], data: dict) -> dict[str, str]:
    """The errors at the fields the request gives: the others are what the draft already
    keeps as typed (a date or budget row that could not be read), and stay as they are."""
    return {name: message for name, message in errors.items()
            if _api_field(name).split(".")[0] in data}


def _refused(errors: dict[str, str]) -> ApiProblem:
    return ApiProblem(422, _("Inget sparades: rätta fälten som anges."), errors=[
        {"field": _api_field(name), "location": "json",
         "message": sentence(DomainError(message))} for name, message in errors.items()],
        kind="validation")


@blp.route("/applications/<int:application_id>", methods=["PATCH"])
@applicant_only
@found_first(readable, "application_id")
@blp.arguments(ApplicationPatchSchema, unknown=RAISE)
@blp.response(200, ApplicationSchema)
@problems(blp, {**NOT_FOUND, 409: "Ansökan är inskickad och kan inte ändras",
                422: "Inget sparades: varje fel vid sitt fält"})
def update_application(data: dict, application_id: int):
    """Change the draft's fields and budget rows (applicants)

    Ett fält som utelämnas behåller sitt värde, också det som utkastet har kvar som det
    skrevs på webben för att det inte kunde läsas; `budget` ersätter alla rader. Samma regler
    som när utkastet sparas på webben, men allt eller inget: ett fel i det som begäran ger och
    inget sparas (422, varje fel vid sitt fält, t.ex. `budget.0.year`). Inskickad: 409.
    """
    application = editable(application_id)
    given = _draft_input(application, data)
    try:
        errors = service.save_draft(application, given, Actor.of(api_user()))
    except service.DraftErrors as refused:
        abandon()
        raise _refused(refused.errors) from None
    errors = _of_the_request(errors, data)
    if errors:
        abandon()
        raise _refused(errors)
    return application_data(application)


@blp.route("/applications/<int:application_id>/submit", methods=["POST"])
@applicant_only
@blp.response(200, ApplicationSchema, description="Inskickad; ett kvitto går till din e-post")
@problems(blp, {**NOT_FOUND, 409: "Redan inskickad, eller utlysningen är inte öppen",
                422: "Ansökan är inte komplett: varje del som saknas vid sitt fält"})
def submit_application(application_id: int):
    """Submit (or resubmit) the application (applicants)"""
    application = editable(application_id)
    call = application.call
    lacking = service.missing(application)
    if lacking and is_open(call.state, call.opens_at, call.closes_at, now()):
        raise ApiProblem(422, _("Ansökan är inte komplett: rätta fälten som anges."),
                         errors=[{**_missing(m), "location": "json"} for m in lacking],
                         kind="incomplete")
    try:
        service.submit(application, api_user(), now())
    except DomainError as exc:
        abandon()
        raise refusal(exc) from None
    return application_data(application)


def decidable(application_id: int) -> Application:
    """An application sent in; 404 for a draft, which is its applicants' own until sent."""
    application = found(Application, application_id, _("Ansökan finns inte."))
    if application.state is ApplicationState.DRAFT:
        raise ApiProblem(404, _("Ansökan finns inte."))
    return application


def decision_data(decision) -> dict:
    return {name: getattr(decision, name) for name in (
        "id", "application_id", "sequence", "amount", "conditions", "reason", "body",
        "decided_on", "paragraph", "diary_number", "grant_id")} | {
        "outcome": decision.outcome.value}


@blp.route("/applications/<int:application_id>/decision", methods=["POST"])
@money_only
@found_first(decidable, "application_id")
@blp.arguments(DecisionInputSchema, unknown=RAISE)
@blp.response(201, DecisionSchema, description="Beslutet är registrerat (och projektet skapat "
                                               "när ansökan beviljats)")
@problems(blp, {404: "Ansökan finns inte (ett utkast är de sökandes)",
                409: "Ansökan är inte under bedömning, eller en regel vägrar beslutet som "
                     "det ser ut nu (mer än det som är kvar i potten)",
                422: "Fel vid fältet"})
def decide_application(data: dict, application_id: int):
    """Decide an application under review: granted, partly granted or rejected (coordinators)

    Samma regler som sidan Beslut: aldrig mer än pottens återstod, ett delvis beviljande
    under det sökta beloppet med villkor, ett avslag med skäl. Två beslut samtidigt: det
    andra får 409.
    """
    application = decidable(application_id)
    if application.state is not ApplicationState.UNDER_REVIEW:
        raise ApiProblem(409, _("Bara en ansökan som är under bedömning kan beslutas."))
    try:
        decision = decision_service.decide(
            application.id, data["outcome"], data["amount"], data["conditions"],
            data["reason"], data["body"], data["decided_on"], data["paragraph"],
            data["diary_number"], Actor.of(api_user()))
    except DomainError as exc:
        abandon()
        # Another coordinator's decision came first, or a rule of the data as it stands
        # (what is left of the pot) refuses it: the request was well formed either way.
        raise refusal(exc) from None
    return decision_data(decision), 201
