"""The queue: most severe first, then oldest; one open item per target."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts.models import User
from db import db, utcnow
from moderation import queue
from moderation.models import QueueItem, QueueKind, QueueStatus, Report
from rooms.models import Message, Room
from tests.moderation.conftest import Chat, ModConsole


def _verdict(**fields: object) -> SimpleNamespace:
    base = {
        "crisis": False,
        "crisis_severity": 0,
        "offensive": False,
        "contact_details": False,
        "action": "flag",
        "reasons": [],
    }
    base.update(fields)
    return SimpleNamespace(**base)


@pytest.fixture
def room_with_messages(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
) -> tuple[int, list[int], User]:
    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    ids = [tern_chat.send(room_id, f"message number {n}")["message"]["id"] for n in range(5)]
    return room_id, ids, tern


def test_queue_is_most_severe_first_then_oldest(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    room_with_messages: tuple[int, list[int], User],
) -> None:
    _room_id, ids, _tern = room_with_messages
    app.config["CRISIS_ACK_MINUTES"] = 0  # no item is overdue: pure severity order
    now = utcnow()
    with app.app_context():
        made = []
        for message_id, severity, age in [
            (ids[0], 1, 50),
            (ids[1], 3, 10),
            (ids[2], 3, 40),
            (ids[3], 4, 1),
            (ids[4], 2, 60),
        ]:
            message = db.session.get(Message, message_id)
            assert message is not None
            item = queue.flag_message(message, _verdict())
            item.severity = severity
            item.created_at = now - timedelta(minutes=age)
            made.append(item.id)
        db.session.commit()
    login_as("moderator")
    items = client.get("/api/v1/mod/queue").get_json()["items"]
    assert [(i["severity"], i["message_id"]) for i in items] == [
        (4, ids[3]),
        (3, ids[2]),
        (3, ids[1]),
        (2, ids[4]),
        (1, ids[0]),
    ]
    assert set(items[0]) >= {
        "id",
        "kind",
        "severity",
        "room_id",
        "message_id",
        "excerpt",
        "created_at",
    }
    filtered = client.get("/api/v1/mod/queue?severity=3").get_json()["items"]
    assert {i["severity"] for i in filtered} == {3}
    assert client.get("/api/v1/mod/queue?kind=crisis").get_json()["items"] == []
    assert client.get("/api/v1/mod/queue?kind=nonsense").status_code == 400


def test_reports_gather_on_one_open_item_per_message(
    app: Flask,
    make_user: Callable[..., User],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
    room_with_messages: tuple[int, list[int], User],
) -> None:
    room_id, ids, _tern = room_with_messages
    mod = console(make_user("keeper", role="moderator"))
    reporters = [make_user(f"reporter{n}") for n in range(3)]
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        from rooms.membership import add_member

        for user in reporters:
            add_member(room, db.session.get(User, user.id))  # type: ignore[arg-type]
        db.session.commit()
    for user in reporters:
        ack = chat(user).call("report", {"message_id": ids[0], "reason": "harassment"})
        assert ack["ok"], ack
    with app.app_context():
        items = list(db.session.scalars(select(QueueItem)))
        assert len(items) == 1
        assert items[0].report_count == 3
        assert items[0].kind == QueueKind.REPORT
        assert items[0].severity >= 2
        assert len(list(db.session.scalars(select(Report)))) == 3
        item_id = items[0].id
    events = mod.received("queue_item")
    assert {e["id"] for e in events} == {item_id}

    # Once closed, a new report opens a new item for the same message.
    with app.app_context():
        item = db.session.get(QueueItem, item_id)
        keeper = db.session.scalars(select(User).where(User.handle_key == "keeper")).one()
        assert item is not None
        queue.resolve_item(item, "no_action", by=keeper)
        db.session.commit()
    assert chat(reporters[0]).call("report", {"message_id": ids[0], "reason": "spam"})["ok"]
    with app.app_context():
        open_items = queue.open_items()
        assert len(open_items) == 1
        assert open_items[0].id != item_id


def test_the_database_refuses_a_second_open_item_for_a_target(
    app: Flask, room_with_messages: tuple[int, list[int], User]
) -> None:
    room_id, ids, _tern = room_with_messages

    def item(status: QueueStatus) -> QueueItem:
        return QueueItem(
            kind=QueueKind.REPORT,
            severity=1,
            room_id=room_id,
            message_id=ids[0],
            target_key=f"message:{ids[0]}",
            status=status,
        )

    with app.app_context():
        db.session.add(item(QueueStatus.RESOLVED))
        db.session.add(item(QueueStatus.DISMISSED))
        db.session.add(item(QueueStatus.OPEN))
        db.session.commit()
        db.session.add(item(QueueStatus.ACKNOWLEDGED))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_item_detail_shows_the_five_messages_before(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    room_with_messages: tuple[int, list[int], User],
    chat: Callable[..., Chat],
) -> None:
    _room_id, ids, _tern = room_with_messages
    with app.app_context():
        message = db.session.get(Message, ids[4])
        assert message is not None
        item_id = queue.flag_message(message, _verdict()).id
        db.session.commit()
    login_as("moderator")
    detail = client.get(f"/api/v1/mod/queue/{item_id}").get_json()
    assert [m["id"] for m in detail["context"]][-5:] == ids
    assert [m["focus"] for m in detail["context"]][-1] is True
    page = client.get(f"/mod/items/{item_id}")
    assert page.status_code == 200
    assert "message number 0" in page.get_data(as_text=True)
