"""The /mod namespace: who may connect, acks, room watching, crisis items live
and re-alerts of urgent items nobody acknowledged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

import signals
from accounts.models import Role, User
from accounts.service import set_role
from db import db
from moderation.models import QueueItem
from rooms.models import Room
from rooms.rounds import start_round
from tests.moderation.conftest import Chat, ModConsole

ROLE_MAY_CONNECT = [("anonymous", False), ("member", False), ("moderator", True), ("admin", True)]


@pytest.mark.parametrize(("role", "allowed"), ROLE_MAY_CONNECT)
def test_only_moderators_connect(
    make_user: Callable[..., User], console: Callable[..., ModConsole], role: str, allowed: bool
) -> None:
    user = None if role == "anonymous" else make_user(role=role)
    client = console(user)
    assert client.connected is allowed


@pytest.mark.parametrize(("role", "allowed"), ROLE_MAY_CONNECT)
def test_mod_events_permission_matrix(
    app: Flask,
    make_user: Callable[..., User],
    console: Callable[..., ModConsole],
    role: str,
    allowed: bool,
) -> None:
    """A socket that was a moderator's when it connected is re-checked on every event."""
    user = make_user(role="moderator" if role == "anonymous" else role if allowed else "moderator")
    client = console(user)
    assert client.connected
    if role == "member":
        with app.app_context():
            fresh = db.session.get(User, user.id)
            assert fresh is not None
            set_role(fresh, Role.MEMBER)
            db.session.commit()
    elif role == "anonymous":
        client.http.post(
            "/account/logout",
            data={"csrf_token": client.http.get("/api/v1/csrf").get_json()["csrf_token"]},
        )
        assert not client.connected  # logging out closes that login's consoles
        return
    for event, data in (("ack_item", {"id": 1}), ("watch_room", {"room_id": 1})):
        ack = client.call(event, data)
        if allowed:
            assert ack["ok"] is False
            assert ack["error"]["code"] == "not_found"
        else:
            assert ack["ok"] is False
            assert ack["error"]["code"] in ("forbidden", "not_authenticated")


def test_ack_validates_its_payload(
    make_user: Callable[..., User], console: Callable[..., ModConsole]
) -> None:
    client = console(make_user(role="moderator"))
    for bad in (None, {}, {"id": "1"}, {"id": True}, {"id": -1}, [1]):
        ack = client.call("ack_item", bad)
        assert ack["ok"] is False
        assert ack["error"]["code"] == "invalid"


def test_crisis_message_reaches_connected_moderators_with_its_severity(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> None:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    mods = [console(make_user(role="moderator")), console(make_user(role="admin"))]
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    ack = tern_chat.send(room_id, "I don't want to be alive anymore, I'm going to end it tonight")
    assert ack["ok"], ack
    for mod in mods:
        items = mod.received("queue_item")
        assert len(items) == 1
        item = items[0]
        assert item["kind"] == "crisis"
        assert item["severity"] >= 3
        assert item["message_id"] == ack["message"]["id"]
        assert item["room_id"] == room_id
        assert "end it tonight" in item["excerpt"]
        assert {"id", "kind", "severity", "room_id", "excerpt", "created_at"} <= set(item)
    with app.app_context():
        stored = db.session.scalars(select(QueueItem)).one()
        assert stored.severity == item["severity"]


def test_nothing_reaches_moderators_for_a_rolled_back_flag(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    console: Callable[..., ModConsole],
) -> None:
    from types import SimpleNamespace

    from moderation.queue import flag_message
    from rooms.models import Message

    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    mod = console(make_user(role="moderator"))
    with app.app_context():
        message = Message(room_id=room_id, author_id=tern.id, body="something awful")
        db.session.add(message)
        db.session.flush()
        verdict = SimpleNamespace(crisis=True, crisis_severity=4, action="flag")
        flag_message(message, verdict)
        db.session.rollback()
        # A later, unrelated commit must not flush the dropped emit either.
        db.session.commit()
    assert mod.received("queue_item") == []


def test_watch_room_receives_the_rooms_messages_read_only(
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
    tern_chat.send(room_id, "before watching")
    ack = mod.call("watch_room", {"room_id": room_id})
    assert ack["ok"]
    assert ack["room"]["id"] == room_id
    assert any(m["body"] == "before watching" for m in ack["messages"])
    tern_chat.send(room_id, "while watching")
    bodies = [m["body"] for m in mod.received("message")]
    assert bodies == ["while watching"]
    # Watching is read-only: the namespace has no way to post.
    assert not mod.call("send", {"room_id": room_id, "body": "hi"})
    assert "hi" not in [m["body"] for m in tern_chat.received("message")]
    assert mod.call("unwatch_room", {"room_id": room_id})["ok"]
    tern_chat.send(room_id, "after watching")
    assert mod.received("message") == []


def test_watchers_see_hearths_lines_as_the_watch_history_shows_them(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> None:
    """A German reader passes: the live watch shows the stored English line, the same
    words the watch history shows, not the passing socket's German."""
    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        prompt_id = start_round(room, "One word for today?", started_by=None).id
        db.session.commit()
    tern_chat = chat(tern, language="de-DE,de;q=0.9")
    assert tern_chat.join(room_id)["ok"]
    mod = console(make_user(role="moderator"))
    assert mod.call("watch_room", {"room_id": room_id})["ok"]

    ack = tern_chat.call("pass", {"room_id": room_id})
    assert ack["message"]["body"] == "tern hört in dieser Runde zu."
    [live] = [m["body"] for m in mod.received("message")]
    assert live == "tern is listening this round."
    history = mod.call("watch_room", {"room_id": room_id})["messages"]
    assert [m["body"] for m in history if m["id"] > prompt_id] == [live]


def test_moderators_online_is_answered_for_rooms(
    make_user: Callable[..., User], console: Callable[..., ModConsole]
) -> None:
    def online() -> int:
        return sum(v for _r, v in signals.moderators_online.send(None) if isinstance(v, int))

    assert online() == 0
    first = console(make_user(role="moderator"))
    console(make_user(role="admin"))
    assert online() == 2
    first.sio.disconnect(namespace="/mod")
    assert online() == 1
