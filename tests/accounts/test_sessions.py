"""Logging out and a new password end the session on the server, not only in the browser."""

from __future__ import annotations

from app.accounts.models import User
from app.accounts.users import change_role, choose_password, reset_password, set_active
from app.core.audit import Actor
from app.extensions import db
from tests.conftest import PASSWORD, login
from tests.ledger.factories import user_id


def _copy_of_session(app, client):
    """Return a new client holding a copy of `client`'s session cookie (a stolen cookie)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def test_a_session_cookie_copied_before_logout_opens_nothing_after(app, client, make_user):
    """Does a cookie copied before the person logged out still open the overview?"""
    login(client, make_user("coordinator"))
    thief = _copy_of_session(app, client)
    assert thief.get("/").status_code == 200  # the copy works while the session lasts
    client.post("/logout")
    assert thief.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_logging_in_again_after_logout_works(client, make_user):
    email = make_user("viewer")
    login(client, email)
    client.post("/logout")
    assert login(client, email).request.path == "/"


def test_a_new_password_ends_every_session_of_the_account(app, client, make_user):
    """Does choosing a new password log out the browser someone else is using?"""
    email = make_user("coordinator")
    login(client, email)
    with app.app_context():
        user = db.session.get(User, user_id(app, email))
        reset_password(user.id, "ett-helt-nytt-losenord", Actor(label="admin@example.se"))
        db.session.commit()
    assert client.get("/").status_code == 302
    assert login(client, email).request.path == "/login"  # the old password is gone
    assert login(client, email, "ett-helt-nytt-losenord").request.path == "/"


def test_choosing_a_password_from_a_link_ends_older_sessions(app, client, make_user):
    email = make_user("viewer")
    login(client, email)
    with app.app_context():
        choose_password(db.session.get(User, user_id(app, email)), "ett-annat-losenord")
        db.session.commit()
    assert client.get("/").status_code == 302


def test_a_reopened_account_does_not_revive_its_old_sessions(app, client, make_user):
    email = make_user("coordinator")
    login(client, email)
    admin = Actor(label="admin@example.se")
    with app.app_context():
        account = user_id(app, email)
        set_active(account, False, admin)
        set_active(account, True, admin)
        db.session.commit()
    assert client.get("/").status_code == 302
    assert login(client, email, PASSWORD).request.path == "/"


def test_a_new_role_keeps_the_session_and_takes_effect_at_once(app, client, make_user):
    email = make_user("coordinator")
    login(client, email)
    with app.app_context():
        change_role(user_id(app, email), "viewer", Actor(label="admin@example.se"))
        db.session.commit()
    assert client.get("/").status_code == 200
    with app.app_context():
        assert db.session.get(User, user_id(app, email)).role.value == "viewer"


def test_an_old_style_session_id_logs_nobody_in(app, client, make_user):
    """A cookie from before session versions (the bare account id) must log in again."""
    email = make_user("viewer")
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id(app, email))
        session["_fresh"] = True
    assert client.get("/").status_code == 302
