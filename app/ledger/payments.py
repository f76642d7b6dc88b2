"""Paying granted projects: requisitions, payments and refunds, attested by a second
coordinator above the threshold an administrator sets. Every change is audited; nothing here
commits. Money-changing steps lock the allocations involved (in id order, so two coordinators
paying across the same two funds queue up instead of deadlocking)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.money import format_amount
from app.core.types import utcnow
from app.extensions import db
from app.ledger.guards import ensure_open, lock_allocation
from app.ledger.models import (
    Allocation,
    Grant,
    LedgerAction,
    Payment,
    PaymentKind,
    PaymentState,
    Requisition,
    Setting,
)
from app.ledger.project_money import grant_money
from app.ledger.queries import load_ledger
from app.ledger.rules import (
    Basis,
    check_payment,
    check_refund,
    check_requisition,
    check_requisition_payment,
    check_spending_window,
    needs_second_approver,
    requestable,
)

THRESHOLD_KEY = "payment_attest_threshold"
# The note of a payment booked from an exchange file's `paid`/`returned` (not itemised there),
# and of one imported from the file's individual `payments`/`refunds`.
IMPORTED_TOTAL_NOTE = "Från importerad fil (paid/returned)"
IMPORTED_ITEM_NOTE = "Från importerad fil (payments/refunds)"


class OutsideSpendingWindow(DomainError):
    """A payment dated after its fund's last spending day, without an administrator's reason:
    a refusal of its date, `paid_on`."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="paid_on")


# --- the attestation threshold -------------------------------------------------------------

def attest_threshold() -> int:
    """Payments above this many öre need a second coordinator (0: every payment does)."""
    value = db.session.scalar(select(Setting.value).where(Setting.key == THRESHOLD_KEY))
    return int(value) if value is not None else 0


def set_attest_threshold(amount: int, actor: Actor) -> None:
    if amount < 0:
        raise DomainError(_("gränsen kan inte vara negativ"))
    setting = db.session.get(Setting, THRESHOLD_KEY)
    before = int(setting.value) if setting else 0
    if setting is None:
        setting = Setting(key=THRESHOLD_KEY, value=str(amount))
        db.session.add(setting)
    setting.value = str(amount)
    setting.updated_by = actor.label
    db.session.flush()
    audit.record(actor, LedgerAction.SETTING_UPDATE, "setting", None,
                 summary=f"Attestgräns för utbetalningar: {format_amount(amount, unit=True)}",
                 before={THRESHOLD_KEY: before}, after={THRESHOLD_KEY: amount})


# --- requisitions --------------------------------------------------------------------------

def _registered_on(requisition):
    """What the payments registered on a requisition (attested or waiting) add up to; of a
    requisition's id, or of the column Requisition.id in a query over requisitions."""
    return select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.requisition_id == requisition, Payment.kind == PaymentKind.PAYMENT,
        Payment.state != PaymentState.REJECTED)


def open_requisitions(grant_id: int) -> int:
    """What the grant's open requisitions still ask for: each neither declined nor covered by
    the payments registered on it (attested or waiting), in one query."""
    on_it = _registered_on(Requisition.id).scalar_subquery()
    rows = db.session.execute(select(Requisition.amount, on_it).where(
        Requisition.grant_id == grant_id, Requisition.declined_reason.is_(None)))
    return sum(max(0, int(amount) - int(paid)) for amount, paid in rows)


def requestable_amount(grant: Grant) -> int:
    """What the project may still request (see rules.requestable)."""
    return requestable(grant_money(grant), _pending(grant.id, PaymentKind.PAYMENT),
                       open_requisitions(grant.id))


def request_payment(grant_id: int, amount: int, text: str, actor: Actor) -> Requisition:
    """The project asks to be paid; a coordinator then pays on it (or declines it).

    The grant's own allocation is locked first, as payments lock it, so requisitions made at
    the same moment queue up and each sees the others: together they never ask for more than
    the grant."""
    grant = _grant(grant_id)
    lock_allocation(grant.line.allocation_id)
    reason = check_requisition(grant_money(grant), _pending(grant.id, PaymentKind.PAYMENT),
                               open_requisitions(grant.id), amount)
    if reason:
        raise DomainError(reason)
    requisition = Requisition(grant_id=grant.id, amount=amount, text=text.strip(),
                              created_by=actor.label, created_by_id=actor.user_id)
    db.session.add(requisition)
    db.session.flush()
    audit.record(actor, LedgerAction.REQUISITION_CREATE, "requisition", requisition.id,
                 year=grant.line.allocation.year,
                 summary=f"Rekvirerade {format_amount(amount, unit=True)} för {grant.title[:200]}",
                 after={"grant_id": grant.id, "amount": amount, "text": requisition.text})
    return requisition


def decline_requisition(requisition_id: int, reason: str, actor: Actor) -> Requisition:
    requisition = db.session.get(Requisition, requisition_id)
    if requisition is None:
        raise DomainError(_("rekvisitionen finns inte"))
    # As payments and requisitions do: one change of the grant's money at a time, so a
    # requisition is not declined while a payment against it is being registered.
    _lock(requisition.grant.line.allocation_id)
    db.session.refresh(requisition)
    if not reason.strip():
        raise DomainError(_("skriv varför rekvisitionen avslås"))
    if requisition.declined_reason is not None:
        raise DomainError(_("rekvisitionen är redan avslagen"))
    requisition.declined_reason = reason.strip()
    db.session.flush()
    audit.record(actor, LedgerAction.REQUISITION_DECLINE, "requisition", requisition.id,
                 year=requisition.grant.line.allocation.year,
                 summary=f"Avslog rekvisition på {format_amount(requisition.amount, unit=True)}",
                 after={"reason": requisition.declined_reason})
    return requisition


def requisitions_with_paid(grant_id: int) -> list[tuple[Requisition, int]]:
    """The grant's requisitions, oldest first, each with what has been paid (attested) on it:
    two queries however many there are."""
    requisitions = list(db.session.scalars(
        select(Requisition).where(Requisition.grant_id == grant_id)
        .order_by(Requisition.created_at, Requisition.id)
    ))
    paid = dict(db.session.execute(
        select(Payment.requisition_id, func.sum(Payment.amount)).where(
            Payment.grant_id == grant_id, Payment.requisition_id.is_not(None),
            Payment.state == PaymentState.APPROVED, Payment.kind == PaymentKind.PAYMENT,
        ).group_by(Payment.requisition_id)
    ).all())
    return [(r, int(paid.get(r.id) or 0)) for r in requisitions]


# --- payments and refunds ------------------------------------------------------------------

@dataclass
class PaymentInput:
    grant_id: int
    amount: int
    paid_on: date
    reference: str = ""
    allocation_id: int | None = None  # paid from (or back to); None: the grant's own
    kind: PaymentKind = PaymentKind.PAYMENT
    requisition_id: int | None = None
    note: str = ""
    # An administrator's reason for paying after the fund's last spending day ("" for none).
    window_override: str = ""


def payment_snapshot(payment: Payment) -> dict:
    return {
        "grant_id": payment.grant_id,
        "allocation_id": payment.allocation_id,
        "kind": payment.kind,
        "amount": payment.amount,
        "paid_on": payment.paid_on,
        "reference": payment.reference,
        "requisition_id": payment.requisition_id,
        "state": payment.state,
        "registered_by": payment.registered_by,
        "decided_by": payment.decided_by,
        "note": payment.note,
        "window_override": payment.window_override,
    }


def _grant(grant_id: int) -> Grant:
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise DomainError(_("projektet finns inte"))
    return grant


def _lock(*allocation_ids: int) -> dict[int, Allocation]:
    return {aid: lock_allocation(aid) for aid in sorted(set(allocation_ids))}


def _pending(grant_id: int, kind: PaymentKind, exclude: int | None = None) -> int:
    query = select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.grant_id == grant_id, Payment.kind == kind, Payment.state == PaymentState.PENDING
    )
    if exclude is not None:
        query = query.where(Payment.id != exclude)
    return int(db.session.scalar(query))


def net_paid_by_allocation(grant_id: int) -> dict[int, int]:
    """What each allocation has paid the grant, less what was refunded to it (attested only),
    by allocation id in id order: one query."""
    rows = db.session.execute(
        select(Payment.allocation_id, Payment.kind, func.sum(Payment.amount)).where(
            Payment.grant_id == grant_id, Payment.state == PaymentState.APPROVED,
        ).group_by(Payment.allocation_id, Payment.kind).order_by(Payment.allocation_id)
    )
    net: dict[int, int] = {}
    for allocation_id, kind, total in rows:
        signed = int(total) if kind is PaymentKind.PAYMENT else -int(total)
        net[allocation_id] = net.get(allocation_id, 0) + signed
    return net


def _check_other_fund(source: Allocation, own: Allocation, amount: int, kind: PaymentKind) -> None:
    """Money moved through another fund changes both funds' outcomes: both years must be open,
    and the paying fund must have the money left."""
    ensure_open(own.year)
    ensure_open(source.year)
    if kind is PaymentKind.PAYMENT:
        ledger = load_ledger(allocation_ids=[source.id], sums_only=True)
        left = ledger.balance(source, Basis.OUTCOME).result
        if amount > left:
            raise DomainError(
                _("%(source)s har %(left)s kvar enligt utfallet; %(amount)s kan inte betalas "
                  "därifrån", source=source.label, left=format_amount(max(left, 0), unit=True),
                  amount=format_amount(amount, unit=True))
            )


def _validate(kind: PaymentKind, amount: int, grant: Grant, own: Allocation, source: Allocation,
              exclude: int | None = None) -> None:
    """Refuse a payment (or refund) the grant's money or the paying fund cannot bear; `exclude`
    is the pending payment being attested, which must not count against itself."""
    money = grant_money(grant)
    if kind is PaymentKind.PAYMENT:
        reason = check_payment(money, _pending(grant.id, PaymentKind.PAYMENT, exclude), amount)
    else:
        if money.closed:
            raise DomainError(_("projektet är avslutat; återbetalningar bokas när slutrapporten "
                                "godkänns"))
        reason = check_refund(
            net_paid_by_allocation(grant.id).get(source.id, 0)
            - _pending(grant.id, PaymentKind.REFUND, exclude),
            amount,
        )
    if reason:
        raise DomainError(reason)
    if source.id != own.id:
        _check_other_fund(source, own, amount, kind)


def sync_grant_totals(grant: Grant) -> None:
    """Keep the grant's paid and returned (the exchange format's fields) equal to its approved
    payments and refunds."""
    rows = dict(db.session.execute(
        select(Payment.kind, func.sum(Payment.amount)).where(
            Payment.grant_id == grant.id, Payment.state == PaymentState.APPROVED
        ).group_by(Payment.kind)
    ).all())
    paid = rows.get(PaymentKind.PAYMENT)
    returned = rows.get(PaymentKind.REFUND)
    grant.paid = int(paid) if paid is not None else (grant.paid if grant.paid == 0 else None)
    grant.returned = int(returned) if returned is not None else (
        grant.returned if grant.returned == 0 else None
    )


def register_payment(data: PaymentInput, actor: Actor, *, attest: bool = True) -> Payment:
    """Register a payment or refund. At or below the threshold it is attested at once by the
    one who registers it; above, it waits for another coordinator."""
    grant = _grant(data.grant_id)
    own_id = grant.line.allocation_id
    source_id = data.allocation_id or own_id
    if db.session.get(Allocation, source_id) is None:
        raise DomainError(_("fonden som pengarna ska betalas från finns inte"))
    locked = _lock(own_id, source_id)
    own, source = locked[own_id], locked[source_id]
    if not data.reference.strip() and data.kind is PaymentKind.PAYMENT:
        raise DomainError(_("ange en referens (verifikationsnummer eller fakturanummer)"))
    if data.requisition_id is not None:
        requisition = db.session.get(Requisition, data.requisition_id)
        if requisition is None or requisition.grant_id != grant.id:
            raise DomainError(_("rekvisitionen hör inte till det här projektet"))
        if requisition.declined_reason is not None:
            raise DomainError(_("rekvisitionen är avslagen"))
        # The own allocation is locked above: what is paid on the requisition is settled.
        reason = data.kind is PaymentKind.PAYMENT and check_requisition_payment(
            requisition.amount, int(db.session.scalar(_registered_on(requisition.id))),
            data.amount)
        if reason:
            raise DomainError(reason)
    _validate(data.kind, data.amount, grant, own, source)
    override = _window_override(data, source, actor)
    payment = Payment(
        grant_id=grant.id, allocation_id=source.id, kind=data.kind, amount=data.amount,
        paid_on=data.paid_on, reference=data.reference.strip(),
        requisition_id=data.requisition_id, note=data.note.strip(),
        state=PaymentState.PENDING, registered_by=actor.label, registered_by_id=actor.user_id,
        window_override=override,
    )
    if attest and not needs_second_approver(data.amount, attest_threshold()):
        payment.state = PaymentState.APPROVED
        payment.decided_by = actor.label
        payment.decided_by_id = actor.user_id
        payment.decided_at = utcnow()
    db.session.add(payment)
    db.session.flush()
    sync_grant_totals(grant)
    what = "utbetalning" if data.kind is PaymentKind.PAYMENT else "återbetalning"
    waits = " (väntar på attest)" if payment.state is PaymentState.PENDING else ""
    late = (f"; efter sista förbrukningsdag {source.spend_until.isoformat()}, godkänt av "
            f"administratör: {override[:150]}" if override else "")
    audit.record(actor, LedgerAction.PAYMENT_REGISTER, "payment", payment.id, year=own.year,
                 summary=f"Registrerade {what} {format_amount(data.amount, unit=True)} för "
                 f"{grant.title[:150]} från {source.label}{waits}{late}",
                 after=payment_snapshot(payment))
    return payment


def _window_override(data: PaymentInput, source: Allocation, actor: Actor) -> str | None:
    """Refuse a payment dated after the paying fund's last spending day, unless an
    administrator gives a reason; return that reason (None when the date is within)."""
    if data.kind is not PaymentKind.PAYMENT or data.paid_on <= source.spend_until:
        return None  # money paid back may come in after the window: it is not spent
    reason = (data.window_override or "").strip()
    user = db.session.get(User, actor.user_id) if actor.user_id is not None else None
    is_admin = user is not None and user.is_admin
    refusal = check_spending_window(data.paid_on, source.spend_until,
                                    overridden=bool(reason) and is_admin)
    if refusal:
        if reason and not is_admin:
            refusal = _("%(refusal)s; du är inte administratör", refusal=refusal)
        elif is_admin:
            refusal = _("%(refusal)s; skriv skälet i fältet för det", refusal=refusal)
        raise OutsideSpendingWindow(refusal)
    return reason


def _pending_payment(payment_id: int) -> tuple[Payment, Allocation, Allocation]:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise DomainError(_("utbetalningen finns inte"))
    own_id = payment.grant.line.allocation_id
    locked = _lock(own_id, payment.allocation_id)
    db.session.refresh(payment)
    if payment.state is not PaymentState.PENDING:
        raise DomainError(_("utbetalningen är redan attesterad eller avslagen"))
    return payment, locked[own_id], locked[payment.allocation_id]


def approve_payment(payment_id: int, actor: Actor) -> Payment:
    """Attest a pending payment: another coordinator than the one who registered it."""
    payment, own, source = _pending_payment(payment_id)
    if (actor.user_id is not None and actor.user_id == payment.registered_by_id) or (
        actor.label == payment.registered_by
    ):
        raise DomainError(_("den som registrerade utbetalningen kan inte själv attestera den"))
    # Checked again: other payments may have been attested since this one was registered.
    _validate(payment.kind, payment.amount, payment.grant, own, source, exclude=payment.id)
    before = payment_snapshot(payment)
    payment.state = PaymentState.APPROVED
    payment.decided_by = actor.label
    payment.decided_by_id = actor.user_id
    payment.decided_at = utcnow()
    db.session.flush()
    sync_grant_totals(payment.grant)
    audit.record(actor, LedgerAction.PAYMENT_APPROVE, "payment", payment.id, year=own.year,
                 summary=f"Attesterade {format_amount(payment.amount, unit=True)} till "
                 f"{payment.grant.title[:200]}",
                 before=before, after=payment_snapshot(payment))
    return payment


def reject_payment(payment_id: int, reason: str, actor: Actor) -> Payment:
    if not reason.strip():
        raise DomainError(_("skriv varför utbetalningen avslås"))
    payment, own, _source = _pending_payment(payment_id)
    before = payment_snapshot(payment)
    payment.state = PaymentState.REJECTED
    payment.decided_by = actor.label
    payment.decided_by_id = actor.user_id
    payment.decided_at = utcnow()
    payment.note = (payment.note + "\n" if payment.note else "") + reason.strip()
    db.session.flush()
    audit.record(actor, LedgerAction.PAYMENT_REJECT, "payment", payment.id, year=own.year,
                 summary=f"Avslog utbetalning {format_amount(payment.amount, unit=True)} till "
                 f"{payment.grant.title[:150]}: {reason.strip()[:150]}",
                 before=before, after=payment_snapshot(payment))
    return payment


def imported_payments(grant_id: int, allocation: Allocation, paid: int | None,
                      returned: int | None, actor: Actor, year: int) -> list[dict]:
    """The attested payments that record an exchange file's `paid` and `returned` of a grant
    of the allocation, as rows (the import inserts them in bulk).

    The file does not date them: the end of the grant's year, never after the fund's last
    spending day, so imported money keeps the spending window like registered money."""
    paid_on = min(date(year, 12, 31), allocation.spend_until)
    return [imported_item(grant_id, kind, allocation.id, amount, paid_on, "Import", actor,
                          note=IMPORTED_TOTAL_NOTE)
            for kind, amount in ((PaymentKind.PAYMENT, paid), (PaymentKind.REFUND, returned))
            if amount]


def book_imported(grant: Grant, paid: int | None, returned: int | None, actor: Actor,
                  year: int) -> None:
    """Record an exchange file's `paid` and `returned` as attested payments of the grant's own
    allocation, so the figures have one source from then on."""
    for row in imported_payments(grant.id, grant.line.allocation, paid, returned, actor,
                                 year):
        db.session.add(Payment(**row))


def imported_item(grant_id: int, kind: PaymentKind, allocation_id: int, amount: int,
                  paid_on: date, reference: str | None, actor: Actor, *,
                  note: str = IMPORTED_ITEM_NOTE) -> dict:
    """One of an exchange file's payments (or refunds) as an attested payment's row: the
    file is history, decided already; the import's audit record holds it. `note` says which
    of the file's fields it came from (the export reads it back)."""
    return dict(grant_id=grant_id, allocation_id=allocation_id, kind=kind, amount=amount,
                paid_on=paid_on, reference=reference or "", state=PaymentState.APPROVED,
                registered_by=actor.label, registered_by_id=actor.user_id,
                decided_by=actor.label, decided_by_id=actor.user_id, decided_at=utcnow(),
                imported=True, note=note)
