"""Re-alerts and room activity from the console's background task, with the
intervals shrunk to fractions of a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from accounts.models import User
from db import db
from moderation.models import QueueItem
from tests.moderation.conftest import Chat, ModConsole


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"MOD_REALERT_SECONDS": 0.3, "MOD_REALERT_CHECK_SECONDS": 0.1}


def test_urgent_items_nobody_acknowledged_are_re_alerted(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> None:
    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    mod = console(make_user(role="moderator"))
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    tern_chat.send(room_id, "I'm going to kill myself tonight")
    acked_msg = tern_chat.send(room_id, "I want to die, I have the pills ready")
    first = mod.received("queue_item")
    assert len(first) == 2
    assert all(i["severity"] >= 3 for i in first)
    acked_id = next(i["id"] for i in first if i["message_id"] == acked_msg["message"]["id"])
    assert mod.call("ack_item", {"id": acked_id})["ok"]
    other = next(i["id"] for i in first if i["id"] != acked_id)

    deadline = time.monotonic() + 5
    again: list[Any] = []
    while time.monotonic() < deadline and not again:
        time.sleep(0.1)
        again = mod.received("queue_item")
    assert [i["id"] for i in again] == [other]
    assert again[0]["realerted"] is True
    with app.app_context():
        item = db.session.get(QueueItem, other)
        assert item is not None
        assert item.realerted_at is not None
    # Re-alerted once, not every round.
    time.sleep(0.6)
    assert mod.received("queue_item") == []


def test_room_activity_reaches_the_console(
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> None:
    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    tern_chat.send(room_id, "evening, all")
    mod = console(make_user(role="moderator"))
    deadline = time.monotonic() + 5
    seen: list[Any] = []
    while time.monotonic() < deadline and not seen:
        time.sleep(0.1)
        seen = [a for a in mod.received("room_activity") if a["room_id"] == room_id]
    assert seen, "no room_activity within 5 s"
    assert seen[0]["messages_last_hour"] == 1
    assert seen[0]["online"] == 1
