"""Names users read, kept next to the codes they name.

Swedish is the source of truth: a label is its Swedish text, translated when it is shown
(`str()`), in the language of the page being drawn. The translator is plugged in by the
application factory, so this module, and the pure rules that use it, know nothing of Flask.
Marked for extraction as `_l` (`pybabel extract -k _l`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable


def _untranslated(text: str) -> str:
    return text


_translate: Callable[[str], str] = _untranslated


def use_translator(translate: Callable[[str], str]) -> None:
    """Translate every label through `translate` from now on (the factory passes gettext)."""
    global _translate
    _translate = translate


class LazyText:
    """A Swedish text translated each time it is shown, so it can live in a module constant."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return _translate(self.text)

    def __repr__(self) -> str:
        return f"_l({self.text!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyText):
            return self.text == other.text
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.text)

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)

    def __mod__(self, values) -> str:
        return str(self) % values

    def __len__(self) -> int:
        return len(str(self))

    def __getattr__(self, name: str):
        # lower(), upper(), startswith(): whatever a str can do, on the translated text.
        return getattr(str(self), name)


def _l(text: str) -> LazyText:
    """Mark a Swedish text as a label, translated when shown."""
    return LazyText(text)


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members carry the Swedish name users read:

        class CallState(LabelledEnum):
            DRAFT = "draft", _l("Utkast")
    """

    def __new__(cls, value: str, label: LazyText | str | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value
        return member

    @property
    def label(self) -> str:
        """The member's name in the reader's language."""
        return str(self._label)

    @property
    def swedish(self) -> str:
        """The member's Swedish name, for what is always written in Swedish (audit, PDFs)."""
        return self._label.text if isinstance(self._label, LazyText) else self._label

    @classmethod
    def choices(cls, members=None) -> list[tuple[str, LazyText | str]]:
        """Each member's value and (lazy) label, for a select or radio field."""
        return [(m.value, m._label) for m in (members if members is not None else cls)]
