"""The decision form's diary number: refused at the field with the form's other errors, and
shown as it will be saved before it is."""

from __future__ import annotations

from sqlalchemy import select

from app.call.models import Application, Decision
from app.call.rules import ApplicationState
from app.extensions import db
from tests.call.factories import make_application, make_call, make_organisation, make_pool
from tests.call.test_views import csrf, text


def _under_review(app) -> int:
    with app.app_context():
        call = make_call(make_pool(1_000_000))
        application = make_application(call, make_organisation("Krokoms kommun"),
                                       state=ApplicationState.UNDER_REVIEW, amount_kr=100_000)
        db.session.commit()
        application_id = application.id
        db.session.remove()
    return application_id


def _decisions(app) -> list[Decision]:
    with app.app_context():
        found = list(db.session.scalars(select(Decision)))
        db.session.remove()
    return found


def test_a_bad_diary_number_is_reported_together_with_the_other_errors(app, as_role):
    """With the body missing and the number typed year first, are both said at once?"""
    application_id = _under_review(app)
    client = as_role("coordinator")
    url = f"/calls/applications/{application_id}/decide"
    response = client.post(url, data={"csrf_token": csrf(client, url), "outcome": "granted",
                                      "body": "", "decided_on": "2022-06-10",
                                      "diary_number": "RJH/2026-1234"})
    page = text(response)
    assert response.status_code == 422
    assert "Ange vilket organ som fattade beslutet." in page
    assert "1234 är inget år" in page and "PREFIX/löpnummer/år" in page
    assert 'value="RJH/2026-1234"' in response.get_data(as_text=True)  # kept as typed
    assert _decisions(app) == []


def test_a_diary_number_is_never_saved_with_a_year_it_does_not_have(app, as_role):
    """Is "RJH/2026-1234" refused even when the rest of the form is right?"""
    application_id = _under_review(app)
    client = as_role("coordinator")
    url = f"/calls/applications/{application_id}/decide"
    data = {"outcome": "granted", "body": "SVOM", "decided_on": "2022-06-10",
            "diary_number": "RJH/2026-1234"}
    for shown in ("", "RJH/2026/1234"):  # not even when the page is told it was shown
        response = client.post(url, data={"csrf_token": csrf(client, url), **data,
                                          "diary_number_shown": shown})
        assert response.status_code == 422
    assert _decisions(app) == []


def test_a_normalised_diary_number_is_shown_before_it_is_saved(app, as_role):
    """Typed "hsn 292:7 2020", is "HSN/292:7/2020" shown first, then saved when confirmed?"""
    application_id = _under_review(app)
    client = as_role("coordinator")
    url = f"/calls/applications/{application_id}/decide"
    data = {"outcome": "granted", "body": "SVOM", "decided_on": "2022-06-10",
            "diary_number": "hsn 292:7 2020"}
    response = client.post(url, data={"csrf_token": csrf(client, url), **data})
    assert response.status_code == 422
    assert "Diarienumret sparas som HSN/292:7/2020" in text(response)
    html = response.get_data(as_text=True)
    assert 'value="hsn 292:7 2020"' in html  # what was typed stays in the field
    assert 'name="diary_number_shown" type="hidden" value="HSN/292:7/2020"' in html
    assert _decisions(app) == []
    response = client.post(url, data={"csrf_token": csrf(client, url), **data,
                                      "diary_number_shown": "HSN/292:7/2020"})
    assert response.status_code == 302
    [decision] = _decisions(app)
    assert decision.diary_number == "HSN/292:7/2020"
    with app.app_context():
        assert db.session.get(Application, application_id).state is ApplicationState.GRANTED


def test_a_diary_number_written_the_standard_way_is_saved_at_once(app, as_role):
    application_id = _under_review(app)
    client = as_role("coordinator")
    url = f"/calls/applications/{application_id}/decide"
    response = client.post(url, data={"csrf_token": csrf(client, url), "outcome": "granted",
                                      "body": "SVOM", "decided_on": "2022-06-10",
                                      "diary_number": "RUN/290/2022"})
    assert response.status_code == 302
    assert [d.diary_number for d in _decisions(app)] == ["RUN/290/2022"]
