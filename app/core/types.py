"""Column types shared by the models."""

from datetime import datetime, timezone

from sqlalchemy import BigInteger, DateTime, Enum, TypeDecorator

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
