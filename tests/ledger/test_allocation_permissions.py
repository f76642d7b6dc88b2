"""Who may read the allocation page, change its lines and grants, close and reopen a year?"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.models import Allocation, Earmark, LineKind


@pytest.fixture
def urls(app, imported_2020):
    """Fill in the ids of samverkan 2020, its call line and its first grant."""
    with app.app_context():
        allocation = db.session.scalar(
            select(Allocation).join(Allocation.earmark)
            .where(Earmark.code == "samverkan", Allocation.year == 2020)
        )
        call = next(line for line in allocation.lines if line.kind is LineKind.CALL)
        ids = {"allocation": allocation.id, "line": call.id, "grant": call.grants[0].id}
    return lambda path: path.format(**ids)


@pytest.fixture
def signed_in(client, as_role):
    """Return the client, logged in with the role (None: not logged in)."""
    return lambda role: as_role(role) if role else client


def audit_entries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


PAGE = "/allocations/{allocation}"
FORMS = [
    "/allocations/{allocation}/lines/new",
    "/lines/{line}/edit",
    "/lines/{line}/delete",
    "/lines/{line}/grants/new",
    "/grants/{grant}/edit",
    "/grants/{grant}/delete",
    "/years/2020/close",
]
REOPEN = "/years/2020/reopen"


@pytest.mark.parametrize("role, status", [
    (None, 302),
    ("viewer", 200),
    ("coordinator", 200),
    ("admin", 200),
])
def test_who_reads_the_allocation_page(urls, signed_in, role, status):
    response = signed_in(role).get(urls(PAGE))
    assert response.status_code == status
    if role is None:
        assert response.location.startswith("/login")


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role, status", [(None, 302), ("viewer", 403)])
def test_who_may_not_use_the_forms(app, urls, signed_in, path, method, role, status):
    """Is every form closed to the anonymous (to the login) and to viewers (403), GET and POST?"""
    client = signed_in(role)
    before = audit_entries(app)
    response = client.open(urls(path), method=method, data={"activity": "x"})
    assert response.status_code == status
    if role is None:
        assert response.location.startswith("/login")
    assert audit_entries(app) == before


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_open_every_form(urls, signed_in, path, role):
    assert signed_in(role).get(urls(path)).status_code == 200


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role, status", [
    (None, 302),
    ("viewer", 403),
    ("coordinator", 403),
])
def test_only_admins_reopen_a_year(app, urls, signed_in, method, role, status):
    client = signed_in(role)
    before = audit_entries(app)
    assert client.open(REOPEN, method=method).status_code == status
    assert audit_entries(app) == before


def test_an_admin_opens_the_reopen_page(urls, signed_in):
    assert signed_in("admin").get(REOPEN).status_code == 200


@pytest.mark.parametrize("role, editable", [
    ("viewer", False),
    ("coordinator", True),
    ("admin", True),
])
def test_edit_buttons_only_for_those_who_may_edit(urls, signed_in, role, editable):
    page = signed_in(role).get(urls(PAGE)).get_data(as_text=True)
    for path in [*FORMS, "/allocations/{allocation}/lines/new"]:
        assert (f'href="{urls(path)}"' in page) is editable, path
    assert ("Lägg till rad" in page) is editable
    assert ("Lägg till beviljat projekt" in page) is editable
