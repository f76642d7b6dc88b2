"""Accounts and roles, applicant organisations, and what the audit log records of them."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.audit import AuditAction
from app.core.labels import LabelledEnum, _l
from app.core.types import SealedText, UTCDateTime, enum_column, utcnow
from app.extensions import db


class Role(LabelledEnum):
    """What an account may do: administrators also keep the funds and accounts, coordinators
    change money, viewers read, applicants see their own organisation's applications."""

    ADMIN = "admin", _l("Administratör")
    COORDINATOR = "coordinator", _l("Samordnare")
    VIEWER = "viewer", _l("Läsare")
    APPLICANT = "applicant", _l("Sökande")


STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.VIEWER})


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    # Applicants belong to an organisation and see only its applications.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id a session cookie carries: raising it (logout, a new password) makes every
    # cookie issued before, copied or not, open nothing.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the account and its session version."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Make every session and remember-me cookie of this account stop working."""
        self.session_version = (self.session_version or 1) + 1
    # Set when an administrator anonymised the account: its name and e-mail are a pseudonym
    # and it can never log in again (app/privacy/anonymise.py).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor login: the TOTP secret is set when enrolment starts and counts only once a
    # first code has confirmed it (totp_enabled_at); the last time step used refuses a code
    # a second time within its window.
    totp_secret: Mapped[str | None] = mapped_column(SealedText)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def can_edit_money(self) -> bool:
        return self.role in (Role.ADMIN, Role.COORDINATOR)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def label(self) -> str:
        return self.name or self.email

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(300))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


#: The AccountSetting that requires two factors of every account ("1") or only of the roles
#: the configuration names.
TWO_FACTOR_EVERYONE = "two_factor.everyone"


class AccountSetting(db.Model):
    """A setting of accounts an administrator changes (whether everyone needs two factors)."""

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254))


class ThrottleHit(db.Model):
    """One counted attempt (a failed login, a registration) or a lockout, for the login
    protection when no Redis is configured: rows are only added, so workers never contend for
    one, and each count is a COUNT over a window."""

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(30))
    # A digest of what is counted (an e-mail address, a client address): fixed length, and no
    # addresses of people kept in the table.
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (Index("ix_throttle_hit_scope_key_at", "scope", "key", "at"),)


class ApiToken(db.Model):
    """A personal API token: it acts as its user, with that user's role. Only the SHA-256 of
    the secret is kept; its first characters (`prefix`) name it on the page of tokens."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")

    def usable_at(self, moment: datetime) -> bool:
        """Whether the token opens the API at `moment`: not revoked, not expired."""
        return self.revoked_at is None and (self.expires_at is None or moment < self.expires_at)


class OrganisationKind(LabelledEnum):
    MUNICIPALITY = "municipality", _l("Kommun")
    REGION_UNIT = "region_unit", _l("Regionens verksamhet")
    HEALTH_CENTRE = "health_centre", _l("Hälsocentral")
    SCHOOL = "school", _l("Skola")
    ASSOCIATION = "association", _l("Förening")
    OTHER = "other", _l("Annan")


class Organisation(db.Model):
    """An applicant organisation: a municipality, region unit, health centre, school, …"""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    org_number: Mapped[str | None] = mapped_column(String(11), unique=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccountAction(AuditAction):
    """What the audit log records of accounts and organisations."""

    USER_CREATE = "user.create", _l("Nytt konto")
    USER_CONFIRM = "user.confirm", _l("Bekräftad e-postadress")
    USER_SET_PASSWORD = "user.set_password", _l("Valt lösenord")
    USER_ACTIVATE = "user.activate", _l("Aktiverat konto")
    USER_DEACTIVATE = "user.deactivate", _l("Inaktiverat konto")
    USER_ROLE_CHANGE = "user.role_change", _l("Ändrad roll")
    USER_RESET_PASSWORD = "user.reset_password", _l("Återställt lösenord")
    USER_CHANGE_EMAIL = "user.change_email", _l("Bytt e-postadress")
    USER_ANONYMISE = "user.anonymise", _l("Anonymiserat konto")
    USER_TWO_FACTOR_ENABLE = "user.two_factor_enable", _l("Aktiverad tvåstegsverifiering")
    USER_TWO_FACTOR_DISABLE = "user.two_factor_disable", _l("Avstängd tvåstegsverifiering")
    USER_TWO_FACTOR_RESET = "user.two_factor_reset", _l("Återställd tvåstegsverifiering")
    USER_RECOVERY_CODES = "user.recovery_codes", _l("Nya reservkoder")
    TWO_FACTOR_POLICY = "setting.two_factor", _l("Ändrat krav på tvåstegsverifiering")
    ORGANISATION_CREATE = "organisation.create", _l("Ny organisation")
    API_TOKEN_CREATE = "api_token.create", _l("Ny API-nyckel")
    API_TOKEN_REVOKE = "api_token.revoke", _l("Återkallad API-nyckel")
