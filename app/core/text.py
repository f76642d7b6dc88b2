"""Characters no text of the app may hold, found and cleaned in one place.

NUL cannot be stored in PostgreSQL's text, and the other C0 controls (all but tab, line feed
and a carriage return that starts a line break), DEL, lone surrogates and the noncharacters
U+FFFE and U+FFFF cannot be written into the XML of an Excel file or encoded as UTF-8. None of
them is ever typed on purpose: they come from pasting out of other programs or from probing.
Forms, the exchange import and the JSON endpoints refuse them with `forbidden_message`; the
downloads clean what was stored before with `clean_text`. Pure: no Flask.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from app.core.labels import _l

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]|\r(?!\n)")
# Word writes a manual line break as a vertical tab and a page break as a form feed.
_AS_LINE_BREAK = re.compile("[\x0b\x0c]|\r(?!\n)")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")

MESSAGE = _l("Fältet innehåller ett tecken som inte får finnas i text (tecken %(code)s på "
             "plats %(place)s). Ta bort det och försök igen.")


@dataclass(frozen=True)
class Forbidden:
    """The first forbidden character of a text: its code and 1-based place."""

    char: str
    place: int

    @property
    def code(self) -> str:
        """The character's code as a reader can look it up: 0x00, 0x0B, 0xD800."""
        return f"0x{ord(self.char):02X}"


def first_forbidden(text: str) -> Forbidden | None:
    """Return the first character of `text` no text may hold, or None when there is none."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    return Forbidden(found.group()[0], found.start() + 1)


def forbidden_message(text: str) -> str | None:
    """Return the Swedish refusal for the first forbidden character of `text`, or None."""
    found = first_forbidden(text)
    if found is None:
        return None
    return MESSAGE % {"code": found.code, "place": found.place}


def first_forbidden_in(value: object) -> tuple[str, Forbidden] | None:
    """Return the first forbidden character among the strings of a JSON-like value (its keys
    and values, nested), with the path of where it is, or None."""
    waiting: deque[tuple[str, object]] = deque([("", value)])
    while waiting:
        path, item = waiting.popleft()
        if isinstance(item, str):
            found = first_forbidden(item)
            if found is not None:
                return path, found
        elif isinstance(item, dict):
            for key, inner in item.items():
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and (found := first_forbidden(key)) is not None:
                    return where, found
                waiting.append((where, inner))
        elif isinstance(item, (list, tuple)):
            waiting.extend((f"{path}[{i}]", inner) for i, inner in enumerate(item))
    return None


def join_surrogate_pairs(text: str) -> str:
    """Return `text` with each surrogate pair made the one character it stands for.

    JSON escapes a character outside the Basic Multilingual Plane as a pair ("\\ud83d\\ude00");
    a reader that decodes the escapes one by one keeps two halves, which are not text.
    """
    if not _SURROGATE_PAIR.search(text):
        return text
    return _SURROGATE_PAIR.sub(
        lambda pair: pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)


def clean_text(text: str) -> str:
    """Return `text` without the characters no text may hold, for a file that must open
    (a vertical tab, form feed or lone carriage return becomes a line break)."""
    if _FORBIDDEN.search(text) is None:
        return text
    return _FORBIDDEN.sub("", _AS_LINE_BREAK.sub("\n", join_surrogate_pairs(text)))


def like_escaped(text: str) -> str:
    """Return `text` with the wildcards of LIKE escaped by a backslash, to match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
