"""A picture of the year on the dashboard: received, budgeted, granted, paid and used per fund,
the money per goal area of a chosen year, and the whole year as one workbook."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.ledger.models import PaymentKind
from tests.followup.factories import (
    final_report,
    grant,
    grant_by_title,
    import_year,
    pay,
    pool_year,
)
from tests.ledger.factories import allocation_id, import_text, year_document

BARN = "Stärka barn och ungas psykiska hälsa"
ALDRE = "Stärka äldres psykiska hälsa"


def text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True).replace("\u00a0", " ")


def table(page: str, table_id: str) -> dict[str, list[str]]:
    """Return the rows of a table by their heading: the cells' texts."""
    found = re.search(rf'<table [^>]*id="{table_id}".*?</table>', page, re.DOTALL)
    assert found, table_id
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", found.group(0), re.DOTALL):
        heading = re.search(r'<th scope="row">(.*?)</th>', row, re.DOTALL)
        if heading:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
            rows[re.sub(r"<[^>]+>", "", heading.group(1)).strip()] = [
                re.sub(r"<span class=\"ds-sr-only\">.*?</span>|<[^>]+>", "", c).strip()
                for c in cells]
    return rows


def test_the_picture_of_2020_shows_each_funds_money(as_role, imported_2020):
    """Does the chart's table say what seed 003 says: samverkan received 6 203 183, granted
    4 844 860, used 6 131 032?"""
    page = text(as_role("viewer").get("/"))
    values = table(page, "chart-2020-values")
    assert values["Samverkansmedel"] == ["6 203 183", "–", "4 844 860", "0", "6 131 032"]
    assert values["Brukarmiljonen"] == ["1 000 000", "–", "0", "0", "1 008 436"]
    assert values["Suicidpreventiva medel"] == ["2 500 000", "–", "0", "0", "2 391 072"]
    for heading in ("Erhållet", "Budgeterat", "Beviljat", "Utbetalt", "Använt"):
        assert f'<th scope="col" class="num">{heading}</th>' in page
    # The caption says which payments count as a fund's.
    assert "både till fondens egna projekt och till andra fonders projekt" in page
    svg = re.search(r'<svg [^>]*aria-labelledby="chart-2020-title.*?</svg>', page, re.DOTALL)
    assert "<title>Samverkansmedel: Beviljat 4 844 860 kr</title>" in svg.group(0)


def test_the_goal_areas_of_2020(as_role, imported_2020):
    page = text(as_role("viewer").get("/"))
    areas = table(page, "goal-areas-table")
    # The call line's outcome is its stated 4 844 860; its grants, counted in their own areas.
    assert areas["Projektutlysning"] == ["–", "4 844 860", "0"]
    assert areas[BARN] == ["–", "50 000", "3 677 360"]  # five projects and one activity
    assert areas["Regional samordning"] == ["–", "1 194 303", "0"]
    assert areas["Utan målområde"] == ["–", "1 016 872", "0"]
    # Every project has one area in 2020: the grants add up to what the call granted.
    assert sum(int(row[2].replace(" ", "")) for name, row in areas.items()
               if name != "Totalt") == 4844860
    assert areas["Totalt"][:2] == ["–", "9 530 540"]  # what all funds used
    assert "räknas i vart och ett av dem" in page
    assert 'aria-labelledby="goal-chart-title goal-chart-desc"' in page


@pytest.fixture
def paid_year(app):
    """2022: samverkan's call granted two projects; one is paid, refunded in part and closed,
    the other paid by the suicide prevention fund."""
    with app.app_context():
        import_year(
            pool_year(2022, grants=(grant("Unga i fokus", 300_000, goal_areas=(BARN,)),
                                    grant("Äldre och unga", 200_000, goal_areas=(BARN, ALDRE)))),
            pool_year(2022, earmark="suicidprevention"),
        )
        unga = grant_by_title("Unga i fokus")
        pay(unga, 120_000)
        pay(unga, 20_000, kind=PaymentKind.REFUND, reference="VER-2")
        final_report(unga, 100_000, 0)
        pay(grant_by_title("Äldre och unga"), 50_000,
            allocation_id=allocation_id("suicidprevention", 2022), reference="VER-3")
        db.session.commit()
        db.session.remove()


def test_the_picture_counts_payments_where_the_money_came_from(as_role, paid_year):
    page = text(as_role("viewer").get("/"))
    values = table(page, "chart-2022-values")
    # Samverkan: its own payments less the refund (120 000 − 20 000); used: its coordinator,
    # the closed project's 100 000 and the open project less what another fund paid.
    assert values["Samverkansmedel"] == ["1 000 000", "800 000", "500 000", "100 000",
                                         "450 000"]
    # The suicide prevention fund paid 50 000 for samverkan's project: its payment, its outcome.
    assert values["Suicidpreventiva medel"] == ["1 000 000", "800 000", "0", "50 000",
                                                "250 000"]


def test_the_goal_areas_count_a_project_in_each_of_its_areas(as_role, paid_year):
    page = text(as_role("viewer").get("/?year=2022"))
    areas = table(page, "goal-areas-table")
    assert areas["Regional samordning"] == ["–", "400 000", "0"]
    assert areas["Projektutlysning"] == ["1 600 000", "250 000", "0"]
    assert areas[BARN] == ["–", "–", "500 000"]
    assert areas[ALDRE] == ["–", "–", "200 000"]
    assert areas["Utbetalt för andra fonders projekt"] == ["–", "50 000", "–"]
    assert areas["Totalt"][:2] == ["1 600 000", "700 000"]  # the funds' outcomes together
    assert "1 projekt har flera målområden" in page


def test_a_year_is_chosen_for_the_goal_areas(app, as_role, imported_2020, paid_year):
    client = as_role("viewer")
    assert "Pengarna per målområde 2022" in text(client.get("/"))  # the newest by default
    page = text(client.get("/?year=2020"))
    assert "Pengarna per målområde 2020" in page
    assert "Pengarna per målområde 2022" not in page  # one year at a time
    assert 'aria-current="page" href="/?year=2020"' in page
    assert 'href="/?year=2022"' in page  # the other year is a link away
    assert "Pengarna per målområde 2022" in text(client.get("/?year=1999"))


def test_the_picture_takes_as_many_queries_with_payments(app, as_role, paid_year):
    from tests.support import queries_of_page as count_queries

    client = as_role("viewer")
    few = count_queries(app, client, "/")
    with app.app_context():
        for year in (2023, 2024):
            import_year(pool_year(year, grants=tuple(
                grant(f"Projekt {year}-{i}", 10_000, goal_areas=(BARN, ALDRE))
                for i in range(12))))
            for i in range(12):
                pay(grant_by_title(f"Projekt {year}-{i}"), 5_000, reference=f"V-{year}-{i}")
        db.session.commit()
        db.session.remove()
    import_text(app, year_document(2020))
    assert count_queries(app, client, "/") == few
    assert count_queries(app, client, "/?year=2023") == few


# --- the whole year as one workbook --------------------------------------------------------

def test_each_year_links_to_its_workbook(as_role, imported_2020):
    page = text(as_role("viewer").get("/"))
    assert 'href="/years/2020/workbook.xlsx"' in page
    assert "Hela året som Excel" in page


def test_the_workbook_is_for_the_staff(app, client, imported_2020):
    response = client.get("/years/2020/workbook.xlsx")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_year_downloads_as_one_workbook(as_role, imported_2020):
    from io import BytesIO

    from openpyxl import load_workbook

    response = as_role("viewer").get("/years/2020/workbook.xlsx")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert load_workbook(BytesIO(response.data)).sheetnames
    assert as_role("viewer").get("/years/1999/workbook.xlsx").status_code == 404


def test_the_workbook_is_in_the_readers_language(as_role, imported_2020, monkeypatch):
    """Is the workbook asked for in the language of the page (sv, or en when chosen)?"""
    from app.year_reports import downloads as reports

    asked = []

    def fake(year, lang):
        asked.append((year, lang))
        return b"PK fake"

    monkeypatch.setattr(reports, "render_year_workbook", fake)
    client = as_role("viewer")
    assert client.get("/years/2020/workbook.xlsx").status_code == 200
    assert client.post("/lang", data={"lang": "en", "next": "/"}).status_code == 302
    assert client.get("/years/2020/workbook.xlsx").status_code == 200
    assert asked == [(2020, "sv"), (2020, "en")]


# --- the geometry of the goal areas' chart -------------------------------------------------

def test_horizontal_bars_grow_from_the_zero_line():
    from app.web.charts import horizontal_bar_chart

    chart = horizontal_bar_chart(
        [("Ett målområde med ett mycket långt namn som bryts", {"budget": 400, "outcome": -100}),
         ("Kort", {"budget": 0, "outcome": 200})],
        ["budget", "outcome"],
    )
    first, negative, empty, second = chart.bars
    assert first.x == chart.zero and first.width > 0
    assert negative.x + negative.width == pytest.approx(chart.zero, abs=0.2)  # to the left
    assert empty.width == 0
    assert first.width == pytest.approx(2 * second.width, abs=0.2)
    assert len(chart.labels[0].lines) == 2 and chart.labels[1].lines == ["Kort"]
    assert chart.ticks[0].value < 0 < chart.ticks[-1].value
    assert chart.height > 2 * 2 * 12


def test_long_labels_wrap_on_at_most_three_lines():
    from app.web.charts import wrap_lines

    assert wrap_lines("Förbättra omhändertagandet av personer med lindrig psykisk ohälsa") == [
        "Förbättra omhändertagandet", "av personer med lindrig", "psykisk ohälsa"]
    assert wrap_lines("Kort") == ["Kort"]


def test_the_allocation_pages_lines_follow_the_payments(app, as_role, paid_year):
    """Do an allocation's lines show a call line's outcome as its grants charge it, and the
    money paid for another fund's project under them, so the lines add up to the total?"""
    client = as_role("viewer")
    with app.app_context():
        samverkan = allocation_id("samverkan", 2022)
        suicid = allocation_id("suicidprevention", 2022)
    page = text(client.get(f"/allocations/{samverkan}"))
    assert re.search(r"Projektutlysning.*?<td class=\"num\">800 000 kr</td>\s*"
                     r"<td class=\"num\">250 000 kr</td>", page, re.DOTALL)
    assert "Utbetalt för andra fonders projekt" not in page
    page = text(client.get(f"/allocations/{suicid}"))
    assert re.search(r"Utbetalt för andra fonders projekt</th>\s*<td></td>\s*"
                     r"<td class=\"num\">50 000 kr</td>", page)
