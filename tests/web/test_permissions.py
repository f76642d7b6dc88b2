"""Who may do what: every page of the shell for every role, as a table."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.ledger.factories import user_id

ROLES = ["anonymous", "viewer", "coordinator", "admin"]
LOGIN = "login"  # expected: redirected to the login page

# (method, url, {role: expected status}); {user} is another account's id.
TABLE = [
    ("GET", "/", {"viewer": 200, "coordinator": 200, "admin": 200}),
    ("GET", "/reports/followup/samverkan/2020.csv", {"viewer": 200, "coordinator": 200,
                                                     "admin": 200}),
    ("GET", "/import", {"viewer": 403, "coordinator": 200, "admin": 200}),
    ("POST", "/import", {"viewer": 403, "coordinator": 422, "admin": 422}),
    ("GET", "/admin/audit", {"viewer": 403, "coordinator": 200, "admin": 200}),
    ("GET", "/admin/earmarks", {"viewer": 403, "coordinator": 403, "admin": 200}),
    ("POST", "/admin/earmarks", {"viewer": 403, "coordinator": 403, "admin": 422}),
    ("GET", "/admin/users", {"viewer": 403, "coordinator": 403, "admin": 200}),
    ("POST", "/admin/users", {"viewer": 403, "coordinator": 403, "admin": 422}),
    ("GET", "/admin/users/{user}/active", {"viewer": 403, "coordinator": 403, "admin": 200}),
    ("POST", "/admin/users/{user}/active", {"viewer": 403, "coordinator": 403, "admin": 302}),
    ("GET", "/admin/security", {"viewer": 403, "coordinator": 403, "admin": 200}),
    ("POST", "/admin/security", {"viewer": 403, "coordinator": 403, "admin": 302}),
    ("GET", "/admin/users/{user}/two-factor", {"viewer": 403, "coordinator": 403, "admin": 200}),
    ("POST", "/admin/users/{user}/two-factor", {"viewer": 403, "coordinator": 403,
                                                 "admin": 302}),
    ("GET", "/account/two-factor", {"viewer": 200, "coordinator": 200, "admin": 200}),
]
CASES = [
    pytest.param(method, url, role, expected.get(role, LOGIN), id=f"{role}-{method}-{url}")
    for method, url, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def client_as(app: Flask, as_role, client):
    def make(role: str):
        return client if role == "anonymous" else as_role(role)
    return make


@pytest.mark.parametrize("method, url, role, expected", CASES)
def test_access(app, client_as, make_user, imported_2020, method, url, role, expected):
    """Does each role get exactly the pages it should?"""
    other = user_id(app, make_user("viewer"))
    client = client_as(role)
    data = {"active": "0"} if url.endswith("/active") else {}
    response = client.open(url.format(user=other), method=method, data=data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == expected
    if expected == 403:
        assert "Ingen behörighet" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["anonymous", "viewer", "coordinator", "admin"])
@pytest.mark.parametrize("url", ["/logout", "/lang"])
def test_everyone_may_log_out_and_choose_a_language(client_as, role, url):
    response = client_as(role).post(url, data={"lang": "sv"})
    assert response.status_code == 302


def url_with_real_ids(app: Flask, rule) -> str:
    """Build a URL for a rule, filling its ids with rows of the 2020 data."""
    from sqlalchemy import select

    from app.extensions import db
    from app.ledger.models import Allocation, Grant, Line, LineKind

    with app.app_context():
        values = {
            "allocation_id": db.session.scalar(select(Allocation.id).limit(1)),
            "line_id": db.session.scalar(select(Line.id).where(Line.kind == LineKind.CALL)),
            "grant_id": db.session.scalar(select(Grant.id).limit(1)),
            "user_id": db.session.scalar(select(db.metadata.tables["user"].c.id).limit(1)),
            "year": 2020,
            # No calls or applications in the 2020 data: any id will do, the role is refused first.
            "call_id": 999_999, "app_id": 999_999, "att_id": 999_999,
            "application_id": 999_999, "token": "x", "target": "open",
            "report_id": 999_999, "payment_id": 999_999, "requisition_id": 999_999,
            "earmark": "samverkan", "area_id": 999_999,
        }
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def test_a_viewer_gets_403_on_every_post(app, as_role, imported_2020):
    """Is there any form, in the whole app, that a viewer can submit?"""
    client = as_role("viewer")
    open_to_all = {"auth.login", "auth.logout", "auth.set_language", "auth.register",
                   "auth.resend_confirmation", "auth.set_password",
                   # Everyone's own two-factor login: the code after the password, and
                   # enrolling, renewing the recovery codes or turning it off on one's own account.
                   "auth.login_code", "auth.two_factor_enrol", "auth.two_factor_renew",
                   "auth.two_factor_disable",
                   # One's own API tokens: making one and revoking one.
                   "auth.api_keys", "auth.revoke_api_key",
                   # A forgotten password asked for and chosen from its link, and one's own
                   # password and e-mail address changed.
                   "auth.forgot_password", "auth.reset_password", "auth.change_password",
                   "auth.change_email"}
    # The API takes a token, never the session: a viewer's token is refused there
    # (tests/api/test_roles.py), and a session alone gets 401 (tests/api/test_tokens.py).
    rules = [r for r in app.url_map.iter_rules()
             if "POST" in r.methods and r.endpoint not in open_to_all
             and not r.rule.startswith("/api/")]
    assert len(rules) >= 5
    refused = {r.endpoint: client.post(url_with_real_ids(app, r)).status_code for r in rules}
    # An application's own pages look for it first: one the viewer may not read (here none
    # exists) is not found, one sent in is theirs to read and not to change (403).
    not_found = {e for e in refused if e.startswith("applications.") and "app_id" in
                 next(r for r in rules if r.endpoint == e).arguments}
    assert refused == {endpoint: 404 if endpoint in not_found else 403 for endpoint in refused}
