"""The SIE export page: a coordinator exports a period's attested payments and refunds as a
SIE 4 file for the region's accounting system, and downloads any earlier export exactly as it
was. The operations are in app/ledger/sie/exports.py; docs/sie.md describes the file."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.money import format_amount
from app.ledger.earmarks import list_earmarks
from app.ledger.sie.accounts import accounts_by_earmark, sie_settings
from app.ledger.sie.exports import (
    create_export,
    file_name,
    list_exports,
    recreate_export,
    today_in_sweden,
)
from app.ledger.sie.forms import SieAgainForm, SieExportForm
from app.ledger.views import bp
from app.web.access import coordinator_required, current_actor
from app.web.unit_of_work import refuse


def _page(form: SieExportForm, status: int = 200):
    accounts = accounts_by_earmark()
    missing = [e for e in list_earmarks() if e.active and e.id not in accounts]
    return render_template(
        "ledger/sie.html", form=form, exports=list_exports(), settings=sie_settings(),
        missing=missing, created=request.args.get("skapad", type=int),
        is_admin=current_user.is_admin,
    ), status


@bp.route("/utbetalningar/sie", methods=["GET", "POST"])
@coordinator_required
def sie_exports():
    """Export a period's payments not exported before, then show the export to download."""
    form = SieExportForm(data={"year": today_in_sweden().year})
    if form.validate_on_submit():
        try:
            result = create_export(form.year.data, current_actor(), start=form.date_from.data,
                                   end=form.date_to.data,
                                   include_exported=form.include_exported.data)
        except DomainError as error:
            refuse(error, form=form)
        else:
            export = result.export
            flash(_("Export %(number)s har %(count)s verifikationer, netto %(amount)s.",
                    number=export.id, count=export.payment_count,
                    amount=format_amount(export.net_amount, unit=True)), "success")
            if result.left_out:
                flash(_("%(count)s utbetalningar i perioden var redan exporterade och togs "
                        "inte med.", count=result.left_out), "info")
            return redirect(url_for("funds.sie_exports", skapad=export.id, _anchor="exports"))
    return _page(form, 422 if form.errors else 200)


@bp.post("/utbetalningar/sie/hamta")
@coordinator_required
def sie_download():
    """Download an export's file, made again byte for byte (the download is audited)."""
    form = SieAgainForm()
    number = form.export_number() if form.validate_on_submit() else None
    if number is None:
        flash(_("Välj en export att hämta."), "error")
        return redirect(url_for("funds.sie_exports"))
    try:
        export, content = recreate_export(number, current_actor())
    except DomainError as error:
        refuse(error)
        return redirect(url_for("funds.sie_exports"))
    return Response(content, mimetype="text/plain; charset=IBM437", headers={
        "Content-Disposition": f'attachment; filename="{file_name(export)}"'})
