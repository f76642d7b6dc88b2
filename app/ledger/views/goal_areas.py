"""A year's list of goal areas: reading it, and for coordinators adding an area, renaming one
(its former names stay), retiring and restoring one, and starting the year from the one before.
The operations are in app/ledger/goal_areas/lists.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.extensions import db
from app.ledger.exchange.schema import MAX_YEAR, MIN_YEAR
from app.ledger.forms import ConfirmForm, GoalAreaForm
from app.ledger.goal_areas import lists as area_operations
from app.ledger.models import GoalArea
from app.ledger.queries import is_year_closed
from app.ledger.views import bp
from app.web.access import coordinator_required, current_actor, staff_required
from app.web.unit_of_work import refuse


def _year_or_404(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        abort(404)
    return year


def _to_list(year: int, anchor: str | None = None):
    return redirect(url_for("funds.goal_areas", year=year, _anchor=anchor))


@bp.route("/years/<int:year>/goal-areas", methods=["GET", "POST"])
@staff_required
def goal_areas(year: int):
    """Show a year's goal areas with their former names; a coordinator adds one here."""
    year = _year_or_404(year)
    form = GoalAreaForm()
    closed = is_year_closed(year)
    if form.is_submitted():
        if not current_user.can_edit_money:
            abort(403)
        if form.validate():
            try:
                area = area_operations.add_area(year, form.name.data, current_actor())
            except DomainError as exc:
                refuse(exc, form=form, field="name")
            else:
                flash(_("Målområdet ”%(name)s” är tillagt i %(year)s års lista.",
                        name=area.name, year=year), "success")
                similar = [n for n in area_operations.similar_names(year, area.name)
                           if n != area.name]
                if similar:
                    flash(_("Kontrollera stavningen: ”%(name)s” liknar ”%(other)s”, som redan "
                            "finns. Byt namn på det nya eller låt det utgå om det är ett "
                            "skrivfel.", name=area.name, other=similar[0]), "warning")
                return _to_list(year, f"area-{area.id}")
    areas = area_operations.year_list(year)
    return render_template(
        "ledger/goal_areas.html", year=year, areas=areas, form=form, closed=closed,
        can_edit=current_user.can_edit_money and not closed,
        previous=area_operations.missing_from_previous(year),
        confirm=ConfirmForm(),
    ), 422 if form.errors else 200


@bp.route("/goal-areas/<int:area_id>/rename", methods=["GET", "POST"])
@coordinator_required
def goal_area_rename(area_id: int):
    """Give a goal area a new name; the old one is kept and shown."""
    area = db.get_or_404(GoalArea, area_id)
    form = GoalAreaForm(data={"name": area.name})
    if form.validate_on_submit():
        old = area.name
        try:
            area_operations.rename_area(area.id, form.name.data, current_actor())
        except DomainError as exc:
            refuse(exc, form=form, field="name")
        else:
            flash(_("Målområdet ”%(old)s” heter nu ”%(new)s”.", old=old, new=form.name.data),
                  "success")
            return _to_list(area.year, f"area-{area.id}")
    return render_template("ledger/goal_area_rename.html", form=form, area=area), \
        422 if form.errors else 200


def _confirmed(area_id: int, act, done: str, template: str):
    area = db.get_or_404(GoalArea, area_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            act(area.id, current_actor())
        except DomainError as exc:
            refuse(exc)
        else:
            flash(done % {"name": area.name, "year": area.year}, "success")
        return _to_list(area.year, f"area-{area.id}")
    return render_template(template, form=form, area=area)


@bp.route("/goal-areas/<int:area_id>/retire", methods=["GET", "POST"])
@coordinator_required
def goal_area_retire(area_id: int):
    """Ask whether to retire a goal area; retire it when confirmed."""
    return _confirmed(area_id, area_operations.retire_area,
                      _("Målområdet ”%(name)s” har utgått ur %(year)s års lista."),
                      "ledger/goal_area_retire.html")


@bp.post("/goal-areas/<int:area_id>/restore")
@coordinator_required
def goal_area_restore(area_id: int):
    """Put a retired goal area back on its year's list."""
    return _confirmed(area_id, area_operations.restore_area,
                      _("Målområdet ”%(name)s” är återinfört i %(year)s års lista."),
                      "ledger/goal_area_retire.html")


@bp.post("/years/<int:year>/goal-areas/from-previous")
@coordinator_required
def goal_areas_from_previous(year: int):
    """Start a year's list from the year before's (the areas it does not have yet)."""
    year = _year_or_404(year)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            added = area_operations.start_from_previous_year(year, current_actor())
        except DomainError as exc:
            refuse(exc)
        else:
            flash(_("%(count)s målområden från %(previous)s är tillagda i %(year)s års lista.",
                    count=len(added), previous=year - 1, year=year), "success")
    return _to_list(year)
