"""Hearth's own lines in a room (prompts, system lines, closing notices) reach each
reader in their language: the one they chose on /account, else their browser's.
One room, readers in German, English and Spanish, real /chat sockets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from accounts.models import User
from db import db
from i18n import StoredText
from matching.service import OPENING_PROMPT_SHARED
from moderation.care import RESOURCES_LINE
from rooms import broadcast, care, rounds, texts
from rooms.models import Message, MessageKind, Room
from tests.conftest import csrf_token_for
from tests.rooms.conftest import Chat

ChatFactory = Callable[..., Chat]

PROMPT_EN = (
    "Welcome, everyone. You were matched because you share Music and Games. There's no "
    "pressure to talk: listening counts too. If you'd like to start, what's one small "
    "thing that made you smile this week? You can answer, react, or pass."
)
PROMPT_DE = (
    "Willkommen, ihr alle. Ihr seid zusammen, weil ihr das teilt: Musik und Spiele. "
    "Niemand muss reden: Zuhören zählt auch. Wenn du anfangen magst: Was hat dich diese "
    "Woche zum Lächeln gebracht, auch nur eine Kleinigkeit? Du kannst antworten, "
    "reagieren oder aussetzen."
)
PROMPT_ES_START = "Hola a todos. Os hemos juntado porque compartís Música y Juegos."


@pytest.fixture
def readers(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int], chat: ChatFactory
) -> tuple[Chat, Chat, Chat, int]:
    """amsel chose German on /account (her browser asks for English), wren reads in
    English, lince's browser asks for Spanish; all three joined one room."""
    amsel, wren, lince = make_user("amsel"), make_user("wren"), make_user("lince")
    with app.app_context():
        person = db.session.get(User, amsel.id)
        assert person is not None
        person.locale = "de"
        db.session.commit()
    room_id = make_room(amsel, wren, lince)
    de = chat(amsel, language="en-GB,en;q=0.9")
    en = chat(wren, language="en")
    es = chat(lince, language="es-ES,es;q=0.9")
    for reader in (de, en, es):
        assert reader.join(room_id)["ok"]
        reader.received()
    return de, en, es, room_id


def start_round(app: Flask, room_id: int, text: StoredText) -> None:
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        prompt = rounds.start_round(room, text, started_by=None)
        db.session.commit()
        broadcast.round_started(prompt)


def test_a_prompt_reaches_each_reader_in_their_language(
    app: Flask, readers: tuple[Chat, Chat, Chat, int]
) -> None:
    de, en, es, room_id = readers
    start_round(app, room_id, StoredText(OPENING_PROMPT_SHARED, {"interests": ("Music", "Games")}))

    assert [m["body"] for m in de.received("message")] == [PROMPT_DE]
    assert [m["body"] for m in en.received("message")] == [PROMPT_EN]
    [spanish] = [m["body"] for m in es.received("message")]
    assert spanish.startswith(PROMPT_ES_START)
    # The stored body stays English: exports and other clients read that.
    with app.app_context():
        stored = db.session.get(Room, room_id)
        assert stored is not None
        assert stored.round_message_id is not None
        line = db.session.get(Message, stored.round_message_id)
        assert line is not None
        assert line.body == PROMPT_EN


def test_the_round_event_join_and_history_follow_the_reader(
    app: Flask, readers: tuple[Chat, Chat, Chat, int]
) -> None:
    de, en, es, room_id = readers
    start_round(app, room_id, StoredText(OPENING_PROMPT_SHARED, {"interests": ("Music", "Games")}))
    assert de.received("prompt") == [{"room_id": room_id, "text": PROMPT_DE}]
    assert en.received("prompt") == [{"room_id": room_id, "text": PROMPT_EN}]
    [spanish] = es.received("prompt")
    assert spanish["text"].startswith(PROMPT_ES_START)

    assert de.join(room_id)["room"]["round"]["text"] == PROMPT_DE
    assert de.join(room_id)["messages"][-1]["body"] == PROMPT_DE
    assert en.join(room_id)["room"]["round"]["text"] == PROMPT_EN
    page = de.http.get(f"/api/v1/rooms/{room_id}/messages").get_json()
    assert page["messages"][-1]["body"] == PROMPT_DE
    page = en.http.get(
        f"/api/v1/rooms/{room_id}/messages", headers={"Accept-Language": "es"}
    ).get_json()
    assert page["messages"][-1]["body"].startswith(PROMPT_ES_START)


def test_a_system_line_reaches_each_reader_in_their_language(
    app: Flask, readers: tuple[Chat, Chat, Chat, int]
) -> None:
    de, en, es, room_id = readers
    start_round(app, room_id, StoredText(OPENING_PROMPT_SHARED, {"interests": ("Music",)}))
    for reader in (de, en, es):
        reader.received()

    ack = en.call("pass", {"room_id": room_id})
    assert ack["message"]["body"] == "wren is listening this round."
    assert [m["body"] for m in de.received("message")] == ["wren hört in dieser Runde zu."]
    assert [m["body"] for m in es.received("message")] == ["wren escucha en esta ronda."]
    assert en.received("message") == []  # the sender has it in its ack

    ack = de.call("pass", {"room_id": room_id})
    assert ack["message"]["body"] == "amsel hört in dieser Runde zu."
    assert [m["body"] for m in en.received("message")] == ["amsel is listening this round."]


def test_a_plain_prompt_is_shown_as_written(
    app: Flask, readers: tuple[Chat, Chat, Chat, int]
) -> None:
    """A prompt an admin typed (``flask room create --prompt``) has no msgid."""
    de, en, _es, room_id = readers
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        prompt = rounds.start_round(room, "Ein Wort für heute?", started_by=None)
        db.session.commit()
        broadcast.round_started(prompt)
    assert [m["body"] for m in de.received("message")] == ["Ein Wort für heute?"]
    assert [m["body"] for m in en.received("message")] == ["Ein Wort für heute?"]


def test_a_former_member_is_named_in_each_language(
    app: Flask, readers: tuple[Chat, Chat, Chat, int]
) -> None:
    de, en, _es, room_id = readers
    start_round(app, room_id, StoredText(OPENING_PROMPT_SHARED, {"interests": ("Music",)}))
    assert en.call("pass", {"room_id": room_id})["ok"]
    with app.app_context():
        wren = db.session.scalars(db.select(User).where(User.handle == "wren")).one()
        assert care.forget_person(wren)["rewritten"] == 1
        db.session.commit()
    bodies = [m["body"] for m in de.join(room_id)["messages"]]
    assert bodies[-1] == "ein ehemaliges Mitglied hört in dieser Runde zu."
    # Her choice on /account wins over what this browser asks for.
    page = de.http.get(
        f"/api/v1/rooms/{room_id}/messages", headers={"Accept-Language": "en"}
    ).get_json()
    assert page["messages"][-1]["body"] == "ein ehemaliges Mitglied hört in dieser Runde zu."
    page = en.http.get(f"/api/v1/rooms/{room_id}/messages").get_json()
    assert page["messages"][-1]["body"] == "a former member is listening this round."


def test_forgetting_a_person_leaves_values_that_only_mention_their_handle(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int]
) -> None:
    """A stored value that is the handle becomes "a former member"; one that only
    contains it as a word (a crisis resources list naming "Samaritans") is kept."""
    samaritans, wren = make_user("samaritans"), make_user("wren")
    room_id = make_room(samaritans, wren)
    resources = "Samaritans: 116 123\nTelefonSeelsorge: 0800 111 0 111"
    with app.app_context():
        room = db.session.get(Room, room_id)
        person = db.session.get(User, samaritans.id)
        assert room is not None
        assert person is not None
        listed = care.post_system_line(room, StoredText(RESOURCES_LINE, {"resources": resources}))
        named = care.post_system_line(
            room, StoredText(rounds.PASSED_TEXT, {"handle": "samaritans"})
        )
        db.session.commit()
        care.forget_person(person)
        db.session.commit()
        listed_text = texts.stored_text(listed)
        named_text = texts.stored_text(named)
        assert listed_text is not None
        assert named_text is not None
        assert listed_text.params == {"resources": resources}
        assert named_text.params == {"handle": (care.FORMER_MEMBER_TEXT,)}


def test_closing_a_care_room_tells_each_reader_in_their_language(
    app: Flask, make_user: Callable[..., User], chat: ChatFactory
) -> None:
    """The room ``notice`` goes out once per language, each to the sockets reading in it."""
    person, moderator = make_user("amsel"), make_user("heron", role="moderator")
    with app.app_context():
        room, _created = care.open_or_reuse(
            db.session.get(User, person.id), by=db.session.get(User, moderator.id)
        )
        db.session.commit()
        room_id = room.id
    de = chat(person, language="de-DE,de;q=0.9")
    en = chat(moderator, language="en")
    for reader in (de, en):
        assert reader.join(room_id)["ok"]
        reader.received()

    closed = de.http.post(
        f"/api/v1/rooms/{room_id}/close", headers={"X-CSRFToken": csrf_token_for(de.http)}
    )
    assert closed.status_code == 200, closed.get_json()

    [german] = de.received("notice")
    [english] = en.received("notice")
    assert german["code"] == english["code"] == "room_closed"
    assert german["text"].startswith("Von dir geschlossen: „Mir geht es gerade gut, danke.“")
    assert english["text"] == care.CLOSED_BY_MEMBER_TEXT


def test_an_older_line_that_is_one_of_our_sentences_is_translated(
    app: Flask, readers: tuple[Chat, Chat, Chat, int]
) -> None:
    de, en, _es, room_id = readers
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        care_line = Message(
            room_id=room.id,
            author_id=None,
            kind=MessageKind.SYSTEM,
            body=care.CLOSED_BY_MODERATOR_TEXT,
        )
        db.session.add(care_line)
        db.session.commit()
    [line] = [m for m in de.join(room_id)["messages"] if m["kind"] == "system"]
    assert line["body"].startswith("Die Moderation hat dieses Gespräch geschlossen.")
    [line] = [m for m in en.join(room_id)["messages"] if m["kind"] == "system"]
    assert line["body"] == care.CLOSED_BY_MODERATOR_TEXT
