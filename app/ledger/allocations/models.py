"""The versions of an allocation's budget, each tied to its decision: the tables behind
versions.py (registered with the ledger's tables by app/ledger/__init__.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.core.types import Ore, UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.ledger.models import Allocation
from app.ledger.rules import BudgetStatus, LineKind


class BudgetVersion(db.Model):
    """One version of an allocation's budget: preliminary while it is worked on, then
    decided (and frozen: its lines are copied) by a decision. A revision (the October
    redistribution) is the next number. The allocation's live lines are its latest version."""

    __table_args__ = (UniqueConstraint("allocation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(
        ForeignKey("allocation.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[BudgetStatus] = mapped_column(
        enum_column(BudgetStatus, length=20), default=BudgetStatus.PRELIMINARY)
    decision_body: Mapped[str | None] = mapped_column(String(200))
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision_month_only: Mapped[bool] = mapped_column(default=False)
    decision_paragraph: Mapped[str | None] = mapped_column(String(200))
    decision_diary_number: Mapped[str | None] = mapped_column(String(60))
    decision_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(254))

    allocation: Mapped[Allocation] = relationship(backref=backref(
        "versions", order_by="BudgetVersion.number", cascade="all, delete-orphan"))
    lines: Mapped[list[BudgetVersionLine]] = relationship(
        back_populates="version", order_by="BudgetVersionLine.position",
        cascade="all, delete-orphan",
    )

    @property
    def decided(self) -> bool:
        return self.status is BudgetStatus.DECIDED


class BudgetVersionLine(db.Model):
    """A line's budget and goal area as a decided version froze them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("budget_version.id", ondelete="CASCADE"), index=True
    )
    # The live line it was copied from, while that line exists.
    line_id: Mapped[int | None] = mapped_column(
        ForeignKey("line.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    activity: Mapped[str] = mapped_column(Text)
    goal_area: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[LineKind] = mapped_column(enum_column(LineKind, length=20),
                                           default=LineKind.ACTIVITY)
    budget: Mapped[int | None] = mapped_column(Ore)

    version: Mapped[BudgetVersion] = relationship(back_populates="lines")
