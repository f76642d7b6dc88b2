"""The overview: every year and fund, its figures, state, warnings, chart and report links."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests.ledger.factories import allocation, close, document, import_text, year_document
from tests.support import queries_of_page


def text(response) -> str:
    """Return the page with no-break spaces as plain ones, to compare with printed figures."""
    return response.get_data(as_text=True).replace("\u00a0", " ")


def test_an_empty_ledger_explains_how_to_import(as_role):
    """What does a coordinator see before any data exists?"""
    page = text(as_role("coordinator").get("/"))
    assert "Här finns inga siffror ännu" in page
    assert "flask funds import FIL.yaml" in page
    assert 'href="/import"' in page


def test_a_viewer_is_not_offered_the_import_page(as_role):
    page = text(as_role("viewer").get("/"))
    assert "Här finns inga siffror ännu" in page
    assert 'href="/import"' not in page


def test_the_2020_figures_and_totals(as_role, imported_2020):
    """Does the overview show seed 003's figures, with computed totals?"""
    page = text(as_role("viewer").get("/"))
    assert "<caption>Fonder 2020, belopp i kronor</caption>" in page
    for figure in ("1 000 000", "1 008 436", "6 203 183", "6 131 032", "72 151",
                   "2 500 000", "2 391 072", "108 928", "8 436"):
        assert f'<td class="num">{figure}</td>' in page
    assert '<td class="num">9 703 183</td>' in page  # received in all
    assert '<td class="num">9 530 540</td>' in page  # used in all
    assert '<td class="num">181 079</td>' in page  # result in all
    assert "Öppet" in page
    # No line has a budget: the column says so instead of showing 0.
    table = re.search(r'<table [^>]*id="table-2020".*?</table>', page, re.DOTALL).group(0)
    assert table.count('<span class="ds-sr-only">inga belopp</span>') == 4


def test_money_cells_are_right_aligned_and_the_table_has_headers(as_role, imported_2020):
    page = text(as_role("viewer").get("/"))
    assert '<th scope="col" class="num">Erhållet</th>' in page
    assert '<th scope="row">Summa 2020</th>' in page
    assert "<tfoot>" in page


def test_a_closed_year_shows_who_closed_it_and_the_carry_over(app, as_role, imported_2020):
    close(app, 2020)
    page = text(as_role("viewer").get("/"))
    assert "Stängt" in page
    assert "av fixture" in page
    assert '<td class="num">72 151</td>' in page
    # The total carried over is known once the year is closed.
    assert '<td class="num">181 079</td>' in page


def test_money_carried_into_a_year_without_allocation_is_a_warning(app, as_role, imported_2020):
    """Is a carry-over into a year nobody has imported yet visible?"""
    close(app, 2020)
    client = as_role("coordinator")
    # 2020 is shown (the only year with allocations); 2021 is a link away, with its warnings.
    assert 'href="/?year=2021"' in text(client.get("/"))
    page = text(client.get("/?year=2021"))
    assert ("72 151 kr förs över från Samverkansmedel 2020 till 2021, men Samverkansmedel "
            "har ingen tilldelning för 2021 ännu") in page
    assert ("108 928 kr förs över från Suicidpreventiva medel 2020 till 2021, men Suicidpreventiva "
            "medel har ingen tilldelning för 2021 ännu") in page
    # Brukarmiljonen carried nothing: no warning about it.
    assert "från Brukarmiljonen 2020" not in page
    assert 'id="year-2021"' in page


def test_carried_in_money_outside_every_budget_line_is_a_warning(app, as_role, imported_2020):
    """Seed 003's 2021 budget ignored the 108 928 kr carried over: is that visible?"""
    close(app, 2020)
    import_text(app, document(allocation(
        "suicidprevention", 2021, 2500000,
        {"activity": "Regionintern samordning", "budget": 1200000},
        {"activity": "Suicid Zero", "budget": 1300000},
    )))
    page = text(as_role("coordinator").get("/"))
    assert ("108 928 kr överfört från 2020 till Suicidpreventiva medel 2021 finns inte i någon "
            "budgetrad") in page


def test_an_uncovered_deficit_is_a_warning(app, as_role):
    import_text(app, document(allocation(
        "brukarmiljonen", 2020, 1000000,
        {"activity": "JLB inkl. medlemsorganisationer - föreningsbidrag", "spent": 1008436},
    )))
    page = text(as_role("coordinator").get("/"))
    assert "Brukarmiljonen 2020 har ett underskott på −8 436 kr som ingen överföring täcker" in page
    assert '<td class="num negative">−8 436</td>' in page


def test_call_money_not_granted_is_a_warning(app, as_role):
    import_text(app, document(allocation(
        "samverkan", 2021, 1000000,
        {"activity": "Projektutlysning 2021", "kind": "call", "budget": 500000, "grants": [
            {"title": "Ett projekt", "owner": "Krokoms kommun", "goal_areas": ["Barn"],
             "amount": 488000},
        ]},
    )))
    page = text(as_role("coordinator").get("/"))
    assert ("Utlysningen ”Projektutlysning 2021” i Samverkansmedel 2021 har 12 000 kr som inte "
            "är fördelade") in page


def test_a_stated_total_that_differs_from_the_lines_is_a_warning(app, as_role):
    import_text(app, document(allocation(
        "suicidprevention", 2020, 2500000,
        {"activity": "Suicid Zero", "spent": 1290000},
        stated_total=1300000,
    )))
    page = text(as_role("coordinator").get("/"))
    assert ("Underlagets total för Suicidpreventiva medel 2020 (1 300 000 kr) skiljer sig från "
            "radernas summa (1 290 000 kr)") in page


def test_imported_html_is_shown_as_text(app, as_role):
    """Can a file smuggle a script into the page through an activity's name?"""
    import_text(app, document(allocation(
        "samverkan", 2021, 1000000,
        {"activity": "<script>alert('x')</script>", "kind": "call", "budget": 1000},
    )))
    page = as_role("coordinator").get("/").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_close_and_reopen_links_follow_the_role(app, as_role, make_user, imported_2020):
    """Who is offered to close a year, and who to reopen it?"""
    viewer = text(as_role("viewer").get("/"))
    assert "/years/2020/close" not in viewer
    coordinator_client = app.test_client()
    from tests.conftest import login

    login(coordinator_client, make_user("coordinator"))
    assert 'href="/years/2020/close"' in text(coordinator_client.get("/"))
    close(app, 2020)
    assert "/years/2020/reopen" not in text(coordinator_client.get("/"))
    admin = app.test_client()
    login(admin, make_user("admin"))
    assert 'href="/years/2020/reopen"' in text(admin.get("/"))


def test_funds_link_to_their_allocation_page(as_role, imported_2020):
    page = text(as_role("viewer").get("/"))
    assert len(re.findall(r'<a class="ds-link" href="/allocations/\d+">', page)) == 3


def test_each_fund_year_links_to_its_reports(as_role, imported_2020, monkeypatch):
    from app.year_reports import downloads as reports

    monkeypatch.setattr(reports, "REPORT_MIMETYPES", {"pdf": "application/pdf", "csv": "text/csv",
                        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
                        raising=False)
    page = text(as_role("viewer").get("/"))
    for kind in ("followup", "budget"):
        for fmt in ("pdf", "csv", "xlsx"):
            assert f'href="/reports/{kind}/samverkan/2020.{fmt}"' in page


def test_the_chart_is_an_inline_svg_with_a_text_equivalent(as_role, imported_2020):
    page = text(as_role("viewer").get("/"))
    svg = re.search(r"<svg .*?</svg>", page, re.DOTALL).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert ("Samverkansmedel: erhållet 6 203 183 kr, budgeterat 0 kr, beviljat 4 844 860 kr, "
            "utbetalt 0 kr, använt 6 131 032 kr.") in svg
    assert svg.count('<rect class="bar') == 15  # three funds, five figures each
    assert "style=" not in page  # the CSP forbids inline styles
    assert "<caption>Diagrammets värden, kronor</caption>" in page




def pay_every_grant(app, year: int) -> None:
    """Pay 1 000 kr to every project granted in `year`: the picture then has payments."""
    from sqlalchemy import select

    from app.ledger.models import Allocation, Grant, Line
    from tests.followup.factories import pay

    with app.app_context():
        grants = db.session.scalars(
            select(Grant).join(Line).join(Allocation, Allocation.id == Line.allocation_id)
            .where(Allocation.year == year))
        for i, grant in enumerate(grants):
            pay(grant, 1_000, reference=f"VER-{i}")
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("url", ["/"])
def test_the_overview_costs_the_same_queries_for_one_year_and_five(app, as_role, url):
    """Does the dashboard stay at a fixed number of queries as years, funds and grants grow?"""
    client = as_role("viewer")
    import_text(app, year_document(2020))
    one_year = queries_of_page(app, client, url)
    for year in range(2021, 2025):
        import_text(app, year_document(year))
    close(app, 2020)
    close(app, 2021)
    pay_every_grant(app, 2024)
    five_years = queries_of_page(app, client, url)
    assert "2024" in text(client.get(url))
    assert one_year == five_years
    # The goal areas of another year than the newest cost the same.
    assert queries_of_page(app, client, url + "?year=2022") == five_years
    # The list of years, the ledger (8: the projects' money in three aggregates), the
    # closings, the user, the call lines' grants of the warnings, the chosen year's lines and
    # grants per goal area (2), whether everyone must use two-factor login (asked for an
    # account without it) and the data's version.
    assert five_years <= 16, five_years


def test_the_dashboard_shows_the_latest_open_year_and_links_to_the_others(app, as_role):
    """With many years, is only the year in hand shown, the others a link away, and does the
    page cost as many queries at 2 years as at 20?"""
    client = as_role("viewer")
    for year in (2001, 2002):
        import_text(app, year_document(year))
    close(app, 2001)
    two_years = queries_of_page(app, client, "/")
    for year in range(2003, 2021):
        import_text(app, year_document(year))
    close(app, 2002)
    twenty_years = queries_of_page(app, client, "/")
    assert twenty_years == two_years
    page = text(client.get("/"))
    assert 'id="table-2020"' in page
    assert page.count("<caption>Fonder ") == 1  # one year's table, not twenty
    assert "Året i bild 2020" in page and "Året i bild 2019" not in page
    for year in (2001, 2002, 2019):
        assert f'href="/?year={year}"' in page
    assert 'aria-current="page" href="/?year=2020"' in page
    # Another year is one click away, at the same cost.
    assert queries_of_page(app, client, "/?year=2001") == two_years
    assert 'id="table-2001"' in text(client.get("/?year=2001"))
    # An unknown or malformed year shows the default year, never an error.
    assert 'id="table-2020"' in text(client.get("/?year=1850"))
    assert 'id="table-2020"' in text(client.get("/?year=abc"))


def test_the_latest_open_year_is_shown_when_a_later_one_is_closed():
    """The default is the year in hand: the latest open one, else the latest."""
    from app.ledger.overview import YearEntry, choose_year

    entries = [YearEntry(2024, True, True), YearEntry(2023, True, False),
               YearEntry(2022, True, True)]
    assert choose_year(entries, None) == 2023
    assert choose_year(entries, 2022) == 2022
    assert choose_year(entries, 1999) == 2023
    closed = [YearEntry(2025, False, False), YearEntry(2024, True, True)]
    assert choose_year(closed, None) == 2024  # a year only carried into is not the default
    assert choose_year([], None) is None
