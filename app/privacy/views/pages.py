"""The privacy page, a person's download of their own data, and anonymising an account."""

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import User
from app.core.errors import DomainError
from app.extensions import db
from app.privacy.anonymise import anonymise_account
from app.privacy.export import export_personal_data
from app.privacy.forms import AnonymiseForm
from app.privacy.rules import RetentionPolicy
from app.privacy.views import bp
from app.web.access import admin_required, current_actor
from app.web.unit_of_work import refuse


@bp.get("/integritet")
def policy():
    """Tell anyone, logged in or not, what is stored about them, why, and for how long."""
    return render_template("privacy/policy.html",
                           policy=RetentionPolicy.from_settings(current_app.config),
                           contact=current_app.config.get("PRIVACY_CONTACT") or None)


def _download(user: User, filename: str) -> Response:
    document = export_personal_data(user, current_actor(), address=request.remote_addr)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/konto/mina-uppgifter.json")
@login_required
def my_data():
    """Download everything the system holds about the logged-in person, as JSON."""
    return _download(current_user, "mina-uppgifter.json")


@bp.get("/admin/users/<int:user_id>/data.json")
@admin_required
def user_data(user_id: int):
    """Download what the system holds about a person, for an administrator answering their
    request (a request for access by letter or e-mail)."""
    user = db.get_or_404(User, user_id)
    return _download(user, f"uppgifter-konto-{user.id}.json")


@bp.route("/admin/users/<int:user_id>/anonymise", methods=["GET", "POST"])
@admin_required
def anonymise(user_id: int):
    """Say what goes and what stays, then anonymise the account when confirmed."""
    user = db.get_or_404(User, user_id)
    if user.anonymised_at is not None:
        flash(_("Kontot är redan anonymiserat."), "info")
        return redirect(url_for("admin.users"))
    form = AnonymiseForm()
    is_self = user.id == current_user.id
    if form.validate_on_submit() and not is_self:
        try:
            done = anonymise_account(user.id, current_actor(), address=request.remote_addr)
        except DomainError as exc:
            refuse(exc, form=form, field="understood")
        else:
            flash(_("Kontot är anonymiserat och heter nu %(name)s.", name=done.pseudonym),
                  "success")
            return redirect(url_for("admin.users"))
    elif request.method == "POST" and is_self:
        abort(403)
    return render_template("privacy/anonymise.html", user=user, form=form, is_self=is_self), \
        422 if form.errors else 200
