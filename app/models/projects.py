"""Following granted projects: payments, requisitions, project reports and settings."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.funds import Allocation, Grant
from app.models.types import Ore, UTCDateTime, utcnow


def _enum(cls):
    return Enum(cls, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class PaymentKind(enum.StrEnum):
    PAYMENT = "payment"  # money out to the project
    REFUND = "refund"  # money the project paid back


class PaymentState(enum.StrEnum):
    PENDING = "pending"  # registered, waiting for a second coordinator
    APPROVED = "approved"  # counts as paid (or returned)
    REJECTED = "rejected"


PAYMENT_KIND_LABELS = {PaymentKind.PAYMENT: _l("Utbetalning"), PaymentKind.REFUND: _l("Återbetalning")}
PAYMENT_STATE_LABELS = {
    PaymentState.PENDING: _l("Väntar på attest"),
    PaymentState.APPROVED: _l("Attesterad"),
    PaymentState.REJECTED: _l("Avslagen"),
}


class Requisition(db.Model):
    """A project's request to be paid ("rekvirering")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int] = mapped_column(Ore)
    text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a coordinator declines it (with a reason) instead of paying.
    declined_reason: Mapped[str | None] = mapped_column(Text)

    grant: Mapped[Grant] = relationship()


class Payment(db.Model):
    """Money paid to a project, or paid back by it, from or to one allocation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    # The allocation the money comes from (or goes back to): usually the grant's own.
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"), index=True)
    kind: Mapped[PaymentKind] = mapped_column(_enum(PaymentKind), default=PaymentKind.PAYMENT)
    amount: Mapped[int] = mapped_column(Ore)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(200), default="")
    requisition_id: Mapped[int | None] = mapped_column(
        ForeignKey("requisition.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[PaymentState] = mapped_column(
        _enum(PaymentState), default=PaymentState.PENDING, index=True
    )
    registered_by: Mapped[str] = mapped_column(String(254))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    # Made by importing an exchange file's `paid`/`returned`, not registered by a coordinator.
    imported: Mapped[bool] = mapped_column(default=False)

    grant: Mapped[Grant] = relationship()
    allocation: Mapped[Allocation] = relationship()
    requisition: Mapped[Requisition | None] = relationship()

    @property
    def signed_amount(self) -> int:
        """Positive for money out to the project, negative for money back."""
        return self.amount if self.kind is PaymentKind.PAYMENT else -self.amount


class ReportKind(enum.StrEnum):
    INTERIM = "interim"
    FINAL = "final"


class ReportState(enum.StrEnum):
    DRAFT = "draft"  # expected or being written by the project
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back to the project for completion
    APPROVED = "approved"


class Rating(enum.StrEnum):
    """The action plan's five-level assessment of a result."""

    POSITIVE = "positive"
    PARTLY_POSITIVE = "partly_positive"
    WORSENED = "worsened"
    REMOVE = "remove"
    KEEP = "keep"


REPORT_KIND_LABELS = {ReportKind.INTERIM: _l("Delrapport"), ReportKind.FINAL: _l("Slutrapport")}
REPORT_STATE_LABELS = {
    ReportState.DRAFT: _l("Ej inlämnad"),
    ReportState.SUBMITTED: _l("Inlämnad"),
    ReportState.RETURNED: _l("Återsänd för komplettering"),
    ReportState.APPROVED: _l("Godkänd"),
}
RATING_LABELS = {
    Rating.POSITIVE: _l("Positiv utveckling"),
    Rating.PARTLY_POSITIVE: _l("Delvis positiv utveckling"),
    Rating.WORSENED: _l("Försämrat resultat"),
    Rating.REMOVE: _l("Målet ska tas bort"),
    Rating.KEEP: _l("Målet ska kvarstå"),
}


class ProjectReport(db.Model):
    """A project's interim or final report: money used, money to return, results."""

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReportKind] = mapped_column(_enum(ReportKind))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[ReportState] = mapped_column(_enum(ReportState), default=ReportState.DRAFT)
    to_return: Mapped[int] = mapped_column(Ore, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    # [{"name", "kind": count|yes_no|percent, "value", "women", "men", "girls", "boys"}]
    results: Mapped[list] = mapped_column(JSON, default=list)
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating))
    coordinator_comment: Mapped[str] = mapped_column(Text, default="")
    return_message: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(254))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    grant: Mapped[Grant] = relationship()
    lines: Mapped[list[ProjectReportLine]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ProjectReportLine.position"
    )

    @property
    def used(self) -> int:
        """The money the project reports as used: the sum of its lines."""
        return sum(line.used for line in self.lines)


class ProjectReportLine(db.Model):
    """Money used on one budget line of the project (as the application budgeted it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("project_report.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(500))
    budgeted: Mapped[int | None] = mapped_column(Ore)
    used: Mapped[int] = mapped_column(Ore, default=0)

    report: Mapped[ProjectReport] = relationship(back_populates="lines")


class Setting(db.Model):
    """An installation setting an administrator changes, such as the attestation threshold."""

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
