"""Following granted projects: project reports and their lines, and the audit actions of
follow-up. The states of reports live in rules.py."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.core.audit import AuditAction
from app.core.labels import _l
from app.core.types import Ore, UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.followup.rules import Rating, ReportKind, ReportState
from app.ledger.models import Grant


class FollowupAction(AuditAction):
    """What project follow-up records in the audit log."""

    REPORT_SCHEDULE = "report.schedule", _l("Begärd rapport")
    REPORT_DUE = "report.due", _l("Ändrad sista dag för rapport")
    REPORT_SAVE = "report.save", _l("Sparad rapport")
    REPORT_SUBMIT = "report.submit", _l("Inlämnad rapport")
    REPORT_RETURN = "report.return", _l("Återsänd rapport")
    REPORT_APPROVE = "report.approve", _l("Godkänd rapport")
    GRANT_CLOSE = "grant.close", _l("Avslutat projekt")
    GRANT_LINK = "grant.link", _l("Ändrad länk till tidigare beviljande")


class ProjectReport(db.Model):
    """A project's interim or final report: money used, money to return, results."""

    # A grant's reports of a state: the one that counts, whether its final report is in.
    __table_args__ = (Index("ix_project_report_grant_id_state", "grant_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[ReportState] = mapped_column(enum_column(ReportState), default=ReportState.DRAFT)
    to_return: Mapped[int] = mapped_column(Ore, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    # [{"name", "kind": count|yes_no|percent, "value", "women", "men", "girls", "boys"}]
    results: Mapped[list] = mapped_column(JSON, default=list)
    rating: Mapped[Rating | None] = mapped_column(enum_column(Rating))
    coordinator_comment: Mapped[str] = mapped_column(Text, default="")
    return_message: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(254))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Grant.reports is declared here: the ledger knows no follow-up. The database deletes a
    # grant's reports (ON DELETE CASCADE), so the session need not load them to delete a grant.
    grant: Mapped[Grant] = relationship(backref=backref("reports", passive_deletes=True))
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


