"""Applicant accounts: registration, e-mail confirmation, invitations and setting a password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.forms import InviteForm, RegisterForm, ResendForm, SetPasswordForm
from app.accounts.registration import (
    TooManyAttempts,
    confirm_address,
    invite_applicant,
    register_applicant,
    send_confirmation_again,
)
from app.accounts.tokens import BadLink, confirmation_user, password_user
from app.accounts.users import choose_password
from app.accounts.views import bp
from app.core.errors import DomainError
from app.web.access import coordinator_required, current_actor
from app.web.unit_of_work import refuse


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Register an applicant account; the e-mail link confirms it."""
    if current_user.is_authenticated:
        return redirect(url_for("applications.open_calls"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            register_applicant(form.email.data, form.password.data, name=form.name.data,
                               organisation=form.organisation.data, kind=form.kind.data,
                               org_number=form.org_number.data, client=request.remote_addr)
        except TooManyAttempts as error:
            refuse(error, form=form)
            return render_template("accounts/register.html", form=form), 429
        except DomainError as error:
            # At the field the refusal names (the password, the organisationsnummer), else at
            # the address.
            refuse(error, form=form, field="email")
        else:
            return render_template("accounts/check_email.html",
                                   email=form.email.data.strip().lower())
    return render_template("accounts/register.html", form=form)


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    """Confirm an applicant's e-mail address from the signed link."""
    try:
        user = confirmation_user(token)
    except BadLink as bad:
        message = (_("Länken har gått ut. Be om en ny nedan.") if bad.expired
                   else _("Länken är ogiltig. Be om en ny nedan."))
        return render_template("accounts/resend.html", form=ResendForm(), message=message), 400
    confirm_address(user)
    flash(_("Din e-postadress är bekräftad. Logga in."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
def resend_confirmation():
    """Send the confirmation link again (the same answer whether or not the address exists)."""
    form = ResendForm()
    if form.validate_on_submit():
        try:
            send_confirmation_again(form.email.data, client=request.remote_addr)
        except TooManyAttempts as error:
            refuse(error, form=form)
            return render_template("accounts/resend.html", form=form, message=None), 429
        return render_template("accounts/check_email.html", email=form.email.data.strip().lower())
    return render_template("accounts/resend.html", form=form, message=None)


@bp.route("/invite", methods=["GET", "POST"])
@coordinator_required
def invite():
    """Invite an applicant: an account with no usable password and a link to choose one."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = invite_applicant(form.email.data, name=form.name.data or "",
                                    organisation=form.organisation.data, kind=form.kind.data,
                                    actor=current_actor(), inviter=current_user.label)
        except DomainError as error:
            refuse(error, form=form, field="email")
        else:
            flash(_("Inbjudan är skickad till %(email)s.", email=user.email), "success")
            return redirect(url_for("auth.invite"))
    return render_template("accounts/invite.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Let an invited applicant choose a password from the signed link."""
    try:
        user = password_user(token)
    except BadLink:
        return render_template("accounts/link_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            choose_password(user, form.password.data, client=request.remote_addr)
        except DomainError as error:
            refuse(error, form=form, field="password")
        else:
            flash(_("Lösenordet är sparat. Logga in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("accounts/set_password.html", form=form, user=user)
