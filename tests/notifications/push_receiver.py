"""A real Web Push receiver for tests: an HTTP server on 127.0.0.1 that plays the
push service and the browser at once. It keeps a P-256 key pair and an auth secret
like a browser does, answers each POST with the next status of a script (default
201), and decrypts what it got with ``http_ece`` exactly as a browser would."""

from __future__ import annotations

import base64
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    #: time.perf_counter() when the request had been read (the bench reads it).
    at: float = field(default_factory=time.perf_counter)


@dataclass
class PushReceiver:
    url: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def subscription(self, name: str = "device-1") -> dict[str, Any]:
        """A browser's PushSubscription JSON pointing at this receiver."""
        return {
            "endpoint": f"{self.url}/push/{name}",
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth_secret)},
        }

    def decrypt(self, item: Received) -> dict[str, Any]:
        plain = http_ece.decrypt(
            item.body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )
        document = json.loads(plain)
        assert isinstance(document, dict)
        return document

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Block until ``count`` requests arrived (a generous limit, not a speed test)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
            assert len(self.received) >= count, f"got {len(self.received)} of {count} pushes"
            return list(self.received)


@contextmanager
def push_receiver(statuses: list[int] | None = None) -> Iterator[PushReceiver]:
    receiver = PushReceiver(
        url="",
        private_key=ec.generate_private_key(ec.SECP256R1()),
        auth_secret=os.urandom(16),
        statuses=list(statuses or []),
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.arrived:
                status = receiver.statuses.pop(0) if receiver.statuses else 201
                receiver.received.append(
                    Received(
                        self.path, {k.lower(): v for k, v in self.headers.items()}, body, status
                    )
                )
                receiver.arrived.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def vapid_claims(authorization: str) -> tuple[str, dict[str, Any]]:
    """The (public key, JWT claims) of a ``vapid t=…,k=…`` header (RFC 8292)."""
    scheme, _, rest = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    parts = dict(part.split("=", 1) for part in rest.split(","))
    payload = parts["t"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return parts["k"], claims
