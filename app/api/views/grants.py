"""A project (a grant) with its payments and reports, and registering a payment with the
ledger's rules and attestation (app/ledger/payments.py).

Staff read every project; an applicant only their own organisation's, as on the project page
of their application, and another's is answered 404.
"""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import RAISE

from app.api.auth import api_user, money_only
from app.api.problems import ApiProblem, refusal
from app.api.project_schemas import GrantDetailSchema, PaymentInputSchema, PaymentSchema
from app.api.views import found, found_first, problems, resource_blueprint
from app.call.models import Application
from app.call.rules import may_read_application
from app.core.audit import Actor
from app.core.errors import DomainError
from app.followup import queries
from app.ledger import payments as payment_operations
from app.ledger.models import Grant, Payment, PaymentKind
from app.web.unit_of_work import abandon

blp = resource_blueprint("api_grants", "/api/v1/grants",
                         "Projekt (beviljade ansökningar): pengarna, utbetalningarna och "
                         "rapporterna; samordnare registrerar utbetalningar.")

NOT_FOUND = _("Projektet finns inte.")


def readable(grant_id: int) -> Grant:
    """A grant the token's user may read: staff every one, an applicant their own
    organisation's (a grant from its application); 404 else."""
    grant = found(Grant, grant_id, NOT_FOUND)
    user = api_user()
    if user.is_staff:
        return grant
    application = (found(Application, grant.application_id, NOT_FOUND)
                   if grant.application_id is not None else None)
    if application is None or not may_read_application(user, application):
        raise ApiProblem(404, NOT_FOUND)
    return grant


def payment_data(payment: Payment) -> dict:
    return {
        "id": payment.id, "kind": payment.kind.value, "amount": payment.amount,
        "paid_on": payment.paid_on, "reference": payment.reference,
        "state": payment.state.value, "earmark": payment.allocation.earmark.code,
        "year": payment.allocation.year, "requisition_id": payment.requisition_id,
        "note": payment.note, "window_override": payment.window_override,
    }


@blp.route("/<int:grant_id>", methods=["GET"])
@blp.response(200, GrantDetailSchema)
@problems(blp, {404: "Projektet finns inte, eller hör till en annan organisation"})
def get_grant(grant_id: int):
    """One project: granted, paid and returned, its payments and its reports"""
    grant = readable(grant_id)
    overview = queries.project_overview(grant)
    allocation = overview.own
    return {
        "id": grant.id, "title": grant.title, "owner": grant.owner,
        "partners": list(grant.partners or []), "earmark": allocation.earmark.code,
        "year": allocation.year, "state": overview.state.value, "amount": grant.amount,
        "paid": grant.paid or 0, "returned": grant.returned or 0,
        "requestable": overview.requestable, "application_id": grant.application_id,
        "closed_at": grant.closed_at,
        "payments": [payment_data(p) for p in overview.payments],
        "reports": [{"id": r.id, "kind": r.kind.value, "due_on": r.due_on,
                     "state": r.state.value, "to_return": r.to_return,
                     "submitted_at": r.submitted_at, "approved_at": r.approved_at}
                    for r in overview.reports],
    }


@blp.route("/<int:grant_id>/payments", methods=["POST"])
@money_only
@found_first(lambda grant_id: found(Grant, grant_id, NOT_FOUND), "grant_id")
@blp.arguments(PaymentInputSchema, unknown=RAISE)
@blp.response(201, PaymentSchema, description="Registrerad: approved, eller pending när "
                                              "beloppet är över attestgränsen")
@problems(blp, {404: "Projektet finns inte",
                409: "En regel vägrar utbetalningen som det ser ut nu (över beviljat, stängt "
                     "år, en fond eller rekvisition som inte finns)",
                422: "Fel vid fältet"})
def register_payment(data: dict, grant_id: int):
    """Register a payment or refund (coordinators)

    Samma regler som projektsidan: aldrig mer än beviljat, inte i ett stängt år, en referens
    till en utbetalning. Över attestgränsen väntar den (`pending`) på attest av en annan
    samordnare på webben; annars är den attesterad av den som registrerar.
    """
    grant = found(Grant, grant_id, NOT_FOUND)
    given = payment_operations.PaymentInput(
        grant_id=grant.id, amount=data["amount"], paid_on=data["paid_on"],
        reference=data["reference"], allocation_id=data["allocation_id"],
        kind=PaymentKind(data["kind"]), requisition_id=data["requisition_id"],
        note=data["note"].strip(), window_override=data["window_override"].strip())
    try:
        payment = payment_operations.register_payment(given, Actor.of(api_user()))
    except DomainError as exc:
        abandon()
        raise refusal(exc) from None
    return payment_data(payment), 201
