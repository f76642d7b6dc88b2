"""Reading a grant of an exchange document: its fields, the earlier grant it continues, and
its individual payments and refunds, with the rules that need no database."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core.money import format_amount
from app.ledger.exchange.reader import Reader, describe
from app.ledger.exchange.schema import (
    CONTINUES_FIELDS,
    GRANT_FIELDS,
    PAYMENT_FIELDS,
    REFUND_FIELDS,
    GrantData,
    PaymentData,
    join_path,
)


def read_grant(r: Reader, raw: Any, path: str) -> GrantData | None:
    data = r.mapping(raw, path, GRANT_FIELDS)
    if data is None:
        return None
    before = len(r.problems)
    title = r.text(data, "title", path, required=True)
    owner = r.text(data, "owner", path, required=True, max_len=300)
    partners = r.text_list(data, "partners", path, required=False)
    goal_areas = r.text_list(data, "goal_areas", path, required=True)
    amount = r.amount(data, "amount", path, required=True)
    paid = r.amount(data, "paid", path, required=False)
    returned = r.amount(data, "returned", path, required=False)
    status = r.text(data, "status", path, required=False, max_len=40)
    report_due = r.date(data, "report_due", path)
    continues = None
    if data.get("continues") is not None:
        cpath = join_path(path, "continues")
        c = r.mapping(data["continues"], cpath, CONTINUES_FIELDS)
        if c is not None:
            cearmark = r.text(c, "earmark", cpath, required=True, max_len=40)
            cyear = r.year(c, "year", cpath)
            ctitle = r.text(c, "title", cpath, required=True)
            if cearmark and cyear and ctitle:
                continues = (cearmark, cyear, ctitle)
    payments = _read_payments(r, data, "payments", path, PAYMENT_FIELDS, "from")
    refunds = _read_payments(r, data, "refunds", path, REFUND_FIELDS, "to")
    if payments is not None:
        paid = _agreeing_sum(r, payments, paid, join_path(path, "paid"), "paid")
        if amount is not None and paid is not None and paid > amount:
            r.error(join_path(path, "payments"),
                    _("utbetalningarna summerar till %(paid)s, mer än det beviljade beloppet "
                      "%(amount)s", paid=format_amount(paid, unit=True),
                      amount=format_amount(amount, unit=True)))
            paid = None
    if refunds is not None:
        returned = _agreeing_sum(r, refunds, returned, join_path(path, "returned"), "returned")
    if amount is not None and paid is not None and paid > amount:
        r.error(join_path(path, "paid"), _("utbetalt är mer än det beviljade beloppet"))
    if refunds is None and paid is not None and returned is not None and returned > paid:
        r.error(join_path(path, "returned"), _("återbetalt är mer än det utbetalda beloppet"))
    if len(r.problems) > before or title is None or owner is None or amount is None:
        return None
    return GrantData(
        title=title, owner=owner, partners=partners, goal_areas=goal_areas,
        amount=amount, paid=paid, returned=returned, status=status, report_due=report_due,
        continues=continues, payments=payments, refunds=refunds, place=path,
    )


def _read_payments(r: Reader, data: dict, key: str, path: str, allowed: set[str],
                   fund_key: str) -> list[PaymentData] | None:
    """Read a grant's `payments` (or `refunds`): None when the file does not itemise them."""
    if data.get(key) is None:
        return None
    where = join_path(path, key)
    if not isinstance(data[key], list):
        r.error(where, _("ska vara en lista, inte %(found)s", found=describe(data[key])))
        return None
    items = []
    for i, raw in enumerate(data[key]):
        ppath = f"{where}[{i}]"
        p = r.mapping(raw, ppath, allowed)
        if p is None:
            continue
        before = len(r.problems)
        if p.get("date") is None:
            r.error(join_path(ppath, "date"), _("fältet 'date' saknas"))
        paid_on = r.date(p, "date", ppath)
        amount = r.amount(p, "amount", ppath, required=True)
        reference = (r.text(p, "reference", ppath, required=False, max_len=200)
                     if "reference" in allowed else None)
        fund = r.fund(p, fund_key, ppath)
        if amount == 0:
            r.error(join_path(ppath, "amount"), _("beloppet ska vara större än 0 kr"))
        if len(r.problems) > before or paid_on is None or amount is None:
            continue
        items.append(PaymentData(paid_on=paid_on, amount=amount, reference=reference,
                                 fund=fund, place=ppath))
    return items


def _agreeing_sum(r: Reader, items: list[PaymentData], stated: int | None, where: str,
                  key: str) -> int | None:
    """The sum of itemised money (`key` "paid" or "returned"); a stated total beside it must
    agree."""
    total = sum(item.amount for item in items)
    if stated is not None and stated != total:
        figures = {"stated": format_amount(stated, unit=True),
                   "total": format_amount(total, unit=True)}
        if key == "paid":
            r.error(where, _("paid är %(stated)s men utbetalningarna summerar till %(total)s; "
                             "ange samma belopp eller bara listan", **figures))
        else:
            r.error(where, _("returned är %(stated)s men återbetalningarna summerar till "
                             "%(total)s; ange samma belopp eller bara listan", **figures))
        return None
    return total


def own_fund_unnamed(grant: GrantData, own: tuple[str, int]) -> None:
    """A payment `from` (or refund `to`) the grant's own allocation is one that names none."""
    for item in (grant.payments or []) + (grant.refunds or []):
        if item.fund == own:
            item.fund = None


def check_refunds(r: Reader, refunds: list[PaymentData], payments: list[PaymentData] | None,
                   paid: int | None, where: str) -> None:
    """Refunds to an allocation never exceed what it paid the project (None: the grant's own
    allocation, which paid all of `paid` when payments are not itemised)."""
    paid_by: dict[tuple[str, int] | None, int] = {}
    if payments is None:
        paid_by[None] = paid or 0
    else:
        for p in payments:
            paid_by[p.fund] = paid_by.get(p.fund, 0) + p.amount
    refunded: dict[tuple[str, int] | None, int] = {}
    for refund in refunds:
        refunded[refund.fund] = refunded.get(refund.fund, 0) + refund.amount
    for fund, total in refunded.items():
        if total > paid_by.get(fund, 0):
            name = f"{fund[0]} {fund[1]}" if fund else _("projektets egen fond")
            r.error(where, _("återbetalningarna till %(fund)s summerar till %(total)s, mer än de "
                             "%(paid)s som betalades därifrån", fund=name,
                             total=format_amount(total, unit=True),
                             paid=format_amount(paid_by.get(fund, 0), unit=True)))
