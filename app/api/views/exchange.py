"""The exchange format over the API: importing a `stimulansmedel/1` document and exporting a
year, with the same rules and messages as `flask funds import` and `flask funds export`."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from marshmallow import RAISE

from app.api.auth import api_user, money_only
from app.api.problems import ApiProblem, refusal
from app.api.schemas import (
    TEXT_PATTERN,
    ExportQuerySchema,
    ImportQuerySchema,
    ImportResultSchema,
)
from app.api.views import problems, resource_blueprint
from app.core.audit import Actor
from app.core.errors import DomainError, ImportRefused
from app.ledger.exchange.exporting import export_year
from app.ledger.exchange.importing import import_document
from app.ledger.exchange.yaml_text import decode_text
from app.web.messages import sentence
from app.web.unit_of_work import abandon

blp = resource_blueprint("api_exchange", "/api/v1",
                         "Import och export i formatet stimulansmedel/1 (spec/import-format.md). "
                         "För samordnare och administratörer.")

#: What an import's body may be: the format is YAML, and JSON is YAML too.
DOCUMENT_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                            "application/json", "text/plain"})
YAML_TYPE = "application/yaml"
#: What a stimulansmedel/1 document is once read, as YAML or JSON (spec/import-format.md).
#: Any value a document may hold: texts of the characters every text may hold, at any depth.
VALUE_REF = {"$ref": "#/components/schemas/ExchangeValue"}
EXCHANGE_VALUE = {"anyOf": [
    {"type": "string", "pattern": TEXT_PATTERN},
    {"type": ["number", "boolean", "null"]},
    {"type": "array", "items": VALUE_REF},
    {"type": "object", "propertyNames": {"pattern": TEXT_PATTERN},
     "additionalProperties": VALUE_REF},
]}
#: The outline only: what the format's fields must hold is checked by the import itself, with
#: line and field (422), as on the command line, and is written in the format's specification.
EXCHANGE_DOCUMENT = {
    "type": "object", "required": ["format", "allocations"],
    "propertyNames": {"pattern": TEXT_PATTERN}, "additionalProperties": VALUE_REF,
    "properties": {"format": {"type": "string", "enum": ["stimulansmedel/1"]},
                   "region": {"type": "string", "pattern": TEXT_PATTERN},
                   "allocations": {"type": "array", "minItems": 1, "items": {
                       "type": "object", "propertyNames": {"pattern": TEXT_PATTERN},
                       "additionalProperties": VALUE_REF}}}}
DOCUMENT_BODY = {
    "required": True,
    "description": "Ett dokument i formatet stimulansmedel/1, som YAML eller JSON.",
    "content": {
        YAML_TYPE: {"schema": EXCHANGE_DOCUMENT,
                    "example": "format: stimulansmedel/1\nallocations:\n  - earmark: samverkan\n"
                               "    year: 2020\n    received: \"6203183.00\"\n    …"},
        "application/json": {"schema": EXCHANGE_DOCUMENT},
    },
}


def _problems_of(refused: ImportRefused) -> list[dict]:
    return [{"line": p.line, "field": p.place or None, "location": "body", "message": p.message}
            for p in refused.problems]


@blp.route("/import", methods=["POST"])
@money_only
@blp.arguments(ImportQuerySchema, location="query", error_status_code=400,
               unknown=RAISE)
@blp.response(201, ImportResultSchema, description="Importerat (200 om bara ersatt)")
@blp.doc(requestBody=DOCUMENT_BODY)
@problems(blp, {400: "Ogiltig parameter", 409: "Importen krockar med hur det ser ut nu",
                413: "Dokumentet är för stort", 415: "Inte YAML eller JSON",
                422: "Dokumentet vägrades: varje fel med rad och fält"})
def import_file(args: dict):
    """Import a stimulansmedel/1 document: all of it or nothing

    Samma regler och meddelanden som `flask funds import`. Ett vägrat dokument ändrar
    ingenting och besvaras 422 med varje fel, dess rad och fält. `?replace=true` ersätter
    tilldelningar som redan finns.
    """
    if request.mimetype not in DOCUMENT_TYPES:
        raise ApiProblem(415, _("Skicka dokumentet som application/yaml eller "
                                "application/json."))
    try:
        text = decode_text(request.get_data(cache=False))
        result = import_document(text, Actor.of(api_user()), replace=args["replace"])
    except ImportRefused as refused:
        abandon()
        raise ApiProblem(422, _("Dokumentet importerades inte; inget har ändrats."),
                         errors=_problems_of(refused), kind="import-refused") from None
    except DomainError as exc:
        abandon()
        raise refusal(exc) from None
    body = {"created": result.created, "replaced": result.replaced,
            "warnings": [{"line": w.line, "field": w.place or None, "message": w.message}
                         for w in result.warnings]}
    return body, 201 if result.created else 200


@blp.route("/export", methods=["GET"])
@money_only
@blp.arguments(ExportQuerySchema, location="query", error_status_code=400,
               unknown=RAISE)
@blp.response(200, description="Årets dokument i formatet stimulansmedel/1 (YAML), samma som "
                               "`flask funds export`", content_type=YAML_TYPE)
@blp.doc(responses={200: {"content": {YAML_TYPE: {"schema": EXCHANGE_DOCUMENT}}}})
@problems(blp, {400: "Ogiltigt eller saknat år", 404: "Inga tilldelningar det året"})
def export_file(args: dict):
    """Export a year as a stimulansmedel/1 document (YAML)"""
    try:
        text = export_year(args["year"])
    except DomainError as exc:
        raise ApiProblem(404, sentence(exc)) from None
    response = current_app.response_class(text, mimetype=YAML_TYPE)
    response.headers["Content-Disposition"] = \
        f'inline; filename="stimulansmedel-{args["year"]}.yaml"'
    return response
