"""Who may see and change what: the access decorators of the views, and the actor of the audit log."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.core.audit import Actor


def current_actor() -> Actor:
    """Name the logged-in person for the audit log."""
    return Actor.of(current_user)


def _role_required(allowed):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator



def reads_ledger(user) -> bool:
    """Administrators, coordinators and viewers: the region's staff, who read the whole ledger."""
    return user.is_staff


def changes_money(user) -> bool:
    """Administrators and coordinators, who change money."""
    return user.can_edit_money


def administers(user) -> bool:
    """Administrators only."""
    return user.is_admin


# The same rules guard the pages and the API (app/api/auth.py).
staff_required = _role_required(reads_ledger)
coordinator_required = _role_required(changes_money)
admin_required = _role_required(administers)
