"""Real clients for live-server tests: log in over HTTP, then talk Socket.IO
with the session cookie, recording everything received."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests
import socketio

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from rooms.admin import create_room

PASSWORD = "lanterns on the water"


def seed_room(database_url: str, handles: list[str], name: str = "Live room") -> int:
    """Users and one open room for them, straight into the server's database."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        users = [register_user(handle, PASSWORD, role=Role.MEMBER) for handle in handles]
        room = create_room(name, users)
        db.session.commit()
        room_id = room.id
        db.engine.dispose()
    return room_id


def login_cookie(base_url: str, handle: str) -> str:
    """The Cookie header of a fresh login, as a browser would hold it."""
    with requests.Session() as http:  # closed here, or its pooled socket lingers into later tests
        token = http.get(f"{base_url}/api/v1/csrf", timeout=10).json()["csrf_token"]
        response = http.post(
            f"{base_url}/account/login",
            data={"handle": handle, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text
        return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def log_in_browser(page: Any, handle: str) -> None:
    """Log a Playwright page in through the real login form."""
    page.goto("/account/login")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


class Member:
    """A python-socketio client on /chat that records what it receives."""

    def __init__(self, handle: str, cookie: str) -> None:
        self.handle = handle
        self.cookie = cookie
        self.client = socketio.Client(reconnection=False)
        self.lock = threading.Lock()
        self.messages: list[dict[str, Any]] = []
        self.events: list[tuple[str, Any]] = []
        #: Newest id shown before a missed broadcast was noticed (via ``prev_id``).
        self.gap_after: int | None = None
        self._listen(self.client)

    def _listen(self, client: socketio.Client) -> None:
        client.on("message", self._on_message, namespace="/chat")
        client.on("*", self._on_any, namespace="/chat")

    def _on_message(self, data: dict[str, Any]) -> None:
        with self.lock:
            shown = {m["id"] for m in self.messages}
            previous = data.get("prev_id")
            if previous and previous not in shown and self.gap_after is None:
                # chat.js does the same: a broadcast went missing, catch up from here.
                self.gap_after = max((i for i in shown if i < data["id"]), default=0)
            self.messages.append(data)

    def _on_any(self, event: str, data: Any = None) -> None:
        with self.lock:
            self.events.append((event, data))

    def connect(self, url: str, **headers: str) -> None:
        self.client.connect(
            url,
            namespaces=["/chat"],
            headers={"Cookie": self.cookie, **headers},
            wait_timeout=10,
        )

    def reconnect(self, url: str) -> None:
        """A new connection (to another process, say), as chat.js does after a drop."""
        self.close()
        self.client = socketio.Client(reconnection=False)
        self._listen(self.client)
        self.connect(url)

    def call(self, event: str, data: Any, timeout: float = 10) -> Any:
        return self.client.call(event, data, namespace="/chat", timeout=timeout)

    def send(self, room_id: int, body: str, cid: str | None = None, timeout: float = 10) -> Any:
        """Send; an acknowledged message is shown from its ack (the sender gets no echo)."""
        ack = self.call(
            "send",
            {"room_id": room_id, "body": body, "client_msg_id": cid or str(uuid.uuid4())},
            timeout=timeout,
        )
        if isinstance(ack, dict) and ack.get("ok"):
            with self.lock:
                self.messages.append(ack["message"])
        return ack

    def catch_up(self, room_id: int) -> None:
        """Join with after_id = the newest message seen (or the start of a noticed
        gap), adding what was missed."""
        seen = self.shown_ids()
        payload: dict[str, Any] = {"room_id": room_id}
        after = self.gap_after if self.gap_after is not None else (seen[-1] if seen else None)
        if after:
            payload["after_id"] = after
        ack = self.call("join", payload)
        assert ack["ok"] is True, ack
        with self.lock:
            self.messages.extend(ack["messages"])
            self.gap_after = None

    def received_ids(self) -> list[int]:
        with self.lock:
            return [m["id"] for m in self.messages]

    def shown_ids(self) -> list[int]:
        """What a client shows: each message once, in id order (chat.js dedupes by id)."""
        return sorted(set(self.received_ids()))

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"{self.handle}: timed out waiting")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.disconnect()
        # When the server closed the line first (a refused oversized frame, a killed
        # process), engineio's reader stops without closing its websocket; close it.
        websocket = getattr(self.client.eio, "ws", None)
        if websocket is not None:
            with contextlib.suppress(Exception):
                websocket.shutdown()  # closes the socket even when "not connected"


def show_room_options(page: Any) -> None:
    """On a phone the members and actions wait in the options sheet: open it. On a
    wide screen they are already in the side column."""
    button = page.get_by_role("button", name="Members and options")
    if button.is_visible():
        button.click()
        page.locator("#room-sheet[open]").wait_for()
