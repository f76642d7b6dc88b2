"""The lists of projects and payments: a bounded page, each page's money read for its own rows
only, and as many queries at 2 rows as at 60."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.followup import queries as followup_queries
from app.ledger import project_money
from app.ledger import queries as ledger_queries
from app.ledger.models import Earmark
from tests.followup.factories import grant, grant_by_title, import_year, pay, pool_year
from tests.support import queries_of_page


def text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def _year_with_paid_projects(app, year: int, count: int) -> None:
    with app.app_context():
        import_year(pool_year(year, grants=tuple(
            grant(f"Projekt {year}-{n:02d}", 10_000, owner=f"Kommun {n}") for n in range(count))))
        for n in range(count):
            pay(grant_by_title(f"Projekt {year}-{n:02d}"), 1_000, reference=f"V-{year}-{n}")
        db.session.commit()
        db.session.remove()


def test_the_lists_cost_as_many_queries_with_2_rows_as_with_60(app, as_role):
    client = as_role("viewer")
    _year_with_paid_projects(app, 2021, 2)
    client.get("/projekt")
    few = {url: queries_of_page(app, client, url) for url in ("/projekt", "/utbetalningar")}
    _year_with_paid_projects(app, 2022, 58)
    many = {url: queries_of_page(app, client, url) for url in ("/projekt", "/utbetalningar")}
    assert many == few
    # A later page (from the next link) costs what the first does, and its cursor's place.
    following = re.search(r'href="/projekt\?after=(\d+)"', text(client.get("/projekt")))
    assert queries_of_page(app, client, f"/projekt?after={following.group(1)}") == \
        few["/projekt"] + 1
    # A later page of payments (from the next link) costs the first's and its cursor's row.
    following = re.search(r'href="/utbetalningar\?after=(\d+)"', text(client.get("/utbetalningar")))
    assert queries_of_page(app, client, f"/utbetalningar?after={following.group(1)}") == \
        few["/utbetalningar"] + 1


def test_the_payments_are_paged_with_the_attestation_queue_first(app, as_role):
    """60 attested payments and 3 waiting for attestation: the waiting ones come first, then
    the latest; following the next links shows every payment once, and back again."""
    from app.ledger import payments
    from tests.followup.factories import ATTESTER

    _year_with_paid_projects(app, 2022, 60)
    with app.app_context():
        for n in range(3):
            payments.register_payment(payments.PaymentInput(
                grant_id=grant_by_title(f"Projekt 2022-{n:02d}").id, amount=1_000_00,
                paid_on=date(2021, 1, 1 + n), reference=f"VÄNTAR-{n}"), ATTESTER)
        db.session.commit()
    client = as_role("coordinator")
    seen, pages, url = [], [], "/utbetalningar"
    while url:
        page = text(client.get(url))
        pages.append(url)
        seen += re.findall(r'<tr id="payment-(\d+)">', page)
        assert "63 utbetalningar" in page
        found = re.search(r'rel="next" href="([^"]+)"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == len(set(seen)) == 63 and len(pages) == 2
    first = text(client.get("/utbetalningar"))
    assert [first.index(f"VÄNTAR-{n}") for n in (2, 1, 0)] == sorted(
        first.index(f"VÄNTAR-{n}") for n in range(3))  # the queue, the latest first
    assert first.index("VÄNTAR-0") < first.index("V-2022-")
    # Back from the second page is the first page again.
    second = text(client.get(pages[1]))
    back = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert re.findall(r'<tr id="payment-(\d+)">', text(client.get(back))) == \
        re.findall(r'<tr id="payment-(\d+)">', first)
    # Filtered, the cursor keeps the filter, and one that points nowhere is an empty page.
    assert "V-2022-" not in text(client.get("/utbetalningar?state=pending")).split("<tbody>")[1]
    assert client.get("/utbetalningar?after=999999").status_code == 200


def test_a_page_of_projects_is_bounded_and_reads_only_its_grants_money(app, as_role, monkeypatch):
    """Does the list show 50 projects a page, each with its own money, without reading the
    money of every grant of their allocations?"""
    _year_with_paid_projects(app, 2022, 60)
    asked = []
    real = project_money.load_project_money

    def spy(allocation_ids=None):
        asked.append(allocation_ids)
        return real(allocation_ids)

    monkeypatch.setattr(project_money, "load_project_money", spy)
    monkeypatch.setattr(ledger_queries, "load_project_money", spy)
    monkeypatch.setattr(followup_queries, "load_project_money", spy, raising=False)
    client = as_role("viewer")  # logging in lands on the dashboard, which reads its year
    asked.clear()
    page = text(client.get("/projekt"))
    assert asked == []
    assert page.count('href="/projekt/') >= 50
    assert len(re.findall(r'<a class="ds-link" href="/projekt/\d+">Projekt 2022-', page)) == 50
    assert "60 projekt" in page
    following = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    second = text(client.get(following))
    titles = re.findall(r'<a class="ds-link" href="/projekt/\d+">(Projekt 2022-\d+)', second)
    assert len(titles) == 10 and set(titles).isdisjoint(
        re.findall(r'<a class="ds-link" href="/projekt/\d+">(Projekt 2022-\d+)', page))
    # Back from the second page is the first page, in the list's order.
    back = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert text(client.get(back)).count('href="/projekt/') == page.count('href="/projekt/')
    # Granted 10 000, paid 1 000, never paid 9 000: the page's own figures.
    cells = re.sub(r"\s+", " ", page)
    assert '<td class="num">10 000 kr</td><td class="num">1 000 kr</td>' in cells.replace("> <", "><")
    # A page past the end is empty, not an error.
    assert client.get("/projekt?after=999999").status_code == 200
    assert client.get("/projekt?before=-1").status_code == 200


def test_a_project_page_reads_only_its_own_grants_money(app, as_role, monkeypatch):
    """Does a project's page, in a call of 30 paid projects, leave the others' money unread
    and still show what another fund paid for it?"""
    from app.ledger.models import Allocation

    _year_with_paid_projects(app, 2022, 30)
    with app.app_context():
        import_year(pool_year(2022, earmark="suicidprevention", received=2_000_000,
                              pool=1_500_000))
        other = db.session.scalar(select(Allocation.id).join(Allocation.earmark)
                                  .where(Earmark.code == "suicidprevention"))
        target = grant_by_title("Projekt 2022-07")
        pay(target, 2_000, allocation_id=other, reference="V-OTHER")
        grant_id = target.id
        db.session.commit()
        db.session.remove()
    asked = []
    real = project_money.load_project_money
    monkeypatch.setattr(project_money, "load_project_money",
                        lambda ids=None: asked.append(ids) or real(ids))
    monkeypatch.setattr(ledger_queries, "load_project_money",
                        lambda ids=None: asked.append(ids) or real(ids))
    monkeypatch.setattr(followup_queries, "load_project_money",
                        lambda ids=None: asked.append(ids) or real(ids), raising=False)
    client = as_role("coordinator")
    asked.clear()
    page = text(client.get(f"/projekt/{grant_id}"))
    assert asked == []
    assert "Suicidpreventiva medel 2022" in page
    assert "2 000 kr" in page and "1 000 kr" in page


def test_the_projects_are_paged_in_their_order_across_years(app, as_role):
    """Two years of 30 projects: the pages show the later year first, each year's projects
    in their own order, every project once, and filters stay on the next link."""
    _year_with_paid_projects(app, 2021, 30)
    _year_with_paid_projects(app, 2022, 30)
    client = as_role("viewer")
    shown, url = [], "/projekt"
    while url:
        page = text(client.get(url))
        shown += re.findall(r'<a class="ds-link" href="/projekt/\d+">(Projekt \d+-\d+)', page)
        found = re.search(r'rel="next" href="([^"]+)"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert shown == [f"Projekt {y}-{n:02d}" for y in (2022, 2021) for n in range(30)]
    with app.app_context():
        fund = db.session.scalar(select(Earmark.id).where(Earmark.code == "samverkan"))
    filtered = text(client.get(f"/projekt?year=2021&fund={fund}"))
    assert "30 projekt" in filtered and "Projekt 2022-" not in filtered


def test_paging_through_the_projects_shows_each_once_in_the_lists_order(ctx):
    """Two years, two funds, two call lines each: following the pages forwards, then
    backwards, with or without a filter, shows exactly the list's order (on PostgreSQL the
    page is read line by line, elsewhere the projects are sorted: the same rows)."""
    from app.followup.project_list import projects_page
    from app.followup.queries import projects_select
    from app.followup.rules import ProjectState
    from tests.ledger.factories import allocation, line

    for year in (2021, 2022):
        for code in ("samverkan", "brukarmiljonen"):
            import_year(allocation(code, year, 1_000_000, *(
                line(f"Utlysning {n}", kind="call", budget=400_000, grants=[
                    grant(f"{code} {year} {n}.{m}", 1_000) for m in range(n + 2)])
                for n in (1, 2))))
    db.session.flush()
    samverkan = db.session.scalar(select(Earmark.id).where(Earmark.code == "samverkan"))
    for year, earmark_id, state in ((None, None, None), (2022, None, None),
                                    (None, samverkan, None), (None, None, ProjectState.RUNNING),
                                    (2021, samverkan, ProjectState.CLOSED)):
        expected = [g.id for g in db.session.scalars(
            projects_select(year, earmark_id, state)).unique()]
        seen, after = [], None
        while True:
            page = projects_page(year, earmark_id, state, after=after, per_page=3)
            seen += [g.id for g in page.items]
            if not page.has_next:
                break
            after = page.items[-1].id
        assert seen == expected, (year, earmark_id, state)
        back = []
        if seen:
            back = [seen[-1]]
            before = seen[-1]
            while True:
                page = projects_page(year, earmark_id, state, before=before, per_page=3)
                back = [g.id for g in page.items] + back
                if not page.has_prev:
                    break
                before = page.items[0].id
        assert back == expected, (year, earmark_id, state)
