"""Attachments of applications: checked by extension and content, stored outside the web root."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.call.models import Application, Attachment, CallAction
from app.call.rules import EDITABLE_STATES, AttachmentLimits, check_attachment
from app.core import audit
from app.core.audit import Actor
from app.core.errors import DomainError
from app.extensions import db

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# extension → (content type, the first bytes the file must start with)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "doc": ("application/msword", (_OLE,)),
    "xls": ("application/vnd.ms-excel", (_OLE,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
}
ALLOWED_TEXT = _l("PDF, Word (.doc, .docx), Excel (.xls, .xlsx) och bilder (.png, .jpg)")


def upload_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _clean_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*')
    return name[-200:] or "bilaga"


def attachment_limits(application_id: int) -> AttachmentLimits:
    """The application's attachments against the caps of the settings (one query)."""
    count, total = db.session.execute(
        select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0))
        .where(Attachment.application_id == application_id)
    ).one()
    config = current_app.config
    return AttachmentLimits(count=int(count), total=int(total),
                            max_count=config["ATTACHMENT_MAX_COUNT"],
                            max_total=config["ATTACHMENT_MAX_TOTAL_BYTES"],
                            max_bytes=config["ATTACHMENT_MAX_BYTES"])


def add_attachment(application: Application, filename: str, data: bytes,
                   actor: Actor) -> Attachment:
    """Store an uploaded file for an application being edited; refuse what is not allowed.

    The application's row is locked before its attachments are counted, so two uploads at
    the same moment cannot both take the last place under the caps."""
    if application.state not in EDITABLE_STATES:
        raise DomainError(_("ansökan är inskickad; bilagor kan inte längre ändras"))
    name = _clean_name(filename)
    if not data:
        raise DomainError(_("välj en fil att ladda upp"))
    db.session.execute(
        select(Application.id).where(Application.id == application.id).with_for_update()
    )
    reason = check_attachment(attachment_limits(application.id), len(data))
    if reason:
        raise DomainError(reason)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise DomainError(_("filtypen är inte tillåten; tillåtna är %(allowed)s",
                            allowed=ALLOWED_TEXT))
    content_type, magics = ALLOWED[extension]
    if not any(data.startswith(magic) for magic in magics):
        raise DomainError(_("filen är inte en riktig .%(extension)s-fil; tillåtna är "
                            "%(allowed)s", extension=extension, allowed=ALLOWED_TEXT))
    storage_name = secrets.token_hex(16)
    (upload_folder() / storage_name).write_bytes(data)
    attachment = Attachment(application_id=application.id, original_name=name,
                            content_type=content_type, size=len(data),
                            storage_name=storage_name, uploaded_by_id=actor.user_id)
    db.session.add(attachment)
    db.session.flush()
    audit.record(actor, CallAction.ATTACHMENT_CREATE, "application", application.id,
                 summary=f"Bilaga {name}", after={"name": name, "size": len(data)})
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return upload_folder() / attachment.storage_name


def delete_attachment(attachment: Attachment, actor: Actor) -> None:
    """Remove an attachment while its application is being edited."""
    application = attachment.application
    if application.state not in EDITABLE_STATES:
        raise DomainError(_("ansökan är inskickad; bilagor kan inte längre ändras"))
    path = attachment_path(attachment)
    db.session.delete(attachment)
    db.session.flush()
    audit.record(actor, CallAction.ATTACHMENT_DELETE, "application", application.id,
                 summary=f"Tog bort bilagan {attachment.original_name}")
    # The file goes only after the row; a failed commit leaves an orphan file, never a lost one.
    path.unlink(missing_ok=True)
