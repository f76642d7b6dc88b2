"""The audit log's entries as the page and the download show them: the action named through
the registry, recorded values as keys and texts, amounts written the Swedish way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.call.rules import ApplicationState, CallState
from app.core.audit import AuditAction
from app.core.errors import AmountError
from app.core.labels import LabelledEnum
from app.core.models import AuditEntry
from app.core.money import format_amount, parse_exchange_amount
from app.followup.rules import ReportState
from app.jobs.rules import JobState
from app.ledger.models import PaymentState
from app.ledger.rules import RemainderRule
from app.web.labels import label

# Keys whose values are money; a mapping under such a key (carry_over: {fund: amount}) holds
# amounts too.
AMOUNT_KEYS = frozenset(
    {"budget", "spent", "amount", "received", "paid", "returned", "stated_total", "carry_over",
     "proposed_amount", "to_return", "used"}
)
# The states an entry records, by the kind of thing it is about: shown in words.
STATES: dict[str, type[LabelledEnum]] = {
    "application": ApplicationState, "call": CallState, "project_call": CallState,
    "payment": PaymentState, "project_report": ReportState, "report_job": JobState,
}
# Imports record the allocation as the exchange format writes it: kronor, not öre.
KRONOR_ACTIONS = frozenset({"allocation.import", "allocation.replace"})


@dataclass(frozen=True)
class Value:
    """One recorded value: a key and either its text or, for a mapping or list, its parts."""

    key: str
    text: str | None = None  # None for a mapping or list
    parts: tuple[Value, ...] = ()

    @property
    def name(self) -> str:
        """The key as users read it ("budget" is "Budget")."""
        return label("field", self.key)


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    before: tuple[Value, ...]
    after: tuple[Value, ...]

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditRow:
        """Describe an entry's recorded values, ready to show."""
        kronor = entry.action in KRONOR_ACTIONS
        states = STATES.get(entry.entity)
        return cls(entry, describe(entry.before, kronor=kronor, states=states),
                   describe(entry.after, kronor=kronor, states=states))

    @property
    def id(self) -> int:
        """The entry's id, the place of its row in the log's pages."""
        return self.entry.id

    @property
    def action(self) -> str:
        """What the entry records, as the registry of audit actions names it."""
        return AuditAction.label_of(self.entry.action)

    @property
    def nested(self) -> bool:
        """Whether the values hold mappings or lists (then the page folds them away)."""
        return any(v.parts for v in self.before + self.after)


def describe(values: Any, *, kronor: bool = False,
             states: type[LabelledEnum] | None = None) -> tuple[Value, ...]:
    """Turn recorded values into keys and texts, amounts written the Swedish way and a state
    (of the enum `states`) in words."""
    if not isinstance(values, dict):
        return ()
    return tuple(_value(str(k), v, amount=k in AMOUNT_KEYS, kronor=kronor, states=states)
                 for k, v in values.items())


def values_line(values: tuple[Value, ...]) -> str:
    """Write recorded values on one line, "Field: value; Field: value", for a download."""
    return "; ".join(f"{v.name}: {f'({values_line(v.parts)})' if v.parts else v.text}"
                     for v in values)


def _value(key: str, value: Any, *, amount: bool, kronor: bool,
           states: type[LabelledEnum] | None = None) -> Value:
    if key == "state" and states is not None and isinstance(value, str):
        try:
            return Value(key, text=str(states(value).label))
        except ValueError:
            pass
    if isinstance(value, dict):
        return Value(key, parts=tuple(
            _value(str(k), v, amount=amount or k in AMOUNT_KEYS, kronor=kronor)
            for k, v in value.items()
        ))
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return Value(key, text=", ".join(_scalar(key, v, amount=amount, kronor=kronor)
                                             for v in value))
        return Value(key, parts=tuple(
            _value(str(i), v, amount=amount, kronor=kronor) for i, v in enumerate(value, start=1)
        ))
    return Value(key, text=_scalar(key, value, amount=amount, kronor=kronor))


def _scalar(key: str, value: Any, *, amount: bool, kronor: bool) -> str:
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
    if key == "role":
        try:
            return Role(value).label
        except ValueError:
            return str(value)
    if key == "remainder_rule":
        try:
            return RemainderRule(value).label
        except ValueError:
            return str(value)
    return str(value)
