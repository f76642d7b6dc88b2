"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.audit import AuditEntry
from app.models.calls import (
    Application,
    ApplicationBudgetLine,
    ApplicationVersion,
    Attachment,
    BudgetCategory,
    Call,
    Decision,
    DecisionOutcome,
    Organisation,
    OrganisationKind,
    OutboundEmail,
    Review,
)
from app.models.funds import (
    Allocation,
    CarryOver,
    Earmark,
    GoalArea,
    Grant,
    Line,
    LineKind,
    YearClosing,
)
from app.models.users import Role, User

__all__ = [
    "Allocation",
    "Application",
    "ApplicationBudgetLine",
    "ApplicationVersion",
    "Attachment",
    "BudgetCategory",
    "Call",
    "Decision",
    "DecisionOutcome",
    "Organisation",
    "OrganisationKind",
    "OutboundEmail",
    "Review",
    "AuditEntry",
    "CarryOver",
    "Earmark",
    "GoalArea",
    "Grant",
    "Line",
    "LineKind",
    "Role",
    "User",
    "YearClosing",
]
