"""Logging in and out, and choosing the language of the pages."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts.forms import LanguageForm, LoginForm
from app.accounts.login import authenticate
from app.accounts.views import bp, limits_off
from app.accounts.views.second_step import ask_for_code, needs_code
from app.extensions import limiter
from app.web.redirects import safe_next


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _start_session(user) -> None:
    """Log the person in on a fresh session, keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)


def _home(user) -> str:
    """The first page after logging in: applicants their applications, staff the overview."""
    if user.is_applicant:
        return url_for("applications.my_applications")
    return url_for("funds.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], exempt_when=limits_off)
def login():
    """Show the login form; log in and go on to `next` (a path on this site) or the overview."""
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or _home(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None and user.is_applicant and user.email_confirmed_at is None:
            form.form_errors.append(_("Du har inte bekräftat din e-postadress än. Klicka på "
                                      "länken i e-postmeddelandet, eller be om en ny länk."))
            return render_template("accounts/login.html", form=form, next_url=next_url,
                                   unconfirmed=True)
        if user is not None and needs_code(user):  # the session starts after the code
            return ask_for_code(user, next_url)
        if user is not None:
            _start_session(user)
            return redirect(next_url or _home(user))
        # One message for an unknown address, a wrong password and a closed account alike.
        form.form_errors.append(_("Fel e-postadress eller lösenord"))
    return render_template("accounts/login.html", form=form, next_url=next_url)


@bp.post("/logout")
def logout():
    """Log out and return to the login page."""
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/lang")
def set_language():
    """Remember the chosen language (Swedish or English) and return to the page."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data) or url_for("funds.dashboard"))
