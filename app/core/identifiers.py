"""Swedish identifiers: organisationsnummer and the region's diary numbers."""

from __future__ import annotations

import re

from app.core.errors import DomainError
from app.core.labels import _l

_ORGNR = re.compile(r"^(?:16)?(\d{6})[-\s]?(\d{4})$")
_DIARY = re.compile(
    r"^\s*([A-Za-zÅÄÖåäö]{1,10})([\s/\-]*)(\d{1,6})(?:\s*:\s*(\d{1,4}))?([\s/\-]+)(\d{4})\s*$"
)
# The years a diary number may name: a four-digit number outside them is the serial of a
# number written year first ("RJH/2026-1234"), not a year.
_DIARY_YEARS = range(1900, 2100)
DIARY_SHAPE = _l("PREFIX/löpnummer/år, t.ex. RUN/290/2022 eller HSN/292:7/2020")


def luhn_ok(digits: str) -> bool:
    """Return whether a string of digits passes the Luhn check used by Swedish numbers."""
    total = 0
    for i, ch in enumerate(digits):
        value = int(ch) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_org_number(text: str) -> str:
    """Return an organisationsnummer as "NNNNNN-NNNN", or raise DomainError saying what is wrong.

    Accepts "212000-2627", "2120002627" and the twelve-digit form "16212000-2627".
    """
    match = _ORGNR.match(text.strip())
    if not match:
        raise DomainError(_l("”%(text)s” är inget organisationsnummer; skriv tio siffror, t.ex. "
                             "212000-2627") % {"text": text})
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        # A third digit below 2 is a month: that is a personnummer, not an organisation's number.
        raise DomainError(_l("”%(text)s” ser ut som ett personnummer, inte ett organisationsnummer")
                          % {"text": text})
    if not luhn_ok(digits):
        raise DomainError(_l("”%(text)s” har fel kontrollsiffra; kontrollera numret")
                          % {"text": text})
    return f"{digits[:6]}-{digits[6:]}"


def normalise_diary_number(text: str) -> str:
    """Return a diary number as "PREFIX/serial[:sub]/year" ("RUN/290/2022", "HSN/292:7/2020").

    The region sometimes writes them without slashes ("RUN 290 2022", "RUN-290-2022"). A
    number whose shape is not understood is refused, never guessed: the separators must agree
    (a space after the prefix goes with any), and the last part must be a year, so
    "RJH/2026-1234" is refused rather than stored as year 1234.
    """
    match = _DIARY.match(text or "")
    if not match:
        raise DomainError(_l("”%(text)s” är inget diarienummer; skriv %(shape)s")
                          % {"text": text, "shape": DIARY_SHAPE})
    prefix, first, serial, sub, second, year = match.groups()
    first, second = _separator(first), _separator(second)
    if int(year) not in _DIARY_YEARS:
        if not sub and int(serial) in _DIARY_YEARS:
            raise DomainError(
                _l("”%(text)s” är inget diarienummer som går att tolka: %(year)s är inget år (står "
                   "året först? skriv %(turned)s); skriv %(shape)s")
                % {"text": text, "year": year, "turned": f"{prefix.upper()}/{int(year)}/{serial}",
                   "shape": DIARY_SHAPE}
            )
        raise DomainError(
            _l("”%(text)s” är inget diarienummer som går att tolka: %(year)s är inget år; skriv "
               "%(shape)s") % {"text": text, "year": year, "shape": DIARY_SHAPE}
        )
    if first not in ("", " ") and first != second:
        raise DomainError(
            _l("”%(text)s” är inget diarienummer som går att tolka: delarna skiljs åt med både "
               "”%(first)s” och ”%(second)s”; skriv %(shape)s")
            % {"text": text, "first": first, "second": second, "shape": DIARY_SHAPE}
        )
    return f"{prefix.upper()}/{int(serial)}{f':{int(sub)}' if sub else ''}/{year}"


def _separator(text: str) -> str:
    """The kind of a separator between a diary number's parts: "/", "-", a space or none."""
    kinds = set(text.replace(" ", "").replace("\t", "")) or ({" "} if text else set())
    return "".join(sorted(kinds))
