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



#: Administrators, coordinators and viewers: the region's staff, who read the whole ledger.
staff_required = _role_required(lambda user: user.is_staff)
#: Administrators and coordinators, who change money.
coordinator_required = _role_required(lambda user: user.can_edit_money)
#: Administrators only.
admin_required = _role_required(lambda user: user.is_admin)
