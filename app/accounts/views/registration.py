"""Applicant accounts: registration, e-mail confirmation, invitations and setting a password."""

from __future__ import annotations

import secrets

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.accounts.forms import InviteForm, RegisterForm, ResendForm, SetPasswordForm
from app.accounts.models import Organisation, Role, User
from app.accounts.organisations import create_organisation, find_organisation
from app.accounts.users import create_user, find_by_email
from app.accounts.views import bp
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.identifiers import normalise_org_number
from app.core.mail import queue_mail
from app.core.types import utcnow
from app.extensions import db, limiter
from app.web.access import coordinator_required, current_actor
from app.web.messages import sentence
from app.web.unit_of_work import abandon

CONFIRM_SALT = "confirm-email"
PASSWORD_SALT = "set-password"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def confirmation_token(user: User) -> str:
    return _serializer(CONFIRM_SALT).dumps({"id": user.id, "email": user.email})


def password_token(user: User) -> str:
    # The hash's tail makes the link single-use: setting a password changes it.
    return _serializer(PASSWORD_SALT).dumps({"id": user.id, "h": user.password_hash[-12:]})


def _load(token: str, salt: str) -> dict | None:
    """Return the token's content; None if forged; raise SignatureExpired if too old."""
    try:
        return _serializer(salt).loads(token, max_age=current_app.config["CONFIRMATION_MAX_AGE"])
    except SignatureExpired:
        raise
    except BadSignature:
        return None


def send_confirmation(user: User) -> None:
    link = url_for("auth.confirm_email", token=confirmation_token(user), _external=True)
    queue_mail(user.email, _("Bekräfta din e-postadress"), "confirm_email", user=user, link=link)


def _organisation(name: str, kind: str, org_number: str | None, actor: Actor) -> Organisation:
    """The organisation with this number, else with this name, else a new one."""
    number = normalise_org_number(org_number) if org_number and org_number.strip() else None
    if number:
        org = db.session.scalar(select(Organisation).where(Organisation.org_number == number))
        while org is not None and org.merged_into_id is not None:
            org = db.session.get(Organisation, org.merged_into_id)
        if org is not None:
            return org
    org = find_organisation(name)
    if org is not None:
        if number and org.org_number is None:
            org.org_number = number
        return org
    return create_organisation(name, kind, actor, org_number=number)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"],
               exempt_when=lambda: not current_app.config.get("RATELIMIT_ENABLED", True))
def register():
    """Register an applicant account; the e-mail link confirms it."""
    if current_user.is_authenticated:
        return redirect(url_for("applications.open_calls"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        actor = Actor(label=email)
        existing = find_by_email(email)
        try:
            if existing is not None:
                # Never tell the form that the address is taken: tell its owner instead.
                queue_mail(existing.email, _("Någon försökte registrera din e-postadress"),
                           "applicant_account_exists", user=existing,
                           login=url_for("auth.login", _external=True))
            else:
                org = _organisation(form.organisation.data, form.kind.data,
                                    form.org_number.data, actor)
                user = create_user(email, form.password.data, "applicant", actor,
                                   name=form.name.data, organisation=org, confirmed=False)
                send_confirmation(user)
        except DomainError as error:
            abandon()
            target = form.org_number if "organisationsnummer" in str(error) else form.email
            target.errors = [*target.errors, sentence(error)]
        else:
            return render_template("accounts/check_email.html", email=email)
    return render_template("accounts/register.html", form=form)


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    """Confirm an applicant's e-mail address from the signed link."""
    try:
        data = _load(token, CONFIRM_SALT)
    except SignatureExpired:
        data, message = None, _("Länken har gått ut. Be om en ny nedan.")
    else:
        message = _("Länken är ogiltig. Be om en ny nedan.")
    user = db.session.get(User, data["id"]) if data else None
    if user is None or user.email != data.get("email"):
        return render_template("accounts/resend.html", form=ResendForm(), message=message), 400
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record(Actor.of(user), "user.confirm", "user", user.id,
                     summary=f"Bekräftade {user.email}")
    flash(_("Din e-postadress är bekräftad. Logga in."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"],
               exempt_when=lambda: not current_app.config.get("RATELIMIT_ENABLED", True))
def resend_confirmation():
    """Send the confirmation link again (the same answer whether or not the address exists)."""
    form = ResendForm()
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        if user is not None and user.email_confirmed_at is None:
            send_confirmation(user)
        return render_template("accounts/check_email.html", email=form.email.data.strip().lower())
    return render_template("accounts/resend.html", form=form, message=None)


@bp.route("/invite", methods=["GET", "POST"])
@coordinator_required
def invite():
    """Invite an applicant: an account with no usable password and a link to choose one."""
    form = InviteForm()
    if form.validate_on_submit():
        actor = current_actor()
        try:
            org = _organisation(form.organisation.data, form.kind.data, None, actor)
            user = create_user(form.email.data, secrets.token_urlsafe(32), "applicant", actor,
                               name=form.name.data or "", organisation=org, confirmed=True)
            link = url_for("auth.set_password", token=password_token(user), _external=True)
            queue_mail(user.email, _("Inbjudan till Stimulansmedel"), "invite_applicant",
                       user=user, organisation=org, link=link, inviter=current_user.label)
        except DomainError as error:
            abandon()
            form.email.errors = [*form.email.errors, sentence(error)]
        else:
            flash(_("Inbjudan är skickad till %(email)s.", email=user.email), "success")
            return redirect(url_for("auth.invite"))
    return render_template("accounts/invite.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Let an invited applicant choose a password from the signed link."""
    try:
        data = _load(token, PASSWORD_SALT)
    except SignatureExpired:
        data = None
    user = db.session.get(User, data["id"]) if data else None
    if user is None or user.password_hash[-12:] != data.get("h"):
        return render_template("accounts/link_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data,
                          current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
        if user.email_confirmed_at is None:
            user.email_confirmed_at = utcnow()
        audit.record(Actor.of(user), "user.set_password", "user", user.id,
                     summary=f"Valde lösenord för {user.email}")
        flash(_("Lösenordet är sparat. Logga in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("accounts/set_password.html", form=form, user=user)


def is_unconfirmed_applicant(user: User) -> bool:
    return user.role is Role.APPLICANT and user.email_confirmed_at is None
