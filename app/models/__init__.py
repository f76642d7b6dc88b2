"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.audit import AuditEntry
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
