"""Who an API request acts as: the user of its `Authorization: Bearer` token, never a session.

A request without a token, or with one that is unknown, revoked or expired, or whose account
is inactive or anonymised, is answered 401 with `WWW-Authenticate: Bearer`. Failed tokens are
counted per client address (app/accounts/throttle.py); too many within the login window and
the address is answered 429 before any token is looked at. The roles' rules are the web's
(app/web/access.py): a token allows exactly what its user may do on the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from flask_babel import gettext as _

from app.accounts import throttle
from app.accounts.api_tokens import user_of_token
from app.accounts.models import User
from app.api.problems import ApiProblem
from app.core.security_log import security_event
from app.extensions import login_manager
from app.web.access import administers, changes_money, reads_ledger
from app.web.unit_of_work import checkpoint

FAILED_FROM = "api_token_failed_client"
CHALLENGE = 'Bearer realm="Stimulansmedel"'


def start_api_request() -> None:
    """Before anything else reads who is logged in: an API request is anonymous until its
    token says otherwise, so the session cookie never counts, and its body has its own limit."""
    g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user
    limit = current_app.config["API_MAX_BODY_BYTES"]
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise ApiProblem(413, _("Innehållet är större än %(most)s byte, det största API:t tar "
                                "emot.", most=limit))


def unauthorized(detail: str, *, invalid: bool) -> Exception:
    """The 401 of a missing or failed token, with its challenge."""
    challenge = CHALLENGE + (', error="invalid_token"' if invalid else "")
    return ApiProblem(401, detail, headers={"WWW-Authenticate": challenge})


def authenticate() -> None:
    """Make the request act as its token's user, or refuse it (401, or 429 after too many
    failed tokens from the client's address)."""
    client = request.remote_addr or ""
    _refuse_if_throttled(client)
    scheme, _sep, presented = request.headers.get("Authorization", "").partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        raise unauthorized(_("API:t kräver en API-nyckel i huvudet Authorization: Bearer "
                             "<nyckel>. Du skapar en på sidan API-nycklar."), invalid=False)
    user = user_of_token(presented)
    if user is None:
        _count_failure(client)
        raise unauthorized(_("API-nyckeln är okänd, har gått ut eller är återkallad, eller så "
                             "är kontot inte aktivt."), invalid=True)
    g._login_user = user
    g.api_user = user


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])


def _refuse_if_throttled(client: str) -> None:
    if not throttle.enabled() or not client:
        return
    if throttle.count(FAILED_FROM, client, _window()) >= current_app.config["API_TOKEN_MAX_FAILURES"]:
        security_event("api.refused", outcome="refused", address=client, reason="too_many_tokens")
        raise ApiProblem(429, _("För många misslyckade försök med API-nycklar från din adress. "
                                "Vänta en stund och försök igen."),
                         headers={"Retry-After": str(int(_window().total_seconds()))})


def _count_failure(client: str) -> None:
    security_event("api.token_failed", outcome="failure", address=client, path=request.path)
    if not throttle.enabled() or not client:
        return
    throttle.add(FAILED_FROM, client, _window())
    # The 401 rolls the request back; the count must survive it (nothing else is done yet).
    checkpoint()


def api_user() -> User:
    """The account the request acts as (after `authenticate`)."""
    return g.api_user


def _allowed_if(rule: Callable[[User], bool]):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not rule(api_user()):
                raise ApiProblem(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


#: The web's rules, answered 403 in problem details.
staff_only = _allowed_if(reads_ledger)
money_only = _allowed_if(changes_money)
admin_only = _allowed_if(administers)
#: Only applicants write an application: staff read it (app/call/views/applicant.py).
applicant_only = _allowed_if(lambda user: user.is_applicant)
