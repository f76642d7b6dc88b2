"""Administration: earmarks, accounts, the audit log."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.accounts.queries import list_users
from app.accounts.users import create_user, set_active
from app.admin.audit_rows import values_line
from app.admin.forms import ActiveForm, AuditFilterForm, EarmarkForm, UserForm
from app.admin.queries import audit_page, audit_rows, filter_choices
from app.admin.views import bp
from app.core.audit import AuditAction
from app.core.errors import DomainError
from app.extensions import db
from app.ledger.earmarks import add_earmark, list_earmarks
from app.web.access import admin_required, coordinator_required, current_actor
from app.web.exports import DATE, NUMBER, Column, export_response
from app.web.unit_of_work import refuse


@bp.route("/earmarks", methods=["GET", "POST"])
@admin_required
def earmarks():
    """List the earmarks and add a new one."""
    form = EarmarkForm()
    if form.validate_on_submit():
        try:
            earmark = add_earmark(form.code.data, form.name.data, current_actor(),
                                  description=form.description.data or "",
                                  remainder_rule=form.remainder_rule.data)
        except DomainError as exc:
            refuse(exc, form=form, field="code")
        else:
            flash(_("Fonden %(name)s (%(code)s) är tillagd.", name=earmark.name, code=earmark.code),
                  "success")
            return redirect(url_for("admin.earmarks"))
    return render_template("admin/earmarks.html", earmarks=list_earmarks(), form=form), \
        422 if form.errors else 200


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    """List the accounts and create a new one."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, form.role.data,
                               current_actor(), name=form.name.data or "")
        except DomainError as exc:
            refuse(exc, form=form, field="email")  # a refused password names its own field
        else:
            flash(_("Kontot %(email)s är skapat med rollen %(role)s.", email=user.email,
                    role=user.role.label), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users.html", users=list_users(), form=form), \
        422 if form.errors else 200


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
@admin_required
def user_active(user_id: int):
    """Ask to confirm, then let an account log in again or stop it from logging in."""
    user = db.get_or_404(User, user_id)
    form = ActiveForm(active="0" if user.active else "1")
    if form.validate_on_submit():
        try:
            set_active(user.id, form.active.data == "1", current_actor(),
                       client=request.remote_addr)
        except DomainError as exc:
            refuse(exc)
        else:
            message = (_("Kontot %(email)s kan logga in igen.", email=user.email) if user.active
                       else _("Kontot %(email)s är inaktiverat.", email=user.email))
            flash(message, "success")
        return redirect(url_for("admin.users"))
    if request.method == "POST":
        abort(400)
    return render_template("admin/user_active.html", user=user, form=form,
                           is_self=user.id == current_user.id)


# The audit log as a download: a row is an AuditRow.
AUDIT_COLUMNS = [
    Column(_l("När"), lambda r: r.entry.at, DATE, 18),
    Column(_l("Vem"), lambda r: r.entry.actor, width=30),
    Column(_l("Vad"), lambda r: r.action, width=30),
    Column(_l("År"), lambda r: r.entry.year, NUMBER, 8),
    Column(_l("Sammanfattning"), lambda r: r.entry.summary, width=50),
    Column(_l("Före"), lambda r: values_line(r.before), width=50),
    Column(_l("Efter"), lambda r: values_line(r.after), width=50),
]


@bp.get("/audit")
@coordinator_required
def audit_log():
    """Show the audit log, newest first, 50 entries a page, filtered by year and action; a
    page follows (`?after=<id>`) or precedes (`?before=<id>`) an entry, so no view counts the log.

    `?format=xlsx` or `?format=csv` downloads every entry the filters let through.
    """
    year = request.args.get("year", type=int)
    action = request.args.get("action") or None
    fmt = request.args.get("format")
    if fmt is not None:
        return export_response("andringslogg", AUDIT_COLUMNS,
                               audit_rows(year=year, action=action), fmt,
                               title=_("Ändringslogg"))
    years, actions = filter_choices()
    form = AuditFilterForm(request.args)
    form.year.choices = [SelectChoice("", _("Alla år"))] + [SelectChoice(str(y)) for y in years]
    form.action.choices = [SelectChoice("", _("Alla ändringar"))] + [
        SelectChoice(code, AuditAction.label_of(code)) for code in actions
    ]
    pagination = audit_page(year=year, action=action, per_page=current_app.config["PER_PAGE"],
                            after=request.args.get("after", type=int),
                            before=request.args.get("before", type=int))
    filters = {"year": year, "action": action}
    return render_template("admin/audit.html", form=form, pagination=pagination,
                           filters=filters,
                           download_filters={k: v for k, v in filters.items() if v})
