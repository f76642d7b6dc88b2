"""How the pages word what the domain says."""

from __future__ import annotations


def sentence(error: Exception) -> str:
    """Return a domain error's message as a sentence on a page: capital first, full stop."""
    text = str(error).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
