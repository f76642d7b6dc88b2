"""The API's marshmallow schemas: they check what comes in, shape what goes out, and are what
/api/v1/openapi.json describes. Amounts are decimal strings of kronor ("1000000.00") read
from and written as the integer öre the app keeps (app/core/money.py), never floats."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.routing import UnicodeConverter

from app.core.errors import AmountError
from app.core.money import ORE_PER_KRONA, parse_exchange_amount
from app.core.types import MAX_ID

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
    """An amount in kronor as a decimal string with two decimals, over integer öre.

    What comes in is never negative; `signed` marks a figure that may go out negative (a
    result, a deficit), whose document must allow the sign."""

    default_error_messages = {"invalid": _l("Skriv beloppet som en sträng med högst två "
                                            "decimaler, t.ex. \"1000000.00\".")}

    def __init__(self, *args, signed: bool = False, positive: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signed, self.positive = signed, positive

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else kronor_text(int(value))

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            ore = parse_exchange_amount(value)
        except AmountError as exc:
            raise self.make_error("invalid") from exc
        if self.positive and ore <= 0:
            raise ValidationError(str(_l("Beloppet måste vara större än noll.")))
        return ore


class WholeNumber(fields.Integer):
    """A whole number as JSON writes it: 7 or 7.0 (JSON Schema's integer), never true, 7.5
    or "7"."""

    def __init__(self, **kwargs) -> None:
        kwargs["error_messages"] = {"invalid": INVALID_INTEGER, **kwargs.get("error_messages", {})}
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Id(WholeNumber):
    """The id of a row: a whole number from 1 to MAX_ID (larger ones no table can hold)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(validate=validate.Range(1, MAX_ID, error=_l(
            "Ett id är ett heltal från 1 till {max}.")), **kwargs)


def _year(**kwargs) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(
        MIN_YEAR, MAX_YEAR, error=_l("Året ska vara mellan 1990 och 2100.")),
        error_messages={"invalid": INVALID_INTEGER, "required": REQUIRED}, **kwargs)


#: What a text may hold, as a JSON Schema pattern: the characters app/core/text.py refuses
#: (C0 controls but tab and line breaks, DEL, U+FFFE/FFFF, a lone CR) are out, and lone
#: surrogates, which JSON Schema's regular expressions cannot name (a string of Unicode
#: characters has none). The API refuses them before any view; the pattern says so.
_ALLOWED = r"[^\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]|\r\n"
_VISIBLE = r"[^\s\x00-\x1f\x7f\ufffe\uffff]"
TEXT_PATTERN = rf"^(?:{_ALLOWED})*$"
#: A text that must say something: at least one character that is not white space.
NONBLANK_PATTERN = rf"^(?:{_ALLOWED})*?{_VISIBLE}(?:{_ALLOWED})*$"

#: An amount as app/core/money.py reads it: kronor with at most two decimals, at most 10**12.
KRONOR_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
SIGNED_KRONOR_PATTERN = r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$"
POSITIVE_KRONOR_PATTERN = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(\.[0-9]{1,2})?$"
#: The last page a list may be asked for: far beyond any list, far below an offset's limits.
MAX_PAGE = 100_000


class Nonblank(validate.Validator):
    """A text that is more than white space, as the web's forms and the operations require."""

    def __init__(self, error: str | None = None) -> None:
        self.error = error or _l("Fältet får inte vara tomt.")

    def __call__(self, value: str) -> str:
        if not value.strip():
            raise ValidationError(str(self.error))
        return value


def text_pattern(self, field: fields.Field, **kwargs) -> dict:
    """apispec's attribute function: every string says which characters it may hold, and a
    Nonblank one that it must hold a visible one."""
    if isinstance(field, Kronor):
        if field.signed:
            return {"pattern": SIGNED_KRONOR_PATTERN}
        return {"pattern": POSITIVE_KRONOR_PATTERN if field.positive else KRONOR_PATTERN}
    if isinstance(field, fields.Dict) and isinstance(field.key_field, fields.String):
        return {"propertyNames": {"pattern": TEXT_PATTERN}}
    if not isinstance(field, fields.String) or "pattern" in kwargs.get("ret", {}):
        return {}
    nonblank = any(isinstance(v, Nonblank) for v in field.validators)
    return {"pattern": NONBLANK_PATTERN if nonblank else TEXT_PATTERN}


def path_text(converter) -> dict:
    """A path's text parameter (werkzeug's default converter: anything but a slash)."""
    return {"type": "string", "pattern": TEXT_PATTERN.replace("[^", "[^/", 1).replace(")*$", ")+$")}


def install_document_rules(api) -> None:
    """Teach the API's OpenAPI document what the schemas check beyond marshmallow's types:
    the characters of every text, the shape of amounts, text path parameters, and a schema's
    own `OPENAPI_EXTRA` (rules across fields, such as a payment's reference)."""
    converter = api.ma_plugin.converter
    converter.add_attribute_function(text_pattern)
    api.register_converter(UnicodeConverter, path_text)
    plain = converter.schema2jsonschema

    def with_extra(schema) -> dict:
        return {**plain(schema), **getattr(schema, "OPENAPI_EXTRA", {})}

    converter.schema2jsonschema = with_extra


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
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE, error=_l(
        "Sidan ska vara mellan 1 och {max}.")), error_messages={"invalid": INVALID_INTEGER})
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
