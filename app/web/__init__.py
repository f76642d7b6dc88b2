"""Helpers shared by every page: template filters, globals and access checks."""

from __future__ import annotations

from datetime import datetime
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.call.models import BUDGET_CATEGORY_LABELS, BudgetCategory
from app.core.audit import Actor
from app.core.money import format_amount


def register_template_helpers(app: Flask) -> None:
    """Add the filters and globals every template may use."""
    from app import select_locale

    app.jinja_env.filters["kr"] = lambda ore: format_amount(ore, unit=True)
    app.jinja_env.filters["amount"] = lambda ore: format_amount(ore)
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.globals["current_lang"] = select_locale
    app.jinja_env.globals["language_form"] = language_form
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["budget_category_name"] = budget_category_name
    # Lets a template link to a page only once its view exists: {% if 'x.y' in view_functions %}.
    app.jinja_env.globals["view_functions"] = app.view_functions


# The Swedish names of codes that users see, by kind of code (the code itself if unnamed).
LABELS = {
    "role": {
        "admin": _l("Administratör"),
        "coordinator": _l("Samordnare"),
        "viewer": _l("Läsare"),
        "applicant": _l("Sökande"),
    },
    "remainder_rule": {
        "carry_over": _l("Förs över till nästa år"),
        "pay_back": _l("Betalas tillbaka till staten"),
    },
    "action": {
        "allocation.import": _l("Import"),
        "allocation.replace": _l("Import som ersatte"),
        "line.create": _l("Ny rad"),
        "call.create": _l("Ny utlysning"),
        "call.update": _l("Ändrad utlysning"),
        "call.open": _l("Utlysning öppnad"),
        "call.closed": _l("Utlysning stängd"),
        "call.decided": _l("Utlysning beslutad"),
        "application.review": _l("Ansökan under bedömning"),
        "application.return": _l("Ansökan återsänd för komplettering"),
        "application.assess": _l("Bedömning av ansökan"),
        "application.propose": _l("Föreslaget belopp"),
        "application.decide": _l("Beslut om ansökan"),
        "line.update": _l("Ändrad rad"),
        "line.delete": _l("Borttagen rad"),
        "grant.create": _l("Beviljat projekt"),
        "grant.update": _l("Ändrat projekt"),
        "grant.delete": _l("Borttaget projekt"),
        "year.close": _l("Stängt år"),
        "year.reopen": _l("Öppnat år"),
        "earmark.create": _l("Ny fond"),
        "user.create": _l("Nytt konto"),
        "user.activate": _l("Aktiverat konto"),
        "user.deactivate": _l("Inaktiverat konto"),
    },
    # Keys of the values the audit log records before and after a change.
    "field": {
        "activity": _l("Aktivitet"),
        "active": _l("Aktivt"),
        "amount": _l("Belopp"),
        "anchored": _l("Förankrat"),
        "body": _l("Organ"),
        "budget": _l("Budget"),
        "carry_over": _l("Överfört"),
        "closed_at": _l("Stängt"),
        "closed_by": _l("Stängt av"),
        "code": _l("Kod"),
        "covers": _l("Täcker"),
        "date": _l("Datum"),
        "decision": _l("Beslut"),
        "earmark": _l("Fond"),
        "email": _l("E-postadress"),
        "goal_area": _l("Målområde"),
        "goal_areas": _l("Målområden"),
        "grants": _l("Beviljade projekt"),
        "kind": _l("Slag"),
        "lines": _l("Rader"),
        "name": _l("Namn"),
        "owner": _l("Ägare"),
        "paid": _l("Utbetalt"),
        "partners": _l("Partner"),
        "received": _l("Erhållet"),
        "reference": _l("Diarienummer"),
        "remainder_rule": _l("Det som blir kvar"),
        "returned": _l("Återbetalt"),
        "role": _l("Roll"),
        "spend_until": _l("Förbrukas senast"),
        "spent": _l("Utfall"),
        "stated_total": _l("Angiven total"),
        "status": _l("Status"),
        "text": _l("Text"),
        "title": _l("Projekt"),
        "year": _l("År"),
    },
    "report": {"followup": _l("Uppföljning"), "budget": _l("Budget")},
    "format": {"pdf": "PDF", "csv": "CSV", "xlsx": "Excel"},
}


def label(kind: str, code) -> str:
    """Return the name users read for a code of a kind: label("role", Role.ADMIN)."""
    code = getattr(code, "value", code)
    return str(LABELS[kind].get(code, code))


def choices(kind: str) -> list[SelectChoice]:
    """Return a kind's codes and names as choices for a select or radio field."""
    return [SelectChoice(code, name) for code, name in LABELS[kind].items()]


def format_when(moment: datetime | None) -> str:
    """Format a UTC timestamp as local time in Sweden: "2021-03-04 14:05"."""
    if moment is None:
        return ""
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


def language_form():
    """Return the header's language selector, preset to the language in use and this page."""
    from app import select_locale
    from app.accounts.forms import LanguageForm

    return LanguageForm(formdata=None, lang=select_locale(), next=request.full_path.rstrip("?"))


def sentence(error: Exception) -> str:
    """Return a domain error's message as a sentence on a page: capital first, full stop."""
    text = str(error).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.netloc or parts.scheme or not target.startswith("/") or "\\" in target:
        return None
    if target.startswith("//"):
        return None
    return target


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


def budget_category_name(category) -> str:
    """Name a budget line's category in the reader's language."""
    return str(BUDGET_CATEGORY_LABELS[BudgetCategory(category)])
