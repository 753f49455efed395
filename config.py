"""Configuration classes.

The environment is read when a config object is built (``load_config``), never at
import time, so tests and tools can set variables before creating the app.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"

#: Values that must never reach production as a SECRET_KEY.
_PLACEHOLDER_SECRETS = {"", "dev", "change-me", "changeme", "secret", "development"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # psycopg 3 is the PostgreSQL driver; accept the plain URL forms people paste.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret() -> str:
    """A per-installation key kept in instance/, so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _non_negative(name: str, raw: str | None, default: float, unit: str = "") -> float:
    """A number read from the environment as ``raw``: 0 or more, else a clear error at start.

    Callers pass ``os.environ.get(NAME)`` themselves, so every setting's name sits
    beside the read that honours it.
    """
    text = (raw or "").strip()
    if not text:
        return default
    kind = f"a number of {unit}" if unit else "a number"
    try:
        value = float(text)
    except ValueError:
        message = f"{name} must be {kind}, for example 10 or 0.5 (got {text!r})."
        raise RuntimeError(message) from None
    if value < 0 or value != value or value == float("inf"):
        raise RuntimeError(f"{name} must be 0 (off) or a positive number (got {text!r}).")
    return value


def _whole_number(name: str, raw: str | None, default: int, *, minimum: int) -> int:
    """A whole number read from the environment, at least ``minimum``; else a clear error."""
    text = (raw or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        raise RuntimeError(f"{name} must be a whole number of {minimum} or more (got {text!r}).")
    return int(text)


def _rate_limit(raw: str | None, default: str) -> str:
    """A Flask-Limiter rate string such as "10 per 20 seconds"; checked at start."""
    from limits import parse

    text = (raw or "").strip() or default
    try:
        parse(text)
    except ValueError:
        raise RuntimeError(
            f"RATELIMIT_CHAT_SEND must look like '10 per 20 seconds' (got {text!r})."
        ) from None
    return text


#: The browser vendors' Web Push services (Chrome/Android/Opera/Samsung via FCM,
#: Firefox, Edge via WNS, Safari). The server POSTs pushes only to URLs under these.
DEFAULT_PUSH_SERVICES = (
    "https://fcm.googleapis.com/",
    "https://updates.push.services.mozilla.com/",
    "https://*.notify.windows.com/",
    "https://web.push.apple.com/",
)


def _development_vapid_key() -> str:
    """A per-installation VAPID key (PEM) kept in instance/, so browsers' push
    subscriptions stay valid across restarts. Production sets VAPID_PRIVATE_KEY."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "vapid_private_key.pem"
    if not key_file.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Written to a private temporary file (0600 from the start), then moved into
        # place, so a second process starting at the same moment never reads half a key.
        temporary = key_file.with_name(f".{key_file.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, key_file)  # fails if another process won the race
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return key_file.read_text().strip()


def _push_endpoints(default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get("WEB_PUSH_ALLOWED_ENDPOINTS")
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


_LINK_POLICIES = ("block_all", "block_contact", "allow")


def _link_policy(value: str) -> str:
    policy = value.strip().lower().replace("-", "_") or "block_contact"
    if policy not in _LINK_POLICIES:
        raise RuntimeError(
            f"LINK_POLICY must be one of {', '.join(_LINK_POLICIES)} (got {value!r})."
        )
    return policy


def _delay_range(raw: str | None, default: tuple[float, float]) -> tuple[float, float]:
    """PEER_GUIDANCE_DELAY_SECONDS: "30-180" (a random wait in that range) or "0"."""
    text = (raw or "").strip()
    if not text:
        return default
    low, _, high = text.partition("-")
    try:
        bounds = (float(low), float(high or low))
    except ValueError:
        bounds = (-1.0, -1.0)
    if not 0 <= bounds[0] <= bounds[1] < 3600:
        raise RuntimeError(
            "PEER_GUIDANCE_DELAY_SECONDS must be seconds like 30-180 (a range under an "
            f"hour) or 0 (got {text!r})."
        )
    return bounds


def _crisis_policy(value: str) -> str:
    policy = value.strip().lower() or "deliver"
    if policy not in ("deliver", "hold"):
        raise RuntimeError(f"CRISIS_POLICY must be deliver or hold (got {value!r}).")
    return policy


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    TESTING = False
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = ""
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead; a slow wizard must not expire
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_REGISTER = "5 per minute;20 per hour"
    SOCKETIO_MESSAGE_QUEUE: str | None = None
    #: Engine.IO refuses larger packets; chat bodies are at most 2000 characters.
    SOCKETIO_MAX_HTTP_BUFFER_SIZE = 64 * 1024
    CRISIS_RESOURCES_FILE: str | None = None
    #: Re-send a severity ≥ 3 queue item to every moderator after this long unacknowledged.
    MOD_REALERT_SECONDS: float = 120
    #: How often the console's background task looks for items to re-send.
    MOD_REALERT_CHECK_SECONDS: float = 15
    #: A severity ≥ 3 item unacknowledged this long alerts every moderator and admin once.
    CRISIS_ACK_MINUTES: float = 5.0
    #: How often each server process looks for such items (0: never).
    CRISIS_ESCALATION_CHECK_SECONDS: float = 15.0
    #: "deliver" (default): crisis messages reach the room and the moderators at once;
    #: "hold": they wait for a moderator (the author still gets the crisis resources).
    CRISIS_POLICY = "deliver"
    #: The peers' guidance card waits a random time in this range (seconds) after the
    #: message that raised it, so it cannot point at that message or its author.
    PEER_GUIDANCE_DELAY_SECONDS: tuple[float, float] = (30.0, 180.0)
    #: Which links count as contact details: "block_all" | "block_contact" | "allow"
    #: (see moderation/links.py and docs/moderation.md).
    LINK_POLICY = "block_contact"
    #: Chat sends per member: a burst of 10, then on average one every 2 seconds.
    RATELIMIT_CHAT_SEND = "10 per 20 seconds"
    #: How often each server process looks for notifications stored by another process
    #: (the CLI, another worker); 0 turns the dispatcher off. Local commits wake it at once.
    NOTIFICATIONS_POLL_SECONDS: float = 2.0
    HOST = "127.0.0.1"
    PORT = 5000
    FORCE_HTTPS = False
    #: Web Push (docs/deploy.md): the VAPID key (PEM, or base64url raw/DER) that signs
    #: every push; without one push is off. The subject is the contact push services
    #: see (mailto: or https:).
    VAPID_PRIVATE_KEY: str | None = None
    VAPID_SUBJECT: str | None = None
    WEB_PUSH_ALLOWED_ENDPOINTS: tuple[str, ...] = DEFAULT_PUSH_SERVICES
    #: First retry delay of a failed push; each further retry waits twice as long.
    WEB_PUSH_RETRY_SECONDS: float = 30.0
    #: Minutes between scheduled matching rounds in every server process; 0 turns the
    #: schedule off (rounds then run only from the console or ``flask match run``).
    MATCH_INTERVAL_MINUTES: float = 10.0
    #: k-anonymity of /mod/outcomes: buckets of fewer people are suppressed (docs/privacy.md).
    OUTCOMES_MIN_GROUP: int = 10
    #: Share of the grouping objective given to the learned pair compatibility (0..1;
    #: 0 ignores the model). See docs/matching.md.
    COMPATIBILITY_BLEND: float = 0.5
    #: Groups with after-meeting feedback needed before a compatibility model is
    #: trained or used.
    MATCH_MODEL_MIN_GROUPS: int = 30
    #: Where trained models are stored (matching's compatibility models among them).
    MATCH_MODEL_DIR: str = str(INSTANCE_DIR / "models")
    #: Hours between scheduled ``flask screening learn`` runs (on the matching
    #: schedule's loop, one process at a time); 0 turns the schedule off.
    SCREENING_LEARN_HOURS: float = 0.0
    #: English labels needed before a learning run trains anything.
    SCREENING_LEARN_MIN_LABELS: int = 50
    #: Each process looks up the active screening model at most this often (seconds;
    #: 0: at every screening call).
    SCREENING_MODEL_REFRESH_SECONDS: float = 30.0

    def __init__(self) -> None:
        self.SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
        self.SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'hearth.sqlite3'}")
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.SECRET_KEY
        self.SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
        self.RATELIMIT_STORAGE_URI = os.environ.get(
            "RATELIMIT_STORAGE_URI", self.RATELIMIT_STORAGE_URI
        )
        self.CRISIS_RESOURCES_FILE = os.environ.get("CRISIS_RESOURCES_FILE") or None
        self.CRISIS_ACK_MINUTES = _non_negative(
            "CRISIS_ACK_MINUTES", os.environ.get("CRISIS_ACK_MINUTES"), self.CRISIS_ACK_MINUTES
        )
        self.CRISIS_ESCALATION_CHECK_SECONDS = _non_negative(
            "CRISIS_ESCALATION_CHECK_SECONDS",
            os.environ.get("CRISIS_ESCALATION_CHECK_SECONDS"),
            self.CRISIS_ESCALATION_CHECK_SECONDS,
            "seconds",
        )
        self.MOD_REALERT_SECONDS = _non_negative(
            "MOD_REALERT_SECONDS",
            os.environ.get("MOD_REALERT_SECONDS"),
            self.MOD_REALERT_SECONDS,
            "seconds",
        )
        self.RATELIMIT_CHAT_SEND = _rate_limit(
            os.environ.get("RATELIMIT_CHAT_SEND"), self.RATELIMIT_CHAT_SEND
        )
        switch = os.environ.get("RATELIMIT_ENABLED", "").strip().lower()
        if switch in ("0", "false", "no", "off", "1", "true", "yes", "on"):
            self.RATELIMIT_ENABLED = switch in ("1", "true", "yes", "on")
        self.LINK_POLICY = _link_policy(os.environ.get("LINK_POLICY", self.LINK_POLICY))
        self.CRISIS_POLICY = _crisis_policy(os.environ.get("CRISIS_POLICY", self.CRISIS_POLICY))
        self.PEER_GUIDANCE_DELAY_SECONDS = _delay_range(
            os.environ.get("PEER_GUIDANCE_DELAY_SECONDS"), self.PEER_GUIDANCE_DELAY_SECONDS
        )
        self.NOTIFICATIONS_POLL_SECONDS = _non_negative(
            "NOTIFICATIONS_POLL_SECONDS",
            os.environ.get("NOTIFICATIONS_POLL_SECONDS"),
            self.NOTIFICATIONS_POLL_SECONDS,
            "seconds",
        )
        self.HOST = os.environ.get("HOST", self.HOST)
        self.PORT = int(os.environ.get("PORT", self.PORT))
        # A PEM pasted into one line of an env file keeps its newlines as "\\n".
        vapid_key = os.environ.get("VAPID_PRIVATE_KEY", "").strip().replace("\\n", "\n")
        self.VAPID_PRIVATE_KEY = vapid_key or None
        self.VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "").strip() or self.VAPID_SUBJECT
        self.WEB_PUSH_ALLOWED_ENDPOINTS = _push_endpoints(self.WEB_PUSH_ALLOWED_ENDPOINTS)
        self.WEB_PUSH_RETRY_SECONDS = _non_negative(
            "WEB_PUSH_RETRY_SECONDS",
            os.environ.get("WEB_PUSH_RETRY_SECONDS"),
            self.WEB_PUSH_RETRY_SECONDS,
            "seconds",
        )
        self.MATCH_INTERVAL_MINUTES = _non_negative(
            "MATCH_INTERVAL_MINUTES",
            os.environ.get("MATCH_INTERVAL_MINUTES"),
            self.MATCH_INTERVAL_MINUTES,
            "minutes",
        )
        blend = os.environ.get("COMPATIBILITY_BLEND")
        self.COMPATIBILITY_BLEND = _non_negative("COMPATIBILITY_BLEND", blend, 0.5)
        if self.COMPATIBILITY_BLEND > 1:
            raise RuntimeError(f"COMPATIBILITY_BLEND must lie between 0 and 1 (got {blend!r}).")
        min_groups = os.environ.get("MATCH_MODEL_MIN_GROUPS")
        groups = _non_negative("MATCH_MODEL_MIN_GROUPS", min_groups, 30, "groups")
        if groups != int(groups) or groups < 1:
            raise RuntimeError(
                f"MATCH_MODEL_MIN_GROUPS must be a whole number of 1 or more (got {min_groups!r})."
            )
        self.MATCH_MODEL_MIN_GROUPS = int(groups)
        self.MATCH_MODEL_DIR = os.environ.get("MATCH_MODEL_DIR") or self.MATCH_MODEL_DIR

        # At least 2: a group of 1 would show one person's answers.
        self.OUTCOMES_MIN_GROUP = _whole_number(
            "OUTCOMES_MIN_GROUP",
            os.environ.get("OUTCOMES_MIN_GROUP"),
            Config.OUTCOMES_MIN_GROUP,
            minimum=2,
        )
        self.SCREENING_LEARN_HOURS = _non_negative(
            "SCREENING_LEARN_HOURS",
            os.environ.get("SCREENING_LEARN_HOURS"),
            self.SCREENING_LEARN_HOURS,
            "hours",
        )
        self.SCREENING_LEARN_MIN_LABELS = _whole_number(
            "SCREENING_LEARN_MIN_LABELS",
            os.environ.get("SCREENING_LEARN_MIN_LABELS"),
            self.SCREENING_LEARN_MIN_LABELS,
            minimum=1,
        )
        self.SCREENING_MODEL_REFRESH_SECONDS = _non_negative(
            "SCREENING_MODEL_REFRESH_SECONDS",
            os.environ.get("SCREENING_MODEL_REFRESH_SECONDS"),
            self.SCREENING_MODEL_REFRESH_SECONDS,
            "seconds",
        )

    def validate(self) -> None:
        """Refuse settings that would be unsafe in this environment."""

    def as_mapping(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in dir(self) if name.isupper()}


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    VAPID_SUBJECT = "mailto:admin@localhost"

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or _development_secret()
        self.VAPID_PRIVATE_KEY = self.VAPID_PRIVATE_KEY or _development_vapid_key()


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105  # tests only
    RATELIMIT_ENABLED = False  # the rate-limit tests switch it back on
    CRISIS_ESCALATION_CHECK_SECONDS = 0.0  # no background loop per test app unless asked
    VAPID_SUBJECT = "mailto:admin@localhost"
    MATCH_INTERVAL_MINUTES = 0.0  # tests run rounds themselves unless they set it
    PEER_GUIDANCE_DELAY_SECONDS = (0.0, 0.0)  # the card's tests need no wait
    #: Unit tests deliver notifications explicitly; live-server tests set the variable.
    NOTIFICATIONS_POLL_SECONDS: float = 0
    #: A model activated in a test is in use at the next screening call.
    SCREENING_MODEL_REFRESH_SECONDS: float = 0.0

    def __init__(self) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
        self.VAPID_PRIVATE_KEY = self.VAPID_PRIVATE_KEY or _development_vapid_key()


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    FORCE_HTTPS = False  # TLS normally ends at the load balancer; see docs/deploy.md

    def validate(self) -> None:
        key = self.SECRET_KEY or ""
        if key.strip().lower() in _PLACEHOLDER_SECRETS or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; "
                "print(secrets.token_hex(32))')."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Build the config named by ``name`` or ``HEARTH_ENV`` (default: development)."""
    name = name or os.environ.get("HEARTH_ENV", "development")
    try:
        config = CONFIGS[name]()
    except KeyError:
        raise RuntimeError(
            f"Unknown HEARTH_ENV {name!r}; use one of {', '.join(CONFIGS)}."
        ) from None
    config.validate()
    return config
