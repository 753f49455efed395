"""The per-member send limit: a burst of 10, then about one message every 2 seconds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from tests.rooms.conftest import Chat


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"RATELIMIT_ENABLED": True}


def test_burst_then_rate_limited_with_retry_after(
    make_user: Callable[..., User], make_room: Callable[..., int], chat: Callable[..., Chat]
) -> None:
    tern, wren = make_user(), make_user()
    room_id = make_room(tern, wren)
    sender, other = chat(tern), chat(wren)
    acks = [sender.send(room_id, f"message {n}") for n in range(10)]
    assert all(ack["ok"] for ack in acks)
    limited = sender.send(room_id, "one too many")
    assert limited["ok"] is False
    assert limited["error"]["code"] == "rate_limited"
    assert 1 <= limited["error"]["retry_after"] <= 20
    # A retry of an acknowledged message is never throttled: it stores nothing new.
    again = sender.send(room_id, "message 0", acks[0]["message"]["client_msg_id"])
    assert again["ok"] is True
    assert again["message"]["id"] == acks[0]["message"]["id"]
    # The limit is per member.
    assert other.send(room_id, "my turn")["ok"] is True
