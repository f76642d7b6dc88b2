"""The SIE export's rules in plain Python: what an account number, a cost object and a
voucher series may be, and which period of a year may be exported."""

from __future__ import annotations

import re
from datetime import date

from app.core.labels import _l

#: An account of the region's chart (Kommun-Bas and the regions' charts: 4 digits, some
#: systems more).
ACCOUNT = re.compile(r"[0-9]{4,8}")
#: A cost object's code (ansvar, verksamhet, projekt): no spaces, so every system reads it.
OBJECT_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,20}")
#: The voucher series the accounting system books the file into.
SERIES = re.compile(r"[A-Za-z0-9]{1,10}")

ACCOUNT_TEXT = _l("ett kontonummer är 4–8 siffror")
OBJECT_TEXT = _l("en kod är 1–20 tecken: bokstäver a–z, siffror, punkt, - och _ (inga mellanslag)")
SERIES_TEXT = _l("serien är 1–10 bokstäver a–z eller siffror")


def account_problem(number: str) -> str | None:
    return None if ACCOUNT.fullmatch(number) else str(ACCOUNT_TEXT)


def object_problem(code: str) -> str | None:
    return None if OBJECT_CODE.fullmatch(code) else str(OBJECT_TEXT)


def period_problem(year: int, start: date, end: date) -> str | None:
    """Why the period cannot be exported from `year`'s SIE file, or None."""
    if start > end:
        return str(_l("perioden slutar före den börjar"))
    if start.year != year or end.year != year:
        return _l("perioden ska ligga inom år %(year)s (en SIE-fil gäller ett räkenskapsår)") % {
            "year": year}
    return None


