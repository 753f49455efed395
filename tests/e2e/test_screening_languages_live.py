"""Live: a German crisis message in a room reaches the author's crisis resources and
the moderators' queue, over the real server and real python-socketio clients.

The wait is generous (not a timing assertion); bench/screening.py measures speed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import socketio

from accounts.models import Role
from accounts.service import register_user
from app import create_app
from db import db
from tests.e2e.chat_clients import PASSWORD, Member, login_cookie
from tests.e2e.chat_clients import seed_room as seed
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.live


def seed_moderator(database_url: str, handle: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        register_user(handle, PASSWORD, role=Role.MODERATOR)
        db.session.commit()
        db.engine.dispose()


class ModConsole:
    """A python-socketio client on /mod recording queue items."""

    def __init__(self) -> None:
        self.client = socketio.Client(reconnection=False)
        self.lock = threading.Lock()
        self.items: list[dict[str, Any]] = []
        self.client.on("queue_item", self._on_item, namespace="/mod")

    def _on_item(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.items.append(data)

    def connect(self, url: str, cookie: str) -> None:
        self.client.connect(url, namespaces=["/mod"], headers={"Cookie": cookie}, wait_timeout=10)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.disconnect()


@pytest.fixture
def clients() -> Iterator[list[Any]]:
    made: list[Any] = []
    yield made
    for client in made:
        client.close()


def wait_until(predicate: Any, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def test_german_crisis_message_reaches_resources_and_moderators(
    live_server: LiveServer, clients: list[Any]
) -> None:
    room_id = seed(live_server.database_url, ["lex_amsel", "lex_meise"])
    seed_moderator(live_server.database_url, "lex_mod")
    author = Member("lex_amsel", login_cookie(live_server.url, "lex_amsel"))
    other = Member("lex_meise", login_cookie(live_server.url, "lex_meise"))
    mod = ModConsole()
    clients.extend([author, other, mod])
    mod.connect(live_server.url, login_cookie(live_server.url, "lex_mod"))
    author.connect(live_server.url)
    other.connect(live_server.url)
    for member in (author, other):
        assert member.call("join", {"room_id": room_id})["ok"] is True

    body = "Ich kann nicht mehr. Ich will einfach nicht mehr leben."
    ack = author.send(room_id, body)
    assert ack["ok"] is True, ack  # delivered, never held for its language
    message_id = ack["message"]["id"]

    wait_until(lambda: any(e == "crisis_resources" for e, _ in author.events))
    resources = next(d for e, d in author.events if e == "crisis_resources")
    assert resources["resources"]
    assert resources["text"]
    wait_until(lambda: any(i.get("message_id") == message_id for i in mod.items))
    item = next(i for i in mod.items if i.get("message_id") == message_id)
    assert item["kind"] == "crisis"
    assert item["severity"] >= 3
    other.wait_for(lambda: message_id in other.received_ids())
    assert not any(e == "crisis_resources" for e, _ in other.events)
