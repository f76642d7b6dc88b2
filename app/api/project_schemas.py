"""The API's schemas of a project (a grant): its payments and reports, registering a payment,
and the jobs that build a large report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from app.api.call_schemas import INVALID_DATE, INVALID_TEXT
from app.api.schemas import INVALID_INTEGER, NONBLANK_PATTERN, BaseSchema, Id, Kronor
from app.ledger.models import PaymentKind


class PaymentSchema(BaseSchema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "payment (utbetalning) eller refund "
                                                  "(återbetalning)", "example": "payment"})
    amount = Kronor(metadata={"example": "50000.00"})
    paid_on = fields.Date()
    reference = fields.String(metadata={"example": "VER-2"})
    state = fields.String(metadata={"description": "pending (väntar på attest av en annan "
                                                   "samordnare), approved eller rejected",
                                    "example": "approved"})
    earmark = fields.String(metadata={"description": "Fonden pengarna kommer från (eller går "
                                                     "tillbaka till)", "example": "samverkan"})
    year = fields.Integer(metadata={"description": "Tilldelningens år"})
    requisition_id = fields.Integer(allow_none=True)
    note = fields.String()
    window_override = fields.String(allow_none=True, metadata={
        "description": "Administratörens skäl till en utbetalning efter sista förbrukningsdag"})


class ReportSummarySchema(BaseSchema):
    id = fields.Integer()
    kind = fields.String(metadata={"example": "interim"})
    due_on = fields.Date()
    state = fields.String(metadata={"example": "submitted"})
    to_return = Kronor(metadata={"description": "Det projektet betalar tillbaka"})
    submitted_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)


class GrantDetailSchema(BaseSchema):
    id = fields.Integer()
    title = fields.String(metadata={"example": "Första hjälpen till psykisk hälsa"})
    owner = fields.String()
    partners = fields.List(fields.String())
    earmark = fields.String(metadata={"example": "samverkan"})
    year = fields.Integer(metadata={"example": 2022})
    state = fields.String(metadata={"description": "Projektets läge", "example": "running"})
    amount = Kronor(metadata={"description": "Beviljat", "example": "200000.00"})
    paid = Kronor(metadata={"description": "Attesterade utbetalningar"})
    returned = Kronor(metadata={"description": "Attesterade återbetalningar"})
    requestable = Kronor(metadata={"description": "Det projektet ännu kan rekvirera"})
    application_id = fields.Integer(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    payments = fields.List(fields.Nested(PaymentSchema))
    reports = fields.List(fields.Nested(ReportSummarySchema))


class PaymentInputSchema(BaseSchema):
    """A payment or refund as the project page's form takes it (app/ledger/forms.py)."""

    #: A payment (the default kind) needs a reference that says something; a refund does not.
    OPENAPI_EXTRA = {"anyOf": [
        {"properties": {"kind": {"const": PaymentKind.REFUND.value}}, "required": ["kind"]},
        {"properties": {"reference": {"pattern": NONBLANK_PATTERN}}, "required": ["reference"]},
    ]}

    kind = fields.String(load_default=PaymentKind.PAYMENT.value, validate=validate.OneOf(
        [k.value for k in PaymentKind], error=_l("Välj slag: {choices}.")),
        error_messages={"invalid": INVALID_TEXT})
    amount = Kronor(required=True, positive=True, metadata={"example": "50000.00"},
                    error_messages={"required": _l("Ange ett belopp.")})
    paid_on = fields.Date(required=True, error_messages={
        "required": _l("Ange ett datum (ÅÅÅÅ-MM-DD)."), "invalid": INVALID_DATE})
    reference = fields.String(load_default="", validate=validate.Length(
        max=200, error=_l("Högst {max} tecken.")), metadata={
        "description": "Verifikationsnummer eller fakturanummer; krävs för en utbetalning"},
        error_messages={"invalid": INVALID_TEXT})
    allocation_id = Id(load_default=None, allow_none=True, metadata={
        "description": "Tilldelningen som betalar; utelämnad: projektets egen"},
        error_messages={"invalid": INVALID_INTEGER})
    requisition_id = Id(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(
        max=2000, error=_l("Högst {max} tecken.")), error_messages={"invalid": INVALID_TEXT})
    window_override = fields.String(load_default="", validate=validate.Length(
        max=2000, error=_l("Högst {max} tecken.")), metadata={
        "description": "Administratörens skäl att betala efter fondens sista förbrukningsdag "
                       "(spend_until); utan det vägras en senare utbetalning"},
        error_messages={"invalid": INVALID_TEXT})

    @validates_schema(skip_on_field_errors=False)
    def _payment_has_reference(self, data: dict, **kwargs) -> None:
        """Told with the other fields' errors, not after them."""
        kind = data.get("kind", PaymentKind.PAYMENT.value)
        if kind == PaymentKind.PAYMENT.value and not data.get("reference", "x").strip():
            raise ValidationError(_l("Ange en referens (verifikationsnummer eller "
                                     "fakturanummer)."), "reference")


class JobSchema(BaseSchema):
    id = fields.Integer()
    state = fields.String(metadata={"description": "queued, running, done eller failed",
                                    "example": "running"})
    label = fields.String(metadata={"example": "Skapas"})
    progress = fields.Integer(metadata={"description": "Procent", "example": 50})
    finished = fields.Boolean()
    expired = fields.Boolean(metadata={"description": "Filen sparas ett dygn"})
    error = fields.String(allow_none=True)
    download = fields.String(allow_none=True, metadata={
        "description": "Filen när rapporten är klar, annars null",
        "example": "/api/v1/jobs/7/file"})

