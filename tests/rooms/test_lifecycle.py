"""Rooms made by the CLI, by matching (signals), demo data, export and deletion."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

import signals
from accounts.models import User
from db import db
from rooms.admin import create_room
from rooms.membership import add_member, set_seat
from rooms.models import Membership, Message, MessageKind, PersonalMute, Reaction, Room
from rooms.queries import active_memberships
from tests.conftest import DEFAULT_PASSWORD, AuthActions, csrf_token_for

MakeUser = Callable[..., User]


def test_cli_room_create(app: Flask, runner: FlaskCliRunner, make_user: MakeUser) -> None:
    make_user("tern"), make_user("wren")
    result = runner.invoke(args=["room", "create", "Evening tea", "--members", "tern, WREN"])
    assert result.exit_code == 0, result.output
    room_id = int(result.output.strip())
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        assert room.name == "Evening tea"
        assert room.status.value == "open"
        handles = sorted(m.user.handle or "" for m in room.memberships)
        assert handles == ["tern", "wren"]


def test_cli_room_create_validates_handles(runner: FlaskCliRunner, make_user: MakeUser) -> None:
    make_user("tern")
    result = runner.invoke(args=["room", "create", "Tea", "--members", "tern,ghost"])
    assert result.exit_code != 0
    assert "ghost" in result.output
    result = runner.invoke(args=["room", "create", "Tea", "--members", " , "])
    assert result.exit_code != 0


def test_group_confirmed_opens_a_room_with_an_opening_prompt(
    app: Flask, make_user: MakeUser
) -> None:
    members = [make_user() for _ in range(3)]
    with app.app_context():
        results = signals.group_confirmed.send(
            app,
            proposal_id=12,
            name="Night owls",
            member_ids=[m.id for m in members],
            opening_prompt="What keeps you up at night, in a good way?",
        )
        room_ids = [value for _receiver, value in results if isinstance(value, int)]
        assert len(room_ids) == 1
        db.session.commit()
        room = db.session.get(Room, room_ids[0])
        assert room is not None
        assert room.origin_proposal_id == 12
        assert room.status.value == "open"
        assert room.opened_at is not None
        assert len(active_memberships(room)) == 3
        [prompt] = db.session.scalars(select(Message).where(Message.room_id == room.id)).all()
        assert prompt.kind == MessageKind.PROMPT
        assert room.round_message_id == prompt.id

        late = make_user()
        signals.group_member_accepted.send(app, room_id=room.id, member_id=late.id)
        db.session.commit()
        assert len(active_memberships(room)) == 4


def test_collect_member_rooms_lists_rooms_with_unread(
    app: Flask, make_user: MakeUser, make_room: Callable[..., int]
) -> None:
    tern, wren = make_user(), make_user()
    room_id = make_room(tern, wren, name="Tea", prompt="Hello?")
    with app.app_context():
        db.session.add(Message(room_id=room_id, author_id=wren.id, body="hi"))
        db.session.commit()
        user = db.session.get(User, tern.id)
        results = signals.collect_member_rooms.send(user)
        rooms = [r for _receiver, value in results for r in value]
        assert rooms == [
            {"id": room_id, "name": "Tea", "status": "open", "unread": 2, "kind": "group"}
        ]


def test_export_and_deletion(
    app: Flask, client: Any, make_user: MakeUser, make_room: Callable[..., int]
) -> None:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    with app.app_context():
        message = Message(room_id=room_id, author_id=tern.id, body="my words")
        db.session.add(message)
        db.session.flush()
        db.session.add(Reaction(message_id=message.id, user_id=wren.id, kind="heart"))
        db.session.add(PersonalMute(room_id=room_id, user_id=tern.id, muted_user_id=wren.id))
        db.session.commit()
    AuthActions(client).login("tern")
    export = json.loads(client.get("/account/export").get_data(as_text=True))
    assert export["rooms"]["memberships"][0]["room_id"] == room_id
    assert [m["body"] for m in export["rooms"]["messages"]] == ["my words"]

    response = client.post(
        "/account/delete",
        data={"password": DEFAULT_PASSWORD, "csrf_token": csrf_token_for(client)},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PersonalMute)) == 0
        assert (
            db.session.scalar(
                select(func.count()).select_from(Membership).where(Membership.user_id == tern.id)
            )
            == 0
        )
        [kept] = db.session.scalars(select(Message).where(Message.room_id == room_id)).all()
        from rooms.payloads import message as message_payload

        assert message_payload(kept)["author"]["handle"] == "former member"


def test_demo_population_gets_rooms(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-demo", "--users", "15"])
    assert result.exit_code == 0, result.output
    assert "open rooms" in result.output
    with app.app_context():
        rooms = db.session.scalars(select(Room)).all()
        assert len(rooms) >= 2
        for room in rooms:
            assert 4 <= len(active_memberships(room)) <= 5
            kinds = [
                m.kind
                for m in db.session.scalars(select(Message).where(Message.room_id == room.id))
            ]
            assert kinds[0] == MessageKind.PROMPT
            assert MessageKind.USER in kinds


def test_a_new_member_starts_in_the_seat_their_talk_style_asks_for(
    app: Flask, make_user: MakeUser
) -> None:
    """ "I like to listen first" starts listening; others (and no profile) start sharing;
    someone who comes back keeps the seat they left with."""
    from profiles import service as profiles

    quiet, chatty, blank = make_user("quiet"), make_user("chatty"), make_user("blank")
    with app.app_context():
        people = {u.handle: db.session.get(User, u.id) for u in (quiet, chatty, blank)}
        profiles.patch_profile(people["quiet"], {"talk_style": "listen_first"})
        profiles.patch_profile(people["chatty"], {"talk_style": "talk_freely"})
        room = create_room("Tea", list(people.values()))
        db.session.commit()
        seats = {m.user.handle: m.seat.value for m in room.memberships}
        assert seats == {"quiet": "listening", "chatty": "sharing", "blank": "sharing"}

        chatty_seat = next(m for m in room.memberships if m.user.handle == "chatty")
        set_seat(chatty_seat, "listening")
        chatty_seat.left_at = chatty_seat.joined_at
        db.session.commit()
        add_member(room, people["chatty"])
        assert chatty_seat.left_at is None
        assert chatty_seat.seat.value == "listening"
