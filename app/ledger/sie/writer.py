"""Write a SIE 4 file: a pure function from the rows of an export to the file's bytes.

The rules followed are those of the SIE standard ("SIE filformat", version 4B), see docs/sie.md:

- The file is in IBM PC 8-bit extended ASCII, code page 437 (`#FORMAT PC8`); a character the
  code page lacks becomes `?`. Each line ends with CR LF.
- A field holding a space, or empty, is put within quotation marks; texts always are here.
  A quotation mark in a field is preceded by a backslash (and so is a backslash, so that a
  reader can tell the two apart). Control characters (ASCII 0–31 and 127) may not stand in a
  text: a tab or line break becomes a space, any other is left out.
- Dates are YYYYMMDD; amounts are kronor with a decimal point and two decimals (öre), a
  minus sign for credit.
- The identification posts come in the standard's order (#FLAGGA, #PROGRAM, #FORMAT, #GEN,
  #SIETYP, #FNAMN, #RAR), then the chart (#KONTO, #DIM, #OBJEKT), then one #VER per voucher
  with its #TRANS rows between braces; every voucher balances to zero.

Nothing here reads the clock or the database: the same rows give the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

ENCODING = "cp437"
NEWLINE = "\r\n"

#: The SIE standard's reserved dimensions used here, and the free one (20 and up are free).
DIMENSION_NAMES = {1: "Ansvar", 6: "Projekt", 20: "Verksamhet"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


@dataclass(frozen=True)
class Trans:
    """One row of a voucher: an account, its objects {dimension: object}, and öre (+ debit)."""

    account: str
    amount: int
    objects: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Voucher:
    """One verification (#VER): its series and number, date, text, registration date, rows."""

    series: str
    number: str
    on: date
    text: str
    rows: tuple[Trans, ...]
    registered_on: date | None = None


@dataclass(frozen=True)
class SieFile:
    """What a SIE 4 file holds: who made it, for whom, the year, the chart and the vouchers."""

    program: str
    version: str
    generated_on: date
    company: str
    year_start: date
    year_end: date
    accounts: dict[str, str] = field(default_factory=dict)  # number: name
    objects: dict[tuple[int, str], str] = field(default_factory=dict)  # (dim, id): name
    vouchers: tuple[Voucher, ...] = ()


def clean(text: str) -> str:
    """A text as a SIE field may hold it: no control characters, line breaks as spaces."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text)).strip()


def quoted(text: str) -> str:
    """A text field: within quotation marks, quotes and backslashes escaped."""
    return '"' + clean(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def sie_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def sie_amount(ore: int) -> str:
    """Öre as kronor with a decimal point: 150050 → 1500.50, -5 → -0.05."""
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole}.{cents:02d}"


def _objects(objects: tuple[tuple[int, str], ...]) -> str:
    return "{" + " ".join(f"{dim} {quoted(obj)}" for dim, obj in objects) + "}"


def unbalanced(voucher: Voucher) -> int:
    """What the voucher's rows sum to (0 when it balances)."""
    return sum(row.amount for row in voucher.rows)


def write_sie(sie: SieFile) -> bytes:
    """Return the SIE 4 file of `sie` as bytes in code page 437.

    Raises ValueError for a voucher that does not balance, or a row whose account or object
    the file does not declare: such a file must never reach the accounting system."""
    lines = [
        "#FLAGGA 0",
        f"#PROGRAM {quoted(sie.program)} {quoted(sie.version)}",
        "#FORMAT PC8",
        f"#GEN {sie_date(sie.generated_on)}",
        "#SIETYP 4",
        f"#FNAMN {quoted(sie.company)}",
        f"#RAR 0 {sie_date(sie.year_start)} {sie_date(sie.year_end)}",
    ]
    for number in sorted(sie.accounts):
        lines.append(f"#KONTO {number} {quoted(sie.accounts[number])}")
    for dim in sorted({dim for dim, _ in sie.objects}):
        lines.append(f"#DIM {dim} {quoted(DIMENSION_NAMES.get(dim, str(dim)))}")
    for dim, obj in sorted(sie.objects):
        lines.append(f"#OBJEKT {dim} {quoted(obj)} {quoted(sie.objects[(dim, obj)])}")
    for voucher in sie.vouchers:
        if unbalanced(voucher):
            raise ValueError(f"verifikation {voucher.number} balanserar inte")
        registered = f" {sie_date(voucher.registered_on)}" if voucher.registered_on else ""
        lines.append(f"#VER {quoted(voucher.series)} {quoted(voucher.number)} "
                     f"{sie_date(voucher.on)} {quoted(voucher.text)}{registered}")
        lines.append("{")
        for row in voucher.rows:
            if row.account not in sie.accounts:
                raise ValueError(f"kontot {row.account} är inte deklarerat")
            if any(obj not in sie.objects for obj in row.objects):
                raise ValueError(f"verifikation {voucher.number} har ett odeklarerat objekt")
            lines.append(f"   #TRANS {row.account} {_objects(row.objects)} "
                         f"{sie_amount(row.amount)} {sie_date(voucher.on)} {quoted(voucher.text)}")
        lines.append("}")
    text = NEWLINE.join(lines) + NEWLINE
    return text.encode(ENCODING, errors="replace")


# --- the rows as stored with an export (JSON), so the file can be made again exactly ------

def to_rows(sie: SieFile) -> dict:
    """The file's content as a JSON document (what an export record keeps)."""
    return {
        "program": sie.program, "version": sie.version,
        "generated_on": sie.generated_on.isoformat(), "company": sie.company,
        "year_start": sie.year_start.isoformat(), "year_end": sie.year_end.isoformat(),
        "accounts": [[number, name] for number, name in sorted(sie.accounts.items())],
        "objects": [[dim, obj, name] for (dim, obj), name in sorted(sie.objects.items())],
        "vouchers": [{
            "series": v.series, "number": v.number, "on": v.on.isoformat(), "text": v.text,
            "registered_on": v.registered_on.isoformat() if v.registered_on else None,
            "rows": [{"account": r.account, "amount": r.amount,
                      "objects": [[dim, obj] for dim, obj in r.objects]} for r in v.rows],
        } for v in sie.vouchers],
    }


def from_rows(rows: dict) -> SieFile:
    """The file of a JSON document written by `to_rows`."""
    day = date.fromisoformat
    return SieFile(
        program=rows["program"], version=rows["version"],
        generated_on=day(rows["generated_on"]), company=rows["company"],
        year_start=day(rows["year_start"]), year_end=day(rows["year_end"]),
        accounts={number: name for number, name in rows["accounts"]},
        objects={(dim, obj): name for dim, obj, name in rows["objects"]},
        vouchers=tuple(Voucher(
            series=v["series"], number=v["number"], on=day(v["on"]), text=v["text"],
            registered_on=day(v["registered_on"]) if v["registered_on"] else None,
            rows=tuple(Trans(account=r["account"], amount=r["amount"],
                             objects=tuple((dim, obj) for dim, obj in r["objects"]))
                       for r in v["rows"]),
        ) for v in rows["vouchers"]),
    )
