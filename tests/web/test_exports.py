"""Downloads of the coordinators' lists: the page's columns, Swedish headings (English when the
reader chose English), money as numbers, and only for the staff."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.accounts.users import create_user
from app.call import decisions
from app.call.models import Review
from app.call.rules import ApplicationState
from app.core.audit import Actor
from app.extensions import db
from app.ledger.models import Allocation, Earmark, PaymentKind
from tests.call.factories import (
    make_applicant,
    make_application,
    make_call,
    make_organisation,
    make_pool,
)
from tests.conftest import PASSWORD, login
from tests.followup.factories import grant, grant_by_title, import_year, pay, pool_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    text = response.data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def choose(client, lang: str) -> None:
    assert client.post("/lang", data={"lang": lang, "next": "/"}).status_code == 302


def allocation_id(app, code: str, year: int = 2020) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Allocation.id).join(Allocation.earmark)
            .where(Earmark.code == code, Allocation.year == year))


# --- the dashboard's list of allocations ---------------------------------------------------

OVERVIEW_HEADINGS = ["År", "Fond", "Erhållet", "Överfört in", "Täckt av annan fond",
                     "Budgeterat", "Använt", "Resultat", "Överfört till nästa år", "Stängt",
                     "Mottagare"]


def test_the_overview_downloads_as_excel(as_role, imported_2020):
    rows = read_xlsx(as_role("viewer").get("/?format=xlsx"))
    assert rows[0] == OVERVIEW_HEADINGS
    by_fund = {row[1]: row for row in rows[1:]}
    assert set(by_fund) == {"Brukarmiljonen", "Samverkansmedel", "Suicidpreventiva medel"}
    samverkan = by_fund["Samverkansmedel"]
    assert samverkan[0] == 2020
    # Money is a number Excel can sum, in kronor; a missing figure is an empty cell.
    assert samverkan[2] == 6203183 and samverkan[6] == 6131032 and samverkan[7] == 72151
    assert samverkan[5] is None
    assert samverkan[9] == "nej"
    assert by_fund["Brukarmiljonen"][4] == 8436  # covered by another fund


def test_the_overview_downloads_as_csv(as_role, imported_2020):
    rows = read_csv(as_role("viewer").get("/?format=csv"))
    assert rows[0] == OVERVIEW_HEADINGS
    samverkan = next(row for row in rows if row[1] == "Samverkansmedel")
    assert samverkan[:3] == ["2020", "Samverkansmedel", "6203183"]
    assert samverkan[6] == "6131032"


def test_the_overview_download_in_english(as_role, imported_2020):
    client = as_role("viewer")
    choose(client, "en")
    rows = read_xlsx(client.get("/?format=xlsx"))
    assert rows[0][1:4] == ["Fund", "Received", "Brought forward"]
    assert "Erhållet" not in rows[0]


def test_an_unknown_format_is_not_found(as_role, imported_2020):
    assert as_role("viewer").get("/?format=pdf").status_code == 404


def test_the_page_links_to_its_downloads(as_role, imported_2020):
    page = as_role("viewer").get("/").get_data(as_text=True)
    assert "Ladda ner:" in page
    assert 'href="/?format=xlsx"' in page and 'href="/?format=csv"' in page


# --- an allocation's lines and grants ------------------------------------------------------

LINE_HEADINGS = ["Målområde", "Aktivitet", "Typ", "Budget", "Utfall"]
GRANT_HEADINGS = ["Projekt", "Projektägare", "Partner", "Målområden", "Beviljat", "Utbetalt",
                  "Använt", "Återbetalt", "Status"]


def test_the_lines_of_an_allocation_download(app, as_role, imported_2020):
    client = as_role("viewer")
    url = f"/allocations/{allocation_id(app, 'samverkan')}/lines"
    rows = read_xlsx(client.get(url + "?format=xlsx"))
    assert rows[0] == LINE_HEADINGS
    call = next(row for row in rows if row[2] == "Utlysning")
    assert call[0] == "Projektutlysning"
    assert sum(row[4] or 0 for row in rows[1:]) == 6131032  # the page's TOTALT
    csv_rows = read_csv(client.get(url + "?format=csv"))
    assert csv_rows[0] == LINE_HEADINGS
    assert len(csv_rows) == len(rows)
    page = client.get(f"/allocations/{allocation_id(app, 'samverkan')}").get_data(as_text=True)
    assert f'href="{url}?format=xlsx"' in page and f'href="{url}?format=csv"' in page


def test_the_grants_of_an_allocation_download(app, as_role, imported_2020):
    client = as_role("viewer")
    url = f"/allocations/{allocation_id(app, 'samverkan')}/grants"
    rows = read_xlsx(client.get(url + "?format=xlsx"))
    assert rows[0] == GRANT_HEADINGS
    assert len(rows) == 9  # the eight projects of seed 003
    assert sum(row[4] for row in rows[1:]) == 4844860
    assert all(row[1] for row in rows[1:])
    first = next(row for row in rows if row[0].startswith("Minska elevers"))
    assert first[1:3] == ["Härjedalens kommun",
                          "socialförvaltningen, barn- och utbildningsförvaltningen"]
    merkraft = next(row for row in rows if row[0] == "Merkraft")
    assert merkraft[1] == "Medborgarskolan"
    assert merkraft[3] == "Förbättra omhändertagandet av personer med lindrig psykisk ohälsa"
    assert read_csv(client.get(url + "?format=csv"))[0] == GRANT_HEADINGS
    page = client.get(f"/allocations/{allocation_id(app, 'samverkan')}").get_data(as_text=True)
    assert f'href="{url}?format=xlsx"' in page


def test_the_grants_download_shows_the_payments(app, as_role):
    """Are paid and returned the attested payments, and used the approved report's figure?"""
    with app.app_context():
        import_year(pool_year(2022, grants=(grant("Unga i fokus", 300_000),
                                            grant("Äldre i rörelse", 200_000))))
        pay(grant_by_title("Unga i fokus"), 120_000)
        pay(grant_by_title("Unga i fokus"), 20_000, kind=PaymentKind.REFUND, reference="VER-2")
        db.session.commit()
        db.session.remove()
    client = as_role("coordinator")
    rows = read_xlsx(client.get(
        f"/allocations/{allocation_id(app, 'samverkan', 2022)}/grants?format=xlsx"))
    unga = next(row for row in rows if row[0] == "Unga i fokus")
    assert unga[4:8] == [300000, 100000, None, 20000]
    aldre = next(row for row in rows if row[0] == "Äldre i rörelse")
    assert aldre[5] == 0


# --- a call's applications -----------------------------------------------------------------

APPLICATION_HEADINGS = ["Organisation", "Projekt", "Status", "Sökt", "Föreslaget", "Beviljat",
                        "Målområden", "Poäng"]


@pytest.fixture
def call_world(app):
    with app.app_context():
        call = make_call(make_pool(1_000_000))
        org = make_organisation("Krokoms kommun")
        other = make_organisation("Åre kommun")
        applicant = make_applicant(org)
        make_application(call, org, title="Alfaprojektet", amount_kr=150_000)
        decided = make_application(call, other, title="Betaprojektet", amount_kr=300_000,
                                   state=ApplicationState.UNDER_REVIEW)
        reviewer = create_user("granskare@example.se", PASSWORD, "coordinator",
                               Actor(label="fixture"))
        db.session.flush()
        db.session.add(Review(application_id=decided.id, reviewer_id=reviewer.id,
                              scores={"Samverkan": 4, "Hållbarhet": 3}))
        decisions.decide(decided.id, "partly_granted", 200_000 * 100, "Rapportera", "", "SVOM",
                         date(2022, 6, 10), "§1", "RUN 290 2022", Actor(label="fixture"))
        ids = {"call": call.id, "other": other.id, "applicant": applicant}
        make_application(call, org, title="Utkastet", state=ApplicationState.DRAFT)
        db.session.commit()
        db.session.remove()
    return ids


def test_the_applications_of_a_call_download(as_role, call_world):
    client = as_role("viewer")
    url = f"/calls/{call_world['call']}"
    rows = read_xlsx(client.get(url + "?format=xlsx"))
    assert rows[0] == APPLICATION_HEADINGS
    by_title = {row[1]: row for row in rows[1:]}
    assert set(by_title) == {"Alfaprojektet", "Betaprojektet"}  # never the draft
    beta = by_title["Betaprojektet"]
    assert beta[0] == "Åre kommun"
    assert beta[3] == 300000 and beta[5] == 200000
    assert beta[6] == "Stärka barn och ungas psykiska hälsa"
    assert beta[7] == 3.5
    alfa = by_title["Alfaprojektet"]
    assert alfa[2] == "Inskickad" and alfa[3] == 150000 and alfa[5] is None and alfa[7] is None
    csv_rows = read_csv(client.get(url + "?format=csv"))
    assert csv_rows[0] == APPLICATION_HEADINGS
    page = client.get(url).get_data(as_text=True)
    assert f'href="{url}?format=xlsx"' in page
    assert "3,5" in page  # the score is shown on the page too


def test_the_applications_download_follows_the_filters(as_role, call_world):
    client = as_role("viewer")
    url = f"/calls/{call_world['call']}?organisation={call_world['other']}"
    rows = read_csv(client.get(url + "&format=csv"))
    assert [row[1] for row in rows[1:]] == ["Betaprojektet"]
    page = client.get(url).get_data(as_text=True)
    assert f"organisation={call_world['other']}" in page.split("Ladda ner:")[1].split("</p>")[0]


# --- the audit log -------------------------------------------------------------------------

def test_the_audit_log_downloads(as_role, imported_2020):
    client = as_role("coordinator")
    rows = read_xlsx(client.get("/admin/audit?format=xlsx"))
    assert rows[0] == ["När", "Vem", "Vad", "År", "Sammanfattning", "Före", "Efter"]
    assert len(rows) >= 4
    assert any(row[1] == "fixture" and row[3] == 2020 for row in rows[1:])
    assert read_csv(client.get("/admin/audit?format=csv&year=2020"))[0][0] == "När"
    assert 'href="/admin/audit?format=xlsx"' in client.get("/admin/audit").get_data(as_text=True)


def test_a_viewer_may_not_download_the_audit_log(as_role, imported_2020):
    assert as_role("viewer").get("/admin/audit?format=csv").status_code == 403


# --- who may download ----------------------------------------------------------------------

def export_urls(app) -> list[str]:
    samverkan = allocation_id(app, "samverkan")
    return ["/?format=xlsx", "/?format=csv", f"/allocations/{samverkan}/lines?format=csv",
            f"/allocations/{samverkan}/grants?format=xlsx", "/admin/audit?format=csv"]


def test_anonymous_downloads_go_to_the_login(app, client, imported_2020):
    for url in export_urls(app):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url


def test_an_applicant_downloads_nothing(app, client, imported_2020, call_world):
    assert login(client, call_world["applicant"]).status_code == 200
    for url in export_urls(app) + [f"/calls/{call_world['call']}?format=xlsx"]:
        assert client.get(url).status_code in (403, 404), url


def test_anonymous_call_download_goes_to_the_login(client, call_world):
    response = client.get(f"/calls/{call_world['call']}?format=csv")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_grants_download_takes_a_fixed_number_of_queries(app, as_role, imported_2020):
    from tests.support import queries_of_page as count_queries

    client = as_role("viewer")
    few = count_queries(app, client,
                        f"/allocations/{allocation_id(app, 'samverkan')}/grants?format=xlsx")
    with app.app_context():
        import_year(pool_year(2022, grants=tuple(
            grant(f"Projekt {i}", 10_000, goal_areas=("Barn", "Äldre")) for i in range(30))))
        for i in range(30):
            pay(grant_by_title(f"Projekt {i}"), 5_000, reference=f"V-{i}")
        db.session.commit()
        db.session.remove()
    url = f"/allocations/{allocation_id(app, 'samverkan', 2022)}/grants?format=xlsx"
    assert count_queries(app, client, url) == few
    assert len(read_xlsx(client.get(url))) == 31


# --- the calls, their decisions and the organisations ----------------------------------------

def test_the_calls_their_decisions_and_the_organisations_download(app, as_role, call_world):
    client = as_role("coordinator")
    rows = read_xlsx(client.get("/calls/?format=xlsx"))
    assert rows[0] == ["Utlysning", "Pott", "Öppnar", "Stänger", "Status", "Pottens storlek"]
    assert len(rows) == 2 and rows[1][5] == 1000000
    assert 'href="/calls/?format=csv"' in client.get("/calls/").get_data(as_text=True)

    url = f"/calls/{call_world['call']}/decisions"
    rows = read_xlsx(client.get(url + "?format=xlsx"))
    assert rows[0][:3] == ["Nr", "Datum", "Organ"] and rows[0][-1] == "Belopp"
    assert rows[1][0] == 1 and rows[1][4] == "RUN/290/2022" and rows[1][-1] == 200000
    assert read_csv(client.get(url + "?format=csv"))[1][-1] == "200000"
    assert f'href="{url}?format=xlsx"' in client.get(url).get_data(as_text=True)

    rows = read_csv(client.get("/calls/organisations?format=csv"))
    assert rows[0] == ["Namn", "Slag", "Organisationsnummer", "Konton", "Ansökningar"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Krokoms kommun"][3:] == ["1", "2"]
