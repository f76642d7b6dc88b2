"""Nothing typed is lost: a value the draft cannot read is kept as typed, marked at its field
with the reason, while the rest is saved; it comes back after leaving; and it holds back the
submission until it is put right."""

from __future__ import annotations

import re

from app.call.models import Application, Call
from app.call.rules import read_budget_rows, typed_rows
from app.extensions import db
from tests.call.factories import complete_form

CATEGORIES = {"staff", "material"}


def _form(app, world, **overrides):
    with app.app_context():
        return complete_form(db.session.get(Call, world.call_id), **overrides)


def page_text(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def test_a_row_that_cannot_be_read_is_named_by_row_and_field():
    rows = [{"year": "2021", "category": "staff", "description": "Lön", "amount": "100"},
            {"year": "2021", "category": "staff", "description": "Hyra", "amount": "tolv"},
            {"year": "", "category": "staff", "description": "", "amount": ""},
            {"year": "21", "category": "staff", "description": "Resor", "amount": "5"},
            {"year": "2021", "category": "dator", "description": "", "amount": "7"}]
    read, errors = read_budget_rows(rows, CATEGORIES)
    assert [(r.position, r.amount) for r in read] == [(0, 10_000)]
    assert errors["budget-1-amount"].startswith("rad 2, belopp: ”tolv” kan inte läsas")
    assert errors["budget-3-year"] == "rad 4, år: ange året med fyra siffror"
    assert errors["budget-4-category"] == "rad 5, kategori: välj en kostnadskategori"
    assert len(typed_rows(rows + [{"amount": "", "description": " "}])) == 5


def test_autosave_keeps_a_bad_row_as_typed_and_it_comes_back_marked(app, client, world,
                                                                    new_application):
    """Does a budget row with an amount autosave cannot read survive leaving and coming back,
    description and all, marked at its field, while the rest is saved?"""
    app_id = new_application()
    response = client.post(f"/ansokningar/{app_id}/autosave", data=_form(
        app, world, **{"budget-1-amount": "8 500 kr ungefär", "period_end": "2022-06-31"}))
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"]
    assert body["errors"]["budget-1-amount"].startswith("Rad 2, belopp: ")
    assert "period_end" in body["errors"]
    assert body["total"] == "120\u00a0000"

    client.get("/ansokningar")  # leave, and come back
    page = page_text(client.get(f"/ansokningar/{app_id}"))
    assert 'value="Kursböcker"' in page and 'value="8 500 kr ungefär"' in page
    assert re.search(r'id="budget-1-amount" value="8 500 kr ungefär"[^>]*aria-invalid="true"',
                     page)
    assert re.search(r'id="budget-1-error">Rad 2, belopp: ”8 500 kr ungefär” kan inte läsas',
                     page)
    assert 'value="2022-06-31"' in page and "Ange datumet som ÅÅÅÅ-MM-DD." in page
    assert 'href="#budget-1-amount"' in page  # the summary at the top links to the field
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert [line.amount for line in application.budget_lines] == [12_000_000]
        assert application.title == "Första hjälpen till psykisk hälsa"

    review = page_text(client.get(f"/ansokningar/{app_id}/skicka"))
    assert "Rad 2, belopp" in review and f"/ansokningar/{app_id}#budget-1-amount" in review
    assert client.post(f"/ansokningar/{app_id}/skicka").status_code == 302
    with app.app_context():
        assert db.session.get(Application, app_id).state.value == "draft"

    client.post(f"/ansokningar/{app_id}/autosave", data=_form(app, world))  # put right
    page = page_text(client.get(f"/ansokningar/{app_id}"))
    assert 'aria-invalid="true"' not in page and 'value="8 500,50"' in page
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.unread is None
        assert application.amount_applied == 12_850_050


def test_the_explicit_save_says_which_row_and_field_are_wrong(app, client, world,
                                                              new_application):
    app_id = new_application()
    response = client.post(f"/ansokningar/{app_id}", data=_form(
        app, world, **{"budget-0-year": "tjugo", "budget-1-amount": "-5"}))
    assert response.status_code == 400
    page = page_text(response)
    assert "Utkastet är sparat. Det som inte kunde läsas finns kvar som du skrev det och är " \
           "markerat: rad 1, år; rad 2, belopp." in page
    assert "Rad 1, år: ange året med fyra siffror." in page
    assert 'value="tjugo"' in page and 'value="Instruktörer"' in page and 'value="-5"' in page
