"""An administrator's SIE settings: the region's name and bank account, the voucher series,
and each earmark's cost account and cost objects. Audited; nothing here commits."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.models import Earmark, LedgerAction, Setting
from app.ledger.sie.models import SieEarmarkAccounts
from app.ledger.sie.rules import (
    SERIES,
    SERIES_TEXT,
    account_problem,
    object_problem,
)


@dataclass
class SieSettings:
    """The file's head and the credit side of every voucher."""

    company: str = ""  # #FNAMN: the region's name
    bank_account: str = ""  # credited for a payment, debited for a refund
    bank_account_name: str = ""
    series: str = "S"

    @property
    def complete(self) -> bool:
        return bool(self.company and self.bank_account and self.bank_account_name)


_KEYS = {name: f"sie_{name}" for name in ("company", "bank_account", "bank_account_name",
                                         "series")}


@dataclass
class EarmarkAccountsInput:
    cost_account: str
    cost_account_name: str
    responsibility: str = ""
    responsibility_name: str = ""
    activity: str = ""
    activity_name: str = ""
    project: str = ""
    project_name: str = ""


#: Each cost object's code field, its name field and the words naming it in a message.
OBJECT_FIELDS = (("responsibility", "responsibility_name", _l("ansvar")),
                 ("activity", "activity_name", _l("verksamhet")),
                 ("project", "project_name", _l("projekt")))


def sie_settings() -> SieSettings:
    """The settings as stored (empty where an administrator has not set them)."""
    stored = dict(db.session.execute(
        select(Setting.key, Setting.value).where(Setting.key.in_(_KEYS.values()))).all())
    settings = SieSettings()
    for name, key in _KEYS.items():
        if key in stored:
            setattr(settings, name, stored[key])
    return settings


def set_sie_settings(new: SieSettings, actor: Actor) -> None:
    """Store the settings; each refusal names its field."""
    new = SieSettings(**{k: v.strip() for k, v in asdict(new).items()})
    if not new.company:
        raise DomainError(_("ange regionens namn"), field="company")
    if problem := account_problem(new.bank_account):
        raise DomainError(problem, field="bank_account")
    if not new.bank_account_name:
        raise DomainError(_("ange kontots namn"), field="bank_account_name")
    if not SERIES.fullmatch(new.series):
        raise DomainError(str(SERIES_TEXT), field="series")
    before = sie_settings()
    for name, key in _KEYS.items():
        setting = db.session.get(Setting, key)
        if setting is None:
            setting = Setting(key=key, value="")
            db.session.add(setting)
        setting.value = getattr(new, name)
        setting.updated_by = actor.label
    db.session.flush()
    audit.record(actor, LedgerAction.SIE_SETTINGS_UPDATE, "setting", None,
                 summary=f"SIE-export: {new.company}, bankkonto {new.bank_account}, "
                 f"serie {new.series}", before=asdict(before), after=asdict(new))


def earmark_by_code(code: str) -> Earmark | None:
    return db.session.scalar(select(Earmark).where(Earmark.code == code))


def accounts_by_earmark() -> dict[int, SieEarmarkAccounts]:
    return {row.earmark_id: row for row in db.session.scalars(select(SieEarmarkAccounts))}


def _snapshot(row: SieEarmarkAccounts | None) -> dict | None:
    if row is None:
        return None
    return {name: getattr(row, name) for name in asdict(EarmarkAccountsInput("", ""))}


def set_earmark_accounts(earmark_id: int, data: EarmarkAccountsInput,
                         actor: Actor) -> SieEarmarkAccounts:
    """Set where an earmark's payments are booked; a refusal names its field."""
    earmark = db.session.get(Earmark, earmark_id)
    if earmark is None:
        raise DomainError(_("fonden finns inte"))
    data = EarmarkAccountsInput(**{k: v.strip() for k, v in asdict(data).items()})
    if problem := account_problem(data.cost_account):
        raise DomainError(problem, field="cost_account")
    if not data.cost_account_name:
        raise DomainError(_("ange kontots namn"), field="cost_account_name")
    for code, name, words in OBJECT_FIELDS:
        value, label = getattr(data, code), getattr(data, name)
        if value and (problem := object_problem(value)):
            raise DomainError(problem, field=code)
        if value and not label:
            raise DomainError(_("ange namnet på %(dimension)s %(code)s", dimension=words,
                                code=value), field=name)
        if label and not value:
            raise DomainError(_("ange koden för %(dimension)s", dimension=words), field=code)
    row = db.session.get(SieEarmarkAccounts, earmark.id)
    before = _snapshot(row)
    if row is None:
        row = SieEarmarkAccounts(earmark_id=earmark.id)
        db.session.add(row)
    for name, value in asdict(data).items():
        # An object left empty is not set (NULL); the account always is.
        setattr(row, name, value if name.startswith("cost_") else (value or None))
    row.updated_by = actor.label
    db.session.flush()
    audit.record(actor, LedgerAction.SIE_ACCOUNTS_UPDATE, "earmark", earmark.id,
                 summary=f"Konton för SIE-export av {earmark.name}: {data.cost_account}",
                 before=before, after=_snapshot(row))
    return row
