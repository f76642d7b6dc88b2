"""Logging in and out, and choosing the language of the pages."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts.forms import LanguageForm, LoginForm
from app.accounts.login import AddressUnconfirmed, LoginLocked, check_login, log_out
from app.accounts.views import bp
from app.accounts.views.second_step import ask_for_code, needs_code
from app.core.errors import DomainError
from app.web.messages import sentence
from app.web.redirects import safe_next


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
def login():
    """Show the login form; log in and go on to `next` (a path on this site) or the overview."""
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or _home(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = check_login(form.email.data, form.password.data, client=request.remote_addr)
        except DomainError as refused:
            # One message for an unknown address, a wrong password and a closed account alike;
            # a failure is kept (200), a locked login counts nothing (429).
            form.form_errors.append(sentence(refused))
            return render_template("accounts/login.html", form=form, next_url=next_url,
                                   unconfirmed=isinstance(refused, AddressUnconfirmed)), \
                429 if isinstance(refused, LoginLocked) else 200
        if needs_code(user):  # the session starts after the code
            return ask_for_code(user, next_url)
        _start_session(user)
        return redirect(next_url or _home(user))
    return render_template("accounts/login.html", form=form, next_url=next_url)


@bp.post("/logout")
def logout():
    """Log out, ending the session on the server too, and return to the login page."""
    lang = session.get("lang")
    if current_user.is_authenticated:
        log_out(current_user, client=request.remote_addr)
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
