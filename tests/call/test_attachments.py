"""Attachments: allowed types by name and content, the size limit, downloads as files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.call.models import Application, Attachment
from app.call.rules import ApplicationState
from app.core.types import utcnow
from app.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
DOCX = b"PK\x03\x04" + b"\x00" * 30
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30


def _upload(client, app_id, data: bytes, name: str):
    return client.post(f"/ansokningar/{app_id}/bilagor",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize("name,data,content_type", [
    ("plan.pdf", PDF, "application/pdf"),
    ("bild.PNG", PNG, "image/png"),
    ("budget.docx", DOCX,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("budget.xls", XLS, "application/vnd.ms-excel"),
])
def test_allowed_files_are_stored_and_served_as_attachments(app, client, world, new_application,
                                                           name, data, content_type):
    app_id = new_application()
    response = _upload(client, app_id, data, name)
    assert "Bilagan är uppladdad" in response.get_data(as_text=True)
    with app.app_context():
        attachment = db.session.get(Application, app_id).attachments[0]
        stored = Path(app.config["UPLOAD_FOLDER"]) / attachment.storage_name
        assert stored.read_bytes() == data and name not in attachment.storage_name
        assert "static" not in str(stored)
        att_id = attachment.id
    response = client.get(f"/ansokningar/{app_id}/bilagor/{att_id}")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.mimetype == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize("name,data,message", [
    ("sida.html", b"<html><script>alert(1)</script></html>", "filtypen är inte tillåten"),
    ("program.pdf", b"MZ\x90\x00" + b"\x00" * 40, "inte en riktig .pdf-fil"),
    ("bild.jpg", PDF, "inte en riktig .jpg-fil"),
    ("utan-filandelse", PDF, "filtypen är inte tillåten"),
])
def test_forbidden_files_are_refused(app, client, world, new_application, name, data, message):
    app_id = new_application()
    response = _upload(client, app_id, data, name)
    assert message in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.query(Attachment).count() == 0


def test_a_file_over_the_limit_is_refused(app, client, world, new_application, monkeypatch):
    app_id = new_application()
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1024)  # undone after the test
    response = _upload(client, app_id, PDF + b"0" * 2000, "stor.pdf")
    assert "Filen är större än 1\u00a0kB" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Attachment).count() == 0


def test_an_attachment_is_deleted_while_editable(app, client, world, new_application):
    app_id = new_application()
    _upload(client, app_id, PDF, "plan.pdf")
    with app.app_context():
        attachment = db.session.query(Attachment).one()
        att_id, path = attachment.id, Path(app.config["UPLOAD_FOLDER"]) / attachment.storage_name
    client.post(f"/ansokningar/{app_id}/bilagor/{att_id}/ta-bort")
    assert not path.exists()
    with app.app_context():
        assert db.session.query(Attachment).count() == 0


def test_a_reviewer_downloads_an_applicants_attachment_from_the_review_page(
        app, client, world, new_application, make_user):
    """Can a coordinator open the file an applicant attached, from the application's page?"""
    from tests.conftest import login

    app_id = new_application()
    _upload(client, app_id, PDF, "projektplan.pdf")
    with app.app_context():
        application = db.session.get(Application, app_id)
        # The coordinators read what was sent in.
        application.state, application.submitted_at = ApplicationState.SUBMITTED, utcnow()
        att_id = application.attachments[0].id
        db.session.commit()
    client.post("/logout")
    login(client, make_user("coordinator"))
    page = client.get(f"/calls/applications/{app_id}").get_data(as_text=True)
    link = f'href="/ansokningar/{app_id}/bilagor/{att_id}"'
    assert link in page and "projektplan.pdf" in page
    response = client.get(f"/ansokningar/{app_id}/bilagor/{att_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
