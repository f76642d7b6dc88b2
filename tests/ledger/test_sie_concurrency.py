"""Coordinators exporting the same period at the same moment never put a payment in two
exports (PostgreSQL only: SQLite serialises writers)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.sie.exports import create_export
from app.ledger.sie.models import SieExport, SieExportPayment
from tests.ledger.sie_world import build, pay_on, settle
from tests.support import run_together

EXPORTERS = 5


def test_simultaneous_exports_book_each_payment_once(wide_app):
    with wide_app.app_context():
        grants = build()
        settle()
        for month in (2, 4, 6):
            pay_on(grants["quoted"], 1_000, date(2022, month, 1))
        db.session.commit()
        db.session.remove()

    def act(i: int) -> None:
        create_export(2022, Actor(label=f"samordnare{i}"))

    results = run_together(wide_app, EXPORTERS, act)
    assert results.count("ok") == 1
    refused = [r for r in results if r != "ok"]
    assert all(isinstance(r, DomainError) and "redan exporterade" in r.message for r in refused)
    with wide_app.app_context():
        exports = db.session.scalar(select(func.count()).select_from(SieExport))
        rows = db.session.scalar(select(func.count()).select_from(SieExportPayment))
        db.session.remove()
    assert (exports, rows) == (1, 3)
