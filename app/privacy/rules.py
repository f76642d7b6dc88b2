"""The rules of personal data in plain Python: how long it is kept, what a pseudonym looks like,
and how a person's name and e-mail address are found and replaced in a free text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

#: How an anonymised person is named in the audit log and everywhere their name stood.
PSEUDONYM_PREFIX = "Anonymiserad användare"
#: The domain of an anonymised account's address: `.invalid` can never receive e-mail.
PSEUDONYM_DOMAIN = "anonymiserad.invalid"
#: What an e-mail to an anonymised person says instead of what it said.
CLEARED_BODY = "[Innehållet togs bort när kontot anonymiserades.]"


@dataclass(frozen=True)
class RetentionPolicy:
    """How many whole calendar years personal data is kept after a record ended.

    Counted as archives count, from the end of the year the record ended: with two years a
    rejection of 2023 is kept through 2025 and cleared from 1 January 2026.
    """

    closed_project_years: int
    rejected_application_years: int
    email_years: int

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> RetentionPolicy:
        """The policy an installation's settings (config.py, PRIVACY_*_YEARS) name."""
        return cls(closed_project_years=int(settings["PRIVACY_RETENTION_YEARS"]),
                   rejected_application_years=int(settings["PRIVACY_REJECTED_RETENTION_YEARS"]),
                   email_years=int(settings["PRIVACY_EMAIL_RETENTION_YEARS"]))

    def __post_init__(self) -> None:
        for years in (self.closed_project_years, self.rejected_application_years,
                      self.email_years):
            if years < 0:
                raise ValueError("a retention period cannot be negative")


def retention_cutoff(today: date, years: int) -> date:
    """The first day a record must have ended on or after to be kept: 1 January of the year
    `years` before this one (what ended before it is past retention)."""
    return date(today.year - years, 1, 1)


def is_past_retention(ended_on: date, years: int, today: date) -> bool:
    """Whether a record that ended on `ended_on` has been kept its `years` full years."""
    return ended_on < retention_cutoff(today, years)


def pseudonym(tag: str) -> str:
    """The stable name of an anonymised person: "Anonymiserad användare 7f3a09"."""
    return f"{PSEUDONYM_PREFIX} {tag}"


def pseudonym_address(tag: str) -> str:
    """The address an anonymised account keeps (unique, and never deliverable)."""
    return f"anonymiserad-{tag}@{PSEUDONYM_DOMAIN}"


def identifying_names(email: str, name: str) -> list[str]:
    """What identifies a person safely enough to replace wherever it stands in a text: the
    e-mail address, and the full name when it has at least two words (a first name alone,
    "Anna", would also replace every other Anna)."""
    found = [email.strip()] if email.strip() else []
    full_name = " ".join(name.split())
    if len(full_name.split(" ")) >= 2 and len(full_name) >= 5:
        found.append(full_name)
    return found


def _pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for needle in sorted(set(needles), key=len, reverse=True):
        # A name's words may be separated by any whitespace in a text.
        words = [re.escape(word) for word in needle.split()]
        if words:
            parts.append(r"\s+".join(words))
    if not parts:
        return None
    # Not inside a longer word or address: "anna@x.se" is not in "hanna@x.se"; a Swedish
    # genitive still counts ("Anna Svenssons projekt").
    return re.compile(r"(?<![\w.+-])(?:" + "|".join(parts) + r")"
                      r"(?:(?=s(?![\w-]))|(?![\w-]|\.\w))", re.IGNORECASE)


def replace_in_text(text: str, needles: Iterable[str], replacement: str) -> str:
    """Replace every whole occurrence of the needles in `text`, whatever its case."""
    pattern = _pattern(needles)
    if pattern is None or not text:
        return text
    return pattern.sub(replacement, text)


def replace_in_value(value: Any, needles: Iterable[str], replacement: str) -> Any:
    """Replace the needles in every string of a JSON value (dicts, lists, strings); numbers,
    such as the amounts of the audit log, are left as they are."""
    needles = list(needles)
    if isinstance(value, str):
        return replace_in_text(value, needles, replacement)
    if isinstance(value, dict):
        return {key: replace_in_value(item, needles, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_in_value(item, needles, replacement) for item in value]
    return value
