"""Exporting the attested payments and refunds of a period as a SIE 4 file for the region's
accounting system, recording each export so that nothing is booked twice, and making an
earlier export again byte for byte. Audited; nothing here commits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.extensions import db
from app.ledger.models import Allocation, LedgerAction, Payment, PaymentKind, PaymentState, Setting
from app.ledger.sie.accounts import accounts_by_earmark, sie_settings
from app.ledger.sie.models import SieEarmarkAccounts, SieExport, SieExportPayment
from app.ledger.sie.rules import period_problem
from app.ledger.sie.writer import SieFile, Trans, Voucher, from_rows, to_rows, write_sie

PROGRAM = "Stimulansmedel"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: Longer voucher texts are cut: some accounting systems take no more.
TEXT_LENGTH = 100


@dataclass
class ExportResult:
    export: SieExport
    content: bytes
    #: Attested payments of the period left out because an earlier export held them.
    left_out: int


def program_version() -> str:
    try:
        return version("stimulansmedel")
    except PackageNotFoundError:
        return "0"


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def file_name(export: SieExport) -> str:
    return f"utbetalningar-{export.date_from:%Y%m%d}-{export.date_to:%Y%m%d}-{export.id}.se"


def list_exports(limit: int = 50) -> list[SieExport]:
    """The latest exports, newest first."""
    return list(db.session.scalars(
        select(SieExport).order_by(SieExport.id.desc()).limit(limit)))


def period_payments(start: date, end: date) -> list[Payment]:
    """The attested payments and refunds paid in the period, in date and id order.

    Payments made by importing an exchange file's totals are left out: they are figures the
    accounting system already holds, not payments registered here."""
    return list(db.session.scalars(
        select(Payment).options(joinedload(Payment.grant),
                                joinedload(Payment.allocation).joinedload(Allocation.earmark))
        .where(Payment.state == PaymentState.APPROVED, Payment.imported.is_(False),
               Payment.paid_on >= start, Payment.paid_on <= end)
        .order_by(Payment.paid_on, Payment.id)))


def already_exported(payment_ids: list[int]) -> set[int]:
    if not payment_ids:
        return set()
    return set(db.session.scalars(select(SieExportPayment.payment_id).where(
        SieExportPayment.payment_id.in_(payment_ids))))


def _objects(accounts: SieEarmarkAccounts) -> list[tuple[int, str, str]]:
    pairs = ((1, accounts.responsibility, accounts.responsibility_name),
             (6, accounts.project, accounts.project_name),
             (20, accounts.activity, accounts.activity_name))
    return [(dim, code, name or code) for dim, code, name in pairs if code]


def _voucher(payment: Payment, accounts: SieEarmarkAccounts, bank: str, series: str) -> Voucher:
    """Debit the earmark's cost account with its objects and credit the bank; a refund the
    other way."""
    what = "Utbetalning" if payment.kind is PaymentKind.PAYMENT else "Återbetalning"
    text = " ".join(part for part in (what, payment.reference, payment.grant.title) if part)
    objects = tuple((dim, code) for dim, code, _ in _objects(accounts))
    cost = payment.signed_amount
    registered = payment.decided_at.astimezone(STOCKHOLM).date() if payment.decided_at else None
    return Voucher(series=series, number=str(payment.id), on=payment.paid_on,
                   text=text[:TEXT_LENGTH], registered_on=registered,
                   rows=(Trans(accounts.cost_account, cost, objects), Trans(bank, -cost)))


def _build(year: int, payments: list[Payment], generated_on: date) -> SieFile:
    settings = sie_settings()
    if not settings.complete:
        raise DomainError(_("regionens namn och bankkontot för SIE-exporten är inte inställda; "
                            "en administratör anger dem under Administration, SIE-export"))
    accounts = accounts_by_earmark()
    missing = sorted({p.allocation.earmark.name for p in payments
                      if p.allocation.earmark_id not in accounts})
    if missing:
        raise DomainError(_("kontona för SIE-export är inte inställda för %(missing)s; en "
                            "administratör anger dem under Administration, SIE-export",
                            missing=", ".join(missing)))
    chart = {settings.bank_account: settings.bank_account_name}
    objects: dict[tuple[int, str], str] = {}
    vouchers = []
    for payment in payments:
        mine = accounts[payment.allocation.earmark_id]
        chart.setdefault(mine.cost_account, mine.cost_account_name)
        for dim, code, name in _objects(mine):
            objects.setdefault((dim, code), name)
        vouchers.append(_voucher(payment, mine, settings.bank_account, settings.series))
    return SieFile(program=PROGRAM, version=program_version(), generated_on=generated_on,
                   company=settings.company, year_start=date(year, 1, 1),
                   year_end=date(year, 12, 31), accounts=chart, objects=objects,
                   vouchers=tuple(vouchers))


def today_in_sweden() -> date:
    return datetime.now(STOCKHOLM).date()


def create_export(year: int, actor: Actor, *, start: date | None = None,
                  end: date | None = None, include_exported: bool = False,
                  today: date | None = None) -> ExportResult:
    """Export the period's attested payments not exported before (or all of them with
    `include_exported`), and record the export. A refusal names its field (`place`)."""
    start = start or date(year, 1, 1)
    end = end or date(year, 12, 31)
    if problem := period_problem(year, start, end):
        raise DomainError(problem, field="date_from")
    # Two exports at the same moment queue up here, so the second sees what the first held.
    db.session.execute(select(Setting.key).where(Setting.key == "sie_company")
                       .with_for_update())
    found = period_payments(start, end)
    exported = already_exported([p.id for p in found])
    chosen = found if include_exported else [p for p in found if p.id not in exported]
    left_out = len(found) - len(chosen)
    if not chosen:
        if left_out:
            raise DomainError(_("alla %(count)s attesterade utbetalningar mellan %(start)s och "
                                "%(end)s är redan exporterade; skapa en tidigare export igen om "
                                "filen behövs en gång till",
                                count=left_out, start=start, end=end), field="date_from")
        raise DomainError(_("det finns inga attesterade utbetalningar mellan %(start)s och %(end)s",
                            start=start, end=end),
                          field="date_from")
    sie = _build(year, chosen, today or today_in_sweden())
    content = write_sie(sie)
    net = sum(p.signed_amount for p in chosen)
    export = SieExport(year=year, date_from=start, date_to=end, generated_on=sie.generated_on,
                       created_by=actor.label, created_by_id=actor.user_id,
                       payment_count=len(chosen), net_amount=net, checksum=checksum(content),
                       rows=to_rows(sie))
    export.payments = [SieExportPayment(payment_id=p.id) for p in chosen]
    db.session.add(export)
    db.session.flush()
    skipped = f"; {left_out} redan exporterade togs inte med" if left_out else ""
    audit.record(actor, LedgerAction.SIE_EXPORT_CREATE, "sie_export", export.id, year=year,
                 summary=f"SIE-export {export.id} av {len(chosen)} utbetalningar {start}–{end}, "
                 f"netto {format_amount(net, unit=True)}{skipped}",
                 after={"date_from": start, "date_to": end, "payments": [p.id for p in chosen],
                        "checksum": export.checksum, "left_out": left_out})
    return ExportResult(export, content, left_out)


def recreate_export(export_id: int, actor: Actor) -> tuple[SieExport, bytes]:
    """Make an earlier export's file again, byte for byte (checked against its checksum)."""
    export = db.session.get(SieExport, export_id)
    if export is None:
        raise DomainError(_("det finns ingen SIE-export med nummer %(number)s",
                            number=export_id),
                          field="export_id")
    content = write_sie(from_rows(export.rows))
    if checksum(content) != export.checksum:
        raise DomainError(_("SIE-export %(number)s kan inte skapas igen exakt: filens kontrollsumma "
                            "stämmer inte med den sparade", number=export.id), field="export_id")
    audit.record(actor, LedgerAction.SIE_EXPORT_AGAIN, "sie_export", export.id, year=export.year,
                 summary=f"SIE-export {export.id} ({export.date_from}–{export.date_to}) "
                 "hämtad eller skapad igen", after={"checksum": export.checksum})
    return export, content
