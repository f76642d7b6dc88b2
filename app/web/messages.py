"""How the pages word what the domain says, and where they may send a person next."""

from __future__ import annotations

from urllib.parse import urlsplit


def sentence(error: Exception) -> str:
    """Return a domain error's message as a sentence on a page: capital first, full stop."""
    text = str(error).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.netloc or parts.scheme or not target.startswith("/") or "\\" in target:
        return None
    if target.startswith("//"):
        return None
    return target
