"""The SIE export's tables: each earmark's accounts and cost objects, and every export made
(what it held, so nothing is booked twice and an earlier file can be made again exactly)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import Ore, UTCDateTime, utcnow
from app.extensions import db
from app.ledger.models import Earmark


class SieEarmarkAccounts(db.Model):
    """Where an earmark's payments are booked: its cost account and its cost objects."""

    __tablename__ = "sie_earmark_accounts"

    earmark_id: Mapped[int] = mapped_column(ForeignKey("earmark.id", ondelete="CASCADE"),
                                            primary_key=True)
    cost_account: Mapped[str] = mapped_column(String(10))
    cost_account_name: Mapped[str] = mapped_column(String(100))
    # Dimension 1 (kostnadsställe/ansvar), 20 (verksamhet, a free dimension), 6 (projekt).
    responsibility: Mapped[str | None] = mapped_column(String(20))
    responsibility_name: Mapped[str | None] = mapped_column(String(100))
    activity: Mapped[str | None] = mapped_column(String(20))
    activity_name: Mapped[str | None] = mapped_column(String(100))
    project: Mapped[str | None] = mapped_column(String(20))
    project_name: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="")

    earmark: Mapped[Earmark] = relationship()


class SieExport(db.Model):
    """One SIE file written: its period, who made it and when, and the rows it was made from
    (`rows`: the writer's input as JSON), so that it can be made again byte for byte."""

    __tablename__ = "sie_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    generated_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    payment_count: Mapped[int] = mapped_column(Integer)
    net_amount: Mapped[int] = mapped_column(Ore)  # payments less refunds, öre
    checksum: Mapped[str] = mapped_column(String(64))  # SHA-256 of the file, hex
    rows: Mapped[dict] = mapped_column(JSON)

    payments: Mapped[list[SieExportPayment]] = relationship(
        back_populates="export", cascade="all, delete-orphan",
        order_by="SieExportPayment.payment_id")


class SieExportPayment(db.Model):
    """A payment (or refund) an export held: booked once, not again by the next export."""

    __tablename__ = "sie_export_payment"

    export_id: Mapped[int] = mapped_column(ForeignKey("sie_export.id", ondelete="CASCADE"),
                                           primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"),
                                            primary_key=True, index=True)

    export: Mapped[SieExport] = relationship(back_populates="payments")
