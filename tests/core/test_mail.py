"""Is every e-mail kept, and sent through Flask-Mail only when an SMTP server is named?"""

from app.core.mail import deliver_pending, outbox_for, queue_mail
from app.extensions import db, mail


def test_without_a_server_mail_is_kept_not_sent(ctx):
    with ctx.test_request_context():
        queue_mail("anna@krokom.se", "Kvitto", "returned",
                   application={"title": "MÖTAS"}, call={"title": "Utlysning 2022"},
                   message="Komplettera budgeten.")
    db.session.commit()
    assert deliver_pending() == 0
    kept = outbox_for("anna@krokom.se")
    assert [m.subject for m in kept] == ["Kvitto"] and kept[0].sent_at is None
    assert "Komplettera budgeten." in kept[0].body


def test_with_a_server_stored_mail_goes_through_flask_mail(ctx, runner, monkeypatch):
    monkeypatch.setitem(ctx.config, "MAIL_SUPPRESS_SEND", False)  # undone after the test
    with ctx.test_request_context():
        queue_mail("per@ragunda.se", "Beslut", "returned",
                   application={"title": "MÖTAS"}, call={"title": "Utlysning 2022"},
                   message="Komplettera budgeten.")
    db.session.commit()
    # The extension itself was set up without a server, so it records rather than connects.
    with mail.record_messages() as sent:
        assert deliver_pending() == 1
    assert [m.subject for m in sent] == ["Beslut"] and sent[0].recipients == ["per@ragunda.se"]
    assert outbox_for("per@ragunda.se")[0].sent_at is not None
