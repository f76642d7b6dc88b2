"""Fixtures of the privacy tests: a person named in many places, and a dump of the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import Organisation
from app.accounts.users import create_user, find_by_email
from app.call.models import Call
from app.core.audit import Actor
from app.core.models import OutboundEmail
from app.core.types import utcnow
from app.extensions import db
from app.ledger import payments
from app.ledger.models import Allocation, Grant, Payment, PaymentState
from tests.call import factories as call_factories
from tests.conftest import PASSWORD
from tests.followup import factories as followup
from tests.ledger.factories import grant
from tests.support import kronor

EMAIL = "anna.svensson@krokom.se"
NAME = "Anna Svensson"


@dataclass
class Person:
    user_id: int
    application_id: int
    colleague_application_id: int
    colleague: str
    stranger: str


def database_dump() -> str:
    """Every value of every row of every table, as one text."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            parts.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(parts)


def money_totals() -> tuple:
    """The sums of money the anonymisation must leave as they are."""
    return (db.session.scalar(select(func.sum(Payment.amount))),
            db.session.scalar(select(func.sum(Grant.amount))),
            db.session.scalar(select(func.sum(Allocation.received))),
            db.session.scalar(select(func.count(Payment.id))))


@pytest.fixture
def person(app) -> Person:
    """An applicant, Anna Svensson, who wrote an application that names her, was e-mailed,
    and registered a payment under her address, next to a colleague and a stranger."""
    with app.app_context():
        org_id = call_factories.create_organisation("Krokoms kommun")
        other_id = call_factories.create_organisation("Åre kommun")
        org = db.session.get(Organisation, org_id)
        user = create_user(EMAIL, PASSWORD, "applicant", Actor(label="fixture"), name=NAME,
                           organisation=org)
        colleague = call_factories.create_applicant(org_id)
        stranger = call_factories.create_applicant(other_id)
        call = db.session.get(Call, call_factories.create_call())
        mine = call_factories.make_application(call, org, title="Annas projekt")
        mine.created_by_id = user.id
        mine.summary = f"Kontaktperson: {NAME}, {EMAIL.upper()}, 070-123 45 67."
        mine.answers = {"q1": f"Frågor till {NAME} ({EMAIL})"}
        theirs = call_factories.make_application(call, org, title="Kollegans projekt")
        theirs.created_by_id = find_by_email(colleague).id
        db.session.add_all([
            OutboundEmail(to=EMAIL, subject="Kvitto: Annas projekt",
                          body=f"Hej {NAME}!\nAnsökan är inskickad."),
            OutboundEmail(to=EMAIL, subject="Påminnelse", body=f"Hej {NAME}!", sent_at=utcnow()),
            OutboundEmail(to=colleague, subject="Kvitto: Kollegans projekt", body="Hej!"),
        ])
        followup.import_year(followup.pool_year(grants=(grant("Projekt A", 200_000),)))
        payment = payments.register_payment(payments.PaymentInput(
            grant_id=followup.grant_by_title("Projekt A").id, amount=kronor(50_000),
            paid_on=date(2022, 6, 1), reference="VER-7"), Actor(label=EMAIL, user_id=user.id))
        if payment.state is PaymentState.PENDING:
            payments.approve_payment(payment.id, followup.ATTESTER)
        db.session.commit()
        found = Person(user.id, mine.id, theirs.id, colleague, stranger)
        db.session.remove()
    return found


def outbox(address: str) -> list[OutboundEmail]:
    return list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.to == address)))
