"""Helpers shared by every page: template filters, globals and access checks."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_login import current_user, login_required

from app.domain.money import format_amount


def register_template_helpers(app: Flask) -> None:
    from app import select_locale

    app.jinja_env.filters["kr"] = lambda ore: format_amount(ore, unit=True)
    app.jinja_env.filters["amount"] = lambda ore: format_amount(ore)
    app.jinja_env.globals["current_lang"] = select_locale


def coordinator_required(view):
    """Let administrators and coordinators through; others get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.can_edit_money:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Let administrators through; others get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
