"""Reading the earmarks (adding one is app.services.funds.add_earmark)."""

from sqlalchemy import select

from app.extensions import db
from app.ledger.models import Earmark


def list_earmarks() -> list[Earmark]:
    """Return every earmark in report order."""
    return list(db.session.scalars(select(Earmark).order_by(Earmark.sort_order, Earmark.code)))
