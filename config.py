"""Settings, all read from the environment when the application is created."""

import base64
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

MIB = 1024 * 1024
#: What an upload carries besides its file: the multipart boundaries and part headers, the
#: file's name, the CSRF token and the button. Far more than they take, far less than a file.
FORM_OVERHEAD_BYTES = 64 * 1024


def request_limit(attachment_max_bytes: int) -> int:
    """Return MAX_CONTENT_LENGTH for the largest attachment: Flask counts the whole request,
    so the stated per-file limit holds only if the rest of the upload fits on top of it."""
    return attachment_max_bytes + FORM_OVERHEAD_BYTES


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


class Config:
    """Settings shared by every environment."""

    #: Development builds report jobs in the web process, since nobody starts a worker there.
    jobs_in_thread_default = False

    @staticmethod
    def engine_options(url: str) -> dict:
        """A dead connection is noticed before use (PostgreSQL's without a round trip:
        app/core/reading/connections.py); a PostgreSQL server that does not answer is given up
        on after DATABASE_CONNECT_TIMEOUT seconds (the outage page answers), and a request
        waits at most DATABASE_POOL_TIMEOUT for a free connection, instead of the 30 s
        gunicorn allows a request."""
        options: dict = {"pool_pre_ping": True}
        if url.startswith("postgresql"):
            options["pool_pre_ping"] = False
            options["connect_args"] = {
                "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 5))}
            options["pool_timeout"] = int(os.environ.get("DATABASE_POOL_TIMEOUT", 10))
        return options

    def __init__(self, instance_path: str) -> None:
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or (
            "sqlite:///" + str(Path(instance_path) / "stimulansmedel.db")
        )
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.fallback_secret()
        # The keys that encrypt secrets in the database (two-factor secrets): Fernet keys,
        # comma-separated, the first encrypting and every one decrypting (to change keys, put
        # the new one first). Unset, a key derived from SECRET_KEY serves.
        self.SEALING_KEYS = _list("SEALING_KEYS")
        self.SQLALCHEMY_ENGINE_OPTIONS = self.engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # a form left open for hours must still submit
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.BABEL_DEFAULT_LOCALE = "sv"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
        self.LANGUAGES = {"sv": "Svenska", "en": "English"}
        # The links in e-mails name this site, never the Host a request came with.
        self.SITE_URL = self._site_url(os.environ.get("SITE_URL") or self.default_site_url())
        site = urlsplit(self.SITE_URL)
        self.SERVER_NAME = site.netloc
        self.PREFERRED_URL_SCHEME = site.scheme
        # Requests for any other host are refused (400) before a view runs; the load
        # balancer's health checks, which name the machine, are let through on these paths.
        self.TRUSTED_HOSTS = _list("TRUSTED_HOSTS") or self.default_trusted_hosts(site.hostname)
        self.HOST_CHECK_EXEMPT = _list("HOST_CHECK_EXEMPT") or ["/healthz", "/readyz"]
        # Login protection: failed logins and registrations are counted in one store for
        # every worker: Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) names one, else the
        # database, which is also the fallback while Redis is unreachable.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
        self.check_limit_storage(self.RATELIMIT_STORAGE_URI)
        self.REDIS_URL = os.environ.get("REDIS_URL") or (
            self.RATELIMIT_STORAGE_URI if self.RATELIMIT_STORAGE_URI.startswith("redis") else "")
        self.THROTTLE_KEY_PREFIX = os.environ.get("THROTTLE_KEY_PREFIX", "stimulansmedel:")
        # Figures kept between changes of the data (app/core/reading/figures.py): in Redis
        # when REDIS_URL names one (for this many seconds), else in each process (this many).
        self.FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", 3600))
        self.FIGURES_CACHE_ENTRIES = int(os.environ.get("FIGURES_CACHE_ENTRIES", 256))
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        # After LOGIN_MAX_FAILURES failed logins for one e-mail address within the window,
        # that address cannot log in for LOGIN_LOCKOUT_MINUTES and its owner is told.
        self.LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
        self.LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", 15))
        self.LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15))
        # How many proxies (the load balancer) stand before the app: the client address the
        # limits count is then the one they put in X-Forwarded-For, not the proxy's own.
        self.PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0))
        # Failed logins from one client address (whatever the accounts) within the same window.
        self.LOGIN_CLIENT_MAX_FAILURES = int(os.environ.get("LOGIN_CLIENT_MAX_FAILURES", 30))
        # Registrations (and requests for a new confirmation link) an hour, per client address
        # and per e-mail address.
        self.REGISTER_CLIENT_MAX_PER_HOUR = int(os.environ.get("REGISTER_CLIENT_MAX_PER_HOUR", 20))
        self.REGISTER_EMAIL_MAX_PER_HOUR = int(os.environ.get("REGISTER_EMAIL_MAX_PER_HOUR", 5))
        self.PER_PAGE = int(os.environ.get("PER_PAGE", 50))
        # Reports: one of more rows (grants, decisions) than this is built by a worker
        # (`flask jobs work`) while its page shows the progress; a smaller one is sent at once.
        self.REPORT_INLINE_MAX_ROWS = int(os.environ.get("REPORT_INLINE_MAX_ROWS", 300))
        # The queue: RQ on Redis when REDIS_URL names one, else the report_job table.
        self.REPORT_QUEUE = os.environ.get("REPORT_QUEUE") or ("rq" if self.REDIS_URL
                                                               else "database")
        self.REPORT_QUEUE_NAME = os.environ.get("REPORT_QUEUE_NAME", "stimulansmedel-reports")
        self.REPORT_JOB_TIMEOUT = int(os.environ.get("REPORT_JOB_TIMEOUT", 1800))
        self.REPORT_POLL_SECONDS = float(os.environ.get("REPORT_POLL_SECONDS", 2))
        # Without a worker (development) the web process builds a job in a background thread.
        self.REPORT_JOBS_IN_THREAD = _bool("REPORT_JOBS_IN_THREAD", self.jobs_in_thread_default)
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
        # Per file; per application, how many files and how much together (registration is
        # open, so nobody may fill the disk through drafts).
        self.ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 10 * MIB))
        self.ATTACHMENT_MAX_COUNT = int(os.environ.get("ATTACHMENT_MAX_COUNT", 20))
        self.ATTACHMENT_MAX_TOTAL_BYTES = int(os.environ.get("ATTACHMENT_MAX_TOTAL_BYTES", 50 * MIB))
        self.MAX_CONTENT_LENGTH = request_limit(self.ATTACHMENT_MAX_BYTES)
        # The largest exchange file imported, on the import page and `flask funds import` alike.
        self.IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 2 * MIB))
        # The largest request body the API reads (None: IMPORT_MAX_BYTES, its largest need),
        # and the failed API tokens one client address may send within the login window.
        self.API_MAX_BODY_BYTES = (int(os.environ["API_MAX_BODY_BYTES"])
                                   if os.environ.get("API_MAX_BODY_BYTES") else None)
        self.API_TOKEN_MAX_FAILURES = int(os.environ.get("API_TOKEN_MAX_FAILURES", 20))
        self.CONFIRMATION_MAX_AGE = int(os.environ.get("CONFIRMATION_MAX_AGE", 3 * 24 * 3600))
        # A password reset link works once, for this many seconds (an hour).
        self.PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", 3600))
        # Personal data is cleared (`flask privacy purge`) this many whole calendar years after
        # the year a record ended. Defaults follow Swedish public-sector practice; the region's
        # document management plan (dokumenthanteringsplan) decides and may differ:
        # closed projects 7 years, as accounting records (bokföringslagen 7 kap. 2 §, via
        # lagen om kommunal bokföring och redovisning); rejected applications 2 years after
        # the decision, the usual clearing period for applications not granted; sent e-mails
        # 2 years (the outbox is a record of delivery; the decisions themselves are kept).
        self.PRIVACY_RETENTION_YEARS = int(os.environ.get("PRIVACY_RETENTION_YEARS", 7))
        self.PRIVACY_REJECTED_RETENTION_YEARS = int(
            os.environ.get("PRIVACY_REJECTED_RETENTION_YEARS", 2))
        self.PRIVACY_EMAIL_RETENTION_YEARS = int(
            os.environ.get("PRIVACY_EMAIL_RETENTION_YEARS", 2))
        # Where people ask about their personal data (shown on /integritet), e.g. the
        # region's registrar or data protection officer.
        self.PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")

    def fallback_secret(self) -> str:
        """Return a per-process key: fine for a laptop, refused in production."""
        return secrets.token_hex(32)

    def default_site_url(self) -> str:
        """The site the links in e-mails name when SITE_URL is not set: the development server."""
        return "http://127.0.0.1:5000"

    def default_trusted_hosts(self, site_host: str | None) -> list[str]:
        """The hosts served when TRUSTED_HOSTS is not set: the site's, and this machine's."""
        return [host for host in (site_host, "localhost", "127.0.0.1") if host]

    def check_limit_storage(self, uri: str) -> None:
        """Refuse a limit storage that each process keeps on its own (overridden in production)."""

    @staticmethod
    def _site_url(url: str) -> str:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise RuntimeError(
                f"SITE_URL must be the site's address such as https://stimulansmedel.example.se "
                f"(a scheme and a host, no path), not {url!r}")
        return f"{parts.scheme}://{parts.netloc}"


class DevelopmentConfig(Config):
    DEBUG = False
    jobs_in_thread_default = True

    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        if not self.SEALING_KEYS and not os.environ.get("SECRET_KEY"):
            # The key per process would seal secrets that the next start cannot open.
            self.SEALING_KEYS = [_instance_key(Path(instance_path) / "sealing.key")]


def _instance_key(path: Path) -> str:
    """A Fernet key kept in the instance folder (made on first use, readable by its owner
    only): a laptop's two-factor secrets stay readable from one start to the next."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process (the reloader's) made it first
            return path.read_text().strip()
        with os.fdopen(descriptor, "w") as out:
            out.write(key)
        return key
    return path.read_text().strip()


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

    def default_site_url(self) -> str:
        raise RuntimeError(
            "SITE_URL must be set in the environment in production: the address the links in "
            "e-mails lead to, such as SITE_URL=https://stimulansmedel.example.se")

    def default_trusted_hosts(self, site_host: str | None) -> list[str]:
        return [site_host] if site_host else []

    def check_limit_storage(self, uri: str) -> None:
        if uri.startswith("memory"):
            raise RuntimeError(
                "RATELIMIT_STORAGE_URI=memory:// counts login attempts in each process on its "
                "own; in production leave it unset (the database counts) or name a Redis "
                "(redis://host:6379)")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None, instance_path: str) -> Config:
    """Build the settings object for the environment named by APP_ENV (default development)."""
    name = name or os.environ.get("APP_ENV", "development")
    return CONFIGS[name](instance_path)
