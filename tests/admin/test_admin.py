"""Administration: earmarks, accounts and the audit log."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.accounts.models import AccountAction, User
from app.core.audit import Actor, AuditAction, record
from app.core.models import AuditEntry
from app.extensions import db
from app.ledger.models import Earmark
from tests.conftest import PASSWORD, login
from tests.ledger.factories import user_id
from tests.support import queries_of_page


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def flashes(client) -> list[str]:
    """Return and clear the messages waiting for the next page."""
    with client.session_transaction() as session:
        return [m.replace("\u00a0", " ") for _c, m in session.pop("_flashes", [])]


# --- earmarks ------------------------------------------------------------------------------

def test_the_earmarks_are_listed(as_role):
    page = text(as_role("admin").get("/admin/earmarks"))
    assert "<caption>Fonder</caption>" in page
    assert "Suicidpreventiva medel" in page
    assert "Förs över till nästa år" in page


def test_an_administrator_adds_an_earmark(app, as_role):
    client = as_role("admin")
    response = client.post("/admin/earmarks", data={
        "code": "ungdomsmottagning", "name": "Ungdomsmottagningen",
        "description": "Rapporteras av mottagningarna", "remainder_rule": "pay_back",
    })
    assert response.status_code == 302
    assert flashes(client) == ["Fonden Ungdomsmottagningen (ungdomsmottagning) är tillagd."]
    page = text(client.get("/admin/earmarks"))
    assert "Ungdomsmottagningen" in page and "Betalas tillbaka till staten" in page
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "earmark.create"))
        assert entry.actor.startswith("admin-")


@pytest.mark.parametrize("data, message", [
    ({"code": "samverkan", "name": "Igen"}, "Fonden &#39;samverkan&#39; finns redan."),
    ({"code": "Stora Bokstäver", "name": "X"}, "Koden ska vara 2–40 tecken"),
    ({"code": "ny", "name": ""}, "Ange fondens namn"),
])
def test_a_bad_earmark_is_refused_with_a_message_at_the_field(app, as_role, data, message):
    response = as_role("admin").post("/admin/earmarks",
                                      data={"remainder_rule": "carry_over", **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Earmark).where(Earmark.name == "Igen")) is None


# --- accounts ------------------------------------------------------------------------------

def test_an_administrator_creates_an_account_that_can_log_in(app, as_role):
    client = as_role("admin")
    response = client.post("/admin/users", data={
        "email": "Ny.Person@Example.se", "name": "Ny Person", "role": "coordinator",
        "password": "ett-nytt-losenord", "confirm": "ett-nytt-losenord",
    })
    assert response.status_code == 302
    assert flashes(client) == ["Kontot ny.person@example.se är skapat med rollen Samordnare."]
    page = text(client.get("/admin/users"))
    assert "ny.person@example.se" in page and "Samordnare" in page
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(
            User.email == "ny.person@example.se"))
    assert "ett-nytt-losenord" not in stored
    other = app.test_client()
    assert other.post("/login", data={"email": "ny.person@example.se",
                                      "password": "ett-nytt-losenord"}).status_code == 302


@pytest.mark.parametrize("changes, message", [
    ({"confirm": "ett-annat-losenord"}, "Lösenorden är inte lika"),
    ({"password": "kort", "confirm": "kort"}, "Lösenordet måste ha minst 10 tecken"),
    ({"role": "superuser"}, "Not a valid choice"),
])
def test_a_bad_account_is_refused(as_role, changes, message):
    data = {"email": "a@example.se", "role": "viewer", "password": "ett-nytt-losenord",
            "confirm": "ett-nytt-losenord", **changes}
    response = as_role("admin").post("/admin/users", data=data)
    assert response.status_code == 422


def test_an_account_that_exists_is_refused(as_role, make_user):
    email = make_user("viewer")
    response = as_role("admin").post("/admin/users", data={
        "email": email, "role": "viewer", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 422
    assert f"Det finns redan ett konto för {email}." in text(response)


def test_deactivating_asks_first_then_locks_the_account_out(app, as_role, make_user):
    """Is deactivation confirmed, audited, and does it stop the person logging in?"""
    victim = make_user("coordinator")
    victim_id = user_id(app, victim)
    client = as_role("admin")
    page = text(client.get(f"/admin/users/{victim_id}/active"))
    assert f"Inaktivera kontot {victim}?" in page
    assert 'name="active" type="hidden" value="0"' in page
    response = client.post(f"/admin/users/{victim_id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert flashes(client) == [f"Kontot {victim} är inaktiverat."]
    with app.app_context():
        assert db.session.get(User, victim_id).active is False
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivate"))
        assert entry.before == {"active": True} and entry.after == {"active": False}
    assert app.test_client().post("/login", data={"email": victim, "password": PASSWORD}) \
        .status_code == 200
    client.post(f"/admin/users/{victim_id}/active", data={"active": "1"})
    assert flashes(client) == [f"Kontot {victim} kan logga in igen."]
    assert app.test_client().post("/login", data={"email": victim, "password": PASSWORD}) \
        .status_code == 302


def test_posting_the_same_state_twice_changes_nothing(app, as_role, make_user):
    victim_id = user_id(app, make_user("viewer"))
    client = as_role("admin")
    client.post(f"/admin/users/{victim_id}/active", data={"active": "0"})
    client.post(f"/admin/users/{victim_id}/active", data={"active": "0"})
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "user.deactivate")).all()
        assert len(entries) == 1
        assert db.session.get(User, victim_id).active is False


def test_an_administrator_cannot_deactivate_themself(app, client, make_user):
    email = make_user("admin")
    login(client, email)
    own = user_id(app, email)
    assert "Du kan inte inaktivera ditt eget konto." in text(client.get(f"/admin/users/{own}/active"))
    client.post(f"/admin/users/{own}/active", data={"active": "0"})
    assert flashes(client) == ["Du kan inte inaktivera ditt eget konto."]
    with app.app_context():
        assert db.session.get(User, own).active is True


def test_an_unknown_account_is_404(as_role):
    assert as_role("admin").get("/admin/users/999999/active").status_code == 404


def test_a_bad_active_value_is_400(app, as_role, make_user):
    victim_id = user_id(app, make_user("viewer"))
    assert as_role("admin").post(f"/admin/users/{victim_id}/active",
                                 data={"active": "maybe"}).status_code == 400


# --- the audit log -------------------------------------------------------------------------

def add_entries(app, n: int, **fields) -> None:
    with app.app_context():
        for i in range(n):
            record(Actor(label=f"person{i}@example.se"),
                   AuditAction.registry()[fields.get("action", "line.update")],
                   "line", i, year=fields.get("year", 2020), summary=f"Ändring nummer {i}",
                   before=fields.get("before"), after=fields.get("after"))
            db.session.flush()
        db.session.commit()


def test_the_log_shows_fifty_entries_a_page_newest_first(app, as_role):
    add_entries(app, 60)
    client = as_role("coordinator")
    # 61 entries: the sixty, then the creation of the coordinator's account (newest).
    first = text(client.get("/admin/audit"))
    assert first.count("<time datetime=") == 50
    assert first.index("Skapade kontot coordinator-") < first.index("Ändring nummer 59<")
    assert first.index("Ändring nummer 59<") < first.index("Ändring nummer 11<")
    assert "Ändring nummer 10<" not in first
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "Nyare ändringar" not in first
    second = text(client.get(older))
    assert "Ändring nummer 10<" in second and "Ändring nummer 0<" in second
    assert second.count("<time datetime=") == 11
    assert "Äldre ändringar" not in second
    newer = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    back = text(client.get(newer))
    assert back.count("<time datetime=") == 50 and "Ändring nummer 11<" in back
    assert "Ändring nummer 10<" not in back


def test_the_log_pages_keep_the_filter_and_survive_a_bad_cursor(app, as_role):
    """Does the next page of a filtered log stay filtered, and does a cursor that points
    nowhere show an empty page with a way back instead of an error?"""
    add_entries(app, 55, year=2021, action="line.update")
    add_entries(app, 3, year=2020, action="line.update")
    client = as_role("admin")
    first = text(client.get("/admin/audit?year=2021"))
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "year=2021" in older
    second = text(client.get(older))
    assert second.count("<time datetime=") == 5
    for bad in ("after=999999", "before=999999", "after=abc", "after=-1"):
        response = client.get(f"/admin/audit?{bad}")
        assert response.status_code == 200, bad


def test_the_log_takes_the_same_queries_at_2_and_80_entries(app, as_role):
    """Does a page of the log cost the same number of queries whatever the log's length, on
    the first page and a later one?"""
    client = as_role("admin")
    add_entries(app, 2)
    small = [queries_of_page(app, client, "/admin/audit"),
             queries_of_page(app, client, "/admin/audit?after=2&year=2020")]
    add_entries(app, 78)
    large = [queries_of_page(app, client, "/admin/audit"),
             queries_of_page(app, client, "/admin/audit?after=60&year=2020")]
    assert small == large


def test_the_log_filters_by_year_and_action(app, as_role):
    add_entries(app, 2, year=2020, action="user.deactivate")
    add_entries(app, 3, year=2021, action="line.update")
    client = as_role("admin")
    page = text(client.get("/admin/audit?year=2021"))
    assert page.count("<time datetime=") == 3
    page = text(client.get("/admin/audit?action=user.deactivate"))
    assert page.count("<time datetime=") == 2
    assert "<strong>Inaktiverat konto</strong>" in page
    assert '<option selected value="user.deactivate">Inaktiverat konto</option>' in page
    page = text(client.get("/admin/audit?year=2020&action=line.update"))
    assert "Inga ändringar att visa." in page
    assert '<option selected value="2020">2020</option>' in page


def test_every_action_is_named_through_the_registry(app, as_role):
    """Does the log name each action of accounts, and fall back to the code of an unknown one?"""
    with app.app_context():  # an entry written by an older version, under a retired code
        db.session.add(AuditEntry(actor="gammal@example.se", action="no.such_action",
                                  entity="line", entity_id=1, year=2020))
        db.session.commit()
    with app.app_context():
        codes = {action.value for action in AuditAction.registry().values()}
    assert {action.value for action in AccountAction} <= codes
    client = as_role("admin")  # records user.create
    client.post("/admin/users", data={"email": "ny@example.se", "role": "viewer",
                                      "password": PASSWORD, "confirm": PASSWORD})
    page = text(client.get("/admin/audit"))
    assert "<strong>Nytt konto</strong>" in page and "user.create" not in page.split("<tbody>")[1]
    assert "<strong>no.such_action</strong>" in page
    # A role is named, not coded, among the values, and so are the keys.
    assert "<dt>Roll</dt>\n      <dd>Läsare</dd>" in page
    assert "<dt>Organisation</dt>" in page


def test_the_log_in_english_names_actions_and_roles_in_english(app, as_role):
    client = as_role("admin")
    client.post("/lang", data={"lang": "en", "next": "/admin/audit"})
    page = text(client.get("/admin/audit"))
    assert "<strong>New account</strong>" in page and "Nytt konto" not in page
    assert "<dd>Administrator</dd>" in page


def test_the_download_names_actions_and_values(app, as_role):
    client = as_role("admin")
    response = client.get("/admin/audit?format=csv")
    assert response.status_code == 200
    rows = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert rows[0].startswith("När;Vem;Vad;År;Sammanfattning;Före;Efter")
    assert ";Nytt konto;" in rows[1]
    assert "Roll: Administratör" in rows[1]


def test_the_time_is_shown_in_swedish_local_time(app, as_role):
    with app.app_context():
        for moment in (datetime(2021, 1, 15, 12, 0, tzinfo=UTC),
                       datetime(2021, 7, 1, 12, 0, tzinfo=UTC)):
            entry = record(Actor(label="x@example.se"), AuditAction.registry()["line.update"],
                           "line", 1, year=2021)
            entry.at = moment
        db.session.commit()
    page = text(as_role("coordinator").get("/admin/audit?year=2021"))
    assert "2021-01-15 13:00" in page  # winter: UTC+1
    assert "2021-07-01 14:00" in page  # summer: UTC+2


def test_amounts_before_and_after_are_written_the_swedish_way(app, as_role):
    add_entries(app, 1, before={"activity": "Suicid Zero", "budget": 129000000, "spent": None},
                after={"activity": "Suicid Zero", "budget": 130000000, "spent": 850050})
    add_entries(app, 1, action="year.close", after={"carry_over": {"samverkan": 7215100}})
    page = text(as_role("coordinator").get("/admin/audit"))
    assert "1 290 000 kr" in page and "1 300 000 kr" in page and "8 500,50 kr" in page
    assert "samverkan</dt>" in page and "72 151 kr" in page


def test_imports_record_kronor_and_are_shown_as_kronor(as_role, imported_2020):
    page = text(as_role("coordinator").get("/admin/audit?action=allocation.import"))
    assert "6 203 183 kr" in page  # received, recorded in the exchange format's kronor
    assert "Visa värden" in page  # a whole allocation is folded away


def test_activity_names_in_the_log_are_escaped(app, as_role):
    add_entries(app, 1, after={"activity": "<img src=x onerror=alert(1)>"})
    page = as_role("coordinator").get("/admin/audit").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
