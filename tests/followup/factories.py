"""Builders for the project follow-up tests: a year with a call pool and granted projects,
coordinators who pay and attest, and a project's final report."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core.audit import Actor
from app.extensions import db
from app.followup import reports as project_reports
from app.followup.rules import Rating, ReportInput, ReportKind, ReportLineInput, ResultInput
from app.ledger import payments
from app.ledger.exchange.importing import import_document
from app.ledger.models import Grant
from tests.ledger.factories import allocation, document, grant, line
from tests.support import kronor

REGISTRAR = Actor(label="anna@example.se", user_id=None)
ATTESTER = Actor(label="bo@example.se", user_id=None)


def import_year(*allocations: dict) -> None:
    import_document(document(*allocations), Actor(label="fixture"))
    db.session.flush()


def pool_year(year: int = 2022, received: int = 1_000_000, pool: int = 800_000,
              grants: tuple[dict, ...] = (), *, spent: int | None = None,
              earmark: str = "samverkan") -> dict:
    """An allocation with a budget-only call pool (a call run in the app) and an activity."""
    return allocation(
        earmark, year, received,
        line("Samordnare", spent=received - pool, goal_area="Regional samordning"),
        line("Projektutlysning", kind="call", budget=pool, spent=spent,
             goal_area="Projektutlysning", grants=list(grants)),
    )


def grant_by_title(title: str) -> Grant:
    return db.session.scalar(select(Grant).where(Grant.title == title))


def pay(grant_obj: Grant, amount_kr: int, *, allocation_id: int | None = None,
        reference: str = "VER-1", kind=None, requisition_id: int | None = None) -> None:
    """Register and attest a payment: one coordinator registers, another attests."""
    data = payments.PaymentInput(
        grant_id=grant_obj.id, amount=kronor(amount_kr), paid_on=date(2022, 6, 1),
        reference=reference, allocation_id=allocation_id, requisition_id=requisition_id,
    )
    if kind is not None:
        data.kind = kind
    payment = payments.register_payment(data, REGISTRAR)
    if payment.state.value == "pending":
        payments.approve_payment(payment.id, ATTESTER)
    db.session.flush()


def final_report(grant_obj: Grant, used_kr: int, return_kr: int, *, approve: bool = True):
    report = project_reports.schedule_report(grant_obj.id, ReportKind.FINAL, date(2023, 12, 31),
                                             REGISTRAR)
    project_reports.save_report(report.id, ReportInput(
        lines=[ReportLineInput("Personal", kronor(used_kr))],
        to_return=kronor(return_kr), text="Vi utbildade 40 personer.",
        results=[ResultInput("Antal utbildade", "count", 40, women=25, men=15)],
    ), REGISTRAR)
    project_reports.submit_report(report.id, REGISTRAR)
    if approve:
        project_reports.approve_report(report.id, Rating.POSITIVE, "Bra", ATTESTER)
    db.session.flush()
    return report


__all__ = ["allocation", "grant", "line"]
