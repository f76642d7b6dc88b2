"""Money as whole öre (int): parse Swedish and exchange-format amounts, format the Swedish way."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.core.errors import AmountError
from app.core.labels import _l

ORE_PER_KRONA = 100
NBSP = "\u00a0"
MINUS = "\u2212"
# Largest amount accepted anywhere: a trillion kronor, far above any grant, well inside BigInteger.
MAX_ORE = 10**12 * ORE_PER_KRONA

_EXCHANGE_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def kronor(value: int | str | Decimal) -> int:
    """Return öre for a whole or decimal number of kronor (a test and seed helper)."""
    return int(Decimal(str(value)) * ORE_PER_KRONA)


def _to_ore(amount: Decimal) -> int:
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AmountError(str(_l("beloppet får ha högst två decimaler (hela öre)")))
    ore = int(amount * ORE_PER_KRONA)
    if ore > MAX_ORE:
        raise AmountError(str(_l("beloppet är orimligt stort")))
    return ore


def parse_exchange_amount(value: object) -> int:
    """Read an amount of the exchange format: an integer or a decimal string, never negative."""
    if isinstance(value, bool) or value is None:
        raise AmountError(_l("%(value)r är inget belopp") % {"value": value})
    if isinstance(value, int):
        if value < 0:
            raise AmountError(_l("negativt belopp (%(value)s) är inte tillåtet") % {"value": value})
        return _to_ore(Decimal(value))
    if isinstance(value, float):
        raise AmountError(
            _l("%(value)r är ett flyttal; skriv beloppet som heltal (1000000) eller som sträng med "
               'högst två decimaler ("1000000.50")') % {"value": value}
        )
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-") or text.startswith(MINUS):
            raise AmountError(_l("negativt belopp (%(value)r) är inte tillåtet") % {"value": value})
        if not _EXCHANGE_DECIMAL.match(text):
            raise AmountError(
                _l("%(value)r är inget giltigt belopp; skriv heltal kronor eller en decimalsträng "
                   'med punkt och högst två decimaler, t.ex. "1000000.50"') % {"value": value}
            )
        return _to_ore(Decimal(text))
    raise AmountError(_l("%(value)r är inget belopp") % {"value": value})


def parse_amount(text: str, *, allow_negative: bool = False) -> int:
    """Read an amount typed by a person the Swedish way ("1 000 000,50 kr") into öre."""
    if text is None or not str(text).strip():
        raise AmountError(str(_l("ange ett belopp")))
    raw = str(text).strip()
    cleaned = raw.lower().removesuffix("kr").removesuffix(":-").strip()
    cleaned = _SPACES.sub("", cleaned).replace(MINUS, "-")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    if "," in cleaned and "." in cleaned:
        raise AmountError(_l("”%(raw)s” kan inte läsas som belopp; skriv t.ex. 1 000 000,50")
                          % {"raw": raw})
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", cleaned):
        raise AmountError(_l("”%(raw)s” kan inte läsas som belopp; skriv t.ex. 1 000 000,50")
                          % {"raw": raw})
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above already guards
        raise AmountError(_l("”%(raw)s” kan inte läsas som belopp") % {"raw": raw}) from exc
    if negative and amount != 0:
        if not allow_negative:
            raise AmountError(str(_l("beloppet får inte vara negativt")))
        amount = -amount
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AmountError(str(_l("beloppet får ha högst två decimaler (hela öre)")))
    return -_to_ore(-amount) if amount < 0 else _to_ore(amount)


def format_amount(ore: int | None, *, unit: bool = False, decimals: bool | None = None) -> str:
    """Format öre the Swedish way: "1 000 000", "−8 436 kr", "1 000 000,50".

    Decimals are shown only when the amount has öre, unless `decimals` forces them.
    """
    if ore is None:
        return ""
    sign = MINUS if ore < 0 else ""
    whole, cents = divmod(abs(int(ore)), ORE_PER_KRONA)
    digits = f"{whole:,}".replace(",", NBSP)
    text = f"{sign}{digits}"
    if decimals or (decimals is None and cents):
        text += f",{cents:02d}"
    if unit:
        text += f"{NBSP}kr"
    return text


def exchange_amount(ore: int) -> int | str:
    """Write öre as the exchange format does: whole kronor as int, else a decimal string."""
    # divmod of a negative number rounds towards minus infinity (−50 öre would be "-1.50").
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), ORE_PER_KRONA)
    return (-whole if ore < 0 else whole) if cents == 0 else f"{sign}{whole}.{cents:02d}"


def ore_to_decimal(ore: int) -> Decimal:
    """Return kronor as an exact Decimal (for spreadsheets)."""
    return Decimal(ore) / ORE_PER_KRONA
