"""Submitting: the missing list, the closing time on the server, freezing, withdrawing,
returning and resubmitting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from app.call.models import Application, ApplicationVersion, Call
from app.call.rules import ApplicationState
from app.core.mail import outbox_for
from app.extensions import db
from tests.call.factories import complete_form

CLOSES = datetime(2030, 5, 31, 22, 0, tzinfo=UTC)  # midnight in Stockholm, summer time


def _fill(app, client, world, app_id, **overrides):
    with app.app_context():
        form = complete_form(db.session.get(Call, world.call_id), **overrides)
    response = client.post(f"/ansokningar/{app_id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _close_call_at(app, world, closes_at):
    with app.app_context():
        call = db.session.get(Call, world.call_id)
        call.opens_at = closes_at - timedelta(days=60)
        call.closes_at = closes_at
        db.session.commit()


def test_the_review_page_lists_what_is_missing_with_links(app, client, world, new_application):
    app_id = new_application()
    text = client.get(f"/ansokningar/{app_id}/skicka").get_data(as_text=True)
    assert "Projektnamn saknas" in text or "saknas" in text
    assert f'/ansokningar/{app_id}#title' in text
    assert f'/ansokningar/{app_id}#answer-q1' in text
    response = client.post(f"/ansokningar/{app_id}/skicka", follow_redirects=True)
    assert "inte komplett" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, app_id).state is ApplicationState.DRAFT


def test_submission_one_second_before_closing_is_accepted(app, client, world, new_application):
    _close_call_at(app, world, CLOSES)
    with freeze_time(CLOSES - timedelta(days=1)):
        app_id = new_application()
        _fill(app, client, world, app_id)
    with freeze_time(CLOSES - timedelta(seconds=1)):
        response = client.post(f"/ansokningar/{app_id}/skicka")
    assert response.status_code == 302
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.state is ApplicationState.SUBMITTED and application.version == 1
        assert "Kvitto" in outbox_for(world.applicant)[-1].subject


def test_submission_after_closing_time_is_refused_on_the_server(app, client, world,
                                                               new_application):
    """Is a submission at the closing second refused, whatever the page showed?"""
    _close_call_at(app, world, CLOSES)
    with freeze_time(CLOSES - timedelta(days=1)):
        app_id = new_application()
        _fill(app, client, world, app_id)
    with freeze_time(CLOSES):
        response = client.post(f"/ansokningar/{app_id}/skicka", follow_redirects=True)
    assert "har stängt" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, app_id).state is ApplicationState.DRAFT
        assert outbox_for(world.applicant) == []


def test_a_submitted_application_is_frozen(app, client, world, new_application):
    app_id = new_application()
    _fill(app, client, world, app_id)
    client.post(f"/ansokningar/{app_id}/skicka")
    page = client.get(f"/ansokningar/{app_id}").get_data(as_text=True)
    assert "låst" in page and 'name="title"' not in page
    with app.app_context():
        form = complete_form(db.session.get(Call, world.call_id), title="Ändrad")
    client.post(f"/ansokningar/{app_id}", data=form)
    assert client.post(f"/ansokningar/{app_id}/autosave", data=form).status_code == 409
    client.post(f"/ansokningar/{app_id}/bilagor",
                data={"file": (__import__("io").BytesIO(b"%PDF-1.4 x"), "a.pdf")})
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.title == "Första hjälpen till psykisk hälsa"
        assert application.attachments == []


def test_withdraw_until_decided(app, client, world, new_application):
    app_id = new_application()
    _fill(app, client, world, app_id)
    client.post(f"/ansokningar/{app_id}/skicka")
    assert "Ja, återta" in client.get(f"/ansokningar/{app_id}/aterta").get_data(as_text=True)
    client.post(f"/ansokningar/{app_id}/aterta")
    with app.app_context():
        assert db.session.get(Application, app_id).state is ApplicationState.WITHDRAWN
    response = client.post(f"/ansokningar/{app_id}/aterta", follow_redirects=True)
    assert "kan inte gå från" in response.get_data(as_text=True)


def test_a_decided_application_cannot_be_withdrawn(app, client, world, new_application):
    app_id = new_application()
    with app.app_context():
        db.session.get(Application, app_id).state = ApplicationState.GRANTED
        db.session.commit()
    response = client.post(f"/ansokningar/{app_id}/aterta", follow_redirects=True)
    assert "redan beslutad" in response.get_data(as_text=True)


def test_a_returned_application_is_edited_and_resubmitted_as_version_2(app, client, world,
                                                                       new_application):
    app_id = new_application()
    _fill(app, client, world, app_id)
    client.post(f"/ansokningar/{app_id}/skicka")
    with app.app_context():  # what the coordinator's "return for completion" does
        application = db.session.get(Application, app_id)
        application.state = ApplicationState.RETURNED
        application.return_message = "Komplettera med <b>budget</b> för 2022."
        db.session.commit()
    page = client.get(f"/ansokningar/{app_id}").get_data(as_text=True)
    assert "Komplettera med &lt;b&gt;budget&lt;/b&gt; för 2022." in page and 'name="title"' in page
    _fill(app, client, world, app_id, **{"budget-2-year": "2022", "budget-2-amount": "40 000",
                                         "budget-2-description": "Uppföljning"})
    client.post(f"/ansokningar/{app_id}/skicka")
    with app.app_context():
        application = db.session.get(Application, app_id)
        assert application.state is ApplicationState.SUBMITTED and application.version == 2
        versions = db.session.query(ApplicationVersion).filter_by(application_id=app_id).all()
        assert sorted(v.version for v in versions) == [1, 2]
        assert versions[-1].data["amount_applied"] == 16_850_050
