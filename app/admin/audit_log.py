"""Reading the audit log: filtered pages, newest first, with values ready to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import AmountError
from app.core.models import AuditEntry
from app.core.money import format_amount, parse_exchange_amount
from app.extensions import db

# Keys whose values are money; a mapping under such a key (carry_over: {fund: amount}) holds
# amounts too.
AMOUNT_KEYS = frozenset(
    {"budget", "spent", "amount", "received", "paid", "returned", "stated_total", "carry_over"}
)
# Imports record the allocation as the exchange format writes it: kronor, not öre.
KRONOR_ACTIONS = frozenset({"allocation.import", "allocation.replace"})


@dataclass(frozen=True)
class Value:
    """One recorded value: a key and either its text or, for a mapping or list, its parts."""

    key: str
    text: str | None = None  # None for a mapping or list
    parts: tuple[Value, ...] = ()


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    before: tuple[Value, ...]
    after: tuple[Value, ...]

    @property
    def nested(self) -> bool:
        """Whether the values hold mappings or lists (then the page folds them away)."""
        return any(v.parts for v in self.before + self.after)


def filter_choices() -> tuple[list[int], list[str]]:
    """Return the years and the actions that occur in the log, for the filter (two queries)."""
    years = db.session.scalars(
        select(AuditEntry.year).where(AuditEntry.year.is_not(None)).distinct()
        .order_by(AuditEntry.year.desc())
    ).all()
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    return list(years), list(actions)


def audit_page(*, year: int | None, action: str | None, page: int, per_page: int):
    """Return one page of the log, newest first, filtered by year and action.

    The page's items are AuditRow; a page past the end is a 404.
    """
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if year is not None:
        query = query.where(AuditEntry.year == year)
    if action:
        query = query.where(AuditEntry.action == action)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=True, count=True)
    kronor = {e.id: e.action in KRONOR_ACTIONS for e in pagination.items}
    pagination.items = [
        AuditRow(e, describe(e.before, kronor=kronor[e.id]), describe(e.after, kronor=kronor[e.id]))
        for e in pagination.items
    ]
    return pagination


def describe(values: Any, *, kronor: bool = False) -> tuple[Value, ...]:
    """Turn recorded values into keys and texts, amounts written the Swedish way."""
    if not isinstance(values, dict):
        return ()
    return tuple(_value(str(k), v, amount=k in AMOUNT_KEYS, kronor=kronor) for k, v in values.items())


def _value(key: str, value: Any, *, amount: bool, kronor: bool) -> Value:
    if isinstance(value, dict):
        return Value(key, parts=tuple(
            _value(str(k), v, amount=amount or k in AMOUNT_KEYS, kronor=kronor)
            for k, v in value.items()
        ))
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return Value(key, text=", ".join(_scalar(v, amount=amount, kronor=kronor) for v in value))
        return Value(key, parts=tuple(
            _value(str(i), v, amount=amount, kronor=kronor) for i, v in enumerate(value, start=1)
        ))
    return Value(key, text=_scalar(value, amount=amount, kronor=kronor))


def _scalar(value: Any, *, amount: bool, kronor: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nej"))
    if amount:
        try:
            ore = parse_exchange_amount(value) if kronor else int(value)
        except (AmountError, TypeError, ValueError):
            return str(value)
        return format_amount(ore, unit=True)
    return str(value)
