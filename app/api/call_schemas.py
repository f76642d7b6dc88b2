"""The API's schemas of the call: calls, applications and their drafts, decisions.

What comes in is checked here with the web forms' rules and messages (app/call/forms.py);
what the operations check (app/call/calls.py, applications.py, decisions.py) they still do.
Amounts are `Kronor` decimal strings over integer öre, times are ISO 8601.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from app.api.schemas import (
    INVALID_INTEGER,
    MAX_PAGE,
    REQUIRED,
    BaseSchema,
    Id,
    Kronor,
    Nonblank,
    WholeNumber,
)
from app.call.calls import MAX_TEXT, MAX_TITLE, STOCKHOLM
from app.call.models import BudgetCategory, DecisionOutcome
from app.core.errors import DomainError
from app.core.identifiers import normalise_diary_number
from app.web.messages import sentence

INVALID_TEXT = _l("Skriv en text.")
INVALID_DATE = _l("Skriv datumet som ÅÅÅÅ-MM-DD.")
INVALID_LIST = _l("Skriv en lista.")


def _text(most: int | None = None, *, error_messages: dict | None = None,
          **kwargs) -> fields.String:
    checks = [validate.Length(max=most, error=_l("Högst {max} tecken."))] if most else []
    return fields.String(validate=checks, error_messages={
        "invalid": INVALID_TEXT, "required": REQUIRED, **(error_messages or {})}, **kwargs)


def _date(*, error_messages: dict | None = None, **kwargs) -> fields.Date:
    return fields.Date(error_messages={"invalid": INVALID_DATE, "required": REQUIRED,
                                       **(error_messages or {})}, **kwargs)


def _ids(*, error_messages: dict | None = None, **kwargs) -> fields.List:
    return fields.List(Id(),
                       error_messages={"invalid": INVALID_LIST, **(error_messages or {})},
                       **kwargs)


class PageQuerySchema(BaseSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE, error=_l(
        "Sidan ska vara mellan 1 och {max}.")), error_messages={"invalid": INVALID_INTEGER})
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200, error=_l(
        "Ange mellan 1 och 200 per sida.")), error_messages={"invalid": INVALID_INTEGER})


# --- calls ---------------------------------------------------------------------------------

class QuestionSchema(BaseSchema):
    key = fields.String(dump_only=True, metadata={"example": "q1"})
    text = _text(2000, required=True, metadata={"example": "Hur sprids resultaten?"})
    required = fields.Boolean(load_default=False,
                              metadata={"description": "Om frågan måste besvaras"})


class GoalAreaRefSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String(metadata={"example": "Psykisk hälsa"})


class CallSchema(BaseSchema):
    id = fields.Integer()
    title = fields.String(metadata={"example": "Projektutlysning 2022"})
    state = fields.String(metadata={"description": "draft, open, closed eller decided",
                                    "example": "open"})
    open_now = fields.Boolean(metadata={"description": "Om ansökningar tas emot just nu"})
    line_id = fields.Integer(metadata={"description": "Potten: en utlysningsrad"})
    earmark = fields.String(metadata={"example": "samverkan"})
    year = fields.Integer(metadata={"example": 2022})
    pool = Kronor(metadata={"description": "Pottens storlek", "example": "1000000.00"})
    description = fields.String()
    requirements = fields.String()
    opens_at = fields.DateTime(metadata={"example": "2022-03-01T07:00:00+00:00"})
    closes_at = fields.DateTime()
    max_per_project = Kronor(allow_none=True)
    goal_areas = fields.List(fields.Nested(GoalAreaRefSchema))
    questions = fields.List(fields.Nested(QuestionSchema))
    criteria = fields.List(fields.String())


class CallPageSchema(BaseSchema):
    items = fields.List(fields.Nested(CallSchema))
    next = fields.String(allow_none=True, metadata={
        "description": "Nästa sida, eller null på den sista",
        "example": "/api/v1/calls?page=2&per_page=50"})
    total = fields.Integer()


class CallCreateSchema(BaseSchema):
    """A new call as the web's form takes it; a time without a zone is Swedish time."""

    line_id = Id(required=True, metadata={
        "description": "Utlysningsraden i ett öppet år som är utlysningens pott"},
        error_messages={"required": _l("Välj potten."), "invalid": INVALID_INTEGER})
    title = fields.String(required=True, validate=[validate.Length(
        max=MAX_TITLE, error=_l("Rubriken får vara högst 300 tecken.")),
        Nonblank(_l("Ange utlysningens rubrik."))],
        error_messages={"required": _l("Ange utlysningens rubrik."), "invalid": INVALID_TEXT})
    description = _text(MAX_TEXT, load_default="")
    requirements = _text(MAX_TEXT, load_default="")
    opens_at = fields.AwareDateTime(required=True, default_timezone=STOCKHOLM, error_messages={
        "required": _l("Ange när utlysningen öppnar, t.ex. 2022-03-01T08:00."),
        "invalid": _l("Skriv tiden som ÅÅÅÅ-MM-DDTtt:mm (svensk tid) eller med tidszon.")})
    closes_at = fields.AwareDateTime(required=True, default_timezone=STOCKHOLM, error_messages={
        "required": _l("Ange när utlysningen stänger, t.ex. 2022-04-15T23:59."),
        "invalid": _l("Skriv tiden som ÅÅÅÅ-MM-DDTtt:mm (svensk tid) eller med tidszon.")})
    goal_area_ids = _ids(required=True, validate=validate.Length(
        min=1, error=_l("Välj minst ett målområde.")),
        error_messages={"required": _l("Välj minst ett målområde.")})
    max_per_project = Kronor(load_default=None, allow_none=True, positive=True)
    questions = fields.List(fields.Nested(QuestionSchema), load_default=list)
    criteria = fields.List(_text(2000), load_default=list)


# --- applications --------------------------------------------------------------------------

class BudgetRowSchema(BaseSchema):
    year = WholeNumber(required=True, validate=validate.Range(
        2000, 2100, error=_l("Ange året med fyra siffror.")),
        error_messages={"required": REQUIRED, "invalid": INVALID_INTEGER})
    category = fields.String(required=True, validate=validate.OneOf(
        [c.value for c in BudgetCategory], error=_l("Välj en kostnadskategori: {choices}.")),
        metadata={"description": "staff, training, material eller other"},
        error_messages={"required": REQUIRED, "invalid": INVALID_TEXT})
    description = _text(500, load_default="")
    amount = Kronor(required=True, metadata={"example": "120000.00"},
                    error_messages={"required": REQUIRED})


class ApplicationPatchSchema(BaseSchema):
    """The draft's fields; a field left out keeps what it holds, `budget` replaces every row."""

    title = _text(MAX_TITLE)
    summary = _text()
    background = _text()
    aim = _text()
    target_group = _text()
    owner = _text(300)
    user_participation = _text()
    long_term_plan = _text()
    partners = fields.List(_text(), error_messages={"invalid": INVALID_LIST})
    indicators = fields.List(_text(), error_messages={"invalid": INVALID_LIST})
    goal_area_ids = _ids()
    period_start = _date(allow_none=True)
    period_end = _date(allow_none=True)
    budget = fields.List(fields.Nested(BudgetRowSchema), error_messages={"invalid": INVALID_LIST})
    answers = fields.Dict(keys=fields.String(), values=_text(),
                          metadata={"description": "Svar per frågans key", "example":
                                    {"q1": "Genom elevhälsan."}})
    continues_grant_id = Id(allow_none=True)


class BudgetLineSchema(BaseSchema):
    year = fields.Integer()
    category = fields.String()
    description = fields.String()
    amount = Kronor()


class ApplicationSchema(BaseSchema):
    id = fields.Integer()
    call_id = fields.Integer()
    organisation = fields.String(metadata={"example": "Krokoms kommun"})
    state = fields.String(metadata={"example": "draft"})
    editable = fields.Boolean(metadata={"description": "Om utkastet kan ändras (PATCH)"})
    title = fields.String()
    summary = fields.String()
    background = fields.String()
    aim = fields.String()
    target_group = fields.String()
    owner = fields.String()
    user_participation = fields.String()
    long_term_plan = fields.String()
    partners = fields.List(fields.String())
    indicators = fields.List(fields.String())
    goal_areas = fields.List(fields.Nested(GoalAreaRefSchema))
    period_start = fields.Date(allow_none=True)
    period_end = fields.Date(allow_none=True)
    budget = fields.List(fields.Nested(BudgetLineSchema))
    amount_applied = Kronor(metadata={"description": "Budgetens summa", "example": "128500.50"})
    answers = fields.Dict(keys=fields.String(), values=fields.String())
    continues_grant_id = fields.Integer(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    version = fields.Integer()
    missing = fields.List(fields.Nested("MissingSchema"), metadata={
        "description": "Vad som saknas innan ansökan kan skickas in (tomt när den är komplett)"})
    grant_id = fields.Integer(allow_none=True, metadata={"description": "Projektet när ansökan "
                                                                        "beviljats"})


class MissingSchema(BaseSchema):
    field = fields.String(metadata={"example": "partners"})
    message = fields.String(metadata={"example": "Ange minst en samverkanspartner."})


# --- decisions -----------------------------------------------------------------------------

class DecisionInputSchema(BaseSchema):
    """A decision as the web's form takes it (app/call/forms.py DecisionForm)."""

    outcome = fields.String(required=True, validate=validate.OneOf(
        [o.value for o in DecisionOutcome], error=_l("Välj beslut: {choices}.")),
        metadata={"description": "granted, partly_granted eller rejected"},
        error_messages={"required": _l("Välj beslut."), "invalid": INVALID_TEXT})
    amount = Kronor(load_default=None, allow_none=True, metadata={
        "description": "Det beviljade beloppet vid delvis beviljande", "example": "150000.00"})
    conditions = _text(10_000, load_default="")
    reason = _text(10_000, load_default="")
    body = _text(200, required=True, error_messages={
        "required": _l("Ange vilket organ som fattade beslutet.")},
        metadata={"example": "SVOM"})
    decided_on = _date(required=True, error_messages={
        "required": _l("Ange beslutsdatum, t.ex. 2022-06-10.")})
    paragraph = _text(40, load_default="", metadata={"example": "§125"})
    diary_number = _text(60, load_default="", metadata={"example": "RUN/290/2022"})

    @validates_schema
    def _as_the_form(self, data: dict, **kwargs) -> None:
        """The form's rules that tie one field to another (DecisionForm)."""
        outcome = data.get("outcome")
        if not (data.get("body") or "").strip() and "body" in data:
            raise ValidationError(_l("Ange vilket organ som fattade beslutet."), "body")
        if outcome == DecisionOutcome.PARTLY_GRANTED.value:
            if not data.get("amount"):
                raise ValidationError(_l("Ange det beviljade beloppet."), "amount")
            if not (data.get("conditions") or "").strip():
                raise ValidationError(_l("Ange villkoren för det delvis beviljade beloppet."),
                                      "conditions")
        if outcome == DecisionOutcome.REJECTED.value and not (data.get("reason") or "").strip():
            raise ValidationError(_l("Ange skälet till avslaget."), "reason")
        if (data.get("diary_number") or "").strip():
            try:
                normalise_diary_number(data["diary_number"])
            except DomainError as exc:
                raise ValidationError(sentence(exc), "diary_number") from None


class DecisionSchema(BaseSchema):
    id = fields.Integer()
    application_id = fields.Integer()
    sequence = fields.Integer(metadata={"description": "Beslutets nummer i utlysningen"})
    outcome = fields.String()
    amount = Kronor(metadata={"example": "150000.00"})
    conditions = fields.String()
    reason = fields.String()
    body = fields.String()
    decided_on = fields.Date()
    paragraph = fields.String()
    diary_number = fields.String()
    grant_id = fields.Integer(allow_none=True)
