"""Payments of 2022 from two funds, with the SIE settings of one of them: what the SIE
export tests export."""

from __future__ import annotations

from datetime import date

from app.core.audit import Actor
from app.extensions import db
from app.ledger import payments
from app.ledger.models import Earmark, Grant, Payment, PaymentKind
from app.ledger.sie.accounts import (
    EarmarkAccountsInput,
    SieSettings,
    set_earmark_accounts,
    set_sie_settings,
)
from tests.followup.factories import ATTESTER, REGISTRAR, grant_by_title, import_year, pool_year
from tests.ledger.factories import grant
from tests.support import kronor

ADMIN = Actor(label="admin@example.se")
QUOTED_TITLE = 'Unga i Åre "Ungdomsrådet" \\ Härjedalen'
SWEDISH_TITLE = "Östersunds fältgrupp för äldre"
SAMVERKAN_ACCOUNTS = EarmarkAccountsInput(
    cost_account="4990", cost_account_name="Stimulansmedel, samverkan",
    responsibility="1100", responsibility_name="Folkhälsa",
    activity="320", activity_name="Psykisk hälsa",
    project="P22SV", project_name="Samverkan 2022")


def earmark_id(code: str) -> int:
    return db.session.scalar(db.select(Earmark.id).where(Earmark.code == code))


def settle(app_settings: bool = True) -> None:
    """The region's SIE settings and the samverkan fund's accounts."""
    if app_settings:
        set_sie_settings(SieSettings(company="Region Jämtland Härjedalen", bank_account="1930",
                                     bank_account_name="Bank", series="S"), ADMIN)
    set_earmark_accounts(earmark_id("samverkan"), SAMVERKAN_ACCOUNTS, ADMIN)


def pay_on(grant_obj: Grant, amount_kr: int, on: date, *, refund: bool = False,
           attest: bool = True, reference: str = "VER-1") -> Payment:
    """Register a payment (or refund) paid on `on`; another coordinator attests it."""
    payment = payments.register_payment(payments.PaymentInput(
        grant_id=grant_obj.id, amount=kronor(amount_kr), paid_on=on, reference=reference,
        kind=PaymentKind.REFUND if refund else PaymentKind.PAYMENT), REGISTRAR)
    if attest and payment.state.value == "pending":
        payments.approve_payment(payment.id, ATTESTER)
    db.session.flush()
    return payment


def build() -> dict[str, Grant]:
    """Two projects of samverkan 2022 and one of suicidprevention 2022, nothing paid yet."""
    import_year(pool_year(2022, grants=(grant(QUOTED_TITLE, 100_000),
                                        grant(SWEDISH_TITLE, 60_000))),
                pool_year(2022, earmark="suicidprevention",
                          grants=(grant("Suicidprevention i skolan", 40_000),)))
    return {"quoted": grant_by_title(QUOTED_TITLE), "swedish": grant_by_title(SWEDISH_TITLE),
            "other": grant_by_title("Suicidprevention i skolan")}
