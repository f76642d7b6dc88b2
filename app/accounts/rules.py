"""The rules of accounts: what an e-mail address looks like, what makes a password strong
enough, who belongs to an organisation, and the codes of two-factor login."""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime

import pyotp
from zxcvbn import zxcvbn

from app.core.errors import DomainError
from app.core.labels import _l

#: Something, an @, a domain with a dot: anything stricter refuses real addresses.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
#: zxcvbn's score from 0 (guessed at once) to 4; 3 is "safely unguessable" at online attack
#: rates, the level its authors recommend for accounts behind rate limits.
MIN_PASSWORD_SCORE = 3
#: zxcvbn weighs only this much of a password (it slows down on very long input).
_ESTIMATED_LENGTH = 100
#: Swedish words people build passwords from, which zxcvbn's English lists lack (so
#: "Sommar2024!" would pass), most common first: zxcvbn ranks them as a dictionary.
SWEDISH_PASSWORD_WORDS = (
    "lösenord", "losenord", "sommar", "vinter", "våren", "varen", "hösten", "hosten", "hejsan",
    "sverige", "stockholm", "göteborg", "goteborg", "malmö", "malmo", "östersund", "ostersund",
    "jämtland", "jamtland", "härjedalen", "region", "kommun", "januari", "februari", "mars",
    "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december",
    "måndag", "mandag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "lordag", "söndag",
    "sondag", "mamma", "pappa", "älskling", "alskling", "kärlek", "karlek", "hemligt", "välkommen",
    "valkommen", "qwerty", "abc123",
)
#: zxcvbn's warnings, which are English, in Swedish; any other reason gets general advice.
_WARNINGS = {
    "Straight rows of keys are easy to guess.": _l("tangenter i rad är lätta att gissa"),
    "Short keyboard patterns are easy to guess.": _l("korta mönster på tangentbordet är lätta "
                                                     "att gissa"),
    'Repeats like "aaa" are easy to guess.': _l("upprepningar som ”aaa” är lätta att gissa"),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        _l("upprepningar som ”abcabcabc” är knappt svårare att gissa än ”abc”"),
    'Sequences like "abc" or "6543" are easy to guess.': _l("följder som ”abc” eller ”6543” är "
                                                           "lätta att gissa"),
    "Recent years are easy to guess.": _l("årtal är lätta att gissa"),
    "Dates are often easy to guess.": _l("datum är lätta att gissa"),
    "This is a top-10 common password.": _l("det är ett av de tio vanligaste lösenorden"),
    "This is a top-100 common password.": _l("det är ett av de hundra vanligaste lösenorden"),
    "This is a very common password.": _l("det är ett mycket vanligt lösenord"),
    "This is similar to a commonly used password.": _l("det liknar ett vanligt lösenord"),
    "A word by itself is easy to guess.": _l("ett ensamt ord är lätt att gissa"),
    "Names and surnames by themselves are easy to guess.": _l("namn är lätta att gissa"),
    "Common names and surnames are easy to guess.": _l("vanliga namn är lätta att gissa"),
}
_ADVICE = _l("välj hellre tre eller fyra ord som inte hör ihop, med mellanslag eller "
             "bindestreck emellan")
#: A name or address, or a part of one, shorter than this may be part of a password (zxcvbn
#: still weighs it): "Ada" must not forbid "adagio", nor "a@example.se" every "a".
_PERSONAL_PART = 4


class PasswordRefused(DomainError):
    """The password chosen is too short or too easy to guess: a refusal of `password`."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="password")


def normalise_email(text: str) -> str:
    """Return an e-mail address as accounts keep it (trimmed, lower case), or refuse it."""
    email = text.strip().lower()
    if not EMAIL.match(email):
        raise DomainError(_l("%(email)r är ingen giltig e-postadress") % {"email": email})
    return email


def _personal_words(email: str, name: str) -> tuple[list[str], list[str], list[str]]:
    """Return what a password may not be (the address, its local part, the name), what it
    may not contain (those and their parts, when long enough to mean something), and every
    word of them, for zxcvbn to weigh."""
    email = email.strip().casefold()
    local = email.split("@", 1)[0]
    name = " ".join(name.casefold().split())
    whole = [w for w in (email, local, name, name.replace(" ", "")) if w]
    parts = [p for p in re.split(r"[\W_]+", f"{local} {name}") if p]
    contained = [w for w in [*whole, *parts] if len(w) >= _PERSONAL_PART]
    words = [p for p in re.split(r"[\W_]+", email) if p]
    return whole, contained, [*whole, *parts, *words]


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse a password shorter than MIN_PASSWORD characters, one that contains the person's
    e-mail address, its local part or name, and one zxcvbn scores below MIN_PASSWORD_SCORE."""
    if len(password) < MIN_PASSWORD:
        raise PasswordRefused(str(_l("lösenordet måste ha minst %(num)s tecken")
                                  % {"num": MIN_PASSWORD}))
    whole, contained, personal = _personal_words(email, name)
    folded = password.casefold()
    if folded.strip() in whole or any(word in folded for word in contained):
        raise PasswordRefused(str(_l("lösenordet får inte innehålla din e-postadress eller "
                                     "ditt namn")))
    result = zxcvbn(password[:_ESTIMATED_LENGTH],
                    user_inputs=[*personal, *SWEDISH_PASSWORD_WORDS])
    if result["score"] < MIN_PASSWORD_SCORE:
        why = _WARNINGS.get(result["feedback"]["warning"])
        reason = f"{why}; {_ADVICE}" if why else str(_ADVICE)
        raise PasswordRefused(str(_l("för lätt att gissa: %(reason)s") % {"reason": reason}))


def check_membership(*, applicant: bool, has_organisation: bool) -> None:
    """Refuse an applicant without an organisation, and staff with one: applicants see their
    organisation's applications, staff see everything."""
    if applicant and not has_organisation:
        raise DomainError(str(_l("en sökande måste höra till en organisation")))
    if not applicant and has_organisation:
        raise DomainError(str(_l("bara sökande hör till en organisation")))


def kept_organisation(organisation_id: int | None, merged_into: dict[int, int]) -> int | None:
    """Return the organisation kept after merges (`merged_into`: duplicate → kept), or the
    organisation itself when it was never merged."""
    seen: set[int] = set()
    while organisation_id in merged_into and organisation_id not in seen:
        seen.add(organisation_id)
        organisation_id = merged_into[organisation_id]
    return organisation_id


# Two-factor login ------------------------------------------------------------------------

TOTP_ISSUER = "Stimulansmedel"
RECOVERY_CODE_COUNT = 10
#: No 0/o, 1/l/i: a recovery code is read off paper.
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_RECOVERY_LENGTH = 10  # about 50 bits
_TOTP_CODE = re.compile(r"^\d{6}$")


def new_totp_secret() -> str:
    """Return a new random TOTP secret (160 bits, base32)."""
    return pyotp.random_base32(32)


def totp_uri(secret: str, email: str) -> str:
    """Return the otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def is_totp_code(text: str) -> bool:
    """Whether what was typed looks like an app's six-digit code (else a recovery code)."""
    return bool(_TOTP_CODE.match(re.sub(r"\s+", "", text)))


def matching_step(secret: str, code: str, *, at: datetime, last_step: int | None) -> int | None:
    """Return the time step whose code this is (the present one, or one either side for a
    clock that drifts), or None; a step at or before `last_step` is refused, so a code once
    used cannot be used again."""
    code = re.sub(r"\s+", "", code)
    if not _TOTP_CODE.match(code) or not secret:  # no secret (or none readable) matches none
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(at)
    for step in (now - 1, now, now + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Return `count` new one-time recovery codes, written as "abcde-fghjk"."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise_recovery_code(text: str) -> str:
    """Return a recovery code as it is hashed: lower case, without spaces and dashes."""
    return re.sub(r"[\s-]+", "", text).lower()


def parse_roles(text: str) -> frozenset[str]:
    """Read a comma-separated list of roles ("admin,coordinator") from the settings."""
    return frozenset(part.strip() for part in (text or "").split(",") if part.strip())

