"""The SIE export's settings: the region's name, the bank account and the voucher series, and
each earmark's cost account and cost objects (app/ledger/sie/accounts.py)."""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.admin.forms import EarmarkAccountsForm, SieSettingsForm
from app.admin.views import bp
from app.core.errors import DomainError
from app.ledger.earmarks import list_earmarks
from app.ledger.sie.accounts import (
    EarmarkAccountsInput,
    SieSettings,
    accounts_by_earmark,
    earmark_by_code,
    set_earmark_accounts,
    set_sie_settings,
    sie_settings,
)
from app.web.access import admin_required, current_actor
from app.web.unit_of_work import refuse


@bp.route("/sie", methods=["GET", "POST"])
@admin_required
def sie_settings_page():
    """The file's head and the bank account, and the list of earmarks with their accounts."""
    form = SieSettingsForm(data=asdict(sie_settings()))
    if form.validate_on_submit():
        try:
            set_sie_settings(SieSettings(company=form.company.data,
                                         bank_account=form.bank_account.data,
                                         bank_account_name=form.bank_account_name.data,
                                         series=form.series.data), current_actor())
        except DomainError as error:
            refuse(error, form=form)
        else:
            flash(_("Inställningarna för SIE-exporten är sparade."), "success")
            return redirect(url_for("admin.sie_settings_page"))
    return render_template("admin/sie.html", form=form, earmarks=list_earmarks(),
                           accounts=accounts_by_earmark()), 422 if form.errors else 200


@bp.route("/sie/<earmark>", methods=["GET", "POST"])
@admin_required
def sie_earmark(earmark: str):
    """Set where one earmark's payments are booked."""
    fund = earmark_by_code(earmark)
    if fund is None:
        abort(404)
    current = accounts_by_earmark().get(fund.id)
    form = EarmarkAccountsForm(obj=current)
    if form.validate_on_submit():
        data = EarmarkAccountsInput(**{name: getattr(form, name).data or ""
                                       for name in asdict(EarmarkAccountsInput("", ""))})
        try:
            set_earmark_accounts(fund.id, data, current_actor())
        except DomainError as error:
            refuse(error, form=form)
        else:
            flash(_("Kontona för %(name)s är sparade.", name=fund.name), "success")
            return redirect(url_for("admin.sie_settings_page"))
    return render_template("admin/sie_earmark.html", form=form, earmark=fund), \
        422 if form.errors else 200
