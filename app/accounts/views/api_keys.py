"""A person's API tokens: creating one (its secret shown once) and revoking one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.api_tokens import create_token, revoke_token
from app.accounts.forms import ApiTokenForm, RevokeApiTokenForm
from app.accounts.queries import api_token_of, api_tokens_of
from app.accounts.views import bp
from app.core.errors import DomainError
from app.core.types import utcnow
from app.web.access import current_actor
from app.web.unit_of_work import refuse


@bp.route("/konto/api-nycklar", methods=["GET", "POST"])
@login_required
def api_keys():
    """List one's API tokens and create a new one, whose secret the answer shows once."""
    form = ApiTokenForm()
    secret = None
    status = 200
    if form.validate_on_submit():
        days = int(form.days.data) if (form.days.data or "").strip() else None
        try:
            _token, secret = create_token(current_user, form.name.data, days, current_actor())
        except DomainError as exc:
            refuse(exc, form=form, field="name")  # the form has checked the days
            status = 422
        else:
            form = ApiTokenForm(formdata=None)
    elif form.errors:
        status = 422
    return render_template("accounts/api_keys.html", form=form, secret=secret,
                           tokens=api_tokens_of(current_user.id), now=utcnow()), status


@bp.route("/konto/api-nycklar/<int:token_id>/aterkalla", methods=["GET", "POST"])
@login_required
def revoke_api_key(token_id: int):
    """Ask before revoking one of one's tokens; revoke it when confirmed."""
    token = api_token_of(current_user.id, token_id)
    if token is None:
        abort(404)  # another's token is not found, never forbidden: ids tell nothing
    form = RevokeApiTokenForm()
    if form.validate_on_submit():
        revoke_token(token, current_actor())
        flash(_("API-nyckeln ”%(name)s” är återkallad och fungerar inte längre.",
                name=token.name), "success")
        return redirect(url_for("auth.api_keys"))
    return render_template("accounts/api_key_revoke.html", form=form, token=token)
