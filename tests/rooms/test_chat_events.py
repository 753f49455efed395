"""/chat events: every event, its acknowledgement and what the other members receive."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from blinker import Namespace
from flask import Flask
from sqlalchemy import func, select

import signals
from accounts import service as accounts_service
from accounts.models import User
from db import db, utcnow
from rooms import admin, broadcast, posting, rounds
from rooms.models import Message, PersonalMute, Reaction, Room, RoomStatus
from tests.conftest import AuthActions
from tests.rooms.conftest import Chat

MakeUser = Callable[..., User]
MakeRoom = Callable[..., int]
ChatFactory = Callable[..., Chat]


@pytest.fixture
def pair(make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory) -> tuple[Chat, Chat, int]:
    """Two members of one room, both joined (their received queues emptied)."""
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    a, b = chat(tern), chat(wren)
    assert a.join(room_id)["ok"]
    assert b.join(room_id)["ok"]
    a.received(), b.received()
    return a, b, room_id


def code(ack: dict[str, Any]) -> str:
    assert ack["ok"] is False, ack
    assert set(ack["error"]) >= {"code", "message"}
    return str(ack["error"]["code"])


def message_count(app: Flask, room_id: int) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count()).select_from(Message).where(Message.room_id == room_id)
            )
            or 0
        )


def change_user(app: Flask, user: User, change: Callable[[User], Any]) -> None:
    with app.app_context():
        fresh = db.session.get(User, user.id)
        assert fresh is not None
        change(fresh)
        db.session.commit()


def change_room(app: Flask, room_id: int, change: Callable[[Room], Any]) -> None:
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        change(room)
        db.session.commit()


# --- connecting --------------------------------------------------------------------


def test_logged_out_socket_is_refused(chat: ChatFactory) -> None:
    assert not chat(None).connected


def test_banned_user_cannot_connect(app: Flask, make_user: MakeUser, chat: ChatFactory) -> None:
    user = make_user()
    http = app.test_client()
    AuthActions(http).login(user.handle or "")
    change_user(app, user, lambda u: accounts_service.set_ban(u, utcnow() + timedelta(days=1)))
    from extensions import socketio

    sio = socketio.test_client(app, namespace="/chat", flask_test_client=http)
    assert not sio.is_connected("/chat")


def test_join_returns_room_members_seats_and_latest_messages(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> None:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren, name="Evening tea", prompt="How are you arriving today?")
    ack = chat(tern).join(room_id)
    assert ack["ok"] is True
    assert ack["room"]["id"] == room_id
    assert ack["room"]["name"] == "Evening tea"
    assert ack["room"]["status"] == "open"
    assert {m["handle"]: (m["seat"], m["online"]) for m in ack["room"]["members"]} == {
        "tern": ("sharing", True),
        "wren": ("sharing", False),
    }
    [prompt] = ack["messages"]
    assert prompt["kind"] == "prompt"
    assert prompt["body"] == "How are you arriving today?"
    assert set(prompt) >= {"id", "room_id", "author", "body", "created_at", "reactions", "kind"}
    assert prompt["reactions"] == {"heart": 0, "me_too": 0, "hug": 0, "thanks": 0}
    assert ack["has_more"] is False
    assert ack["room"]["round"]["text"] == "How are you arriving today?"


def test_presence_shows_who_is_here_and_never_typing(pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    b.sio.disconnect(namespace="/chat")
    [presence] = a.received("presence")
    assert presence["room_id"] == room_id
    assert {m["handle"]: m["online"] for m in presence["members"]} == {
        "tern": True,
        "wren": False,
    }
    assert set(presence["members"][0]) == {"handle", "seat", "online"}


# --- sending -----------------------------------------------------------------------


def test_send_stores_acks_and_reaches_the_others(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    ack = a.send(room_id, "  hello everyone  ")
    assert ack["ok"] is True
    message = ack["message"]
    assert message["body"] == "hello everyone"
    assert message["author"] == {"handle": "tern", "role": "member"}
    assert message["kind"] == "user"
    assert message["room_id"] == room_id
    [delivered] = b.received("message")
    # Broadcasts also carry prev_id, so a client can notice a missed broadcast.
    assert delivered.pop("prev_id") is None
    assert delivered == message
    assert a.received("message") == []  # the sender has it in its ack
    second = a.send(room_id, "and again")["message"]
    assert b.received("message")[0]["prev_id"] == message["id"]
    assert second["id"] > message["id"]
    with app.app_context():
        stored = db.session.get(Message, message["id"])
        assert stored is not None
        assert stored.body == "hello everyone"


def test_retry_with_same_client_msg_id_returns_the_original(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    a, b, room_id = pair
    key = str(uuid.uuid4())
    first = a.send(room_id, "only once", key)
    again = a.send(room_id, "only once", key)
    assert first["ok"]
    assert again["ok"]
    assert again["message"]["id"] == first["message"]["id"]
    assert again["created"] is False
    assert len(b.received("message")) == 1
    assert message_count(app, room_id) == 1


def test_a_second_send_with_the_same_key_returns_the_first_message(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    # The unique index decides: the second insert fails and the winner is returned,
    # whatever the loser's body said.
    a, b, room_id = pair
    key = str(uuid.uuid4())
    first = a.send(room_id, "the winner", key)
    again = a.send(room_id, "the loser", key)
    assert again["ok"] is True
    assert again["created"] is False
    assert again["message"]["id"] == first["message"]["id"]
    assert again["message"]["body"] == "the winner"
    assert message_count(app, room_id) == 1
    assert [m["body"] for m in b.received("message")] == ["the winner"]


def test_a_retry_that_would_be_refused_now_still_gets_its_message(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    a, _b, room_id = pair
    key = str(uuid.uuid4())
    first = a.send(room_id, "stored once", key)
    # A client that lost the body on its way back still gets the stored message.
    again = a.send(room_id, "   ", key)
    assert again["ok"] is True
    assert again["message"]["id"] == first["message"]["id"]
    # Without a stored message the same body is refused as usual.
    refused = a.send(room_id, "   ", str(uuid.uuid4()))
    assert refused["ok"] is False
    assert refused["error"]["code"] == "invalid"
    assert message_count(app, room_id) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "hi", "client_msg_id": "k1"},  # no room_id
        {"room_id": "1", "body": "hi", "client_msg_id": "k1"},
        {"room_id": True, "body": "hi", "client_msg_id": "k1"},
        {"room_id": 1, "client_msg_id": "k1"},  # no body
        {"room_id": 1, "body": 5, "client_msg_id": "k1"},
        {"room_id": 1, "body": "   \n ", "client_msg_id": "k1"},
        {"room_id": 1, "body": "hi"},  # no client_msg_id
        {"room_id": 1, "body": "hi", "client_msg_id": ""},
        {"room_id": 1, "body": "hi", "client_msg_id": "x" * 65},
        {"room_id": 1, "body": "hi", "client_msg_id": "<script>"},
    ],
)
def test_send_rejects_malformed_payloads(
    pair: tuple[Chat, Chat, int], payload: dict[str, Any]
) -> None:
    a, _b, room_id = pair
    if type(payload.get("room_id")) is int:
        payload = {**payload, "room_id": room_id}
    assert code(a.call("send", payload)) == "invalid"


def test_send_rejects_non_object_payloads(pair: tuple[Chat, Chat, int]) -> None:
    a, _b, _room_id = pair
    for junk in ("hello", 42, None, ["a"]):
        assert code(a.call("send", junk)) == "invalid"
    assert code(a.call("send")) == "invalid"


def test_body_limits(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, _b, room_id = pair
    assert a.send(room_id, "x" * 2000)["ok"] is True
    assert a.send(room_id, " " + "y" * 2000 + " ")["ok"] is True  # trimmed first
    assert code(a.send(room_id, "z" * 2001)) == "too_long"
    assert message_count(app, room_id) == 2


def test_non_member_cannot_join_or_send(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> None:
    tern, wren, stranger = make_user(), make_user(), make_user()
    room_id = make_room(tern, wren)
    other_room = make_room(stranger)
    outsider = chat(stranger)
    assert outsider.join(other_room)["ok"] is True
    assert code(outsider.join(room_id)) == "not_member"
    assert code(outsider.send(room_id, "hello?")) == "not_member"
    assert code(outsider.join(999_999)) == "not_member"
    assert code(outsider.send(999_999, "hello?")) == "not_member"


def test_moderator_may_join_read_only(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> None:
    tern = make_user()
    moderator = make_user(role="moderator")
    room_id = make_room(tern)
    mod = chat(moderator)
    ack = mod.join(room_id)
    assert ack["ok"] is True
    assert ack["me"]["member"] is False
    assert code(mod.send(room_id, "hello")) == "not_member"
    member = chat(tern)
    member.join(room_id)
    mod.received()
    member.send(room_id, "moderators can watch")
    assert [m["body"] for m in mod.received("message")] == ["moderators can watch"]
    assert code(mod.join(999_999)) == "invalid"


def test_room_status_is_checked_on_every_event(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, _b, room_id = pair
    sent = a.send(room_id, "before the pause")["message"]
    change_room(app, room_id, lambda r: setattr(r, "status", RoomStatus.PAUSED))
    assert code(a.send(room_id, "hello")) == "room_paused"
    assert code(a.call("react", {"message_id": sent["id"], "kind": "heart"})) == "room_paused"
    assert code(a.call("seat", {"room_id": room_id, "seat": "listening"})) == "room_paused"
    change_room(app, room_id, lambda r: setattr(r, "status", RoomStatus.CLOSED))
    assert code(a.send(room_id, "hello")) == "room_closed"
    assert code(a.call("pass", {"room_id": room_id})) == "room_closed"
    # A closed room can still be read.
    assert a.join(room_id)["room"]["status"] == "closed"


def test_forming_room_does_not_take_messages_yet(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> None:
    user = make_user()
    room_id = make_room(user, status="forming")
    assert code(chat(user).send(room_id, "hi")) == "room_paused"


def test_site_mute_blocks_sending(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    change_user(app, a.user, lambda u: accounts_service.set_mute(u, utcnow() + timedelta(hours=1)))
    ack = a.send(room_id, "can I talk?")
    assert code(ack) == "muted"
    assert b.received("message") == []


def test_ban_on_an_open_socket_is_noticed_at_the_next_event(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    a, _b, room_id = pair
    assert a.user is not None
    with app.app_context():
        user = db.session.get(User, a.user.id)
        assert user is not None
        # Bypass signals: the point is the per-event re-check, not the disconnect.
        user.banned_until = utcnow() + timedelta(days=1)
        db.session.commit()
    assert code(a.send(room_id, "hello")) == "banned"
    assert code(a.join(room_id)) == "banned"


def test_rotated_session_token_means_not_authenticated(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    a, _b, room_id = pair
    change_user(app, a.user, accounts_service.end_all_sessions)
    assert code(a.send(room_id, "hello")) == "not_authenticated"
    assert code(a.call("leave", {"room_id": room_id})) == "not_authenticated"


def test_logout_disconnects_exactly_that_sessions_sockets(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> None:
    user = make_user()
    room_id = make_room(user)
    laptop, phone = chat(user), chat(user)
    assert laptop.join(room_id)["ok"]
    assert phone.join(room_id)["ok"]
    AuthActions(laptop.http).logout()
    assert not laptop.connected
    assert phone.connected
    assert phone.send(room_id, "still here on my phone")["ok"] is True


def test_account_deletion_disconnects_every_socket(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> None:
    from tests.conftest import DEFAULT_PASSWORD, csrf_token_for

    user = make_user()
    room_id = make_room(user)
    laptop, phone = chat(user), chat(user)
    laptop.join(room_id)
    response = laptop.http.post(
        "/account/delete",
        data={"password": DEFAULT_PASSWORD, "csrf_token": csrf_token_for(laptop.http)},
    )
    assert response.status_code == 302
    assert not laptop.connected
    assert not phone.connected


def test_contact_details_are_refused_kindly_and_not_stored(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    a, b, room_id = pair
    ack = a.send(room_id, "call me at 555-123-4567 or write to bob@example.com")
    assert code(ack) == "contact_details"
    assert "safe" in ack["error"]["message"]
    assert message_count(app, room_id) == 0
    assert b.received("message") == []


def test_offensive_message_is_held_for_review(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    flagged: list[dict[str, Any]] = []

    def record(sender: Any, **kwargs: Any) -> None:
        flagged.append(kwargs)

    a, b, room_id = pair
    with signals.message_flagged.connected_to(record):
        ack = a.send(room_id, "you are a fucking idiot")
    assert code(ack) == "held_for_review"
    assert isinstance(ack["error"]["message"], str)
    assert ack["error"]["message"]
    assert ack["error"]["held_message"]["held"] is True
    assert b.received("message") == []
    with app.app_context():
        [held] = db.session.scalars(select(Message).where(Message.room_id == room_id)).all()
        assert held.held is True
    assert flagged
    assert flagged[0]["message_id"] == held.id
    assert flagged[0]["verdict"].action == "hold"
    # Only the author sees it, marked as held.
    assert [m["held"] for m in a.join(room_id)["messages"]] == [True]
    assert b.join(room_id)["messages"] == []


CRISIS_TEXT = "I want to kill myself tonight"


def test_crisis_message_is_delivered_and_resources_go_to_the_author_only(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    flagged: list[dict[str, Any]] = []
    a, b, room_id = pair
    other_socket_of_author = Chat(
        __import__("extensions").socketio.test_client(
            app, namespace="/chat", flask_test_client=a.http
        ),
        a.http,
        a.user,
    )
    with signals.message_flagged.connected_to(lambda s, **kw: flagged.append(kw)):
        ack = a.send(room_id, CRISIS_TEXT)
    assert ack["ok"] is True
    assert [m["body"] for m in b.received("message")] == [CRISIS_TEXT]
    [resources] = a.received("crisis_resources")
    assert resources["resources"]
    assert resources["text"]
    assert set(resources["resources"][0]) == {"name", "contact", "url", "region"}
    assert other_socket_of_author.received("crisis_resources") == [resources]
    assert b.received("crisis_resources") == []
    assert flagged
    assert flagged[0]["verdict"].crisis is True
    assert flagged[0]["author_id"] == a.user.id  # type: ignore[union-attr]
    other_socket_of_author.sio.disconnect(namespace="/chat")


def test_server_error_rolls_back_and_never_acks_ok(
    app: Flask, pair: tuple[Chat, Chat, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, room_id = pair

    def boom(text: str, languages: Any = ()) -> Any:
        raise RuntimeError("screening fell over")

    monkeypatch.setattr(posting, "_screen", boom)
    ack = a.send(room_id, "hello")
    assert code(ack) == "server_error"
    assert "RuntimeError" not in str(ack)
    assert message_count(app, room_id) == 0
    assert b.received("message") == []
    monkeypatch.undo()
    assert a.send(room_id, "hello again")["ok"] is True  # the socket still works


def test_failed_commit_is_a_server_error(
    app: Flask, pair: tuple[Chat, Chat, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, room_id = pair
    from sqlalchemy.exc import OperationalError

    def failing_commit() -> None:
        raise OperationalError("COMMIT", {}, Exception("disk full"))

    monkeypatch.setattr(db.session, "commit", failing_commit)
    assert code(a.send(room_id, "will this stick?")) == "server_error"
    monkeypatch.undo()
    assert b.received("message") == []
    assert message_count(app, room_id) == 0


def test_slow_mode(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, _b, room_id = pair
    with app.app_context():
        room = db.session.get(Room, room_id)
        moderator = accounts_service.register_user("mod_one", "a calm walk by the river")
        assert room is not None
        admin.set_slow_mode(room, 30, by=moderator)
        db.session.commit()
    assert a.send(room_id, "first")["ok"] is True
    ack = a.send(room_id, "second")
    assert code(ack) == "rate_limited"
    assert 0 < ack["error"]["retry_after"] <= 30
    assert a.join(room_id)["room"]["slow_mode_seconds"] == 30


# --- reactions, seats, rounds ------------------------------------------------------


def test_reactions_toggle_and_broadcast(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    message = a.send(room_id, "I finished the jigsaw")["message"]
    b.received()
    ack = b.call("react", {"message_id": message["id"], "kind": "hug"})
    assert ack["ok"] is True
    assert ack["on"] is True
    assert ack["reactions"] == {"heart": 0, "me_too": 0, "hug": 1, "thanks": 0}
    [update] = a.received("reactions")
    assert update == {
        "room_id": room_id,
        "message_id": message["id"],
        "reactions": ack["reactions"],
    }
    off = b.call("react", {"message_id": message["id"], "kind": "hug"})
    assert off["on"] is False
    assert off["reactions"]["hug"] == 0
    assert code(b.call("react", {"message_id": message["id"], "kind": "angry"})) == "invalid"
    assert code(b.call("react", {"message_id": 999_999, "kind": "hug"})) == "invalid"
    b.call("react", {"message_id": message["id"], "kind": "thanks"})
    assert a.join(room_id)["messages"][-1]["reactions"]["thanks"] == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reaction)) == 1


def test_reacting_in_another_room_is_refused(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> None:
    tern, stranger = make_user(), make_user()
    room_id = make_room(tern)
    make_room(stranger)
    message = chat(tern).send(room_id, "hello")["message"]
    assert code(chat(stranger).call("react", {"message_id": message["id"], "kind": "heart"})) == (
        "not_member"
    )


def test_quiet_seat(pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    ack = b.call("seat", {"room_id": room_id, "seat": "listening"})
    assert ack == {"ok": True, "seat": "listening"}
    [presence] = a.received("presence")
    assert {m["handle"]: m["seat"] for m in presence["members"]} == {
        "tern": "sharing",
        "wren": "listening",
    }
    assert code(b.call("seat", {"room_id": room_id, "seat": "shouting"})) == "invalid"
    assert a.join(room_id)["room"]["members"][1]["seat"] == "listening"


def test_round_prompt_and_pass(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    assert code(b.call("pass", {"room_id": room_id})) == "invalid"  # no round yet
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        prompt = rounds.start_round(room, "One word for today?", started_by=None)
        db.session.commit()
        broadcast.round_started(prompt)
    assert a.received("prompt") == [{"room_id": room_id, "text": "One word for today?"}]
    assert b.join(room_id)["room"]["round"]["text"] == "One word for today?"
    a.received()
    ack = b.call("pass", {"room_id": room_id})
    assert ack["ok"] is True
    line = ack["message"]
    assert line["kind"] == "system"
    assert line["body"] == "wren is listening this round."
    assert line["author"]["role"] == "system"
    assert [m["body"] for m in a.received("message")] == ["wren is listening this round."]
    again = b.call("pass", {"room_id": room_id})
    assert again == {"ok": True, "message": None}
    assert a.received("message") == []


def test_personal_mute_hides_a_member_for_the_muter_only(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory, app: Flask
) -> None:
    tern, wren, finch = make_user("tern"), make_user("wren"), make_user("finch")
    room_id = make_room(tern, wren, finch)
    a, b, c = chat(tern), chat(wren), chat(finch)
    for client in (a, b, c):
        client.join(room_id)
    a.send(room_id, "before the mute")
    ack = b.call("mute_member", {"room_id": room_id, "handle": "tern", "muted": True})
    assert ack == {"ok": True, "muted": ["tern"]}
    b.received(), c.received()
    a.send(room_id, "after the mute")
    assert b.received("message") == []
    assert [m["body"] for m in c.received("message")] == ["after the mute"]
    history = b.join(room_id)
    assert [m["body"] for m in history["messages"]] == []
    assert history["muted"] == ["tern"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalMute)) == 1
    assert b.call("mute_member", {"room_id": room_id, "handle": "TERN", "muted": False}) == {
        "ok": True,
        "muted": [],
    }
    assert len(b.join(room_id)["messages"]) == 2
    assert code(b.call("mute_member", {"room_id": room_id, "handle": "wren", "muted": True})) == (
        "invalid"
    )
    assert code(b.call("mute_member", {"room_id": room_id, "handle": "nobody", "muted": True})) == (
        "invalid"
    )
    assert code(b.call("mute_member", {"room_id": room_id, "handle": "tern", "muted": "yes"})) == (
        "invalid"
    )


def test_no_typing_or_read_events_exist(pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    a.send(room_id, "hello")
    names = {e["name"] for e in b.sio.get_received("/chat")}
    assert names <= {"message", "presence"}
    assert not a.call("typing", {"room_id": room_id})  # no such event, no ack


# --- reports, concerns, leaving ----------------------------------------------------


@pytest.fixture
def isolated_signals(monkeypatch: pytest.MonkeyPatch) -> Namespace:
    """Fresh report/concern signals, so these tests don't depend on moderation's receivers."""
    fresh = Namespace()
    monkeypatch.setattr(signals, "report_filed", fresh.signal("report-filed"))
    monkeypatch.setattr(signals, "concern_raised", fresh.signal("concern-raised"))
    return fresh


def test_report_reaches_a_receiver_and_acks_its_id(
    pair: tuple[Chat, Chat, int], isolated_signals: Namespace
) -> None:
    a, b, room_id = pair
    message = a.send(room_id, "something unkind")["message"]
    seen: list[dict[str, Any]] = []

    def store(sender: Any, **kwargs: Any) -> int:
        seen.append(kwargs)
        return 41

    signals.report_filed.connect(store)
    ack = b.call("report", {"message_id": message["id"], "reason": "harassment", "note": " hm "})
    assert ack == {"ok": True, "report_id": 41}
    assert seen == [
        {
            "reporter_id": b.user.id,  # type: ignore[union-attr]
            "message_id": message["id"],
            "room_id": room_id,
            "reason": "harassment",
            "note": "hm",
        }
    ]
    assert code(b.call("report", {"message_id": message["id"], "reason": "rude"})) == "invalid"
    assert code(b.call("report", {"message_id": message["id"]})) == "invalid"
    long_note = {"message_id": message["id"], "reason": "other", "note": "x" * 1001}
    assert code(b.call("report", long_note)) == "too_long"
    assert a.received("notice") == []  # the author isn't told


def test_report_without_a_receiver_never_pretends(
    pair: tuple[Chat, Chat, int], isolated_signals: Namespace
) -> None:
    a, b, room_id = pair
    message = a.send(room_id, "hello")["message"]
    ack = b.call("report", {"message_id": message["id"], "reason": "spam"})
    assert code(ack) == "server_error"
    assert "can't be taken right now" in ack["error"]["message"]


def test_concern_goes_to_moderators_only(
    pair: tuple[Chat, Chat, int], isolated_signals: Namespace
) -> None:
    a, b, room_id = pair
    seen: list[dict[str, Any]] = []

    def store(sender: Any, **kwargs: Any) -> int:
        seen.append(kwargs)
        return 7

    signals.concern_raised.connect(store)
    ack = b.call("concern", {"room_id": room_id, "about_handle": "tern", "note": "worried"})
    assert ack == {"ok": True, "concern_id": 7}
    assert seen[0]["about_user_id"] == a.user.id  # type: ignore[union-attr]
    assert a.received() == []  # the person flagged hears nothing
    assert b.call("concern", {"room_id": room_id})["ok"] is True
    assert code(b.call("concern", {"room_id": room_id, "about_handle": "ghost"})) == "invalid"
    assert code(b.call("concern", {"room_id": room_id, "about_handle": 3})) == "invalid"


def test_concern_without_a_receiver_is_a_server_error(
    pair: tuple[Chat, Chat, int], isolated_signals: Namespace
) -> None:
    _a, b, room_id = pair
    assert code(b.call("concern", {"room_id": room_id})) == "server_error"


def test_leave(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    assert b.call("leave", {"room_id": room_id}) == {"ok": True, "room_id": room_id}
    [presence] = a.received("presence")
    assert [m["handle"] for m in presence["members"]] == ["tern"]
    a.send(room_id, "bye wren")
    assert b.received("message") == []
    assert code(b.send(room_id, "wait")) == "not_member"
    assert code(b.call("leave", {"room_id": room_id})) == "not_member"


# --- moderation's entry points -----------------------------------------------------


def test_removed_message_becomes_a_placeholder(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    message = a.send(room_id, "something to remove")["message"]
    b.received()
    with app.app_context():
        moderator = accounts_service.register_user("mod_two", "a calm walk by the river")
        stored = db.session.get(Message, message["id"])
        assert stored is not None
        admin.remove_message(stored, by=moderator)
        db.session.commit()
        broadcast.message_removed(room_id, message["id"])
    assert b.received("message_removed") == [{"room_id": room_id, "id": message["id"]}]
    [placeholder] = b.join(room_id)["messages"]
    assert placeholder["removed"] is True
    assert placeholder["body"] == ""


def test_member_sanctioned_ban_removes_and_disconnects(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    a, b, _room_id = pair
    with app.test_request_context():
        signals.member_sanctioned.send(
            app,
            user_id=a.user.id,
            kind="ban",
            reason="Guidelines",
            sanction_id=1,  # type: ignore[union-attr]
        )
    assert not a.connected
    assert b.connected


def test_member_sanctioned_remove_from_room(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    with app.app_context():
        moderator = accounts_service.register_user("mod_three", "a calm walk by the river")
        room = db.session.get(Room, room_id)
        user = db.session.get(User, b.user.id)  # type: ignore[union-attr]
        assert room is not None
        assert user is not None
        admin.remove_member(room, user, by=moderator)
        db.session.commit()
        signals.member_sanctioned.send(
            app, user_id=user.id, kind="remove_from_room", room_id=room_id, reason="Take a break"
        )
    assert b.received("removed") == [{"room_id": room_id, "reason": "Take a break"}]
    a.received()
    a.send(room_id, "still here")
    assert b.received("message") == []
    assert code(b.send(room_id, "hello?")) == "not_member"


def test_member_sanctioned_mute_sends_a_calm_notice(
    app: Flask, pair: tuple[Chat, Chat, int]
) -> None:
    a, _b, _room_id = pair
    with app.app_context():
        signals.member_sanctioned.send(app, user_id=a.user.id, kind="mute", reason="x")  # type: ignore[union-attr]
    [notice] = a.received("notice")
    assert notice["level"] == "warning"
    assert notice["code"] == "muted"
    assert notice["text"]


def test_catch_up_by_after_id(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    first = a.send(room_id, "one")["message"]
    for n in range(3):
        a.send(room_id, f"later {n}")
    ack = b.join(room_id, after_id=first["id"])
    assert [m["body"] for m in ack["messages"]] == ["later 0", "later 1", "later 2"]
    assert ack["has_more"] is False
    assert code(b.join(room_id, after_id=-1)) == "invalid"
    assert code(b.join(room_id, after_id="3")) == "invalid"


def test_catch_up_pages_at_200(app: Flask, pair: tuple[Chat, Chat, int]) -> None:
    a, b, room_id = pair
    assert a.user is not None
    with app.app_context():
        for n in range(230):
            db.session.add(Message(room_id=room_id, author_id=a.user.id, body=f"m{n}"))
        db.session.commit()
    ack = b.join(room_id, after_id=0)
    assert len(ack["messages"]) == 200
    assert ack["has_more"] is True
    assert ack["messages"][0]["body"] == "m0"
    rest = b.join(room_id, after_id=ack["messages"][-1]["id"])
    assert len(rest["messages"]) == 30
    assert rest["has_more"] is False
    latest = b.join(room_id)
    assert len(latest["messages"]) == 50
    assert latest["messages"][-1]["body"] == "m229"
