"""The spending window holds: a payment dated after its fund's last spending day
(`spend_until`) is refused with the date, on the project page, in the API and in the
operation, unless an administrator overrides it with a reason, which the audit log keeps."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.users import find_by_email
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger import payments
from app.ledger.models import Payment, PaymentKind
from app.ledger.rules import check_spending_window
from tests.followup.factories import REGISTRAR, grant, grant_by_title, import_year, pay, pool_year
from tests.followup.test_staff_views import payment_form, text
from tests.ledger.factories import allocation_id
from tests.support import kronor

LAST_DAY = date(2023, 12, 31)  # a 2022 allocation's default: "förbrukas 2022–2023"
LATE = date(2024, 1, 15)


def test_the_rule_refuses_a_day_after_the_window_and_names_both_dates():
    assert check_spending_window(LAST_DAY, LAST_DAY, overridden=False) is None
    reason = check_spending_window(LATE, LAST_DAY, overridden=False)
    assert "2024-01-15" in reason and "2023-12-31" in reason
    assert check_spending_window(LATE, LAST_DAY, overridden=True) is None


@pytest.fixture
def project(app) -> dict:
    with app.app_context():
        import_year(pool_year(grants=(grant("Första hjälpen", 500_000),)))
        db.session.commit()
        first = grant_by_title("Första hjälpen")
        ids = {"grant": first.id, "allocation": first.line.allocation_id}
        db.session.remove()
    return ids


def _late(project: dict, *, on: date = LATE, reason: str = "",
          kind: PaymentKind = PaymentKind.PAYMENT) -> payments.PaymentInput:
    return payments.PaymentInput(grant_id=project["grant"], amount=kronor(1_000), paid_on=on,
                                 reference="VER-9", kind=kind, window_override=reason)


def _actor(email: str) -> Actor:
    return Actor.of(find_by_email(email))


def _payments(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Payment))
        db.session.remove()
    return count


def test_the_last_spending_day_itself_may_be_paid(ctx, project):
    payment = payments.register_payment(_late(project, on=LAST_DAY), REGISTRAR)
    assert payment.paid_on == LAST_DAY and payment.window_override is None


def test_a_payment_after_the_last_spending_day_is_refused_with_the_date(ctx, project, make_user):
    coordinator = _actor(make_user("coordinator"))
    for reason in ("", "Fakturan kom sent"):  # a coordinator's reason does not override
        with pytest.raises(payments.OutsideSpendingWindow) as refused:
            payments.register_payment(_late(project, reason=reason), coordinator)
        assert "daterad 2024-01-15" in refused.value.message
        assert "sista dag att använda medlen, 2023-12-31" in refused.value.message
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 0


def test_an_administrator_overrides_the_window_only_with_a_reason(ctx, project, make_user):
    admin = _actor(make_user("admin"))
    with pytest.raises(DomainError, match="skriv skälet"):
        payments.register_payment(_late(project), admin)
    payment = payments.register_payment(_late(project, reason="Slutfaktura från 2023"), admin)
    assert payment.paid_on == LATE and payment.window_override == "Slutfaktura från 2023"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "payment"))
    assert "efter sista förbrukningsdag 2023-12-31" in entry.summary
    assert "Slutfaktura från 2023" in entry.summary
    assert entry.after["window_override"] == "Slutfaktura från 2023"


def test_a_refund_after_the_window_is_money_back_not_spent(ctx, project):
    pay(grant_by_title("Första hjälpen"), 10_000)
    refund = payments.register_payment(_late(project, kind=PaymentKind.REFUND), REGISTRAR)
    assert refund.paid_on == LATE


def test_the_paying_funds_window_counts_not_the_projects(ctx, project):
    """Paid from another fund whose money may be spent longer, is the later date accepted?"""
    import_year(pool_year(2023, earmark="suicidprevention", grants=()))
    source = allocation_id("suicidprevention", 2023)
    data = _late(project)
    data.allocation_id = source
    payment = payments.register_payment(data, REGISTRAR)
    assert payment.allocation_id == source  # 2023's money may be spent until 2024-12-31


def test_the_project_page_refuses_a_late_payment_at_the_date(app, project, as_role):
    client = as_role("coordinator")
    url = f"/projekt/{project['grant']}/utbetalningar"
    response = client.post(url, data=payment_form(project, **{
        "pay-paid_on": "2024-01-15", "pay-amount": "1 000"}))
    page = text(response)
    assert response.status_code == 422
    assert "Utbetalningen är daterad 2024-01-15, efter fondens sista dag att använda medlen, " \
           "2023-12-31" in page
    assert 'value="2024-01-15"' in page  # what was typed is kept
    assert "Skäl att betala efter sista förbrukningsdag" not in page  # only for administrators
    assert _payments(app) == 0


def test_an_administrator_pays_late_on_the_project_page_with_a_reason(app, project, as_role):
    client = as_role("admin")
    page = text(client.get(f"/projekt/{project['grant']}"))
    assert "Skäl att betala efter sista förbrukningsdag" in page
    url = f"/projekt/{project['grant']}/utbetalningar"
    late = {"pay-paid_on": "2024-01-15", "pay-amount": "1 000"}
    response = client.post(url, data=payment_form(project, **late))
    assert response.status_code == 422 and "skriv skälet" in text(response)
    response = client.post(url, data=payment_form(project, **late, **{
        "pay-window_override": "Slutfaktura från 2023"}))
    assert response.status_code == 302
    assert _payments(app) == 1


def test_imported_payments_are_dated_within_the_window(ctx):
    """A file's `paid` has no date: is it booked no later than the fund's last spending day?"""
    import_year(pool_year(2022, grants=(grant("Tidigt slut", 500_000, paid=100_000),)) | {
        "spend_until": "2022-06-30"})
    payment = db.session.scalar(select(Payment))
    assert payment.imported and payment.paid_on == date(2022, 6, 30)
