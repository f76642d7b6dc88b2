"""The project call: organisations, calls, applications, reviews and decisions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation
from app.call.rules import ApplicationState, CallState
from app.core.audit import AuditAction
from app.core.labels import LabelledEnum, _l
from app.core.types import Ore, UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.ledger.models import GoalArea, Grant, Line


class CallAction(AuditAction):
    """What the audit log records of the call: its calls, applications and organisations."""

    CALL_CREATE = "call.create", _l("Ny utlysning")
    CALL_UPDATE = "call.update", _l("Ändrad utlysning")
    CALL_OPEN = "call.open", _l("Utlysning öppnad")
    CALL_CLOSE = "call.closed", _l("Utlysning stängd")
    CALL_DECIDE = "call.decided", _l("Utlysning beslutad")
    CALL_CORRECT = "call.correct", _l("Rättad öppen utlysning")
    APPLICATION_CREATE = "application.create", _l("Nytt utkast till ansökan")
    APPLICATION_SAVE = "application.save", _l("Sparat utkast till ansökan")
    APPLICATION_SUBMIT = "application.submit", _l("Inskickad ansökan")
    APPLICATION_RESUBMIT = "application.resubmit", _l("Ansökan inskickad på nytt")
    APPLICATION_WITHDRAW = "application.withdraw", _l("Återtagen ansökan")
    APPLICATION_REVIEW = "application.review", _l("Ansökan under bedömning")
    APPLICATION_RETURN = "application.return", _l("Ansökan återsänd för komplettering")
    APPLICATION_ASSESS = "application.assess", _l("Bedömning av ansökan")
    APPLICATION_PROPOSE = "application.propose", _l("Föreslaget belopp")
    APPLICATION_DECIDE = "application.decide", _l("Beslut om ansökan")
    ATTACHMENT_CREATE = "attachment.create", _l("Ny bilaga till ansökan")
    ATTACHMENT_DELETE = "attachment.delete", _l("Borttagen bilaga till ansökan")
    ORGANISATION_MERGE = "organisation.merge", _l("Sammanslagna organisationer")


call_goal_area = Table(
    "call_goal_area",
    db.metadata,
    Column("call_id", ForeignKey("project_call.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_area_id", ForeignKey("goal_area.id"), primary_key=True),
)

application_goal_area = Table(
    "application_goal_area",
    db.metadata,
    Column("application_id", ForeignKey("application.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_area_id", ForeignKey("goal_area.id"), primary_key=True),
)


#: The sums of a call's applications sent in, per state and goal area (0: every area), kept
#: up to date at each flush by `app/call/pool.py`, so the review list reads a few rows
#: instead of adding up every application of the call.
call_tally = Table(
    "call_tally",
    db.metadata,
    Column("call_id", ForeignKey("project_call.id", ondelete="CASCADE"), primary_key=True),
    Column("state", enum_column(ApplicationState), primary_key=True),
    Column("goal_area_id", Integer, primary_key=True),
    Column("applications", Integer, nullable=False, default=0),
    Column("proposed", Ore, nullable=False, default=0),
    Column("applied", Ore, nullable=False, default=0),
)


class Call(db.Model):
    """A project call ("projektutlysning") drawing on the pool of one call line."""

    __tablename__ = "project_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("line.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    max_per_project: Mapped[int | None] = mapped_column(Ore)
    # [{"key": "q1", "text": "…", "required": true}]: extra questions of this call's form.
    questions: Mapped[list] = mapped_column(JSON, default=list)
    # The criteria reviewers score against, in order.
    criteria: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[CallState] = mapped_column(enum_column(CallState), default=CallState.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="")

    line: Mapped[Line] = relationship()
    goal_areas: Mapped[list[GoalArea]] = relationship(
        secondary=call_goal_area, order_by="GoalArea.name"
    )


class BudgetCategory(LabelledEnum):
    """What a cost line of an application's budget is for."""

    STAFF = "staff", _l("Personal")
    TRAINING = "training", _l("Utbildning")
    MATERIAL = "material", _l("Material")
    OTHER = "other", _l("Övrigt")


class Application(db.Model):
    """An organisation's application to a call, from first draft to decision."""

    __table_args__ = (
        # The review list pages through a call's applications by (submitted_at, id); its
        # totals count and sum a call's applications by state from the index alone; "Mina
        # ansökningar" pages through an organisation's by (created_at, id).
        Index("ix_application_call_submitted", "call_id", "submitted_at", "id"),
        Index("ix_application_call_state", "call_id", "state", "submitted_at", "id",
              "proposed_amount"),
        Index("ix_application_organisation_created", "organisation_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("project_call.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState), default=ApplicationState.DRAFT, index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    background: Mapped[str] = mapped_column(Text, default="")
    aim: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(300), default="")
    partners: Mapped[list] = mapped_column(JSON, default=list)
    user_participation: Mapped[str] = mapped_column(Text, default="")
    long_term_plan: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # [{"name": "Antal utbildade", "kind": "count"|"yes_no"|"percent", "split": bool}]
    indicators: Mapped[list] = mapped_column(JSON, default=list)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the applicants typed in the draft that could not be read, kept as typed so nothing
    # is lost: {"period_start": "2021-13-01", "budget": [every typed row, as text]}; None when
    # everything could be read. Submission waits until it is put right.
    unread: Mapped[dict | None] = mapped_column(JSON)
    proposed_amount: Mapped[int | None] = mapped_column(Ore)
    # The organisation's earlier grant this application continues ("fortsättning").
    continues_grant_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant.id", ondelete="SET NULL", use_alter=True)
    )
    return_message: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    call: Mapped[Call] = relationship()
    organisation: Mapped[Organisation] = relationship()
    goal_areas: Mapped[list[GoalArea]] = relationship(
        secondary=application_goal_area, order_by="GoalArea.name"
    )
    budget_lines: Mapped[list[ApplicationBudgetLine]] = relationship(
        back_populates="application", cascade="all, delete-orphan",
        order_by="(ApplicationBudgetLine.year, ApplicationBudgetLine.id)",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def amount_applied(self) -> int:
        """The amount applied for: the total of the budget table."""
        return sum(line.amount for line in self.budget_lines)


class ApplicationBudgetLine(db.Model):
    """One cost line of an application's budget, per year and category."""

    # A call's totals sum the amounts applied for from the index alone.
    __table_args__ = (Index("ix_application_budget_line_amount", "application_id", "amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE")
    )
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[BudgetCategory] = mapped_column(enum_column(BudgetCategory))
    description: Mapped[str] = mapped_column(String(500), default="")
    amount: Mapped[int] = mapped_column(Ore)

    application: Mapped[Application] = relationship(back_populates="budget_lines")


class ApplicationVersion(db.Model):
    """What an application said when it was submitted, to show what changed after a return."""

    __table_args__ = (UniqueConstraint("application_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    data: Mapped[dict] = mapped_column(JSON)


class Attachment(db.Model):
    """A file attached to an application, stored outside the web root under a random name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="attachments")


class Review(db.Model):
    """One reviewer's assessment of an application against the call's criteria."""

    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    scores: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion → 1..5
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class DecisionOutcome(LabelledEnum):
    """What a decision says: granted in full, in part, or rejected."""

    GRANTED = "granted", _l("Beviljad")
    PARTLY_GRANTED = "partly_granted", _l("Delvis beviljad")
    REJECTED = "rejected", _l("Avslagen")


class Decision(db.Model):
    """The decision on an application, numbered in order within its call."""

    __table_args__ = (UniqueConstraint("call_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("project_call.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    sequence: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[DecisionOutcome] = mapped_column(enum_column(DecisionOutcome))
    amount: Mapped[int] = mapped_column(Ore, default=0)
    conditions: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date] = mapped_column(Date)
    paragraph: Mapped[str] = mapped_column(String(40), default="")
    diary_number: Mapped[str] = mapped_column(String(60), default="")
    decided_by: Mapped[str] = mapped_column(String(254))
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grant.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship()
    grant: Mapped[Grant | None] = relationship()
