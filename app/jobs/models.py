"""A report job: what was asked, by whom, how far it has come and the finished file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.labels import _l
from app.core.types import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.jobs.rules import JobState

__all__ = ["JobState", "ReportJob"]


class ReportJob(db.Model):
    """A report built outside the request; its file is kept until it expires (a day)."""

    __tablename__ = "report_job"
    __table_args__ = (
        # The worker's claim reads the oldest queued job; the purge the old finished ones.
        Index("ix_report_job_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[JobState] = mapped_column(enum_column(JobState, 20), default=JobState.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # per cent
    filename: Mapped[str | None] = mapped_column(String(200))
    mimetype: Mapped[str | None] = mapped_column(String(120))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<ReportJob {self.id} {self.kind} {self.state}>"


#: What the progress page calls each kind of report.
KIND_TITLES = {
    "fund_report": _l("Fondens rapport"),
    "year_workbook": _l("Årets arbetsbok"),
    "year_document": _l("Årets dokument"),
    "decisions_pdf": _l("Beslutsunderlag"),
}
