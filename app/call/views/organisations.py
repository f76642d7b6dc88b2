"""Coordinators' pages of the applicant organisations: the list, and merging a duplicate."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import Organisation
from app.call import organisations as register
from app.call.forms import MergeForm
from app.call.organisations import merge_organisations
from app.call.views import bp
from app.core.errors import DomainError
from app.extensions import db
from app.web.access import coordinator_required, current_actor
from app.web.exports import NUMBER, Column, export_response
from app.web.unit_of_work import refuse

PER_PAGE = 50
MERGE_CHOICES = 50
ORGANISATION_COLUMNS = [
    Column(_l("Namn"), lambda r: r[0].name, width=40),
    Column(_l("Slag"), lambda r: r[0].kind.label, width=20),
    Column(_l("Organisationsnummer"), lambda r: r[0].org_number, width=16),
    Column(_l("Konton"), lambda r: r[1], NUMBER, 10),
    Column(_l("Ansökningar"), lambda r: r[2], NUMBER, 12),
]


def _search() -> str:
    return (request.args.get("q") or "").strip()[:100]


@bp.get("/organisations")
@coordinator_required
def organisations():
    """List the applicant organisations by name, a page at a time, those whose name or number
    holds `?q=` (or download the whole list)."""
    if request.args.get("format"):
        return export_response("organisationer", ORGANISATION_COLUMNS,
                               register.organisations_with_counts(), request.args["format"],
                               title=_("Organisationer"))
    search = _search()
    page, counts = register.organisation_page(
        search, after=request.args.get("after", type=int),
        before=request.args.get("before", type=int), per_page=PER_PAGE)
    return render_template("call/organisations.html", page=page, counts=counts, search=search)


@bp.route("/organisations/merge", methods=["GET", "POST"])
@coordinator_required
def merge():
    """Merge a duplicate organisation into the one kept, once confirmed.

    The selects offer the organisations matching `?q=` (at most `MERGE_CHOICES`), and the two
    already chosen, so a long register does not make the page long.
    """
    search = _search()
    chosen = [request.form.get(name, type=int) for name in ("duplicate", "keep")]
    form = MergeForm(organisations=register.merge_choices(search, chosen, MERGE_CHOICES))
    if form.validate_on_submit():
        if request.form.get("confirmed") != "yes":
            duplicate = db.session.get(Organisation, form.duplicate.data)
            keep = db.session.get(Organisation, form.keep.data)
            return render_template(
                "call/merge_confirm.html", form=form, duplicate=duplicate, keep=keep,
                counts=register.organisation_counts([duplicate.id, keep.id]), search=search)
        try:
            kept = merge_organisations(form.duplicate.data, form.keep.data, current_actor())
        except DomainError as exc:
            refuse(exc, form=form)
        else:
            flash(_("Organisationerna är sammanslagna till %(name)s.", name=kept.name), "success")
            return redirect(url_for("calls.organisations"))
    return render_template("call/merge.html", form=form, search=search), \
        422 if form.errors else 200
