"""The ledger of the funds: earmarks, goal areas, allocations, lines, grants, closed years."""

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

from app.core.audit import AuditAction
from app.core.labels import LabelledEnum, _l
from app.core.types import Ore, UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.ledger.rules import COUNTY, BudgetStatus, LineKind, RemainderRule


class LedgerAction(AuditAction):
    """What the ledger records in the audit log (the codes stored; the names shown)."""

    ALLOCATION_IMPORT = "allocation.import", _l("Import")
    ALLOCATION_REPLACE = "allocation.replace", _l("Import som ersatte")
    LINE_CREATE = "line.create", _l("Ny rad")
    LINE_UPDATE = "line.update", _l("Ändrad rad")
    LINE_DELETE = "line.delete", _l("Borttagen rad")
    GRANT_CREATE = "grant.create", _l("Beviljat projekt")
    GRANT_UPDATE = "grant.update", _l("Ändrat projekt")
    GRANT_DELETE = "grant.delete", _l("Borttaget projekt")
    YEAR_CLOSE = "year.close", _l("Stängt år")
    YEAR_REOPEN = "year.reopen", _l("Öppnat år")
    YEAR_ACCEPT_MISSING = "year.accept_missing", _l("Rader utan utfall godtagna som 0 kr")
    ALLOCATION_CREATE = "allocation.create", _l("Ny tilldelning")
    ALLOCATION_UPDATE = "allocation.update", _l("Ändrad tilldelning")
    BUDGET_DECIDE = "budget.decide", _l("Beslutad budget")
    BUDGET_REVISE = "budget.revise", _l("Påbörjad revidering av budget")
    EARMARK_CREATE = "earmark.create", _l("Ny fond")
    SETTING_UPDATE = "setting.update", _l("Ändrad inställning")
    REQUISITION_CREATE = "requisition.create", _l("Ny rekvisition")
    REQUISITION_DECLINE = "requisition.decline", _l("Avslagen rekvisition")
    PAYMENT_REGISTER = "payment.register", _l("Registrerad utbetalning")
    PAYMENT_APPROVE = "payment.approve", _l("Attesterad utbetalning")
    PAYMENT_REJECT = "payment.reject", _l("Avslagen utbetalning")
    # The SIE export to the accounting system (app/ledger/sie/).
    SIE_ACCOUNTS_UPDATE = "sie.accounts", _l("Ändrade konton för SIE-export")
    SIE_SETTINGS_UPDATE = "sie.settings", _l("Ändrade inställningar för SIE-export")
    SIE_EXPORT_CREATE = "sie.export", _l("SIE-export av utbetalningar")
    SIE_EXPORT_AGAIN = "sie.export_again", _l("SIE-fil hämtad eller skapad igen")
    # A year's list of goal areas (app/ledger/goal_areas/lists.py).
    GOAL_AREA_CREATE = "goal_area.create", _l("Nytt målområde")
    GOAL_AREA_RENAME = "goal_area.rename", _l("Nytt namn på målområde")
    GOAL_AREA_RETIRE = "goal_area.retire", _l("Målområde utgått")
    GOAL_AREA_RESTORE = "goal_area.restore", _l("Målområde återinfört")
    GOAL_AREA_COPY = "goal_area.copy", _l("Målområden från föregående år")


class Earmark(db.Model):
    """A kind of earmarked money ("öronmärkta medel") with its own year-end report."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # What happens to a remainder when a year closes (a VARCHAR(20), as it always was).
    remainder_rule: Mapped[RemainderRule] = mapped_column(
        enum_column(RemainderRule, length=20), default=RemainderRule.CARRY_OVER
    )
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Earmark {self.code}>"


class GoalArea(db.Model):
    """A goal area ("målområde") on one year's list, which the coordinators manage.

    A retired area is offered for nothing new but stays on the lines, grants and calls that
    use it; a renamed one keeps its former names (`renames`), shown beside the current one.
    """

    __table_args__ = (UniqueConstraint("year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(300))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    renames: Mapped[list[GoalAreaRename]] = relationship(
        back_populates="goal_area", cascade="all, delete-orphan",
        order_by="(GoalAreaRename.renamed_at, GoalAreaRename.id)",
    )

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def former_names(self) -> list[str]:
        """The names the area had before, the oldest first."""
        return [r.old_name for r in self.renames]

    def __repr__(self) -> str:
        return f"<GoalArea {self.year} {self.name!r}>"


class GoalAreaRename(db.Model):
    """One change of a goal area's name: the history the list shows and the import matches."""

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_area_id: Mapped[int] = mapped_column(
        ForeignKey("goal_area.id", ondelete="CASCADE"), index=True
    )
    old_name: Mapped[str] = mapped_column(String(300))
    new_name: Mapped[str] = mapped_column(String(300))
    renamed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    renamed_by: Mapped[str] = mapped_column(String(254))

    goal_area: Mapped[GoalArea] = relationship(back_populates="renames")


class Allocation(db.Model):
    """What one earmark brought the county in one agreement year, and how it was used."""

    __table_args__ = (UniqueConstraint("earmark_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    earmark_id: Mapped[int] = mapped_column(ForeignKey("earmark.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    region: Mapped[str | None] = mapped_column(String(200))
    received: Mapped[int] = mapped_column(Ore)
    spend_until: Mapped[date] = mapped_column(Date)
    anchored: Mapped[str | None] = mapped_column(Text)
    decision_body: Mapped[str | None] = mapped_column(String(200))
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision_reference: Mapped[str | None] = mapped_column(String(200))
    decision_text: Mapped[str | None] = mapped_column(Text)
    stated_total: Mapped[int | None] = mapped_column(Ore)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who holds and accounts for the money (the exchange format's `recipient`): `county` for
    # the county-level funds the coordinators manage, `region`, `municipalities` or the name
    # of one principal. Totals are made per recipient, never across them.
    recipient: Mapped[str] = mapped_column(String(200), default=COUNTY)
    # The exchange format's `status` as stated (None: not stated, which means decided); the
    # budget versions below keep the history of decisions made in the app.
    budget_status: Mapped[BudgetStatus | None] = mapped_column(
        enum_column(BudgetStatus, length=20))
    # History often knows only the month of a decision ("SVOM maj 2020"): the date is then
    # the first of that month and this says so.
    decision_month_only: Mapped[bool] = mapped_column(default=False)
    decision_diary_number: Mapped[str | None] = mapped_column(String(60))

    earmark: Mapped[Earmark] = relationship(lazy="joined", innerjoin=True)
    lines: Mapped[list[Line]] = relationship(
        back_populates="allocation",
        order_by="Line.position",
        cascade="all, delete-orphan",
        foreign_keys="Line.allocation_id",
    )
    # `versions`, the budget's versions, is a backref of BudgetVersion.allocation
    # (app/ledger/allocations/models.py).

    @property
    def label(self) -> str:
        return f"{self.earmark.name} {self.year}"

    @property
    def preliminary(self) -> bool:
        """Whether the budget is not yet decided ("prel. budget")."""
        return self.budget_status is BudgetStatus.PRELIMINARY

    def __repr__(self) -> str:
        return f"<Allocation {self.earmark_id}/{self.year}>"


grant_goal_area = Table(
    "grant_goal_area",
    db.metadata,
    Column("grant_id", ForeignKey("grant.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_area_id", ForeignKey("goal_area.id"), primary_key=True),
)


class Line(db.Model):
    """One activity of an allocation with its budget and/or outcome."""

    # The allocation page and the reports list an allocation's lines in their order.
    __table_args__ = (Index("ix_line_allocation_id_position", "allocation_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(
        ForeignKey("allocation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    goal_area_id: Mapped[int | None] = mapped_column(ForeignKey("goal_area.id"))
    activity: Mapped[str] = mapped_column(Text)
    kind: Mapped[LineKind] = mapped_column(enum_column(LineKind, length=20),
                                           default=LineKind.ACTIVITY)
    budget: Mapped[int | None] = mapped_column(Ore)
    spent: Mapped[int | None] = mapped_column(Ore)
    covers_allocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("allocation.id"), index=True
    )
    owner: Mapped[str | None] = mapped_column(String(300))
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    # On a call line: the allocation whose project call decided the grants this line pays
    # (the exchange format's `decided_in`); None: this allocation's own call.
    decided_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("allocation.id", ondelete="SET NULL"), index=True
    )

    allocation: Mapped[Allocation] = relationship(
        back_populates="lines", foreign_keys=[allocation_id]
    )
    goal_area: Mapped[GoalArea | None] = relationship(lazy="joined")
    covers: Mapped[Allocation | None] = relationship(foreign_keys=[covers_allocation_id])
    decided_in: Mapped[Allocation | None] = relationship(foreign_keys=[decided_in_id])
    grants: Mapped[list[Grant]] = relationship(
        back_populates="line", order_by="Grant.position", cascade="all, delete-orphan"
    )

    @property
    def amount(self) -> int | None:
        """The line's figure that bounds its grants: the outcome, else the budget."""
        return self.spent if self.spent is not None else self.budget

    def __repr__(self) -> str:
        return f"<Line {self.id} {self.kind} {self.activity[:30]!r}>"


class Grant(db.Model):
    """A project granted from a call line's pool.

    Its follow-up declares itself: `grant.reports` (the project reports) is a backref of
    ProjectReport.grant in app.followup.models, since the ledger knows nothing of follow-up.
    """

    # A call's projects in their order: the allocation page's first projects, the projects list.
    __table_args__ = (Index("ix_grant_line_id_position", "line_id", "position", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("line.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(300))
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    amount: Mapped[int] = mapped_column(Ore)
    paid: Mapped[int | None] = mapped_column(Ore)
    returned: Mapped[int | None] = mapped_column(Ore)
    # Free text of the exchange format ("beviljat", "pågår", "closed" …), shown and exported
    # as written: nothing computes a state from it (closed_at says whether the project closed).
    status: Mapped[str | None] = mapped_column(String(40))
    # Set when the grant came from a decision on an application in the project call.
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="SET NULL"), index=True
    )
    # The same project's grant of an earlier year, when it was granted again.
    previous_grant_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant.id", ondelete="SET NULL"), index=True
    )
    # Set when a coordinator approves the final report: the project is closed, and what it
    # did not use flows back to its allocation.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(254))
    # When the project closed after its own year was closed, what it did not use could not go
    # back into that frozen year: it went into this later open year of the same fund instead.
    released_to_id: Mapped[int | None] = mapped_column(ForeignKey("allocation.id"), index=True)
    # The day the final report is due (the exchange format's `report_due`); None: the
    # default, 31 December of the year after the grant's year (rules.default_report_due).
    report_due: Mapped[date | None] = mapped_column(Date)

    line: Mapped[Line] = relationship(back_populates="grants")
    previous: Mapped[Grant | None] = relationship(remote_side=[id])
    goal_areas: Mapped[list[GoalArea]] = relationship(
        secondary=grant_goal_area, order_by="GoalArea.name"
    )

    def __repr__(self) -> str:
        return f"<Grant {self.id} {self.title[:30]!r}>"


class YearClosing(db.Model):
    """A closed agreement year: its remainders have been carried over and its money is frozen."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[str] = mapped_column(String(200))

    carry_overs: Mapped[list[CarryOver]] = relationship(
        back_populates="closing", cascade="all, delete-orphan"
    )


class CarryOver(db.Model):
    """The remainder of one allocation, carried into the next year of the same earmark."""

    # What is carried into a year: the dashboard's list of years and a year's ledger.
    __table_args__ = (Index("ix_carry_over_to_year", "to_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    closing_id: Mapped[int] = mapped_column(
        ForeignKey("year_closing.id", ondelete="CASCADE"), index=True
    )
    from_allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"), unique=True)
    earmark_id: Mapped[int] = mapped_column(ForeignKey("earmark.id"))
    to_year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Ore)
    # The earmark's rule when the year closed: the money stayed in the fund or went back.
    rule: Mapped[RemainderRule] = mapped_column(
        enum_column(RemainderRule, length=20), default=RemainderRule.CARRY_OVER
    )

    closing: Mapped[YearClosing] = relationship(back_populates="carry_overs")
    from_allocation: Mapped[Allocation] = relationship()


class PaymentKind(LabelledEnum):
    PAYMENT = "payment", _l("Utbetalning")  # money out to the project
    REFUND = "refund", _l("Återbetalning")  # money the project paid back



class PaymentState(LabelledEnum):
    PENDING = "pending", _l("Väntar på attest")  # registered, waiting for a second coordinator
    APPROVED = "approved", _l("Attesterad")  # counts as paid (or returned)
    REJECTED = "rejected", _l("Avslagen")



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

    __table_args__ = (
        # One grant's attested money (registering a payment, a page of projects).
        Index("ix_payment_grant_id_state", "grant_id", "state"),
        # The list of payments: by state, the latest first.
        Index("ix_payment_state_paid_on", "state", "paid_on", "id"),
        # ... and all but the pending ones, the latest first (keyset pages of that part).
        Index("ix_payment_paid_on_id", "paid_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    # The allocation the money comes from (or goes back to): usually the grant's own.
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"), index=True)
    kind: Mapped[PaymentKind] = mapped_column(enum_column(PaymentKind), default=PaymentKind.PAYMENT)
    amount: Mapped[int] = mapped_column(Ore)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(200), default="")
    requisition_id: Mapped[int | None] = mapped_column(
        ForeignKey("requisition.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[PaymentState] = mapped_column(
        enum_column(PaymentState), default=PaymentState.PENDING, index=True
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
    # Why an administrator let this payment be dated after its fund's last spending day.
    window_override: Mapped[str | None] = mapped_column(Text)


    grant: Mapped[Grant] = relationship()
    allocation: Mapped[Allocation] = relationship()
    requisition: Mapped[Requisition | None] = relationship()


    @property
    def signed_amount(self) -> int:
        """Positive for money out to the project, negative for money back."""
        return self.amount if self.kind is PaymentKind.PAYMENT else -self.amount



class Setting(db.Model):
    """An installation setting an administrator changes, such as the attestation threshold."""


    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
