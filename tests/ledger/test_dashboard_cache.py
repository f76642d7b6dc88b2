"""The dashboard's year is rendered once per change of the data and reused until the next
(app/core/reading/figures.py): shown again it costs a few queries, and after any change of
money, by a form, an operation or a statement outside the ORM, it shows the new figures."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from app.core.money import format_amount
from app.extensions import db
from app.ledger.models import Allocation, Earmark, Line, LineKind
from tests.ledger.test_allocation_forms import line_form
from tests.support import count_queries, kronor


def used_of_samverkan(client) -> str:
    """What the dashboard's picture says samverkan used, as printed ("6 131 032")."""
    page = client.get("/").get_data(as_text=True).replace("\u00a0", " ")
    return re.search(r"Samverkansmedel: erhållet [^<]*?använt ([\d ]+) kr\.", page).group(1)


def received_of_samverkan(client) -> str:
    page = client.get("/").get_data(as_text=True).replace("\u00a0", " ")
    return re.search(r"Samverkansmedel: erhållet ([\d ]+) kr", page).group(1)


def activity_line(app) -> dict:
    with app.app_context():
        line = db.session.scalars(
            select(Line).join(Allocation, Allocation.id == Line.allocation_id)
            .join(Earmark, Earmark.id == Allocation.earmark_id)
            .where(Earmark.code == "samverkan", Allocation.year == 2020,
                   Line.kind == LineKind.ACTIVITY, Line.spent.is_not(None))
            .order_by(Line.position)).first()
        return {"id": line.id, "activity": line.activity, "spent": line.spent,
                "budget": line.budget,
                "goal_area": line.goal_area.name if line.goal_area else ""}


def test_an_edited_outcome_shows_on_the_dashboard_at_once(app, as_role, imported_2020):
    """A coordinator looks at the dashboard (its year is now kept), raises a line's outcome by
    10 000 kr on its form, and the dashboard shows the new total used."""
    coordinator = as_role("coordinator")
    before = used_of_samverkan(coordinator)
    assert used_of_samverkan(coordinator) == before  # shown again: the kept year
    line = activity_line(app)
    response = coordinator.post(f"/lines/{line['id']}/edit", data=line_form(
        activity=line["activity"], goal_area=line["goal_area"],
        budget=format_amount(line["budget"]) if line["budget"] is not None else "",
        spent=format_amount(line["spent"] + kronor(10_000))))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    after = used_of_samverkan(coordinator)
    assert int(after.replace(" ", "")) == int(before.replace(" ", "")) + 10_000


def test_a_refused_edit_leaves_the_kept_figures_right(app, as_role, imported_2020):
    """A refused save changes nothing, and the dashboard still shows the figures as they are."""
    coordinator = as_role("coordinator")
    before = used_of_samverkan(coordinator)
    line = activity_line(app)
    response = coordinator.post(f"/lines/{line['id']}/edit", data=line_form(
        activity=line["activity"], spent="-5"))
    assert response.status_code != 302  # refused: the form again, nothing saved
    assert used_of_samverkan(coordinator) == before


def test_a_change_outside_the_orm_shows_too(app, as_role, imported_2020):
    """Money changed by a statement on a raw connection (no session to write the new token)
    still shows: this process forgets what it kept."""
    viewer = as_role("viewer")
    assert received_of_samverkan(viewer) == "6 203 183"
    with app.app_context(), db.engine.begin() as connection:
        samverkan = connection.scalar(select(Earmark.id).where(Earmark.code == "samverkan"))
        connection.execute(update(Allocation).where(Allocation.earmark_id == samverkan,
                                                    Allocation.year == 2020)
                           .values(received=kronor(7_000_000)))
    assert received_of_samverkan(viewer) == "7 000 000"


def test_the_dashboard_shown_again_costs_a_few_queries(app, as_role, imported_2020):
    """The first view after a change computes the year; the next ones read only who is
    logged in, whether everyone must use two factors and the data's version, in one query."""
    viewer = as_role("viewer")
    with app.app_context():  # a change: the next view computes the year afresh
        db.session.execute(update(Allocation).where(Allocation.year == 2020)
                           .values(region="Region Jämtland Härjedalen"))
        db.session.commit()
    with count_queries(app) as first:
        viewer.get("/")
    with count_queries(app) as again:
        assert viewer.get("/").status_code == 200
    assert len(again) < len(first)
    assert len(again) == 1, again


def test_each_role_sees_its_own_buttons_on_the_kept_year(app, as_role, make_user,
                                                         imported_2020):
    """The kept year is kept per role: a viewer after a coordinator gets no close button."""
    from tests.conftest import login

    coordinator = as_role("coordinator")
    assert 'href="/years/2020/close"' in coordinator.get("/").get_data(as_text=True)
    viewer = app.test_client()
    login(viewer, make_user("viewer"))
    assert 'href="/years/2020/close"' not in viewer.get("/").get_data(as_text=True)


def test_a_kept_page_is_only_ever_shown_to_its_own_session(app, make_user, imported_2020):
    """Two coordinators look at the dashboard in turn: each sees their own name in the header
    and their own session's form token, never the other's page."""
    from tests.conftest import login

    pages = {}
    for name in ("anna", "bo"):
        client = app.test_client()
        login(client, make_user("coordinator", f"{name}@example.se"))
        pages[name] = (client, client.get("/").get_data(as_text=True))
    for name, other in (("anna", "bo"), ("bo", "anna")):
        client, first = pages[name]
        again = client.get("/").get_data(as_text=True)
        assert again == first  # kept for this session
        assert f"{name}@example.se" in again and f"{other}@example.se" not in again
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    assert token.search(pages["anna"][1]).group(1) != token.search(pages["bo"][1]).group(1)


def test_a_message_waiting_is_shown_on_the_dashboard_and_then_gone(app, as_role, imported_2020):
    coordinator = as_role("coordinator")
    coordinator.get("/")  # kept
    with coordinator.session_transaction() as session:
        session["_flashes"] = [("success", "Importerade samverkan 2021.")]
    assert "Importerade samverkan 2021." in coordinator.get("/").get_data(as_text=True)
    assert "Importerade samverkan 2021." not in coordinator.get("/").get_data(as_text=True)


def test_the_kept_page_follows_the_language_chosen(app, as_role, imported_2020):
    viewer = as_role("viewer")
    assert "Översikt" in viewer.get("/").get_data(as_text=True)
    with viewer.session_transaction() as session:
        session["lang"] = "en"
    page = viewer.get("/").get_data(as_text=True)
    assert "Overview" in page and 'lang="en"' in page
