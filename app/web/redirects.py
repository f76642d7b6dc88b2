"""Where a page may send a person next: only to a path on this site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# No control character belongs in an address, least of all in a Location header.
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target or _CONTROL.search(target):
        return None
    parts = urlsplit(target)
    if parts.netloc or parts.scheme or not target.startswith("/") or "\\" in target:
        return None
    if target.startswith("//"):
        return None
    return target
