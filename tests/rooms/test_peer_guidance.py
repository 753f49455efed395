"""What people see after a crisis message (issue 14 §2 last bullet, §3, §4), over real
/chat sockets: the author's resources (gentle words for severity 1, their region's
lines first) and the peers' guidance card (never the author, once per room per day)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask

import crisis
from accounts.models import Role, User
from db import db, utcnow
from profiles.models import Profile
from rooms import care, guidance
from rooms.models import Room
from tests.rooms.conftest import Chat

MakeUser = Callable[..., User]
MakeRoom = Callable[..., int]
ChatFactory = Callable[..., Chat]

SEVERE = "I want to kill myself tonight"  # severity 4
HISTORY = "I tried to kill myself when I was 19"  # severity 1, crisis:history
RETRY_ID = "7d7b2d8e-2f4c-4a0e-9e55-0d6a0b1c2d3e"


@pytest.fixture
def trio(
    make_user: MakeUser, make_room: MakeRoom, chat: ChatFactory
) -> tuple[Chat, Chat, Chat, int]:
    """Three members of one room, all joined, their queues emptied."""
    users = [make_user() for _ in range(3)]
    room_id = make_room(*users)
    sockets = [chat(user) for user in users]
    for socket in sockets:
        assert socket.join(room_id)["ok"]
        socket.received()
    return sockets[0], sockets[1], sockets[2], room_id


def set_timezone(app: Flask, user: User | None, zone: str) -> None:
    assert user is not None
    with app.app_context():
        db.session.add(Profile(user_id=user.id, timezone=zone))
        db.session.commit()


# -- the author's resources -----------------------------------------------------------------


def test_a_severe_message_keeps_the_urgent_text(trio: tuple[Chat, Chat, Chat, int]) -> None:
    author, _b, _c, room_id = trio
    assert author.send(room_id, SEVERE)["ok"]
    [event] = author.received("crisis_resources")
    assert event["text"] == crisis.CRISIS_TEXT
    assert "immediate danger" in event["text"]


def test_a_severity_one_message_gets_the_gentle_text(trio: tuple[Chat, Chat, Chat, int]) -> None:
    author, b, _c, room_id = trio
    assert author.send(room_id, HISTORY)["ok"]
    [event] = author.received("crisis_resources")
    assert event["text"] == crisis.GENTLE_TEXT
    assert event["text"].startswith("It sounds like things have been heavy.")
    assert "immediate danger" not in event["text"]
    assert event["resources"]
    assert b.received("crisis_resources") == []


@pytest.mark.parametrize(("zone", "first"), [("Europe/Berlin", "DE"), ("America/Sao_Paulo", "BR")])
def test_the_authors_resources_start_with_their_region(
    app: Flask, trio: tuple[Chat, Chat, Chat, int], zone: str, first: str
) -> None:
    author, _b, _c, room_id = trio
    set_timezone(app, author.user, zone)
    assert author.send(room_id, SEVERE)["ok"]
    [event] = author.received("crisis_resources")
    regions = [line["region"] for line in event["resources"]]
    assert regions[0] == first
    assert set(regions) == {first, "INTL"}
    assert event["region"] == first
    # The same order as the API gives for that region.
    with app.test_request_context():
        api = crisis.api_document(first)
    assert [line["name"] for line in event["resources"]] == [
        line["name"] for line in api["resources"]
    ]


def test_an_unknown_zone_gets_international_lines(
    app: Flask, trio: tuple[Chat, Chat, Chat, int]
) -> None:
    author, _b, _c, room_id = trio
    set_timezone(app, author.user, "Mars/Olympus_Mons")
    assert author.send(room_id, SEVERE)["ok"]
    [event] = author.received("crisis_resources")
    assert {line["region"] for line in event["resources"]} == {"INTL"}


# -- the peers' card ----------------------------------------------------------------------


def test_peers_see_the_card_and_the_author_does_not(trio: tuple[Chat, Chat, Chat, int]) -> None:
    author, b, c, room_id = trio
    assert author.send(room_id, SEVERE)["ok"]
    for peer in (b, c):
        [card] = peer.received("peer_guidance")
        assert card == {
            "room_id": room_id,
            "title": guidance.TITLE,
            "text": guidance.TEXT,
            "url": "/help/someone-shares",
        }
        assert peer.received("crisis_resources") == []
    assert author.received("peer_guidance") == []
    # Nothing in it names the author or says what was detected.
    assert author.user is not None
    assert str(author.user.handle) not in str(card)
    assert "crisis" not in str(card).lower()


def test_the_card_waits_so_it_does_not_point_at_the_message(
    app: Flask, trio: tuple[Chat, Chat, Chat, int]
) -> None:
    """Sent with the message, the card would tell a small group whose message it was."""
    author, b, _c, room_id = trio
    app.config["PEER_GUIDANCE_DELAY_SECONDS"] = (0.5, 0.5)
    assert author.send(room_id, SEVERE)["ok"]
    events = b.received()  # the message has arrived, the card has not
    assert [e for e in events if "body" in e and e.get("room_id") == room_id]
    assert b.received("peer_guidance") == []
    deadline = time.monotonic() + 20  # a limit for a loaded machine, not a speed check
    cards: list[object] = []
    while not cards and time.monotonic() < deadline:
        time.sleep(0.05)
        cards = b.received("peer_guidance")
    assert len(cards) == 1
    assert author.received("peer_guidance") == []


def test_the_card_comes_once_per_room_per_day(
    app: Flask, trio: tuple[Chat, Chat, Chat, int]
) -> None:
    author, b, c, room_id = trio
    assert author.send(room_id, SEVERE)["ok"]
    assert len(b.received("peer_guidance")) == 1
    assert len(c.received("peer_guidance")) == 1
    # A second crisis the same day, from anyone: no second card.
    assert b.send(room_id, HISTORY)["ok"]
    assert author.send(room_id, SEVERE)["ok"]
    assert author.received("peer_guidance") == []
    assert c.received("peer_guidance") == []
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        assert room.peer_guidance_on == utcnow().date()
        # The next day (stored, so a restart or another process agrees).
        room.peer_guidance_on = utcnow().date() - timedelta(days=1)
        db.session.commit()
    assert author.send(room_id, SEVERE)["ok"]
    assert len(c.received("peer_guidance")) == 1
    assert author.received("peer_guidance") == []


def test_the_claim_is_taken_once(app: Flask, make_user: MakeUser, make_room: MakeRoom) -> None:
    room_id = make_room(make_user(), make_user())
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        today = utcnow().date()
        assert guidance.claim_peer_guidance(room, today=today) is True
        assert guidance.claim_peer_guidance(room, today=today) is False
        assert guidance.claim_peer_guidance(room, today=today + timedelta(days=1)) is True
        db.session.commit()


def test_ordinary_messages_bring_no_card(trio: tuple[Chat, Chat, Chat, int]) -> None:
    author, b, _c, room_id = trio
    assert author.send(room_id, "Had a nice walk by the river today")["ok"]
    assert b.received("message")
    assert b.received("peer_guidance") == []


def test_a_retried_send_brings_no_second_card(
    app: Flask, trio: tuple[Chat, Chat, Chat, int]
) -> None:
    author, b, _c, room_id = trio
    assert author.send(room_id, SEVERE, client_msg_id=RETRY_ID)["ok"]
    assert len(b.received("peer_guidance")) == 1
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        room.peer_guidance_on = None
        db.session.commit()
    ack = author.send(room_id, SEVERE, client_msg_id=RETRY_ID)
    assert ack["ok"]
    assert ack["created"] is False
    assert b.received("peer_guidance") == []


def test_a_care_room_has_no_peers_to_guide(
    app: Flask, make_user: MakeUser, chat: ChatFactory
) -> None:
    person, moderator = make_user(), make_user(role=Role.MODERATOR)
    with app.app_context():
        room, _created = care.open_or_reuse(
            db.session.get(User, person.id), by=db.session.get(User, moderator.id)
        )
        db.session.commit()
        room_id = room.id
    person_chat, mod_chat = chat(person), chat(moderator)
    assert person_chat.join(room_id)["ok"]
    assert mod_chat.join(room_id)["ok"]
    person_chat.received(), mod_chat.received()
    assert person_chat.send(room_id, SEVERE)["ok"]
    assert len(person_chat.received("crisis_resources")) == 1
    assert mod_chat.received("peer_guidance") == []


class TestHeldCrisis:
    @pytest.fixture
    def app_overrides(self) -> dict[str, str]:
        return {"CRISIS_POLICY": "hold"}

    def test_a_held_message_brings_no_card(self, trio: tuple[Chat, Chat, Chat, int]) -> None:
        author, b, _c, room_id = trio
        assert author.send(room_id, SEVERE)["error"]["code"] == "held_for_review"
        assert b.received("peer_guidance") == []
