"""Administration of logging in: who must use two factors, and resetting someone's."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import Role, User
from app.accounts.rules import parse_roles
from app.accounts.two_factor import required_for_everyone, reset_by_admin, set_required_for_everyone
from app.admin.forms import ResetTwoFactorForm, TwoFactorPolicyForm
from app.admin.views import bp
from app.core.errors import DomainError
from app.extensions import db
from app.web.access import admin_required, current_actor
from app.web.unit_of_work import refuse


def _required_roles() -> str:
    """Name the roles the settings require two factors of, in the reader's language."""
    roles = parse_roles(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ""))
    names = [role.label for role in Role if role.value in roles]
    return ", ".join(str(name).lower() for name in names) or _("inga")


@bp.route("/security", methods=["GET", "POST"])
@admin_required
def security():
    """Choose whether every account must log in with two factors."""
    form = TwoFactorPolicyForm(everyone="1" if required_for_everyone() else "0")
    form.everyone.choices = [
        SelectChoice("0", _("Bara de roller som alltid måste: %(roles)s", roles=_required_roles())),
        SelectChoice("1", _("Alla konton, också läsare och sökande")),
    ]
    if form.validate_on_submit():
        set_required_for_everyone(form.everyone.data == "1", current_actor())
        flash(_("Inställningen är sparad."), "success")
        return redirect(url_for("admin.security"))
    return render_template("admin/security.html", form=form), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/two-factor", methods=["GET", "POST"])
@admin_required
def user_two_factor(user_id: int):
    """Ask to confirm, then reset an account's two-factor login and e-mail its owner."""
    user = db.get_or_404(User, user_id)
    form = ResetTwoFactorForm()
    if form.validate_on_submit():
        try:
            reset_by_admin(user.id, current_actor(), address=request.remote_addr)
        except DomainError as exc:
            refuse(exc)
        else:
            flash(_("Tvåstegsverifieringen för %(email)s är återställd och personen har fått "
                    "e-post om det.", email=user.email), "success")
        return redirect(url_for("admin.users"))
    if request.method == "POST":
        abort(400)
    return render_template("admin/user_two_factor.html", user=user, form=form,
                           is_self=user.id == current_user.id)
