"""Two-factor login: enrolling an app, the code after the password, recovery codes, turning
it off."""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app import create_app
from app.accounts.models import RecoveryCode
from app.core.models import AuditEntry, OutboundEmail
from app.extensions import db
from tests.accounts.two_factor_support import (
    app_code,
    enrol,
    password_step,
    user_row,
)
from tests.conftest import PASSWORD, login


@pytest.fixture
def enrolled(app, client, make_user):
    """An applicant-free staff account with two factors, logged out again; returns its e-mail,
    secret and recovery codes."""
    email = make_user("viewer")
    login(client, email)
    secret, codes = enrol(app, client)
    client.post("/logout")
    return email, secret, codes


def test_enrolment_shows_a_qr_code_and_the_key_and_a_first_code_turns_it_on(app, client,
                                                                           make_user,
                                                                           security_log):
    """Does the page show the key as an inline QR image and as text, and does a right code
    turn two factors on and show ten recovery codes, kept only as hashes?"""
    email = make_user("viewer")
    login(client, email)
    page = client.get("/account/two-factor/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    key = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    # Reloading the page keeps the key, so a QR code already scanned stays good.
    assert key in client.get("/account/two-factor/enrol").get_data(as_text=True)

    secret, codes = enrol(app, client)
    assert secret == key.replace(" ", "")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert user_row(app, email).has_two_factor
    with app.app_context():
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "user.two_factor_enable"))
    assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in codes for h in hashes)
    assert entry.actor == email
    assert [e["user"] for e in security_log("twofactor.enable")] == [email]
    # Shown once: the page now says it is on, and the codes are not on it.
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert "Aktiverad" in status and codes[0] not in status


def test_a_wrong_first_code_is_refused_at_the_field(app, client, make_user):
    email = make_user("viewer")
    login(client, email)
    client.get("/account/two-factor/enrol")
    response = client.post("/account/two-factor/enrol", data={"code": "000000"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="code-error"' in text and "Koden stämmer inte" in text
    assert not user_row(app, email).has_two_factor


def test_after_the_password_the_code_is_asked_before_the_session_starts(app, client, enrolled):
    """Is someone with the right password but no code still logged out?"""
    email, secret, _codes = enrolled
    response = password_step(client, email)
    assert response.status_code == 302 and response.location.endswith("/login/code")
    # Not logged in: a page that needs a login sends back to the login page.
    assert "/login" in client.get("/").location
    page = client.get("/login/code").get_data(as_text=True)
    assert "Skriv koden från appen" in page and 'autocomplete="one-time-code"' in page
    response = client.post("/login/code", data={"code": app_code(secret, 1)},
                           follow_redirects=True)
    assert response.request.path == "/"
    assert email in response.get_data(as_text=True)


def test_the_code_page_takes_the_person_on_to_next(client, enrolled):
    email, secret, _codes = enrolled
    client.post("/login?next=/admin/audit", data={"email": email, "password": PASSWORD})
    response = client.post("/login/code", data={"code": app_code(secret, 1)})
    assert response.location.endswith("/admin/audit")


def test_a_code_cannot_be_used_twice(client, enrolled, security_log):
    """Is a code that let someone in refused for a second login within its window?"""
    email, secret, _codes = enrolled
    code = app_code(secret, 1)
    password_step(client, email)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    password_step(client, email)
    response = client.post("/login/code", data={"code": code})
    assert response.status_code == 200  # kept: the failed attempt is counted
    assert "Koden stämmer inte" in response.get_data(as_text=True)
    assert security_log("twofactor.code")[-1]["outcome"] == "failure"


def test_a_recovery_code_lets_in_once(app, client, enrolled, security_log):
    """Does a recovery code stand in for the app, and is it used up?"""
    email, _secret, codes = enrolled
    password_step(client, email)
    response = client.post("/login/code", data={"code": codes[3].upper().replace("-", " ")},
                           follow_redirects=True)
    assert response.request.path == "/"
    assert "Du har 9 kvar" in response.get_data(as_text=True)
    assert security_log("twofactor.recovery_used")[0]["user"] == email
    client.post("/logout")
    password_step(client, email)
    response = client.post("/login/code", data={"code": codes[3]})
    assert response.status_code == 200 and 'id="code-error"' in response.get_data(as_text=True)


def test_too_many_wrong_codes_ask_for_the_password_again(app, client, enrolled, security_log):
    email, secret, _codes = enrolled
    password_step(client, email)
    tries = app.config["TWO_FACTOR_MAX_TRIES"]
    for _try in range(tries - 1):
        response = client.post("/login/code", data={"code": "123456"})
        assert 'id="code-error"' in response.get_data(as_text=True)
    response = client.post("/login/code", data={"code": "123456"}, follow_redirects=True)
    assert response.request.path == "/login"
    assert "För många felaktiga koder" in response.get_data(as_text=True)
    # Even the right code does not help now: the password must be typed again.
    response = client.post("/login/code", data={"code": app_code(secret, 1)})
    assert response.location.endswith("/login")
    assert len(security_log("twofactor.code")) == tries


def test_the_password_is_good_for_the_code_only_a_while(app, client, enrolled):
    email, secret, _codes = enrolled
    with freeze_time() as frozen:
        password_step(client, email)
        frozen.tick(app.config["TWO_FACTOR_PENDING_SECONDS"] + 1)
        response = client.post("/login/code", data={"code": app_code(secret)},
                               follow_redirects=True)
    assert response.request.path == "/login"
    assert "Logga in igen" in response.get_data(as_text=True)


def test_the_code_page_without_a_password_first_goes_to_the_login(client):
    assert client.get("/login/code").location.endswith("/login")
    assert client.post("/login/code", data={"code": "123456"}).location.endswith("/login")


def test_the_code_form_needs_its_csrf_token(app, enrolled):
    email, secret, _codes = enrolled
    guarded = create_app({"APP_ENV": "testing", "SECRET_KEY": app.config["SECRET_KEY"],
                          "WTF_CSRF_ENABLED": True,
                          "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        client = guarded.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        assert client.post("/login/code", data={"code": app_code(secret, 1)}).status_code == 400
        page = client.get("/login/code").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login/code", data={"code": app_code(secret, 1),
                                                    "csrf_token": token})
        assert response.status_code == 302 and response.location.endswith("/")
    finally:
        with guarded.app_context():
            db.session.remove()
            db.engine.dispose()


def test_turning_it_off_needs_the_password_and_a_code(app, client, enrolled, security_log):
    email, secret, codes = enrolled
    password_step(client, email)
    client.post("/login/code", data={"code": codes[0]})
    response = client.post("/account/two-factor/disable",
                           data={"password": "fel-losenord-1234", "code": app_code(secret, 1)})
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)
    response = client.post("/account/two-factor/disable",
                           data={"password": PASSWORD, "code": "000000"})
    assert response.status_code == 422
    assert 'id="code-error"' in response.get_data(as_text=True)
    assert user_row(app, email).has_two_factor

    response = client.post("/account/two-factor/disable",
                           data={"password": PASSWORD, "code": app_code(secret, 1)},
                           follow_redirects=True)
    assert "avstängd" in response.get_data(as_text=True)
    assert not user_row(app, email).has_two_factor
    with app.app_context():
        assert db.session.scalar(select(RecoveryCode.id)) is None
        assert db.session.scalar(select(AuditEntry.actor).where(
            AuditEntry.action == "user.two_factor_disable")) == email
    assert security_log("twofactor.disable")[-1]["outcome"] == "success"
    client.post("/logout")
    assert password_step(client, email).location.endswith("/")


def test_new_recovery_codes_replace_the_old(app, client, enrolled):
    email, secret, old = enrolled
    password_step(client, email)
    client.post("/login/code", data={"code": old[9]})
    response = client.post("/account/two-factor/recovery-codes",
                           data={"renew_code": app_code(secret, 1)})
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    password_step(client, email)
    assert client.post("/login/code", data={"code": old[0]}).status_code == 200
    assert client.post("/login/code", data={"code": new[0]}).status_code == 302


def test_an_applicant_is_offered_two_factors(app, client, world, roles_required):
    """Is an applicant offered, not made, to enrol, and does the header link to it?"""
    login(client, world.applicant)
    response = client.get("/ansokningar")
    assert response.status_code == 200
    assert 'href="/account/two-factor"' in response.get_data(as_text=True)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Aktivera tvåstegsverifiering" in page and "måste" not in page


def test_the_pages_of_two_factors_need_a_login(client):
    for path in ("/account/two-factor", "/account/two-factor/enrol"):
        assert "/login" in client.get(path).location
    assert "/login" in client.post("/account/two-factor/disable").location


def test_wrong_codes_count_with_wrong_passwords_and_lock_the_address(app, client, enrolled,
                                                                     monkeypatch):
    """The count is kept for every worker (not in the session cookie, which a copy would
    reset): enough wrong codes lock the address as wrong passwords do, and its owner is told."""
    email, secret, _codes = enrolled
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 3)
    monkeypatch.setitem(app.config, "TWO_FACTOR_MAX_TRIES", 10)
    password_step(client, email)
    for _try in range(2):
        client.post("/login/code", data={"code": "123456"})
    response = client.post("/login/code", data={"code": "123456"}, follow_redirects=True)
    assert response.request.path == "/login"
    assert "spärrad" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboundEmail.id))
                                 .where(OutboundEmail.to == email,
                                        OutboundEmail.subject.contains("spärrad"))) == 1
    # Locked: the right password and code do not let anyone in until the lockout is over.
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 429
