"""CRISIS_POLICY = "hold": the room waits for a moderator; the author still gets help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from tests.rooms.conftest import Chat


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"CRISIS_POLICY": "hold"}


def test_hold_policy_holds_but_still_sends_resources(
    make_user: Callable[..., User], make_room: Callable[..., int], chat: Callable[..., Chat]
) -> None:
    tern, wren = make_user(), make_user()
    room_id = make_room(tern, wren)
    a, b = chat(tern), chat(wren)
    a.join(room_id), b.join(room_id)
    a.received(), b.received()
    ack = a.send(room_id, "I want to kill myself tonight")
    assert ack["ok"] is False
    assert ack["error"]["code"] == "held_for_review"
    assert len(a.received("crisis_resources")) == 1
    assert b.received("message") == []
    assert b.received("crisis_resources") == []
