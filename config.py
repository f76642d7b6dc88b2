"""Settings, all read from the environment when the application is created."""

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    def __init__(self, instance_path: str) -> None:
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or (
            "sqlite:///" + str(Path(instance_path) / "stimulansmedel.db")
        )
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.fallback_secret()
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # a form left open for hours must still submit
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.BABEL_DEFAULT_LOCALE = "sv"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
        self.LANGUAGES = {"sv": "Svenska", "en": "English"}
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 10 * 1024 * 1024))
        # Login throttling: memory per process by default; a shared Redis when several
        # gunicorn workers or machines must count together (RATELIMIT_STORAGE_URI=redis://...).
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")
        self.PER_PAGE = int(os.environ.get("PER_PAGE", 50))
        # Strict-Transport-Security max-age; 0 sends none (development serves plain HTTP).
        self.HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 0))
        self.PASSWORD_HASH_METHOD = "scrypt"
        # Two-factor login: the roles that must use it (an administrator can require it of
        # everyone on the security page); wrong codes allowed before the password is asked
        # again, and how long a password stays good for typing the code.
        self.TWO_FACTOR_REQUIRED_ROLES = os.environ.get("TWO_FACTOR_REQUIRED_ROLES",
                                                        "admin,coordinator")
        self.TWO_FACTOR_MAX_TRIES = int(os.environ.get("TWO_FACTOR_MAX_TRIES", 5))
        self.TWO_FACTOR_PENDING_SECONDS = int(os.environ.get("TWO_FACTOR_PENDING_SECONDS", 300))
        # E-mail: every message is kept in the outbox table; it is sent through Flask-Mail only
        # when MAIL_SERVER names an SMTP server, so development and tests never lose one.
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
        self.MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
        self.MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "stimulansmedel@localhost")
        self.MAIL_SUPPRESS_SEND = not self.MAIL_SERVER
        # Applicants' attachments live outside the web root.
        self.UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads")
        self.ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
        self.CONFIRMATION_MAX_AGE = int(os.environ.get("CONFIRMATION_MAX_AGE", 3 * 24 * 3600))

    def fallback_secret(self) -> str:
        """Return a per-process key: fine for a laptop, refused in production."""
        return secrets.token_hex(32)


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        self.TESTING = True
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_ENABLED = False
        # Hundreds of test accounts: a cheap hash keeps the suite fast; production keeps scrypt.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
        # The existing tests log in with a password alone; the two-factor tests turn it on.
        self.TWO_FACTOR_REQUIRED_ROLES = ""


class ProductionConfig(Config):
    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
        self.HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600))

    def fallback_secret(self) -> str:
        raise RuntimeError("SECRET_KEY must be set in the environment in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None, instance_path: str) -> Config:
    """Build the settings object for the environment named by APP_ENV (default development)."""
    name = name or os.environ.get("APP_ENV", "development")
    return CONFIGS[name](instance_path)
