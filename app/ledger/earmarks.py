"""The earmarks: reading them in report order, and an administrator defining a new one."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.models import Earmark, LedgerAction
from app.ledger.rules import RemainderRule

# An earmark's code names its files and reports: short, lower case, safe in a URL.
EARMARK_CODE = re.compile(r"[a-z][a-z0-9_-]{1,39}")


def list_earmarks() -> list[Earmark]:
    """Return every earmark in report order."""
    return list(db.session.scalars(select(Earmark).order_by(Earmark.sort_order, Earmark.code)))


def add_earmark(code: str, name: str, actor: Actor, *, description: str = "",
                remainder_rule: RemainderRule | str = RemainderRule.CARRY_OVER) -> Earmark:
    """Define a new earmark (an administrator's act; no code change needed).

    `remainder_rule` may be given as its code ("pay_back"), as the command line and the admin
    form give it."""
    code = code.strip().lower()
    if not EARMARK_CODE.fullmatch(code):
        raise DomainError(_("koden ska vara 2–40 tecken: små bokstäver a–z, siffror, - och _"))
    if db.session.scalar(select(Earmark).where(Earmark.code == code)):
        raise DomainError(_("fonden %(code)r finns redan", code=code))
    if not name.strip():
        raise DomainError(_("ange fondens namn"))
    try:
        remainder_rule = RemainderRule(remainder_rule)
    except ValueError:
        raise DomainError(_("okänd regel för överskott")) from None
    earmark = Earmark(code=code, name=name.strip(), description=description.strip(),
                      remainder_rule=remainder_rule, sort_order=100, active=True)
    db.session.add(earmark)
    db.session.flush()
    audit.record(actor, LedgerAction.EARMARK_CREATE, "earmark", earmark.id,
                 summary=f"Ny fond {code}: {earmark.name}",
                 after={"code": code, "name": earmark.name, "remainder_rule": remainder_rule})
    return earmark
