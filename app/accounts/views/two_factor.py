"""Two-factor login: the code after the password, enrolling an authenticator app, the
recovery codes, turning it off, and keeping accounts that must use it from anything else."""

from __future__ import annotations

import segno
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.forms import CodeForm, DisableTwoFactorForm, EnrolForm, RenewCodesForm
from app.accounts.rules import totp_uri
from app.accounts.two_factor import (
    CodeLocked,
    CodeRefused,
    PasswordWrong,
    check_login_code,
    confirm_enrolment,
    disable,
    must_use_two_factor,
    recovery_codes_left,
    renew_recovery_codes,
    start_enrolment,
)
from app.accounts.views import bp
from app.accounts.views.login import _home, _start_session
from app.accounts.views.second_step import count_wrong_code, drop_pending, pending
from app.core.errors import DomainError
from app.web.messages import sentence
from app.web.outage import DATABASE_FREE_ENDPOINTS
from app.web.unit_of_work import refuse

#: What an account that must enrol can still reach before it has.
_BEFORE_ENROLMENT = frozenset({
    "static", "auth.logout", "auth.set_language", "auth.login", "auth.login_code",
    "auth.two_factor", "auth.two_factor_enrol",
})


@bp.before_app_request
def _enrol_first():
    """Send an account that must use two factors, and has not enrolled, to enrolment."""
    if request.endpoint is None or request.endpoint in _BEFORE_ENROLMENT \
            or request.endpoint in DATABASE_FREE_ENDPOINTS:  # the probes load nobody
        return None
    if not current_user.is_authenticated or current_user.has_two_factor:
        return None
    if not must_use_two_factor(current_user):
        return None
    flash(_("Ditt konto måste ha tvåstegsverifiering. Aktivera den för att fortsätta."), "info")
    return redirect(url_for("auth.two_factor_enrol"))


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """Ask for the code after a right password; start the session when it is right."""
    if current_user.is_authenticated:
        return redirect(_home(current_user))
    marker = pending()
    if marker is None:
        flash(_("Logga in igen: det dröjde för länge innan koden skrevs."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            used = check_login_code(marker["user"], form.code.data, address=request.remote_addr)
        # A wrong code is answered 200 or a redirect, not refused: the request's commit keeps
        # the count of failed attempts (app/accounts/login.py) that it added.
        except CodeLocked as locked:
            drop_pending()
            flash(sentence(locked), "error")
            return redirect(url_for("auth.login"))
        except CodeRefused as error:
            if count_wrong_code(marker):
                flash(_("För många felaktiga koder. Logga in igen."), "error")
                return redirect(url_for("auth.login"))
            form.code.errors = [*form.code.errors, sentence(error)]
        else:
            _start_session(used.user)
            if used.recovery:
                flash(_("Du loggade in med en reservkod, som nu är förbrukad. Du har %(num)s "
                        "kvar. Skapa nya under Tvåstegsverifiering.",
                        num=used.recovery_left), "warning")
            return redirect(marker.get("next") or _home(used.user))
    return render_template("accounts/two_factor_code.html", form=form)


@bp.get("/account/two-factor")
@login_required
def two_factor():
    """Show whether the account logs in with two factors, and what can be done about it."""
    return _status_page(DisableTwoFactorForm(), RenewCodesForm())


def _status_page(disable_form, renew_form, status: int = 200):
    return render_template("accounts/two_factor.html", disable_form=disable_form,
                           renew_form=renew_form, required=must_use_two_factor(current_user),
                           codes_left=recovery_codes_left(current_user)
                           if current_user.has_two_factor else 0), status


def _qr_image(uri: str) -> str:
    """Return the QR code of `uri` as a data: address (the page's CSP allows data: images)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


@bp.route("/account/two-factor/enrol", methods=["GET", "POST"])
@login_required
def two_factor_enrol():
    """Show the key as a QR code and as text; turn two factors on with a first code and show
    the recovery codes, once."""
    if current_user.has_two_factor:
        return redirect(url_for("auth.two_factor"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = confirm_enrolment(current_user, form.code.data, address=request.remote_addr)
        except DomainError as error:
            refuse(error, form=form, field="code")
        else:
            flash(_("Tvåstegsverifiering är aktiverad."), "success")
            return render_template("accounts/two_factor_codes.html", codes=codes)
    secret = start_enrolment(current_user)
    return render_template("accounts/two_factor_enrol.html", form=form,
                           qr=_qr_image(totp_uri(secret, current_user.email)),
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                           required=must_use_two_factor(current_user)), \
        422 if form.errors else 200


@bp.post("/account/two-factor/disable")
@login_required
def two_factor_disable():
    """Turn two factors off, with the password and a code."""
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        try:
            disable(current_user, form.password.data, form.code.data,
                    address=request.remote_addr)
        except PasswordWrong as error:
            refuse(error, form=form, field="password")
        except CodeRefused as error:
            refuse(error, form=form, field="code")
        except DomainError as error:
            refuse(error, form=form)
        else:
            flash(_("Tvåstegsverifiering är avstängd. Du loggar nu in med bara lösenordet."),
                  "success")
            return redirect(url_for("auth.two_factor"))
    return _status_page(form, RenewCodesForm(), 422)


@bp.post("/account/two-factor/recovery-codes")
@login_required
def two_factor_renew():
    """Replace the recovery codes with new ones (the old stop working) and show them once."""
    form = RenewCodesForm()
    if form.validate_on_submit():
        try:
            codes = renew_recovery_codes(current_user, form.renew_code.data,
                                         address=request.remote_addr)
        except DomainError as error:
            refuse(error, form=form, field="renew_code")
        else:
            flash(_("Nya reservkoder är skapade. De gamla fungerar inte längre."), "success")
            return render_template("accounts/two_factor_codes.html", codes=codes)
    return _status_page(DisableTwoFactorForm(), form, 422)
