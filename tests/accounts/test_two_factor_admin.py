"""Who must use two factors (by role, or everyone by an administrator's setting), and an
administrator's reset of someone's two-factor login."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import AccountSetting
from app.core.mail import outbox_for
from app.core.models import AuditEntry
from app.extensions import db
from tests.accounts.two_factor_support import (
    app_code,
    enrol,
    password_step,
    user_row,
)
from tests.conftest import login


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_staff_who_must_enrol_reach_nothing_else_first(app, client, make_user, roles_required,
                                                      role):
    """Is an administrator or coordinator without two factors sent to enrolment right after
    logging in, and kept there (but free to log out)?"""
    email = make_user(role)
    response = login(client, email)
    assert response.request.path == "/account/two-factor/enrol"
    assert "Ditt konto måste ha tvåstegsverifiering" in response.get_data(as_text=True)
    for path in ("/", "/admin/audit", "/projekt", "/account/two-factor/disable"):
        got = client.get(path) if not path.endswith("disable") else client.post(path)
        assert got.status_code == 302 and got.location.endswith("/account/two-factor/enrol"), path
    enrol(app, client)
    assert client.get("/").status_code == 200
    # Required: it cannot be turned off.
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "kan inte stängas av" in page


def test_logging_out_is_possible_before_enrolling(client, make_user, roles_required):
    email = make_user("coordinator")
    login(client, email)
    response = client.post("/logout", follow_redirects=True)
    assert response.request.path == "/login" and "Du är utloggad" in response.get_data(as_text=True)


def test_a_viewer_need_not_enrol_unless_everyone_must(app, client, make_user, roles_required):
    email = make_user("viewer")
    assert login(client, email).request.path == "/"


def test_the_required_roles_come_from_the_settings(app, client, make_user, monkeypatch):
    """With TWO_FACTOR_REQUIRED_ROLES empty (as the other tests run), nobody must enrol."""
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "")
    assert login(client, make_user("admin")).request.path == "/"


def test_an_administrator_can_require_it_of_everyone(app, client, make_user, roles_required):
    """Does the setting on the security page send a viewer to enrolment too, and is the
    change in the audit log?"""
    admin = make_user("admin")
    login(client, admin)
    enrol(app, client)
    page = client.get("/admin/security").get_data(as_text=True)
    assert "administratör, samordnare" in page
    response = client.post("/admin/security", data={"everyone": "1"}, follow_redirects=True)
    assert "Inställningen är sparad" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(AccountSetting, "two_factor.everyone").value == "1"
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "setting.two_factor"))
    assert entry.actor == admin and entry.after == {"everyone": True}
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "Ändrat krav på tvåstegsverifiering" in log and "Aktiverad tvåstegsverifiering" in log
    client.post("/logout")

    viewer = make_user("viewer")
    assert login(client, viewer).request.path == "/account/two-factor/enrol"
    client.post("/logout")
    login(client, admin)
    client.post("/login/code", data={"code": app_code(user_row(app, admin).totp_secret, 1)})
    client.post("/admin/security", data={"everyone": "0"})
    client.post("/logout")
    assert login(client, viewer).request.path == "/"


def test_someone_logged_in_must_enrol_at_their_next_page_once_everyone_must(
        app, client, make_user, roles_required):
    """The setting is read with the account on every request, never kept from an earlier
    one: a viewer already at work is sent to enrolment by their very next page."""
    viewer = make_user("viewer")
    at_work = app.test_client()
    login(at_work, viewer)
    assert at_work.get("/").status_code == 200
    assert at_work.get("/").status_code == 200  # the kept dashboard, shown again
    admin = make_user("admin")
    login(client, admin)
    enrol(app, client)
    client.post("/admin/security", data={"everyone": "1"})
    response = at_work.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/two-factor/enrol")


def test_only_administrators_change_who_must(client, as_role):
    as_role("coordinator")
    assert client.get("/admin/security").status_code == 403
    assert client.post("/admin/security", data={"everyone": "1"}).status_code == 403


def test_an_unknown_choice_is_refused_at_the_field(app, client, make_user):
    login(client, make_user("admin"))
    response = client.post("/admin/security", data={"everyone": "2"})
    assert response.status_code == 422


def test_an_administrator_resets_someones_two_factors(app, client, make_user, security_log):
    """Can an administrator, after confirming, turn off the two factors of someone who lost
    the phone, with an e-mail to them and an entry in the audit log?"""
    viewer = make_user("viewer")
    login(client, viewer)
    enrol(app, client)
    client.post("/logout")
    admin = make_user("admin")
    login(client, admin)
    users_page = client.get("/admin/users").get_data(as_text=True)
    user_id = user_row(app, viewer).id
    assert f"/admin/users/{user_id}/two-factor" in users_page
    page = client.get(f"/admin/users/{user_id}/two-factor").get_data(as_text=True)
    assert "Återställa tvåstegsverifieringen för " + viewer in page
    response = client.post(f"/admin/users/{user_id}/two-factor", follow_redirects=True)
    assert "är återställd" in response.get_data(as_text=True)
    assert not user_row(app, viewer).has_two_factor
    with app.app_context():
        (mail,) = outbox_for(viewer)
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "user.two_factor_reset"))
    assert "återställt tvåstegsverifieringen" in mail.body and admin in mail.body
    assert entry.actor == admin and entry.entity_id == user_id
    (event,) = security_log("twofactor.reset")
    assert event["user"] == viewer and event["by"] == admin
    client.post("/logout")
    assert password_step(client, viewer).location.endswith("/")


def test_an_administrator_cannot_reset_their_own(app, client, make_user):
    admin = make_user("admin")
    login(client, admin)
    enrol(app, client)
    user_id = user_row(app, admin).id
    page = client.get(f"/admin/users/{user_id}/two-factor").get_data(as_text=True)
    assert "Du kan inte återställa din egen" in page
    client.post(f"/admin/users/{user_id}/two-factor", follow_redirects=True)
    assert user_row(app, admin).has_two_factor


def test_only_administrators_reset(app, client, make_user, as_role):
    viewer = make_user("viewer")
    as_role("coordinator")
    user_id = user_row(app, viewer).id
    assert client.get(f"/admin/users/{user_id}/two-factor").status_code == 403
    assert client.post(f"/admin/users/{user_id}/two-factor").status_code == 403
    assert client.get("/admin/users/999999/two-factor").status_code == 403


def test_resetting_an_unknown_account_is_not_found(client, make_user):
    login(client, make_user("admin"))
    assert client.get("/admin/users/999999/two-factor").status_code == 404
