"""Snapshots of applications: what was submitted, kept per version for comparison."""

from __future__ import annotations

from app.call.models import Application, ApplicationVersion
from app.extensions import db


def snapshot(application: Application) -> dict:
    """Describe an application's content as plain, JSON-ready data."""
    return {
        "title": application.title,
        "summary": application.summary,
        "background": application.background,
        "aim": application.aim,
        "target_group": application.target_group,
        "goal_areas": [g.name for g in application.goal_areas],
        "owner": application.owner,
        "partners": list(application.partners or []),
        "user_participation": application.user_participation,
        "long_term_plan": application.long_term_plan,
        "period_start": application.period_start.isoformat() if application.period_start else None,
        "period_end": application.period_end.isoformat() if application.period_end else None,
        "budget_lines": [
            {"year": line.year, "category": line.category.value,
             "description": line.description, "amount": line.amount}
            for line in application.budget_lines
        ],
        "indicators": list(application.indicators or []),
        "answers": dict(application.answers or {}),
        "amount_applied": application.amount_applied,
        "attachments": [a.original_name for a in application.attachments],
    }


def save_version(application: Application) -> ApplicationVersion:
    """Freeze the application's current content as its next version (on submission)."""
    application.version = (application.version or 0) + 1
    version = ApplicationVersion(application_id=application.id, version=application.version,
                                 data=snapshot(application))
    db.session.add(version)
    return version
