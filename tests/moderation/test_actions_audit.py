"""Every moderator action writes exactly one audit entry (actor, action, target,
reason, time) and the affected people's sockets receive what it means for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from accounts import service as accounts_service
from accounts.models import BAN_FOREVER, User
from db import db
from moderation.models import Sanction, SanctionKind
from rooms.admin import set_room_status
from rooms.models import Membership, Message, Room, RoomStatus
from tests.conftest import text_of
from tests.moderation.conftest import Chat, ModConsole, audit_rows, everything_received


@dataclass
class Scene:
    app: Flask
    moderator: User
    mod: ModConsole
    tern: User
    wren: User
    tern_chat: Chat
    wren_chat: Chat
    room_id: int
    message_id: int


@pytest.fixture
def scene(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> Scene:
    moderator = make_user("keeper", role="moderator")
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    tern_chat, wren_chat = chat(tern), chat(wren)
    assert tern_chat.join(room_id)["ok"]
    assert wren_chat.join(room_id)["ok"]
    message_id = tern_chat.send(room_id, "the tea has gone cold again")["message"]["id"]
    tern_chat.received(), wren_chat.received()
    return Scene(
        app, moderator, console(moderator), tern, wren, tern_chat, wren_chat, room_id, message_id
    )


def _with(app: Flask, change: Callable[[], Any]) -> None:
    with app.app_context():
        change()
        db.session.commit()


def _ban_tern(s: Scene) -> None:
    _with(
        s.app,
        lambda: accounts_service.set_ban(db.session.get(User, s.tern.id), BAN_FOREVER),
    )


def _pause(s: Scene) -> None:
    def change() -> None:
        room = db.session.get(Room, s.room_id)
        mod = db.session.get(User, s.moderator.id)
        assert room is not None
        assert mod is not None
        set_room_status(room, RoomStatus.PAUSED, by=mod)

    _with(s.app, change)


#: kind -> (target builder, extra payload, audit target type, target id getter, setup)
CASES: dict[str, tuple[Callable[[Scene], dict[str, Any]], dict[str, Any], str, Any, Any]] = {
    "remove_message": (
        lambda s: {"message_id": s.message_id},
        {},
        "message",
        lambda s: s.message_id,
        None,
    ),
    "warn": (lambda s: {"handle": "tern"}, {}, "user", lambda s: s.tern.id, None),
    "mute": (
        lambda s: {"user_id": s.tern.id},
        {"duration_minutes": 30},
        "user",
        lambda s: s.tern.id,
        None,
    ),
    "remove_from_room": (
        lambda s: {"handle": "tern", "room_id": s.room_id},
        {},
        "user",
        lambda s: s.tern.id,
        None,
    ),
    "ban": (
        lambda s: {"handle": "tern"},
        {"duration_minutes": 60},
        "user",
        lambda s: s.tern.id,
        None,
    ),
    "unban": (lambda s: {"handle": "tern"}, {}, "user", lambda s: s.tern.id, _ban_tern),
    "pause_room": (lambda s: {"room_id": s.room_id}, {}, "room", lambda s: s.room_id, None),
    "resume_room": (lambda s: {"room_id": s.room_id}, {}, "room", lambda s: s.room_id, _pause),
    "close_room": (lambda s: {"room_id": s.room_id}, {}, "room", lambda s: s.room_id, None),
}


def _names(events: list[tuple[str, Any]]) -> list[str]:
    return [name for name, _data in events]


def _expect_received(kind: str, s: Scene) -> None:
    tern = everything_received(s.tern_chat, "/chat")
    wren = everything_received(s.wren_chat, "/chat")
    if kind == "remove_message":
        assert ("message_removed", {"room_id": s.room_id, "id": s.message_id}) in wren
        assert ("message_removed", {"room_id": s.room_id, "id": s.message_id}) in tern
        assert any(n == "notice" and d["code"] == "message_removed" for n, d in tern)
    elif kind in ("warn", "mute"):
        notices = [d for n, d in tern if n == "notice"]
        assert notices
        assert notices[0]["code"] == {"warn": "warned", "mute": "muted"}[kind]
        assert notices[0]["level"] == "warning"
        assert notices[0]["text"]
        assert "notice" not in _names(wren)  # nobody else is told
    elif kind == "remove_from_room":
        assert ("removed", {"room_id": s.room_id, "reason": "Please take a break"}) in [
            (n, {"room_id": d["room_id"], "reason": d["reason"]}) for n, d in tern if n == "removed"
        ] or any(n == "removed" and d["room_id"] == s.room_id for n, d in tern)
        presence = [d for n, d in wren if n == "presence"]
        assert presence
        assert "tern" not in [m["handle"] for m in presence[-1]["members"]]
    elif kind == "ban":
        assert any(n == "removed" and d["room_id"] is None for n, d in tern)
        assert not s.tern_chat.connected  # the banned person's socket is closed at once
    elif kind in ("pause_room", "resume_room", "close_room"):
        code = {"pause_room": "room_paused", "resume_room": "room_resumed"}.get(kind, "room_closed")
        for events in (tern, wren):
            assert any(n == "notice" and d["code"] == code for n, d in events), events


def _check_state(kind: str, s: Scene) -> None:
    with s.app.app_context():
        tern = db.session.get(User, s.tern.id)
        room = db.session.get(Room, s.room_id)
        message = db.session.get(Message, s.message_id)
        assert tern is not None
        assert room is not None
        assert message is not None
        sanctions = list(db.session.scalars(db.select(Sanction)))
        if kind == "remove_message":
            assert message.removed_at is not None
            assert message.removed_by_id == s.moderator.id
        elif kind == "mute":
            assert tern.is_muted()
            assert [x.kind for x in sanctions] == [SanctionKind.MUTE]
            assert sanctions[0].ends_at is not None
        elif kind == "warn":
            assert [x.kind for x in sanctions] == [SanctionKind.WARN]
        elif kind == "ban":
            assert tern.is_banned()
            assert tern.banned_until != BAN_FOREVER
            assert [x.kind for x in sanctions] == [SanctionKind.BAN]
        elif kind == "unban":
            assert not tern.is_banned()
        elif kind == "remove_from_room":
            membership = db.session.scalars(
                db.select(Membership).where(Membership.user_id == tern.id)
            ).one()
            assert membership.left_at is not None
            assert sanctions[0].room_id == s.room_id
        elif kind == "pause_room":
            assert room.status == RoomStatus.PAUSED
        elif kind == "resume_room":
            assert room.status == RoomStatus.OPEN
        elif kind == "close_room":
            assert room.status == RoomStatus.CLOSED


@pytest.mark.parametrize("kind", list(CASES))
def test_each_action_writes_one_audit_entry_and_reaches_the_member(scene: Scene, kind: str) -> None:
    target, extra, target_type, target_id, setup = CASES[kind]
    if setup is not None:
        setup(scene)
    before = len(audit_rows(scene.app))
    reason = "Please take a break"
    response = scene.mod.act({"kind": kind, "target": target(scene), "reason": reason, **extra})
    assert response.status_code == 200, response.get_json()

    rows = audit_rows(scene.app)
    assert len(rows) == before + 1
    entry = rows[-1]
    assert entry.actor_id == scene.moderator.id
    assert entry.action == kind
    assert (entry.target_type, entry.target_id) == (target_type, target_id(scene))
    assert entry.reason == reason
    assert entry.created_at is not None

    body = response.get_json()
    assert body["id"] == entry.id
    assert body["action"] == kind
    assert body["actor"] == {"id": scene.moderator.id, "handle": "keeper"}
    assert body["target"] == {"type": target_type, "id": target_id(scene)}
    assert body["reason"] == reason
    assert body["created_at"]

    _check_state(kind, scene)
    _expect_received(kind, scene)


def test_banned_member_cannot_reconnect(scene: Scene, chat: Callable[..., Chat]) -> None:
    assert (
        scene.mod.act(
            {"kind": "ban", "target": {"handle": "tern"}, "reason": "spam links"}
        ).status_code
        == 200
    )
    again = chat(None)
    assert not again.connected


def test_queue_actions_are_audited_and_broadcast(
    scene: Scene, console: Callable[..., ModConsole], make_user: Callable[..., User]
) -> None:
    other = console(make_user("lamplighter", role="moderator"))
    ack = scene.tern_chat.call(
        "report", {"message_id": scene.message_id, "reason": "spam", "note": "odd"}
    )
    assert ack["ok"], ack
    item_id = scene.mod.received("queue_item")[-1]["id"]
    other.received()

    before = len(audit_rows(scene.app))
    result = scene.mod.call("ack_item", {"id": item_id})
    assert result["ok"]
    assert result["item"]["status"] == "acknowledged"
    assert {"id": item_id, "status": "acknowledged"} in other.received("queue_update")
    rows = audit_rows(scene.app)
    assert len(rows) == before + 1
    assert rows[-1].action == "ack_item"
    assert (rows[-1].target_type, rows[-1].target_id) == ("queue_item", item_id)

    csrf = scene.mod.http.get("/api/v1/csrf").get_json()["csrf_token"]
    response = scene.mod.http.post(
        f"/api/v1/mod/queue/{item_id}/resolve",
        json={"outcome": "no_action", "reason": "friendly banter"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200, response.get_json()
    rows = audit_rows(scene.app)
    assert len(rows) == before + 2
    assert rows[-1].action == "resolve_item"
    assert rows[-1].reason == "friendly banter"
    assert rows[-1].actor_id == scene.moderator.id
    assert {"id": item_id, "status": "dismissed"} in other.received("queue_update")
    # The reporter hears, calmly, that it was looked at.
    outcome = [d for n, d in everything_received(scene.tern_chat, "/chat") if n == "notice"]
    assert outcome
    assert outcome[-1]["code"] == "report_outcome"
    assert "looked at it" in outcome[-1]["text"]


def test_a_reporter_who_left_hears_the_outcome_once_on_their_next_page(scene: Scene) -> None:
    ack = scene.wren_chat.call("report", {"message_id": scene.message_id, "reason": "spam"})
    assert ack["ok"], ack
    item_id = scene.mod.received("queue_item")[-1]["id"]
    scene.wren_chat.sio.disconnect(namespace="/chat")  # wren closed the tab

    csrf = scene.mod.http.get("/api/v1/csrf").get_json()["csrf_token"]
    response = scene.mod.http.post(
        f"/api/v1/mod/queue/{item_id}/resolve",
        json={"outcome": "no_action", "reason": "friendly banter"},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200, response.get_json()

    # JSON calls do not swallow it; the next page shows it, and only once.
    assert scene.wren_chat.http.get("/api/v1/profile").status_code in (200, 404)
    first = scene.wren_chat.http.get("/", headers={"Accept": "text/html"})
    assert "About a report you made" in text_of(first)
    assert "looked at it" in text_of(first)
    again = scene.wren_chat.http.get("/", headers={"Accept": "text/html"})
    assert "About a report you made" not in text_of(again)
    # The moderator, who reported nothing, sees no such banner.
    assert "About a report you made" not in text_of(scene.mod.http.get("/"))


def test_post_as_moderators_is_audited_and_shown_neutrally(scene: Scene) -> None:
    csrf = scene.mod.http.get("/api/v1/csrf").get_json()["csrf_token"]
    before = len(audit_rows(scene.app))
    response = scene.mod.http.post(
        f"/api/v1/mod/rooms/{scene.room_id}/messages",
        json={"body": "A gentle reminder to be kind to each other."},
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200, response.get_json()
    rows = audit_rows(scene.app)
    assert len(rows) == before + 1
    assert rows[-1].action == "post_as_moderators"
    messages = [d for n, d in everything_received(scene.wren_chat, "/chat") if n == "message"]
    assert messages[-1]["author"] == {"handle": "Hearth moderators", "role": "moderator"}
    assert messages[-1]["kind"] == "moderator"


def test_moderators_cannot_sanction_team_members_but_admins_can(
    scene: Scene, make_user: Callable[..., User], console: Callable[..., ModConsole]
) -> None:
    colleague = make_user("nightowl", role="moderator")
    response = scene.mod.act({"kind": "warn", "target": {"handle": "nightowl"}, "reason": "x"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert audit_rows(scene.app) == []
    admin = console(make_user("warden", role="admin"))
    response = admin.act({"kind": "warn", "target": {"user_id": colleague.id}, "reason": "x"})
    assert response.status_code == 200
