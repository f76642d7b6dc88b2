"""Personal API tokens: made on the page or the command line, shown once, kept hashed, their
use noted, and refused once expired, revoked or their account closed."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from app import create_app
from app.accounts.models import ApiToken
from app.accounts.users import find_by_email
from app.core.types import utcnow
from app.extensions import db
from tests.api.conftest import bearer
from tests.conftest import login

TOKEN = re.compile(r"stm_[A-Za-z0-9_-]{43}")
ALLOCATIONS = "/api/v1/allocations"


def tokens_of(app, email: str) -> list[ApiToken]:
    with app.app_context():
        user = find_by_email(email)
        found = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
        db.session.expunge_all()
    return found


def test_a_token_made_on_the_page_is_shown_once_and_kept_hashed(app, client, make_user):
    """Does the page show a new token once, keep only its hash, and list it by its prefix?"""
    email = make_user("viewer")
    login(client, email)
    page = client.post("/konto/api-nycklar", data={"name": "Statistik", "days": ""})
    assert page.status_code == 200
    shown = TOKEN.findall(page.get_data(as_text=True))
    assert len(shown) == 1
    secret = shown[0]
    [token] = tokens_of(app, email)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.token_hash}
    assert token.expires_at is None and token.last_used_at is None

    again = client.get("/konto/api-nycklar").get_data(as_text=True)
    assert secret not in again
    assert "Statistik" in again and f"{token.prefix}…" in again

    assert client.get(ALLOCATIONS, headers=bearer(secret)).status_code == 200
    [used] = tokens_of(app, email)
    assert used.last_used_at is not None


def test_the_page_says_what_is_wrong_at_the_field(client, make_user):
    """Is a token without a name, or with too many days, refused with a message at the field?"""
    login(client, make_user("coordinator"))
    page = client.post("/konto/api-nycklar", data={"name": "", "days": "9999"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Ge nyckeln ett namn" in text
    assert "Skriv ett antal dagar mellan 1 och 730" in text
    assert not TOKEN.search(text)


def test_a_revoked_token_is_refused_at_once(app, client, make_user, make_token):
    """After confirming on the page, does the revoked token get 401 on its very next call?"""
    email = make_user("coordinator")
    secret = make_token(email=email)
    assert client.get(ALLOCATIONS, headers=bearer(secret)).status_code == 200
    login(client, email)
    [token] = tokens_of(app, email)
    url = f"/konto/api-nycklar/{token.id}/aterkalla"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Vill du återkalla nyckeln" in confirm.get_data(as_text=True)
    assert client.get(ALLOCATIONS, headers=bearer(secret)).status_code == 200  # not yet
    done = client.post(url, follow_redirects=True)
    assert "är återkallad" in done.get_data(as_text=True)
    refused = client.get(ALLOCATIONS, headers=bearer(secret))
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]


def test_nobody_revokes_another_persons_token(app, client, make_user, make_token):
    """Does another account's revoke page answer 404, leaving the token working?"""
    owner = make_user("coordinator")
    secret = make_token(email=owner)
    [token] = tokens_of(app, owner)
    login(client, make_user("admin"))
    assert client.get(f"/konto/api-nycklar/{token.id}/aterkalla").status_code == 404
    assert client.post(f"/konto/api-nycklar/{token.id}/aterkalla").status_code == 404
    assert app.test_client().get(ALLOCATIONS, headers=bearer(secret)).status_code == 200


def test_an_expired_token_is_refused(app, client, make_user, make_token):
    """Does a token that has passed its expiry get 401?"""
    email = make_user("viewer")
    secret = make_token(email=email, days=30)
    assert client.get(ALLOCATIONS, headers=bearer(secret)).status_code == 200
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(ALLOCATIONS, headers=bearer(secret)).status_code == 401


def test_a_closed_account_s_token_is_refused(app, client, make_user, make_token):
    """Does the token of a deactivated or anonymised account get 401?"""
    email = make_user("coordinator")
    secret = make_token(email=email)
    with app.app_context():
        find_by_email(email).active = False
        db.session.commit()
    assert client.get(ALLOCATIONS, headers=bearer(secret)).status_code == 401
    with app.app_context():
        user = find_by_email(email)
        user.active, user.anonymised_at = True, utcnow()
        db.session.commit()
    assert client.get(ALLOCATIONS, headers=bearer(secret)).status_code == 401


def test_unknown_and_malformed_tokens_are_refused(client):
    """Is anything but a known token (another scheme, a guess, nothing) answered 401?"""
    for headers in ({}, {"Authorization": "Basic dXNlcjpwdw=="},
                    bearer("stm_" + "A" * 43), bearer("x" * 5000), {"Authorization": "Bearer"}):
        response = client.get(ALLOCATIONS, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.mimetype == "application/problem+json"


def test_a_session_cookie_alone_opens_nothing(client, make_user):
    """Logged in on the pages but without a token: does the API answer 401 and set no cookie?"""
    login(client, make_user("admin"))
    assert client.get("/").status_code == 200
    for method, url in (("GET", ALLOCATIONS), ("POST", "/api/v1/years/2020/close"),
                        ("POST", "/api/v1/import")):
        response = client.open(url, method=method)
        assert response.status_code == 401, url
        assert "Set-Cookie" not in response.headers


def test_the_command_line_prints_the_token_last(app, runner, make_user):
    """Does `flask users token` print a working token as its last line?"""
    email = make_user("coordinator")
    result = runner.invoke(args=["users", "token", email, "--name", "Årsrutin", "--days", "90"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert TOKEN.fullmatch(secret)
    [token] = tokens_of(app, email)
    assert token.name == "Årsrutin" and token.expires_at is not None
    assert app.test_client().get(ALLOCATIONS, headers=bearer(secret)).status_code == 200


def test_the_command_line_refuses_an_unknown_account(runner):
    result = runner.invoke(args=["users", "token", "ingen@example.se"])
    assert result.exit_code == 1
    assert "inget konto" in result.output


def test_failed_tokens_from_one_address_are_throttled(app, client, make_token, monkeypatch):
    """After too many wrong tokens from an address, is it answered 429 even with a good one?"""
    secret = make_token("viewer")
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    monkeypatch.setitem(app.config, "API_TOKEN_MAX_FAILURES", 3)
    for _ in range(3):
        assert client.get(ALLOCATIONS, headers=bearer("stm_fel")).status_code == 401
    refused = client.get(ALLOCATIONS, headers=bearer(secret))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"].isdigit()
    assert refused.mimetype == "application/problem+json"
    other = app.test_client().get(ALLOCATIONS, headers=bearer(secret),
                                  environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_the_api_needs_no_csrf_token(app, make_token, imported_2020):
    """With CSRF protection on, as in production, does a token's POST go through?"""
    protected = create_app({
        "APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "WTF_CSRF_ENABLED": True,
    })
    secret = make_token("coordinator")
    response = protected.test_client().post("/api/v1/years/2020/close", headers=bearer(secret))
    assert response.status_code == 200, response.get_json()
    with protected.app_context():
        db.engine.dispose()
