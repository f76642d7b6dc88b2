"""Errors the domain raises, with messages meant for the user (Swedish)."""


class DomainError(Exception):
    """A rule of the funds refused an action; the message says why, in Swedish."""

    def __init__(self, message: str, *, place: str | None = None) -> None:
        self.message = message
        self.place = place
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


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
        where = self.place or "dokumentet"
        if self.line is not None:
            where = f"rad {self.line}, {where}"
        return f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"
