"""Errors the domain raises, with messages meant for the user, in the user's language.

A message is Swedish marked for translation where it is raised (`gettext`, or `_l` of
app.core.labels in the pure modules), so it is already in the reader's language when it is
caught: the page's or the API request's, Swedish outside a request.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from app.core.labels import _l


class DomainError(Exception):
    """A rule of the funds refused an action; the message says why, in the reader's language.

    `field` names the field of the operation's input the refusal is about (its argument or
    its input's attribute: "line_id", "paid_on"), or None: a page shows the message at that
    field of its form, the API answers it at that field of the request.
    """

    def __init__(self, message: str, *, place: str | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.place = place
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@contextmanager
def at_field(field: str) -> Iterator[None]:
    """Say that a refusal raised inside is about `field`, unless it names its own field:
    `with at_field("decision_diary_number"): normalise_diary_number(text)`."""
    try:
        yield
    except DomainError as error:
        if error.field is None:
            error.field = field
        raise


class AmountError(DomainError):
    """An amount could not be read, or is not allowed."""


class ImportRefused(DomainError):
    """An exchange document was refused; `problems` lists every error found, with its place."""

    def __init__(self, problems: list["Problem"]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.message, place=first.place)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class Problem:
    """One error (or warning) found in a document, with where it is."""

    def __init__(self, place: str, message: str, line: int | None = None) -> None:
        self.place = place
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = self.place or str(_l("dokumentet"))
        if self.line is not None:
            where = _l("rad %(line)s, %(place)s") % {"line": self.line, "place": where}
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"
