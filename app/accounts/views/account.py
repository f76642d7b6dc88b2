"""People's own accounts: a forgotten password reset by e-mail, and once logged in, the
account's page, a new password and a new e-mail address confirmed by a link."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import self_service
from app.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    SetPasswordForm,
)
from app.accounts.registration import TooManyAttempts
from app.accounts.tokens import BadLink, email_change, reset_user
from app.accounts.views import bp
from app.accounts.views.login import _start_session
from app.core.errors import DomainError
from app.web.unit_of_work import refuse


@bp.route("/glomt-losenord", methods=["GET", "POST"])
def forgot_password():
    """Ask for a password reset link (the same answer whether or not the address exists)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            self_service.request_password_reset(form.email.data, client=request.remote_addr)
        except TooManyAttempts as error:
            refuse(error, form=form)
            return render_template("accounts/forgot_password.html", form=form), 429
        except DomainError as error:
            refuse(error, form=form, field="email")
        else:
            return render_template("accounts/reset_sent.html",
                                   email=form.email.data.strip().lower())
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/aterstall-losenord/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the e-mailed link: once, and within its hour."""
    try:
        user = reset_user(token)
    except BadLink as bad:
        return render_template("accounts/reset_invalid.html", expired=bad.expired), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            self_service.reset_password(user, form.password.data, client=request.remote_addr)
        except DomainError as error:
            refuse(error, form=form, field="password")
        else:
            flash(_("Lösenordet är bytt. Logga in med det nya."), "success")
            return redirect(url_for("auth.login"))
    return render_template("accounts/set_password.html", form=form, user=user,
                           title=_("Välj ett nytt lösenord"))


@bp.get("/konto")
@login_required
def account():
    """Show the account: its address and role, and what its owner can change."""
    return render_template("accounts/account.html")


@bp.route("/konto/losenord", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password, given the present one; other sessions of the account end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            self_service.change_password(current_user, form.present.data, form.password.data,
                                         client=request.remote_addr)
        except self_service.WrongPassword as error:
            refuse(error, form=form, field="present")
        except DomainError as error:
            refuse(error, form=form, field="password")
        else:
            _start_session(current_user._get_current_object())  # this session goes on with the new password
            flash(_("Lösenordet är bytt. Du är utloggad på alla andra ställen."), "success")
            return redirect(url_for("auth.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/konto/e-post", methods=["GET", "POST"])
@login_required
def change_email():
    """Ask to move the account to a new e-mail address; a link to that address confirms it."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            new_email = self_service.request_email_change(
                current_user, form.email.data, form.email_password.data,
                client=request.remote_addr)
        except self_service.WrongPassword as error:
            refuse(error, form=form, field="email_password")
        except TooManyAttempts as error:
            refuse(error, form=form)
            return render_template("accounts/change_email.html", form=form), 429
        except DomainError as error:
            refuse(error, form=form, field="email")
        else:
            flash(_("Vi har skickat en länk till %(email)s. Kontot byter adress när du har "
                    "öppnat den.", email=new_email), "success")
            return redirect(url_for("auth.account"))
    return render_template("accounts/change_email.html", form=form)


@bp.get("/konto/e-post/<token>")
def confirm_email_change(token: str):
    """Move the account to the new address from the link sent there (once)."""
    try:
        user, new_email = email_change(token)
    except BadLink as bad:
        return render_template("accounts/reset_invalid.html", expired=bad.expired,
                               email_change=True), 400
    try:
        self_service.change_email(user, new_email, client=request.remote_addr)
    except DomainError as error:
        refuse(error)
        return redirect(url_for("auth.account") if current_user.is_authenticated
                        else url_for("auth.login"))
    flash(_("Kontot har nu e-postadressen %(email)s.", email=new_email), "success")
    return redirect(url_for("auth.account") if current_user.is_authenticated
                    else url_for("auth.login"))
