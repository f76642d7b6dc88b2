"""The security log: a JSON line for every login, failure, lockout, logout, new password, new
role, closed or reopened account and registration, with who and from where."""

from __future__ import annotations

from app.accounts.users import change_role, reset_password
from app.core.audit import Actor
from app.extensions import db
from tests.accounts.test_registration import FORM
from tests.conftest import PASSWORD, login
from tests.ledger.factories import user_id

ADDRESS = "10.9.8.7"


def _post(client, email, password):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ADDRESS})


def test_logging_in_and_out_is_logged(client, make_user, security_log):
    email = make_user("coordinator")
    assert _post(client, email, PASSWORD).status_code == 302
    client.post("/logout", environ_base={"REMOTE_ADDR": ADDRESS})
    [success] = security_log("login")
    assert (success["outcome"], success["user"], success["address"]) == ("success", email, ADDRESS)
    [logout] = security_log("logout")
    assert (logout["user"], logout["address"]) == (email, ADDRESS)


def test_a_failure_keeps_its_reason_in_the_log_not_on_the_page(app, client, make_user,
                                                              security_log):
    email = make_user("viewer")
    pages = [_post(client, email, "fel-losenord-1234").get_data(as_text=True),
             _post(client, "ingen@example.se", PASSWORD).get_data(as_text=True)]
    reasons = [(e["user"], e["reason"], e["outcome"]) for e in security_log("login.failed")]
    assert reasons == [(email, "wrong_password", "failure"),
                       ("ingen@example.se", "unknown_account", "failure")]
    for page in pages:
        assert "wrong_password" not in page and "unknown_account" not in page
        assert "Fel e-postadress eller lösenord" in page


def test_a_lockout_is_logged(second_app, make_user, security_log):
    email = make_user("viewer")
    client = second_app(RATELIMIT_ENABLED=True, LOGIN_MAX_FAILURES=2).test_client()
    for _attempt in range(2):
        _post(client, email, "fel-losenord-1234")
    _post(client, email, PASSWORD)
    [lockout] = security_log("lockout")
    assert (lockout["user"], lockout["address"], lockout["minutes"]) == (email, ADDRESS, 15)
    [refused] = security_log("login.refused")
    assert (refused["reason"], refused["outcome"]) == ("locked", "refused")


def test_password_and_role_changes_are_logged(app, make_user, security_log):
    email = make_user("coordinator")
    admin = Actor(label="admin@example.se", user_id=None)
    with app.app_context():
        reset_password(user_id(app, email), "ett-helt-nytt-losenord", admin, client=ADDRESS)
        change_role(user_id(app, email), "viewer", admin, client=ADDRESS)
        db.session.commit()
    [password] = security_log("password.change")
    assert (password["user"], password["by"], password["address"]) == (
        email, "admin@example.se", ADDRESS)
    [role] = security_log("role.change")
    assert (role["user"], role["before"], role["after"], role["by"]) == (
        email, "coordinator", "viewer", "admin@example.se")


def test_closing_and_reopening_an_account_is_logged(app, client, make_user, security_log):
    """The administrators' page closes and reopens accounts: is each logged with who did it?"""
    admin = make_user("admin")
    target = make_user("viewer")
    login(client, admin)
    account = user_id(app, target)
    assert client.post(f"/admin/users/{account}/active", data={"active": "0"}).status_code == 302
    client.post(f"/admin/users/{account}/active", data={"active": "1"})
    [closed] = security_log("account.deactivate")
    assert (closed["user"], closed["by"], closed["address"]) == (target, admin, "127.0.0.1")
    assert [e["user"] for e in security_log("account.activate")] == [target]


def test_registration_is_logged_for_new_and_taken_addresses(client, make_user, security_log):
    taken = make_user("viewer")
    client.post("/register", data=FORM)
    client.post("/register", data={**FORM, "email": taken})
    assert [(e["user"], e["existing_account"]) for e in security_log("registration")] == [
        (FORM["email"], False), (taken, True)]
