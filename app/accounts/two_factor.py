"""Two-factor login: enrolling an authenticator app, checking its codes and the one-time
recovery codes, turning it off, an administrator's reset, and who must use it.

Each operation flushes, writes the audit entry and the security event, and never commits.
`address` is the client's IP address, for the security log.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.login import (
    LoginLocked,
    count_failed_attempt,
    locked_message,
    refuse_if_locked,
)
from app.accounts.models import (
    TWO_FACTOR_EVERYONE,
    AccountAction,
    AccountSetting,
    RecoveryCode,
    User,
)
from app.accounts.rules import (
    is_totp_code,
    matching_step,
    new_recovery_codes,
    new_totp_secret,
    normalise_recovery_code,
    parse_roles,
)
from app.accounts.users import hash_method
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.core.mail import queue_mail
from app.core.security_log import security_event
from app.core.types import utcnow
from app.extensions import db


class CodeLocked(DomainError):
    """Too many wrong codes or passwords: the address is locked for a while."""


class CodeRefused(DomainError):
    """The code typed is wrong, used before, or no longer valid (shown at the code field)."""


class PasswordWrong(DomainError):
    """The password typed to confirm a change is not the account's (shown at its field)."""


@dataclass(frozen=True)
class CodeUsed:
    """Who a code let in, and whether it was a recovery code (and how many are left)."""

    user: User
    recovery: bool
    recovery_left: int


def required_for_everyone() -> bool:
    """Whether an administrator has required two factors of every account (as read with the
    request's account, when it was: app/accounts/login.py `load_session_user`)."""
    if has_request_context() and "two_factor_everyone" in g:
        return g.two_factor_everyone
    setting = db.session.get(AccountSetting, TWO_FACTOR_EVERYONE)
    return setting is not None and setting.value == "1"


def must_use_two_factor(user: User) -> bool:
    """Whether this account may not work without two-factor login (by role or the setting)."""
    roles = parse_roles(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES", ""))
    # The role first: it needs no query.
    return user.role.value in roles or required_for_everyone()


def set_required_for_everyone(required: bool, actor: Actor) -> None:
    """Require two-factor login of every account, or only of the roles the settings name."""
    before = required_for_everyone()
    if before == required:
        return
    setting = db.session.get(AccountSetting, TWO_FACTOR_EVERYONE)
    if setting is None:
        setting = AccountSetting(key=TWO_FACTOR_EVERYONE, value="0", updated_by=actor.label)
        db.session.add(setting)
    setting.value = "1" if required else "0"
    setting.updated_at = utcnow()
    setting.updated_by = actor.label
    db.session.flush()
    if has_request_context():
        g.two_factor_everyone = required  # the rest of the request follows the new setting
    audit.record(actor, AccountAction.TWO_FACTOR_POLICY, "setting", None,
                 summary=("Krävde tvåstegsverifiering av alla konton" if required
                          else "Krävde tvåstegsverifiering bara av de roller som inställningen "
                               "anger"),
                 before={"everyone": before}, after={"everyone": required})
    security_event("twofactor.policy", user=actor.label, everyone=required)


def start_enrolment(user: User) -> str:
    """Return the secret the person's app is to learn, making one the first time.

    The same secret comes back until a code confirms it, so reloading the page does not
    invalidate a QR code already scanned.
    """
    if user.has_two_factor:
        raise DomainError(_("tvåstegsverifiering är redan aktiverad för kontot"))
    if not user.totp_secret:
        user.totp_secret = new_totp_secret()
        db.session.flush()
    return user.totp_secret


def confirm_enrolment(user: User, code: str, *, address: str | None) -> list[str]:
    """Turn two-factor login on with the first code from the app; return the new recovery
    codes in clear, to be shown once (only their hashes are kept)."""
    user = _locked(user.id)
    if user.has_two_factor:
        raise DomainError(_("tvåstegsverifiering är redan aktiverad för kontot"))
    if not user.totp_secret:
        raise DomainError(_("börja om: sidan har ingen nyckel att bekräfta"))
    _check_app_code(user, code, address=address)
    user.totp_enabled_at = utcnow()
    codes = _replace_recovery_codes(user)
    audit.record(Actor.of(user), AccountAction.USER_TWO_FACTOR_ENABLE, "user", user.id,
                 summary=f"Aktiverade tvåstegsverifiering för {user.email}")
    security_event("twofactor.enable", user=user.email, address=address)
    return codes


def check_login_code(user_id: int, code: str, *, address: str | None) -> CodeUsed:
    """Check the code typed after the password: the app's, or a recovery code, which is used up."""
    user = _locked(user_id)
    if user is None or not user.active or not user.has_two_factor:
        raise CodeRefused(_("logga in igen"))
    try:
        refuse_if_locked(user.email, address)
    except LoginLocked as locked:
        raise CodeLocked(str(locked)) from None
    try:
        if is_totp_code(code):
            _check_app_code(user, code, address=address)
            return CodeUsed(user, recovery=False, recovery_left=0)
        _use_recovery_code(user, code, address=address)
    except CodeRefused as wrong:
        # Wrong codes count with wrong passwords, for every worker: a copied session cookie
        # with a pending login gets no fresh tries.
        if count_failed_attempt(user.email, address, user):
            raise CodeLocked(f"{wrong} {locked_message()}") from None
        raise
    return CodeUsed(user, recovery=True, recovery_left=recovery_codes_left(user))


def disable(user: User, password: str, code: str, *, address: str | None) -> None:
    """Turn two-factor login off, given the password and a code (the app's or a recovery code).

    An account that must use two factors cannot turn them off.
    """
    user = _locked(user.id)
    if not user.has_two_factor:
        raise DomainError(_("tvåstegsverifiering är inte aktiverad för kontot"))
    if must_use_two_factor(user):
        raise DomainError(_("ditt konto måste ha tvåstegsverifiering och den kan inte stängas av"))
    if not user.check_password(password):
        security_event("twofactor.disable", outcome="failure", user=user.email, address=address,
                       reason="password")
        raise PasswordWrong(_("lösenordet stämmer inte"))
    if is_totp_code(code):
        _check_app_code(user, code, address=address)
    else:
        _use_recovery_code(user, code, address=address)
    _clear(user)
    audit.record(Actor.of(user), AccountAction.USER_TWO_FACTOR_DISABLE, "user", user.id,
                 summary=f"Stängde av tvåstegsverifiering för {user.email}")
    security_event("twofactor.disable", user=user.email, address=address)


def renew_recovery_codes(user: User, code: str, *, address: str | None) -> list[str]:
    """Replace the account's recovery codes with new ones, given a code from the app."""
    user = _locked(user.id)
    if not user.has_two_factor:
        raise DomainError(_("tvåstegsverifiering är inte aktiverad för kontot"))
    _check_app_code(user, code, address=address)
    codes = _replace_recovery_codes(user)
    audit.record(Actor.of(user), AccountAction.USER_RECOVERY_CODES, "user", user.id,
                 summary=f"Skapade nya reservkoder för {user.email}")
    security_event("twofactor.recovery_renewed", user=user.email, address=address)
    return codes


def reset_by_admin(user_id: int, actor: Actor, *, address: str | None) -> User:
    """Turn off an account's two-factor login for someone who lost the app and the codes, and
    e-mail them; they enrol again at their next login if they must."""
    user = _locked(user_id)
    if user is None:
        raise DomainError(_("kontot finns inte"))
    if actor.user_id == user.id:
        raise DomainError(_("du kan inte återställa din egen tvåstegsverifiering här: stäng av "
                            "den på sidan Tvåstegsverifiering"))
    if not user.has_two_factor and not user.totp_secret:
        raise DomainError(_("%(email)s har ingen tvåstegsverifiering att återställa",
                            email=user.email))
    _clear(user)
    audit.record(actor, AccountAction.USER_TWO_FACTOR_RESET, "user", user.id,
                 summary=f"Återställde tvåstegsverifieringen för {user.email}")
    security_event("twofactor.reset", user=user.email, address=address, by=actor.label)
    queue_mail(user.email, _("Tvåstegsverifieringen för ditt konto är återställd"),
               "two_factor_reset", user=user, admin=actor.label,
               login=url_for("auth.login", _external=True))
    return user


def recovery_codes_left(user: User) -> int:
    """Return how many of the account's recovery codes are still unused."""
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def _locked(user_id: int) -> User | None:
    # Locked and read afresh, so two requests with the same code cannot both pass.
    return db.session.scalar(select(User).where(User.id == user_id).with_for_update()
                             .execution_options(populate_existing=True))


def _check_app_code(user: User, code: str, *, address: str | None) -> None:
    step = matching_step(user.totp_secret or "", code, at=utcnow(), last_step=user.totp_last_step)
    if step is None:
        security_event("twofactor.code", outcome="failure", user=user.email, address=address)
        raise CodeRefused(_("koden stämmer inte: skriv de sex siffrorna som appen visar just nu"))
    user.totp_last_step = step
    db.session.flush()


def _use_recovery_code(user: User, code: str, *, address: str | None) -> None:
    typed = normalise_recovery_code(code)
    unused = db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all()
    match = next((c for c in unused if typed and check_password_hash(c.code_hash, typed)), None)
    if match is None:
        security_event("twofactor.code", outcome="failure", user=user.email, address=address,
                       kind="recovery")
        raise CodeRefused(_("koden stämmer inte: skriv koden från appen eller en oanvänd "
                            "reservkod"))
    match.used_at = utcnow()
    db.session.flush()
    security_event("twofactor.recovery_used", user=user.email, address=address,
                   left=len(unused) - 1)


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = new_recovery_codes()
    method = hash_method()
    db.session.add_all(RecoveryCode(user_id=user.id,
                                    code_hash=generate_password_hash(normalise_recovery_code(c),
                                                                     method=method))
                       for c in codes)
    db.session.flush()
    return codes


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
