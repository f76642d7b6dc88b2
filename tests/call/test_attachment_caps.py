"""Attachments per application are capped in number and total size, and the per-file limit
means what it says: a file of exactly ATTACHMENT_MAX_BYTES is accepted, one byte more is
refused at the file field, and no upload within reach of the limit meets a bare 413 page."""

from __future__ import annotations

import pytest

from app import create_app
from app.call.models import Attachment
from app.call.rules import AttachmentLimits, check_attachment, format_size
from app.extensions import db

MIB = 1024 * 1024
PDF = b"%PDF-1.4\n"


def _pdf(size: int) -> bytes:
    return PDF + b"0" * (size - len(PDF))


def _upload(client, app_id: int, data: bytes, name: str = "plan.pdf"):
    """Post the file as a browser does. The body is built here, in memory: the test client
    spools a large multipart body to a temporary file it never closes."""
    boundary = "grans"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            "\r\nContent-Type: application/pdf\r\n\r\n").encode() + data + (
        f"\r\n--{boundary}--\r\n").encode()
    return client.post(f"/ansokningar/{app_id}/bilagor", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _page(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def _stored(app) -> list[int]:
    with app.app_context():
        return [a.size for a in db.session.query(Attachment).order_by(Attachment.id)]


def _error_at_the_file_field(page: str) -> str:
    """The message shown at the upload field (the field macro gives it the id file-error)."""
    start = page.index('id="file-error"')
    return page[page.index(">", start) + 1:page.index("</", start)]


def test_a_file_of_exactly_the_limit_is_accepted_and_one_byte_more_refused_at_the_field(
        app, client, world, new_application):
    """Is a file of exactly the stated 10 MB accepted? Yes; 10 MB and a byte is refused, at
    the field, with what was typed elsewhere intact."""
    app_id = new_application()
    limit = app.config["ATTACHMENT_MAX_BYTES"]
    assert limit == 10 * MIB
    response = _upload(client, app_id, _pdf(limit))
    assert response.status_code == 302
    response = _upload(client, app_id, _pdf(limit + 1), "stor.pdf")
    assert response.status_code == 400
    page = _page(response)
    assert "Filen är större än 10 MB, den största storlek en bilaga får ha." in (
        _error_at_the_file_field(page))
    assert "Bilagan laddades inte upp" in page
    assert _stored(app) == [limit]


@pytest.mark.parametrize("csrf", [False, True])
def test_a_file_far_over_the_limit_gets_the_message_at_the_field_not_a_bare_413(
        app, client, world, new_application, monkeypatch, csrf):
    """Also when the CSRF check, which reads the form before the view, meets the size first."""
    app_id = new_application()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", csrf)
    response = _upload(client, app_id, _pdf(app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413
    page = _page(response)
    assert "Filen är större än 10 MB" in _error_at_the_file_field(page)
    assert 'action="/ansokningar/%d/bilagor#bilagor"' % app_id in page
    assert _stored(app) == []


def test_the_request_limit_leaves_room_for_the_form_around_the_file():
    """MAX_CONTENT_LENGTH counts the whole request: it follows the per-file limit, with room
    for the multipart headers and the other fields."""
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "ATTACHMENT_MAX_BYTES": 2 * MIB})
    assert 2 * MIB + 4096 < app.config["MAX_CONTENT_LENGTH"] <= 2 * MIB + MIB


def test_the_number_of_files_per_application_is_capped(app, client, world, new_application,
                                                       monkeypatch):
    """Can an applicant store 40 files on one application? No: the cap's message says how
    many are allowed and how many are already there."""
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_COUNT", 3)  # undone after the test
    app_id = new_application()
    for i in range(3):
        assert _upload(client, app_id, _pdf(1000), f"bilaga-{i}.pdf").status_code == 302
    response = _upload(client, app_id, _pdf(1000), "en-till.pdf")
    assert response.status_code == 400
    assert _error_at_the_file_field(_page(response)) == (
        "En ansökan får ha högst 3 bilagor och den här har redan 3; ta bort en bilaga innan "
        "du laddar upp en ny.")
    assert len(_stored(app)) == 3


def test_the_total_size_per_application_is_capped(app, client, world, new_application,
                                                  monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_TOTAL_BYTES", 100 * 1024)
    app_id = new_application()
    assert _upload(client, app_id, _pdf(60 * 1024)).status_code == 302
    response = _upload(client, app_id, _pdf(60 * 1024), "andra.pdf")
    assert response.status_code == 400
    assert _error_at_the_file_field(_page(response)) == (
        "Bilagorna får tillsammans vara högst 100 kB; 60 kB är redan uppladdat och filen är "
        "60 kB.")
    assert _upload(client, app_id, _pdf(40 * 1024), "liten.pdf").status_code == 302
    assert _stored(app) == [60 * 1024, 40 * 1024]


def test_the_caps_and_what_is_used_are_shown_next_to_the_upload_field(
        app, client, world, new_application):
    app_id = new_application()
    _upload(client, app_id, _pdf(3 * MIB // 2))
    page = _page(client.get(f"/ansokningar/{app_id}"))
    assert ('id="file-hint">PDF, Word, Excel eller bild (.png, .jpg), högst 10 MB per fil. '
            "Uppladdat: 1 av högst 20 filer, 1,5 MB av högst 50 MB.") in page


@pytest.mark.parametrize("size,text", [
    (1, "1\u00a0kB"), (1024, "1\u00a0kB"), (1025, "2\u00a0kB"), (MIB, "1\u00a0MB"),
    (3 * MIB // 2, "1,5\u00a0MB"), (10 * MIB, "10\u00a0MB"),
])
def test_sizes_are_written_as_a_person_reads_them(size, text):
    assert format_size(size) == text


@pytest.mark.parametrize("count,total,size,refused", [
    (0, 0, 10, None),
    (1, 0, 11, "filen är större än"),
    (5, 0, 1, "högst 5 bilagor"),
    (4, 95, 5, None),
    (4, 95, 6, "tillsammans vara högst"),
])
def test_the_caps_as_a_table(count, total, size, refused):
    limits = AttachmentLimits(count=count, total=total, max_count=5, max_total=100, max_bytes=10)
    reason = check_attachment(limits, size)
    assert (reason is None) if refused is None else (refused in reason.replace("\u00a0", " "))
