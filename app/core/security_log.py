"""Security events for the region's log system: one JSON line per event on the
`stimulansmedel.security` logger, with who, from where and how it went.

Events are named by a short dotted string ("login.failed", "lockout", "role.change",
"twofactor.enable", "personal_data.export", …). Call `security_event` from the operation that
decided the outcome; it never raises, so logging can never stop a login."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger("stimulansmedel.security")


def security_event(event: str, *, outcome: str = "success", user: str | None = None,
                   address: str | None = None, **details: Any) -> dict[str, Any]:
    """Write one security event as a JSON line and return what was written.

    `user` is the account's e-mail address (or a pseudonym), `address` the client's IP address
    and `outcome` "success", "failure" or "refused"; `details` are further JSON-able fields.
    """
    record: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "event": event,
        "outcome": outcome,
        "user": user,
        "address": address,
    }
    record.update(details)
    try:
        logger.info(json.dumps(record, ensure_ascii=False, default=str, sort_keys=False))
    except Exception:  # noqa: BLE001 - a log line must never break what it records
        logger.exception("could not write security event %s", event)
    return record
