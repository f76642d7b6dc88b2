"""Documents and shortcuts for the web tests: years of the ledger built from the 2020 data."""

from __future__ import annotations

import json

from app.core.audit import Actor
from app.extensions import db
from tests.conftest import DATA_2020


def year_document(year: int) -> str:
    """Return the real 2020 follow-up as if it were the follow-up of `year`."""
    text = DATA_2020.read_text(encoding="utf-8")
    return (text.replace("year: 2020", f"year: {year}")
                .replace("spend_until: 2021-12-31", f"spend_until: {year + 1}-12-31"))


def document(*allocations: dict) -> str:
    """Return an exchange document (JSON, which the YAML reader also reads)."""
    return json.dumps({"format": "stimulansmedel/1", "allocations": list(allocations)},
                      ensure_ascii=False)


def allocation(earmark: str, year: int, received: int, *lines: dict, **extra) -> dict:
    return {"earmark": earmark, "year": year, "received": received, "lines": list(lines), **extra}


def import_text(app, text: str, *, replace: bool = False) -> None:
    """Import a document as the command line would, and commit."""
    from app.ledger.exchange.importing import import_document

    with app.app_context():
        import_document(text, Actor(label="fixture"), replace=replace)
        db.session.commit()
        db.session.remove()


def close(app, year: int) -> None:
    from app.ledger.years import close_year

    with app.app_context():
        close_year(year, Actor(label="fixture"))
        db.session.commit()
        db.session.remove()


def user_id(app, email: str) -> int:
    from app.accounts.users import find_by_email

    with app.app_context():
        return find_by_email(email).id
