"""The filters and globals every template may use."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request
from flask_babel import format_datetime
from markupsafe import Markup, escape

from app.accounts.forms import LanguageForm
from app.core.money import format_amount
from app.web.i18n import select_locale
from app.web.labels import label


def register_template_helpers(app: Flask) -> None:
    """Add the filters and globals every template may use."""
    app.jinja_env.filters["kr"] = lambda ore: format_amount(ore, unit=True)
    app.jinja_env.filters["amount"] = lambda ore: format_amount(ore)
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["address"] = breakable_address
    app.jinja_env.globals["current_lang"] = select_locale
    app.jinja_env.globals["language_form"] = language_form
    app.jinja_env.globals["label"] = label


def format_when(moment: datetime | None) -> str:
    """Format a UTC timestamp as local time in Sweden: "2021-03-04 14:05"."""
    if moment is None:
        return ""
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


def breakable_address(text: str | None) -> Markup:
    """An e-mail address that may break only after its "@" and before the dots of its
    domain, never in the middle of a word, when a narrow column needs it to."""
    text = text or ""
    local, at, domain = text.partition("@")
    if not at:
        return escape(text)
    parts = [escape(piece) for piece in domain.split(".")]
    return escape(local) + Markup("@<wbr>") + Markup("<wbr>.").join(parts)


def language_form():
    """Return the header's language selector, preset to the language in use and this page."""
    return LanguageForm(formdata=None, lang=select_locale(), next=request.full_path.rstrip("?"))

