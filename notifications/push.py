"""Web Push: every notification also reaches the person's subscribed browsers and
phones as an RFC 8291 (aes128gcm) push signed with VAPID (RFC 8292).

- VAPID: the key comes from ``VAPID_PRIVATE_KEY`` (development and testing keep one in
  instance/); its public half is served at ``GET /api/v1/push/key``. Without a key,
  push is off and the log says so once.
- SSRF guard: the server only POSTs to endpoints under ``WEB_PUSH_ALLOWED_ENDPOINTS``,
  checked when a browser subscribes and again before every send; redirects are never
  followed.
- Sending: ``notifications.dispatch`` hands each delivered batch to ``_on_dispatch``,
  which queues one job per subscription and returns at once. This process's sender
  sends with short timeouts on a few threads of its own, deletes subscriptions the
  push service calls gone (404/410) and retries other failures with exponential
  backoff, a bounded number of times. Retries wait in memory: a restart drops them
  (the notification itself stays in the bell and on /notifications).

The payload is ``{"kind", "text", "url"}`` only: notification texts never hold room
message text or other people's words, since lock screens are public.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import itertools
import json
import logging
import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from py_vapid import Vapid02
from sqlalchemy import delete, exists, select

import signals
from accounts.models import User
from db import db, utcnow
from notifications.models import ENDPOINT_MAX, PushSubscription

log = logging.getLogger(__name__)

EXTENSION_KEY = "hearth_push"

#: A person rarely has more than a phone and a computer or two; more than this and the
#: oldest subscription makes room (it also bounds how many POSTs one account can cause).
MAX_SUBSCRIPTIONS_PER_USER = 10
#: Attempts per push, the first included; retries wait base, 2×base, 4×base …
MAX_ATTEMPTS = 5
#: A Retry-After longer than this is not honoured (the push is dropped instead).
MAX_RETRY_AFTER = 3600.0
#: Pushes sent at once by this process.
SENDER_THREADS = 4
#: A subscription failing for this long without a single success is dropped.
GIVE_UP_AFTER = timedelta(days=30)
#: How long a push service keeps a push for an offline device, by kind. A reminder that
#: a proposal closes in two hours is useless later; the rest are news for a day.
TTL_SECONDS = {"proposal_expiring": 2 * 3600, "room_activity": 12 * 3600}
DEFAULT_TTL_SECONDS = 24 * 3600
#: RFC 8030 urgency: a moderator checking in on someone should wake the phone.
HIGH_URGENCY = frozenset({"moderator_checkin"})

_B64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_SUBJECT = re.compile(r"mailto:[^@\s]+@[^@\s]+|https://[^\s/]+(/\S*)?")


# --- allow-list ---------------------------------------------------------------


@dataclass(frozen=True)
class EndpointPrefix:
    """One entry of WEB_PUSH_ALLOWED_ENDPOINTS. ``host`` may start with "*." (any
    subdomain); the prefix is compared by parts, so "https://fcm.googleapis.com"
    never admits "https://fcm.googleapis.com.example.net"."""

    scheme: str
    host: str
    port: int
    path: str

    def admits(self, endpoint: _Endpoint) -> bool:
        if endpoint.scheme != self.scheme or endpoint.port != self.port:
            return False
        if self.host.startswith("*."):
            if not endpoint.host.endswith(self.host[1:]):
                return False
        elif endpoint.host != self.host:
            return False
        return endpoint.path.startswith(self.path)


@dataclass(frozen=True)
class _Endpoint:
    scheme: str
    host: str
    port: int
    path: str


def _split_url(url: str) -> _Endpoint:
    """Scheme, host, port and path of an absolute http(s) URL; ValueError otherwise."""
    if not url.isascii() or any(char.isspace() or ord(char) < 32 for char in url):
        raise ValueError("not a plain URL")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError("not http(s)")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise ValueError("credentials or fragment in the URL")
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError("no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)  # ValueError if bad
    return _Endpoint(parts.scheme, host, port, parts.path or "/")


def parse_prefixes(values: Iterable[str]) -> tuple[EndpointPrefix, ...]:
    """Parse WEB_PUSH_ALLOWED_ENDPOINTS; ValueError names the first bad entry."""
    prefixes = []
    for value in values:
        try:
            parts = _split_url(value.replace("://*.", "://wildcard.", 1))
        except ValueError:
            raise ValueError(f"{value!r} is not an http(s) URL prefix") from None
        host = parts.host
        if "://*." in value:
            host = "*." + host.removeprefix("wildcard.")
        prefixes.append(EndpointPrefix(parts.scheme, host, parts.port, parts.path))
    return tuple(prefixes)


def endpoint_allowed(endpoint: str, prefixes: Sequence[EndpointPrefix]) -> bool:
    try:
        parts = _split_url(endpoint)
    except ValueError:
        return False
    return any(prefix.admits(parts) for prefix in prefixes)


# --- keys -----------------------------------------------------------------------


def b64url_decode(value: object) -> bytes:
    """Decode base64url, padded or not; ValueError for anything else."""
    if not isinstance(value, str) or not _B64URL.fullmatch(value):
        raise ValueError("not base64url")
    stripped = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except binascii.Error:
        raise ValueError("not base64url") from None


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def load_vapid_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key from PEM, or base64url of the raw 32-byte scalar or DER."""
    text = text.strip()
    key: object
    if "-----BEGIN" in text:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    else:
        raw = b64url_decode("".join(text.split()))
        if len(raw) == 32:
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
        else:
            key = serialization.load_der_private_key(raw, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("VAPID keys are P-256 (prime256v1) EC keys")
    return key


def public_key_of(key: ec.EllipticCurvePrivateKey) -> str:
    """The browser's applicationServerKey: the uncompressed point, base64url."""
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url_encode(point)


# --- validating a browser's subscription ---------------------------------------


class SubscriptionInvalid(ValueError):
    """A subscription the API refuses; ``code`` is "invalid" or "endpoint_not_allowed"."""

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields


@dataclass(frozen=True)
class SubscriptionInfo:
    endpoint: str
    p256dh: str
    auth: str


_INVALID = _l("That notification subscription didn't look right, so nothing was saved.")


def validate_endpoint(value: object, prefixes: Sequence[EndpointPrefix]) -> str:
    if not isinstance(value, str) or not value:
        raise SubscriptionInvalid(
            "invalid", _INVALID, {"endpoint": _l("An endpoint URL is needed.")}
        )
    if len(value) > ENDPOINT_MAX:
        raise SubscriptionInvalid(
            "invalid",
            _INVALID,
            {"endpoint": _l("An endpoint is at most %(limit)s characters.", limit=ENDPOINT_MAX)},
        )
    try:
        _split_url(value)
    except ValueError:
        raise SubscriptionInvalid(
            "invalid", _INVALID, {"endpoint": _l("The endpoint must be an https URL.")}
        ) from None
    if not endpoint_allowed(value, prefixes):
        raise SubscriptionInvalid(
            "endpoint_not_allowed",
            _l("Hearth can only send notifications through the browsers' own push services."),
            {"endpoint": _l("This push service isn't one Hearth sends to.")},
        )
    return value


def validate_subscription(document: object, prefixes: Sequence[EndpointPrefix]) -> SubscriptionInfo:
    """Check a browser PushSubscription JSON ``{"endpoint", "keys": {"p256dh", "auth"}}``.

    p256dh must be an uncompressed point on P-256 (65 bytes), auth 16 bytes, both
    base64url (padded or not). Malformed → SubscriptionInvalid("invalid") with field
    errors; an endpoint outside the allow-list → "endpoint_not_allowed".
    """
    if not isinstance(document, Mapping):
        raise SubscriptionInvalid(
            "invalid", _INVALID, {"subscription": _l("Send the subscription as a JSON object.")}
        )
    fields: dict[str, str] = {}
    keys = document.get("keys")
    p256dh = auth = b""
    if not isinstance(keys, Mapping):
        fields["keys"] = "The subscription's keys are missing."
    else:
        try:
            p256dh = b64url_decode(keys.get("p256dh"))
            if len(p256dh) != 65 or p256dh[0] != 4:
                raise ValueError("not an uncompressed point")
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
        except ValueError:
            fields["keys.p256dh"] = "This must be the browser's P-256 public key."
        try:
            auth = b64url_decode(keys.get("auth"))
            if len(auth) != 16:
                raise ValueError("auth secrets are 16 bytes")
        except ValueError:
            fields["keys.auth"] = "This must be the browser's 16-byte auth secret."
    try:
        endpoint = validate_endpoint(document.get("endpoint"), prefixes)
    except SubscriptionInvalid as problem:
        if fields or problem.code == "invalid":
            fields.update(problem.fields or {})
        else:
            raise
    if fields:
        raise SubscriptionInvalid("invalid", _INVALID, fields)
    return SubscriptionInfo(endpoint, b64url_encode(p256dh), b64url_encode(auth))


# --- services (flush, never commit) --------------------------------------------


def subscribe(user: User, info: SubscriptionInfo) -> PushSubscription:
    """Store (or refresh) this browser's subscription for ``user``.

    The same endpoint again updates its keys and moves it to ``user``: one browser
    profile has one subscription per site, and it belongs to whoever subscribed last.
    """
    subscription = db.session.scalars(
        select(PushSubscription).where(PushSubscription.endpoint == info.endpoint)
    ).first()
    if subscription is None:
        subscription = PushSubscription(endpoint=info.endpoint, user_id=user.id)
        db.session.add(subscription)
    subscription.user_id = user.id
    subscription.p256dh = info.p256dh
    subscription.auth = info.auth
    subscription.failure_count = 0
    subscription.next_attempt_at = None
    subscription.created_at = utcnow()
    db.session.flush()
    others = db.session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user.id, PushSubscription.id != subscription.id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
        .offset(MAX_SUBSCRIPTIONS_PER_USER - 1)
    ).all()
    for old in others:
        db.session.delete(old)
    db.session.flush()
    return subscription


def unsubscribe(user: User, endpoint: str) -> bool:
    """Forget ``user``'s subscription for ``endpoint``; False when there was none."""
    result = db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint
        )
    )
    db.session.flush()
    return bool(getattr(result, "rowcount", 0))


def endpoints_of(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(PushSubscription.endpoint)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.id)
        )
    )


def user_has_push(user_id: int) -> bool:
    """True when push is on and ``user_id`` has at least one subscribed device.

    The care escalation uses this to know whether a check-in can reach a closed phone.
    """
    if current_settings() is None:
        return False
    return bool(db.session.scalar(select(exists().where(PushSubscription.user_id == user_id))))


def _export(sender: Any, user: User | None = None, **_: Any) -> tuple[str, Any] | None:
    if user is None:
        return None
    rows = db.session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.id)
    )
    return (
        "push_subscriptions",
        [
            {
                "endpoint": row.endpoint,
                "created_at": row.created_at.isoformat(),
                "last_success_at": row.last_success_at.isoformat() if row.last_success_at else None,
            }
            for row in rows
        ],
    )


def _delete(sender: Any, user: User | None = None, **_: Any) -> None:
    if user is not None:
        db.session.execute(delete(PushSubscription).where(PushSubscription.user_id == user.id))
        db.session.flush()


# --- sending ----------------------------------------------------------------------


@dataclass
class PushSettings:
    vapid: Vapid02
    public_key: str
    subject: str
    prefixes: tuple[EndpointPrefix, ...]
    retry_seconds: float
    sender: Sender


def current_settings() -> PushSettings | None:
    """This app's push settings, or None when push is off (no VAPID key)."""
    if not has_app_context():
        return None
    found = current_app.extensions.get(EXTENSION_KEY)
    return found if isinstance(found, PushSettings) else None


@dataclass(order=True)
class _Job:
    due: float
    seq: int
    subscription_id: int = field(compare=False)
    payload: str = field(compare=False)
    kind: str = field(compare=False)
    attempt: int = field(default=0, compare=False)


class Sender:
    """This process's push queue: a scheduler thread that hands due jobs to a few
    sender threads. Both exist only while there is work, and never block a request,
    a dispatcher pass or a matching round."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._heap: list[_Job] = []
        self._cond = threading.Condition()
        self._running = False
        self._seq = itertools.count()
        self._local = threading.local()
        self._in_flight = 0
        self._closed = False
        #: Pushes answered so far, by outcome (tests and the bench read these).
        self.counts: dict[str, int] = {"sent": 0, "gone": 0, "retried": 0, "failed": 0}

    def enqueue(self, jobs: Iterable[tuple[int, str, str, float]]) -> None:
        """Queue (subscription_id, payload, kind, due) jobs; due is a time.time() value."""
        self._push(
            _Job(due, next(self._seq), subscription_id, payload, kind)
            for subscription_id, payload, kind, due in jobs
        )

    def _retry(self, job: _Job, delay: float) -> None:
        job.attempt += 1
        job.due = time.time() + delay
        job.seq = next(self._seq)
        self._push([job])

    def _push(self, jobs: Iterable[_Job]) -> None:
        with self._cond:
            if self._closed:
                return
            for job in jobs:
                heapq.heappush(self._heap, job)
            if self._heap and not self._running:
                self._running = True
                threading.Thread(target=self._run, name="hearth-push", daemon=True).start()
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._heap)

    def close(self, timeout: float) -> bool:
        """Drop queued jobs and wait up to ``timeout`` for sends in progress.

        For a process (or a test's app) that is going away: a send still running
        when its database is disposed would hold a connection nobody closes.
        Returns False if a send was still running at the deadline.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify_all()
            while self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
            return True

    def _run(self) -> None:
        executor = ThreadPoolExecutor(SENDER_THREADS, thread_name_prefix="hearth-push-send")
        try:
            while True:
                due: list[_Job] = []
                with self._cond:
                    while not due:
                        if not self._heap:
                            self._running = False
                            return
                        wait = self._heap[0].due - time.time()
                        if wait > 0:
                            self._cond.wait(wait)
                            continue
                        while self._heap and self._heap[0].due <= time.time():
                            due.append(heapq.heappop(self._heap))
                    # Counted while still holding the lock that popped them, so close()
                    # never sees them neither queued nor in flight.
                    self._in_flight += len(due)
                for job in due:
                    executor.submit(self._send_safely, job)
        finally:
            # Sends already handed over finish on their own; retries they schedule
            # start a new scheduler.
            executor.shutdown(wait=False)

    def _session(self) -> Any:
        """One HTTP session per sender thread (connections to a push service are reused)."""
        session = getattr(self._local, "session", None)
        if session is None:
            from notifications.push_http import NoRedirects

            session = self._local.session = NoRedirects()
        return session

    def _send_safely(self, job: _Job) -> None:
        try:
            with self.app.app_context():
                try:
                    self._send(job)
                finally:
                    db.session.remove()
        except Exception:  # one bad push must not take the sender thread down
            log.exception("web push failed unexpectedly")
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()

    def _send(self, job: _Job) -> None:
        settings = current_settings()
        subscription = db.session.get(PushSubscription, job.subscription_id)
        if settings is None or subscription is None:
            return
        if not endpoint_allowed(subscription.endpoint, settings.prefixes):
            log.warning(
                "web push skipped: endpoint of subscription %s is not in "
                "WEB_PUSH_ALLOWED_ENDPOINTS",
                subscription.id,
            )
            return
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        db.session.rollback()  # hold no database transaction across the network call
        status, retry_after = self._post(settings, info, job)
        self._record(settings, job, status, retry_after)

    def _post(
        self, settings: PushSettings, info: dict[str, Any], job: _Job
    ) -> tuple[int | None, float | None]:
        from notifications import push_http

        status, retry_after = push_http.post(
            self._session(),
            subscription=info,
            payload=job.payload,
            vapid=settings.vapid,
            subject=settings.subject,
            ttl=TTL_SECONDS.get(job.kind, DEFAULT_TTL_SECONDS),
            urgency="high" if job.kind in HIGH_URGENCY else "normal",
        )
        if status is None:
            log.info("web push to subscription %s got no answer", job.subscription_id)
        return status, _seconds(retry_after)

    def _record(
        self, settings: PushSettings, job: _Job, status: int | None, retry_after: float | None
    ) -> None:
        """Store what the push service answered, then count it and schedule a retry."""
        subscription = db.session.get(PushSubscription, job.subscription_id)
        if subscription is None:
            return
        now = utcnow()
        retry_in: float | None = None
        if status is not None and 200 <= status < 300:
            outcome = "sent"
            subscription.last_success_at = now
            subscription.failure_count = 0
            subscription.next_attempt_at = None
        elif status in (404, 410):
            # The browser unsubscribed or the subscription expired: it never comes back.
            outcome = "gone"
            db.session.delete(subscription)
        else:
            subscription.failure_count += 1
            transient = status is None or status == 429 or status >= 500
            delay = settings.retry_seconds * 2**job.attempt
            if retry_after is not None:
                delay = max(delay, retry_after)
            if transient and job.attempt + 1 < MAX_ATTEMPTS and delay <= MAX_RETRY_AFTER:
                outcome, retry_in = "retried", delay
                subscription.next_attempt_at = now + timedelta(seconds=delay)
            else:
                outcome = "failed"
                subscription.next_attempt_at = None
                log.warning(
                    "web push to subscription %s failed (%s) after %d attempt(s)",
                    subscription.id,
                    status or "no answer",
                    job.attempt + 1,
                )
            if (subscription.last_success_at or subscription.created_at) < now - GIVE_UP_AFTER:
                db.session.delete(subscription)
        db.session.commit()
        with self._cond:
            self.counts[outcome] += 1
        if retry_in is not None:
            self._retry(job, retry_in)


def _seconds(retry_after: str | None) -> float | None:
    if retry_after and retry_after.strip().isdigit():
        return float(retry_after.strip())
    return None


def payload_for(item: Mapping[str, Any]) -> str:
    """The push body: kind, text and url only (the text is already lock-screen safe)."""
    return json.dumps(
        {"kind": item["kind"], "text": item["text"], "url": item["url"]},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _on_dispatch(items: list[dict[str, Any]]) -> None:
    """notifications.dispatch callback: queue a push per item and subscription."""
    settings = current_settings()
    if settings is None or not items:
        return
    user_ids = sorted({int(item["user_id"]) for item in items})
    by_user: dict[int, list[tuple[int, datetime | None]]] = {}
    for start in range(0, len(user_ids), 500):
        rows = db.session.execute(
            select(
                PushSubscription.id, PushSubscription.user_id, PushSubscription.next_attempt_at
            ).where(PushSubscription.user_id.in_(user_ids[start : start + 500]))
        ).all()
        for row in rows:
            by_user.setdefault(row.user_id, []).append((row.id, row.next_attempt_at))
    now = time.time()
    jobs = [
        (
            subscription_id,
            payload_for(item),
            str(item["kind"]),
            # A push service that is failing gets no new push before its retry is due.
            max(now, waiting_until.timestamp()) if waiting_until else now,
        )
        for item in items
        for subscription_id, waiting_until in by_user.get(int(item["user_id"]), [])
    ]
    if jobs:
        settings.sender.enqueue(jobs)


# --- wiring -----------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Read and check the push settings, register the API and the dispatch callback.

    A malformed VAPID key, subject or allow-list stops the app at start with a clear
    message; no key at all turns push off with one log line.
    """
    from notifications import dispatch, push_api

    app.register_blueprint(push_api.bp)
    app.register_blueprint(push_api.install_bp)
    signals.collect_export.connect(_export, weak=False)
    signals.account_deleting.connect(_delete, weak=False)
    dispatch.on_dispatch(_on_dispatch)

    try:
        prefixes = parse_prefixes(app.config.get("WEB_PUSH_ALLOWED_ENDPOINTS") or ())
    except ValueError as problem:
        raise RuntimeError(f"WEB_PUSH_ALLOWED_ENDPOINTS: {problem}.") from None
    subject = (app.config.get("VAPID_SUBJECT") or "").strip()
    if subject and not _SUBJECT.fullmatch(subject):
        raise RuntimeError(
            "VAPID_SUBJECT must be a mailto: address or an https: URL, "
            "for example mailto:ops@example.org."
        )
    key_text = app.config.get("VAPID_PRIVATE_KEY")
    if not key_text:
        app.logger.warning(
            "Web Push is off: set VAPID_PRIVATE_KEY (and VAPID_SUBJECT) to send "
            "notifications to phones and closed tabs; see docs/deploy.md."
        )
        return
    try:
        key = load_vapid_key(key_text)
    except (ValueError, TypeError) as problem:
        raise RuntimeError(
            f"VAPID_PRIVATE_KEY is not a usable P-256 private key ({problem}); "
            "see docs/deploy.md for how to make one."
        ) from None
    if not subject:
        raise RuntimeError(
            "VAPID_SUBJECT is needed with VAPID_PRIVATE_KEY: push services want a contact, "
            "for example mailto:ops@example.org."
        )
    app.extensions[EXTENSION_KEY] = PushSettings(
        vapid=Vapid02(private_key=key),
        public_key=public_key_of(key),
        subject=subject,
        prefixes=prefixes,
        retry_seconds=float(app.config.get("WEB_PUSH_RETRY_SECONDS", 30.0)),
        sender=Sender(app),
    )
