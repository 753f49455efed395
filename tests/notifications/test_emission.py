"""Where notifications come from: rounds, rooms opening, room activity, report outcomes."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from accounts.models import Role, User
from db import db, utcnow
from matching import service as matching
from matching.models import Proposal
from moderation.models import QueueItem, ReportOutcome
from moderation.queue import OUTCOME_TEXT, resolve_item
from notifications import service
from notifications.models import Notification, SocketPresence
from profiles import service as profiles
from rooms.admin import create_room
from rooms.membership import leave_room
from rooms.queries import membership_of
from tests.matching.conftest import BASE_DOCUMENT, STYLES


def rows(app: Flask, kind: str | None = None) -> list[Notification]:
    with app.app_context():
        query = select(Notification).order_by(Notification.id)
        if kind:
            query = query.where(Notification.kind == kind)
        return list(db.session.scalars(query))


@pytest.fixture
def three_waiting(app: Flask, make_user: Callable[..., User]) -> list[User]:
    people = [make_user() for _ in range(3)]
    with app.app_context():
        for person, style in zip(people, STYLES, strict=False):
            user = db.session.get(User, person.id)
            assert user is not None
            profiles.save_profile(user, copy.deepcopy(BASE_DOCUMENT) | {"talk_style": style})
            profiles.join_pool(user)
        db.session.commit()
    return people


def test_a_round_stores_group_proposed_for_everyone_in_its_transaction(
    app: Flask, three_waiting: list[User]
) -> None:
    with app.app_context():
        matching.run_round(seed=0)
        db.session.rollback()  # a round that does not commit tells nobody
        matching.release_round_lock()
    assert rows(app) == []
    with app.app_context():
        summary = matching.run_round(seed=0)
        db.session.commit()
        assert len(summary.groups) == 1
    stored = rows(app, "group_proposed")
    assert sorted(r.user_id for r in stored) == sorted(u.id for u in three_waiting)
    assert {r.url for r in stored} == {"/groups"}
    assert {r.text for r in stored} == {matching.NEW_PROPOSAL_TEXT}
    assert all(r.dispatched_at is None for r in stored)  # waiting for a dispatcher


def test_the_room_opening_tells_the_others_who_said_yes(
    app: Flask, three_waiting: list[User]
) -> None:
    with app.app_context():
        matching.run_round(seed=0)
        db.session.commit()
        proposal = db.session.scalars(select(Proposal)).one()
        for person in three_waiting:
            user = db.session.get(User, person.id)
            assert user is not None
            outcome = matching.accept(proposal, user)
            db.session.commit()
        assert outcome.opened_room
        room_id = outcome.room_id
    opened = rows(app, "group_opened")
    assert sorted(r.user_id for r in opened) == sorted(u.id for u in three_waiting[:2])
    assert {r.url for r in opened} == {f"/rooms/{room_id}"}


def send(sio: Any, room_id: int, body: str) -> Any:
    return sio.emit(
        "send",
        {"room_id": room_id, "body": body, "client_msg_id": str(uuid.uuid4())},
        namespace="/chat",
        callback=True,
    )


def test_room_activity_reaches_only_members_with_no_socket_anywhere_once_per_window(
    app: Flask, make_user: Callable[..., User], sockets: Callable[[User], Any]
) -> None:
    author, online, away, left = (make_user() for _ in range(4))
    with app.app_context():
        members = [db.session.get(User, u.id) for u in (author, online, away, left)]
        room = create_room("Evening tea", [m for m in members if m])
        db.session.commit()
        room_id = room.id
        membership = membership_of(room, left.id)
        assert membership is not None
        leave_room(membership)
        db.session.commit()
    writer = sockets(author)
    sockets(online)
    secret = "my sister's wedding was hard today"
    ack = send(writer, room_id, secret)
    assert ack["ok"], ack
    activity = rows(app, "room_activity")
    told = {r.user_id for r in activity}
    assert away.id in told
    assert author.id not in told
    assert online.id not in told
    assert left.id not in told
    assert all(secret not in r.text and "wedding" not in r.text for r in activity)
    assert {r.url for r in activity} == {f"/rooms/{room_id}"}
    # More messages within two hours: nothing new for anyone.
    assert send(writer, room_id, "and another thing")["ok"]
    assert len(rows(app, "room_activity")) == len(activity)
    # Two hours later the next message may tell them again.
    with app.app_context():
        activity_rows = select(Notification).where(Notification.kind == "room_activity")
        for row in db.session.scalars(activity_rows):
            row.created_at = row.created_at - timedelta(hours=2, minutes=1)
            # …which is also an earlier two-hour bucket of the key.
            room, bucket = str(row.dedupe_key).rsplit(":", 2)[1:]
            row.dedupe_key = f"room_activity:{room}:{int(bucket) - 1}"
        db.session.commit()
    assert send(writer, room_id, "still here")["ok"]
    assert len([r for r in rows(app, "room_activity") if r.user_id == away.id]) == 2


def test_presence_counts_sockets_in_other_processes_until_they_go_stale(
    app: Flask, make_user: Callable[..., User]
) -> None:
    here, elsewhere, dead = make_user(), make_user(), make_user()
    with app.app_context():
        service.socket_opened(here.id)
        service.socket_opened(here.id)
        service.socket_closed(here.id)
        now = utcnow()
        db.session.add(
            SocketPresence(user_id=elsewhere.id, holder="other:1", sockets=1, seen_at=now)
        )
        db.session.add(
            SocketPresence(
                user_id=dead.id, holder="gone:2", sockets=3, seen_at=now - timedelta(minutes=5)
            )
        )
        db.session.commit()
        assert service.connected_user_ids([here.id, elsewhere.id, dead.id]) == {
            here.id,
            elsewhere.id,
        }
        service.socket_closed(here.id)
        db.session.commit()
        assert service.connected_user_ids([here.id]) == set()
        assert db.session.get(SocketPresence, (here.id, service.holder())) is None


def test_a_socket_connecting_and_leaving_updates_presence(
    app: Flask, make_user: Callable[..., User], sockets: Callable[[User], Any]
) -> None:
    user = make_user()
    sio = sockets(user)
    with app.app_context():
        assert service.connected_user_ids([user.id]) == {user.id}
    sio.disconnect(namespace="/chat")
    with app.app_context():
        assert service.connected_user_ids([user.id]) == set()


def test_a_report_outcome_is_stored_for_the_reporter(
    app: Flask, make_user: Callable[..., User], sockets: Callable[[User], Any]
) -> None:
    author, reporter = make_user(), make_user()
    moderator = make_user(role=Role.MODERATOR)
    with app.app_context():
        room = create_room(
            "Evening tea", [db.session.get(User, author.id), db.session.get(User, reporter.id)]
        )
        db.session.commit()
        room_id = room.id
    ack = send(sockets(author), room_id, "buy my course, only today")
    assert ack["ok"], ack
    report = sockets(reporter).emit(
        "report",
        {"message_id": ack["message"]["id"], "reason": "spam"},
        namespace="/chat",
        callback=True,
    )
    assert report["ok"], report
    with app.app_context():
        item = db.session.scalars(select(QueueItem)).one()
        resolve_item(item, "no_action", by=db.session.get(User, moderator.id))
        db.session.commit()
    (outcome,) = rows(app, "report_outcome")
    assert outcome.user_id == reporter.id
    assert outcome.text == OUTCOME_TEXT[ReportOutcome.NO_ACTION]
    assert "buy my course" not in outcome.text
