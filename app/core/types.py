"""Column types shared by the models."""

import base64
import logging
from datetime import datetime, timezone

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import BigInteger, DateTime, Enum, String, TypeDecorator

# Money is whole öre in a BigInteger: exact on SQLite too, where Numeric is not.
Ore = BigInteger
#: The largest id a row can have: the database's INTEGER (32 bits, on PostgreSQL as on
#: SQLite's columns made for it). A larger number names no row, and must not reach a query,
#: which it would overflow.
MAX_ID = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp that reads back aware on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def enum_column(cls, length: int = 30) -> Enum:
    """Store an enum as its value in a VARCHAR (no native database enum to migrate)."""
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


log = logging.getLogger(__name__)
SEALED = "sealed1:"  # what a sealed value starts with; no value sealed starts so by itself


def _sealing() -> MultiFernet:
    """The keys that seal and open values: SEALING_KEYS (Fernet keys, the first seals, every
    one opens, so a new key can come first while the old still open), else one derived from
    SECRET_KEY."""
    keys = current_app.config.get("SEALING_KEYS") or []
    if not keys:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"stimulansmedel sealed columns").derive(
            current_app.config["SECRET_KEY"].encode())
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def seal(value: str) -> str:
    """Encrypt `value` (authenticated) for storing; a value already sealed is kept."""
    if value.startswith(SEALED):
        return value
    return SEALED + _sealing().encrypt(value.encode()).decode()


def unseal(stored: str) -> str | None:
    """The value `seal` stored; a value stored before sealing was (not sealed) as it is; None
    (and an error in the log) when no key opens it: a database restored under another key
    must not stop the pages that load the row, and a secret that cannot be read matches no
    code."""
    if not stored.startswith(SEALED):
        return stored
    try:
        return _sealing().decrypt(stored.removeprefix(SEALED).encode()).decode()
    except InvalidToken:
        log.error("a sealed value that none of SEALING_KEYS (or SECRET_KEY) opens")
        return None


class SealedText(TypeDecorator):
    """A secret the database holds only encrypted (a two-factor secret): someone with a copy
    of the database or of a backup does not have it without the app's key."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else seal(value)

    def process_result_value(self, value, dialect):
        return None if value is None else unseal(value)
