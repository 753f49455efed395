"""Crisis messages are never hidden: even profane ones reach the room, the author
gets crisis resources and moderators get a crisis item."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import User
from tests.moderation.conftest import Chat, ModConsole

#: Self-written, distressed and profane: the swearing must not hide the crisis.
CORPUS = [
    "I fucking hate myself, I'm going to kill myself tonight",
    "fuck this shit, I don't want to be alive anymore",
    "honestly what's the fucking point, I'm going to end it all",
    "fuck everything, I'm going to take all my pills tonight",
    "nobody would give a damn if I was dead, I want to die",
    "i want to kms, everything is shit",
]


@pytest.mark.parametrize("body", CORPUS)
def test_profane_crisis_messages_are_delivered_to_the_room(
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
    body: str,
) -> None:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    mod = console(make_user(role="moderator"))
    tern_chat, wren_chat = chat(tern), chat(wren)
    tern_chat.join(room_id), wren_chat.join(room_id)
    tern_chat.received(), wren_chat.received()

    ack = tern_chat.send(room_id, body)
    assert ack["ok"], ack  # not held, not blocked
    assert ack["message"]["body"] == body
    assert not ack["message"]["held"]
    assert body in [m["body"] for m in wren_chat.received("message")]
    assert tern_chat.received("crisis_resources")
    items = mod.received("queue_item")
    assert [i["kind"] for i in items] == ["crisis"]
    assert items[0]["severity"] >= 1
