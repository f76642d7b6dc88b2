"""The API's marshmallow schemas: they check what comes in, shape what goes out, and are what
/api/v1/openapi.json describes. Amounts are decimal strings of kronor ("1000000.00") read
from and written as the integer öre the app keeps (app/core/money.py), never floats."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from app.core.errors import AmountError
from app.core.money import ORE_PER_KRONA, parse_exchange_amount

INVALID_INTEGER = _l("Skriv ett heltal.")
INVALID_BOOLEAN = _l("Skriv true eller false.")
REQUIRED = _l("Fältet måste anges.")
UNKNOWN = _l("Okänt fält.")
MIN_YEAR, MAX_YEAR = 1990, 2100


def kronor_text(ore: int) -> str:
    """Write öre as a decimal string of kronor: 100000000 → "1000000.00", −150 → "-1.50"."""
    sign = "-" if ore < 0 else ""
    whole, part = divmod(abs(ore), ORE_PER_KRONA)
    return f"{sign}{whole}.{part:02d}"


class Kronor(fields.Field):
    """An amount in kronor as a decimal string with two decimals, over integer öre."""

    default_error_messages = {"invalid": _l("Skriv beloppet som en sträng med högst två "
                                            "decimaler, t.ex. \"1000000.00\".")}

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else kronor_text(int(value))

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return parse_exchange_amount(value)
        except AmountError as exc:
            raise self.make_error("invalid") from exc


def _year(**kwargs) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(
        MIN_YEAR, MAX_YEAR, error=_l("Året ska vara mellan 1990 och 2100.")),
        error_messages={"invalid": INVALID_INTEGER, "required": REQUIRED}, **kwargs)


class BaseSchema(Schema):
    class Meta:
        ordered = True

    error_messages = {"unknown": UNKNOWN}


# --- problems ------------------------------------------------------------------------------

class ProblemErrorSchema(BaseSchema):
    field = fields.String(allow_none=True, metadata={"description": "Fältet med fel"})
    location = fields.String(allow_none=True,
                             metadata={"description": "Var fältet står: query, json, body"})
    line = fields.Integer(allow_none=True, metadata={"description": "Raden i dokumentet"})
    message = fields.String(metadata={"description": "Vad som är fel"})


class ProblemSchema(BaseSchema):
    """Problem details (RFC 9457)."""

    type = fields.String(metadata={"example": "/api/v1/docs#problem-401"})
    title = fields.String(metadata={"example": "Inte inloggad"})
    status = fields.Integer(metadata={"example": 401})
    detail = fields.String(metadata={"example": "API:t kräver en API-nyckel."})
    errors = fields.List(fields.Nested(ProblemErrorSchema), required=False)


# --- allocations ---------------------------------------------------------------------------

class AllocationQuerySchema(BaseSchema):
    year = _year(required=False, metadata={"description": "Bara det här året", "example": 2020})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, error=_l(
        "Sidan ska vara 1 eller mer.")), error_messages={"invalid": INVALID_INTEGER})
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200, error=_l(
        "Ange mellan 1 och 200 per sida.")), error_messages={"invalid": INVALID_INTEGER})


class AllocationFiguresSchema(BaseSchema):
    earmark = fields.String(metadata={"example": "samverkan"})
    fund = fields.String(metadata={"example": "Samverkansmedel"})
    year = fields.Integer(metadata={"example": 2020})
    recipient = fields.String(metadata={
        "description": "Vem som har medlen: county (länsmedlen), region, municipalities eller "
                       "en huvudmans namn; summera aldrig över mottagare", "example": "county"})
    budget_status = fields.String(metadata={
        "description": "preliminary tills budgeten är beslutad, sedan decided",
        "example": "decided"})
    closed = fields.Boolean(metadata={"description": "Om året är stängt"})
    received = Kronor(metadata={"example": "6203183.00"})
    carried_in = Kronor(metadata={"description": "Överfört från förra året och återfört från "
                                                 "avslutade projekt", "example": "0.00"})
    covered = Kronor(metadata={"description": "Underskott som andra fonder täcker"})
    available = Kronor(metadata={"description": "received + carried_in + covered"})
    budgeted = Kronor(allow_none=True, metadata={"description": "null så länge ingen rad har "
                                                                "budget"})
    used = Kronor(allow_none=True, metadata={"description": "Utfall; null så länge ingen rad har "
                                                            "utfall", "example": "6131032.00"})
    result = Kronor(allow_none=True, metadata={"description": "available − used",
                                               "example": "72151.00"})
    carry_over = Kronor(allow_none=True, metadata={
        "description": "Förs till nästa år (eller betalas tillbaka, se carry_rule) när året är "
                       "stängt; null medan året är öppet", "example": "72151.00"})
    carry_rule = fields.String(allow_none=True, metadata={"example": "carry_over"})


class AllocationPageSchema(BaseSchema):
    items = fields.List(fields.Nested(AllocationFiguresSchema))
    next = fields.String(allow_none=True, metadata={
        "description": "Nästa sida, eller null på den sista",
        "example": "/api/v1/allocations?year=2020&page=2&per_page=50"})
    total = fields.Integer(metadata={"description": "Hur många tilldelningar det finns"})


class CoversSchema(BaseSchema):
    earmark = fields.String()
    year = fields.Integer()


class GrantSchema(BaseSchema):
    title = fields.String()
    owner = fields.String()
    partners = fields.List(fields.String())
    goal_areas = fields.List(fields.String())
    amount = Kronor()
    paid = Kronor(allow_none=True)
    returned = Kronor(allow_none=True)
    status = fields.String(allow_none=True)
    report_due = fields.Date(allow_none=True, metadata={
        "description": "Slutrapportens sista dag; null: 31 december året efter beviljandets år"})


class LineSchema(BaseSchema):
    activity = fields.String()
    kind = fields.Function(lambda line: line.kind.value, metadata={"example": "activity"})
    goal_area = fields.String(allow_none=True)
    budget = Kronor(allow_none=True)
    spent = Kronor(allow_none=True)
    covers = fields.Function(
        lambda line: {"earmark": line.covers[0], "year": line.covers[1]} if line.covers else None,
        allow_none=True, metadata={"description": "Tilldelningen en överföring täcker"})
    owner = fields.String(allow_none=True)
    partners = fields.List(fields.String())
    grants = fields.List(fields.Nested(GrantSchema))


class AllocationDetailSchema(AllocationFiguresSchema):
    spend_until = fields.Date()
    lines = fields.List(fields.Nested(LineSchema))


# --- the exchange format -------------------------------------------------------------------

class ImportQuerySchema(BaseSchema):
    replace = fields.Boolean(load_default=False, metadata={
        "description": "Ersätt tilldelningar som redan finns (som --replace)"},
        error_messages={"invalid": INVALID_BOOLEAN})


class ImportWarningSchema(BaseSchema):
    line = fields.Integer(allow_none=True)
    field = fields.String(allow_none=True)
    message = fields.String()


class ImportResultSchema(BaseSchema):
    created = fields.List(fields.String(), metadata={"example": ["samverkan 2020"]})
    replaced = fields.List(fields.String())
    warnings = fields.List(fields.Nested(ImportWarningSchema))


class ExportQuerySchema(BaseSchema):
    year = _year(required=True, metadata={"example": 2020})


# --- years ---------------------------------------------------------------------------------

class CarryOverSchema(BaseSchema):
    earmark = fields.String()
    to_year = fields.Integer()
    amount = Kronor()
    rule = fields.String(metadata={"description": "carry_over: förs över; pay_back: betalas "
                                                  "tillbaka"})


class YearStateSchema(BaseSchema):
    year = fields.Integer(metadata={"example": 2020})
    closed = fields.Boolean()
    closed_at = fields.DateTime(allow_none=True)
    closed_by = fields.String(allow_none=True)
    carry_overs = fields.List(fields.Nested(CarryOverSchema))
