"""Care first (issue 14): private check-ins in care rooms, resources sent
privately, care outcomes, escalation, and deleted accounts staying deleted."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from accounts import service as accounts_service
from accounts.models import User
from db import db, utcnow
from moderation import care
from moderation.guards import ModerationError
from moderation.models import AuditEntry, QueueItem, QueueStatus
from notifications.models import Notification
from rooms.models import Message, Room, RoomKind, RoomStatus
from tests.conftest import DEFAULT_PASSWORD, csrf_token_for
from tests.moderation.conftest import Chat, ModConsole, audit_rows, open_checkin, post_json

CRISIS = "I don't want to be alive anymore"


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        rooms = db.session.scalar(select(func.count()).select_from(Room))
        messages = db.session.scalar(select(func.count()).select_from(Message))
        audits = db.session.scalar(select(func.count()).select_from(AuditEntry))
        return int(rooms or 0), int(messages or 0), int(audits or 0)


def _notifications(app: Flask, kind: str) -> list[Notification]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification).where(Notification.kind == kind).order_by(Notification.id)
            )
        )


def _crisis_item(app: Flask, tern_chat: Chat, room_id: int) -> int:
    ack = tern_chat.send(room_id, CRISIS)
    assert ack["ok"], ack
    with app.app_context():
        item = db.session.scalars(select(QueueItem).order_by(QueueItem.id.desc())).first()
        assert item is not None
        assert item.kind.value == "crisis", item
        return item.id


@pytest.fixture
def scene(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
) -> dict[str, Any]:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    mod = console(make_user("keeper", role="moderator"))
    tern_chat, wren_chat = chat(tern), chat(wren)
    assert tern_chat.join(room_id)["ok"]
    assert wren_chat.join(room_id)["ok"]
    item_id = _crisis_item(app, tern_chat, room_id)
    tern_chat.received(), wren_chat.received(), mod.received()
    return {
        "tern": tern,
        "wren": wren,
        "room_id": room_id,
        "mod": mod,
        "tern_chat": tern_chat,
        "wren_chat": wren_chat,
        "item_id": item_id,
    }


def test_checkin_opens_a_private_care_room_only_the_person_and_moderators_can_join(
    app: Flask, scene: dict[str, Any], chat: Callable[..., Chat]
) -> None:
    mod, tern_chat, wren_chat = scene["mod"], scene["tern_chat"], scene["wren_chat"]
    body = care.care_replies("en")[0].body
    response = post_json(mod.http, f"/api/v1/mod/queue/{scene['item_id']}/checkin", {"body": body})
    assert response.status_code == 200, response.get_json()
    room_id = response.get_json()["room_id"]

    # The person hears of it, privately, and nobody else does.
    stored = _notifications(app, "moderator_checkin")
    assert [(n.user_id, n.url) for n in stored] == [(scene["tern"].id, f"/rooms/{room_id}")]
    assert CRISIS not in stored[0].text
    notices = [n for n in tern_chat.received("notice") if n["code"] == "moderator_checkin"]
    assert len(notices) == 1
    assert CRISIS not in notices[0]["text"]
    assert [n for n in wren_chat.received("notice") if n["code"] == "moderator_checkin"] == []

    joined = tern_chat.join(room_id)
    assert joined["ok"], joined
    assert joined["room"]["kind"] == "care"
    assert [m["kind"] for m in joined["messages"]] == ["moderator"]
    assert joined["messages"][0]["body"] == body
    assert tern_chat.send(room_id, "thank you, it's a hard day")["ok"]

    refused = wren_chat.join(room_id)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "not_member"
    assert wren_chat.send(room_id, "hello?")["error"]["code"] == "not_member"

    # /groups: first for the person, labelled; absent for the other member.
    tern_rooms = tern_chat.http.get("/api/v1/groups").get_json()["rooms"]
    assert tern_rooms[0]["id"] == room_id
    assert tern_rooms[0]["kind"] == "care"
    assert {r["kind"] for r in tern_rooms[1:]} == {"group"}
    page = tern_chat.http.get("/groups").get_data(as_text=True)
    assert "Private, with the moderators" in page
    assert room_id not in {
        r["id"] for r in wren_chat.http.get("/api/v1/groups").get_json()["rooms"]
    }
    assert "Private, with the moderators" not in wren_chat.http.get("/groups").get_data(
        as_text=True
    )
    assert wren_chat.http.get(f"/rooms/{room_id}").status_code == 403

    # One audit row for the check-in; the item is acknowledged and linked.
    rows = [r for r in audit_rows(app) if r.action.startswith("care_")]
    assert [(r.action, r.target_type, r.target_id) for r in rows] == [
        ("care_checkin", "user", scene["tern"].id)
    ]
    with app.app_context():
        item = db.session.get(QueueItem, scene["item_id"])
        assert item is not None
        assert item.status == QueueStatus.ACKNOWLEDGED
        assert item.care_room_id == room_id
        room = db.session.get(Room, room_id)
        assert room is not None
        assert room.kind == RoomKind.CARE
        assert room.care_for_id == scene["tern"].id

    # A second check-in reuses the same room.
    again = post_json(
        mod.http, f"/api/v1/mod/queue/{scene['item_id']}/checkin", {"body": "Still here."}
    )
    assert again.get_json()["room_id"] == room_id


def test_another_moderator_may_join_and_each_join_is_audited(
    app: Flask, scene: dict[str, Any], make_user: Callable[..., User], chat: Callable[..., Chat]
) -> None:
    room_id = open_checkin(scene["mod"], scene["item_id"], "Hi there.")
    second = chat(make_user("heron", role="moderator"))
    joined = second.join(room_id)
    assert joined["ok"]
    assert joined["me"]["member"] is True
    assert second.send(room_id, "Hi, I'm here too.")["ok"]
    assert second.join(room_id)["ok"]  # joining again is not a second join
    joins = [r for r in audit_rows(app) if r.action == "join_care_room"]
    assert [(r.actor_id, r.target_id) for r in joins] == [(second.user.id, room_id)]  # type: ignore[union-attr]


def test_resources_are_sent_privately_and_nothing_is_posted_in_the_group(
    app: Flask, scene: dict[str, Any]
) -> None:
    before = scene["wren_chat"].received()
    response = post_json(scene["mod"].http, f"/api/v1/mod/queue/{scene['item_id']}/resources")
    assert response.status_code == 200, response.get_json()
    room_id = response.get_json()["room_id"]
    joined = scene["tern_chat"].join(room_id)
    assert [m["kind"] for m in joined["messages"]] == ["system"]
    assert "listen" in joined["messages"][0]["body"]
    assert scene["wren_chat"].received("message") == []
    assert before == []
    with app.app_context():
        group_lines = db.session.scalars(
            select(Message).where(Message.room_id == scene["room_id"], Message.author_id.is_(None))
        ).all()
        assert group_lines == []
    assert [r.action for r in audit_rows(app)] == ["care_resources"]


def test_the_resources_line_reads_in_each_readers_language(
    app: Flask, scene: dict[str, Any]
) -> None:
    """tern chose German; the moderator reads in English. The line's words follow
    the reader, the list of lines follows tern (for whom it is)."""
    tern = scene["tern"]
    with app.app_context():
        person = db.session.get(User, tern.id)
        assert person is not None
        person.locale = "de"
        db.session.commit()
    response = post_json(scene["mod"].http, f"/api/v1/mod/queue/{scene['item_id']}/resources")
    room_id = response.get_json()["room_id"]
    [line] = scene["tern_chat"].join(room_id)["messages"]
    assert line["body"].startswith("Die Moderation wollte, dass du das hier hast")
    page = scene["mod"].http.get(f"/api/v1/rooms/{room_id}/messages").get_json()
    [english] = page["messages"]
    assert english["body"].startswith("The moderators wanted you to have these")
    # Both show the same list, in tern's language.
    assert line["body"].split("\n\n", 1)[1] == english["body"].split("\n\n", 1)[1]
    with app.app_context():
        stored = db.session.get(Message, english["id"])
        assert stored is not None
        assert stored.body == english["body"]


def test_a_crisis_message_inside_a_care_room_raises_an_item_linked_to_it(
    app: Flask, scene: dict[str, Any]
) -> None:
    mod = scene["mod"]
    room_id = open_checkin(mod, scene["item_id"], "How are you?")
    tern_chat = scene["tern_chat"]
    tern_chat.join(room_id)
    mod.received()
    assert tern_chat.send(room_id, "honestly I want to end my life")["ok"]
    items = [i for i in mod.received("queue_item") if i["room_id"] == room_id]
    assert items
    assert items[0]["kind"] == "crisis"
    with app.app_context():
        item = db.session.get(QueueItem, items[0]["id"])
        assert item is not None
        assert item.care_room_id == room_id


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"body": ""}, 400, "invalid"),
        ({"body": "   "}, 400, "invalid"),
        ({"body": "x" * 5000}, 400, "too_long"),
        ({"body": 12}, 400, "invalid"),
        ({}, 400, "invalid"),
        (["body"], 400, "invalid"),
    ],
)
def test_checkin_body_is_validated_and_nothing_is_stored(
    app: Flask, scene: dict[str, Any], payload: Any, status: int, code: str
) -> None:
    before = _counts(app)
    response = post_json(
        scene["mod"].http, f"/api/v1/mod/queue/{scene['item_id']}/checkin", payload
    )
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert _counts(app) == before


def test_checkin_on_a_report_item_is_refused_and_nothing_is_stored(
    app: Flask, scene: dict[str, Any]
) -> None:
    wren_chat = scene["wren_chat"]
    message = wren_chat.send(scene["room_id"], "a perfectly ordinary message")["message"]
    assert scene["tern_chat"].call("report", {"message_id": message["id"], "reason": "spam"})["ok"]
    with app.app_context():
        report_item = db.session.scalars(
            select(QueueItem).where(QueueItem.message_id == message["id"])
        ).one()
    before = _counts(app)
    for url in (
        f"/api/v1/mod/queue/{report_item.id}/checkin",
        f"/api/v1/mod/queue/{report_item.id}/resources",
    ):
        response = post_json(scene["mod"].http, url, {"body": "Hello"})
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "not_care_item"
    assert _counts(app) == before
    missing = post_json(scene["mod"].http, "/api/v1/mod/queue/999999/checkin", {"body": "Hello"})
    assert missing.status_code == 404


def test_members_cannot_call_the_moderator_endpoints(app: Flask, scene: dict[str, Any]) -> None:
    before = _counts(app)
    http = scene["wren_chat"].http
    for url in (
        f"/api/v1/mod/queue/{scene['item_id']}/checkin",
        f"/api/v1/mod/queue/{scene['item_id']}/resources",
        f"/api/v1/mod/members/{scene['tern'].id}/checkin",
    ):
        assert post_json(http, url, {"body": "Hello"}).status_code == 403
    assert _counts(app) == before


def test_closing_a_care_room(app: Flask, scene: dict[str, Any]) -> None:
    mod, tern_chat, wren_chat = scene["mod"], scene["tern_chat"], scene["wren_chat"]
    room_id = open_checkin(mod, scene["item_id"], "Hi, how are you?")
    before = _counts(app)
    # Someone else's care room, and a group room: refused, nothing changes.
    assert post_json(wren_chat.http, f"/api/v1/rooms/{room_id}/close").status_code == 403
    assert post_json(wren_chat.http, "/api/v1/rooms/999999/close").status_code == 403
    assert post_json(tern_chat.http, f"/api/v1/rooms/{scene['room_id']}/close").status_code == 403
    # A moderator needs a known outcome.
    bad = post_json(mod.http, f"/api/v1/rooms/{room_id}/close", {"outcome": "fixed"})
    assert bad.status_code == 400
    assert bad.get_json()["error"]["fields"]["outcome"]
    group = post_json(
        mod.http, f"/api/v1/rooms/{scene['room_id']}/close", {"outcome": "followed_up"}
    )
    assert group.status_code == 409
    assert group.get_json()["error"]["code"] == "not_care_room"
    assert _counts(app) == before

    closed = post_json(tern_chat.http, f"/api/v1/rooms/{room_id}/close")
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed"
    assert _counts(app)[2] == before[2]  # the person's own choice is not a moderator action
    again = post_json(mod.http, f"/api/v1/rooms/{room_id}/close", {"outcome": "followed_up"})
    assert again.status_code == 409


def test_a_moderator_closes_with_an_outcome_and_the_item_is_resolved(
    app: Flask, scene: dict[str, Any]
) -> None:
    mod = scene["mod"]
    room_id = open_checkin(mod, scene["item_id"], "Hi, how are you?")
    response = post_json(mod.http, f"/api/v1/rooms/{room_id}/close", {"outcome": "referred"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["audit"]["action"] == "close_care_room"
    with app.app_context():
        item = db.session.get(QueueItem, scene["item_id"])
        room = db.session.get(Room, room_id)
        assert item is not None
        assert room is not None
        assert item.status == QueueStatus.RESOLVED
        assert item.outcome == "referred"
        assert room.status == RoomStatus.CLOSED
        assert room.care_outcome == "referred"
    assert [r.action for r in audit_rows(app)] == ["care_checkin", "close_care_room"]


def test_resolve_accepts_care_outcomes(app: Flask, scene: dict[str, Any]) -> None:
    response = post_json(
        scene["mod"].http,
        f"/api/v1/mod/queue/{scene['item_id']}/resolve",
        {"outcome": "followed_up"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["item"]["status"] == "resolved"
    assert response.get_json()["audit"]["details"]["outcome"] == "followed_up"


def test_checkin_from_the_member_page(app: Flask, scene: dict[str, Any]) -> None:
    mod = scene["mod"]
    page = mod.http.get(f"/mod/members/{scene['tern'].id}").get_data(as_text=True)
    assert "Check in privately" in page
    response = post_json(
        mod.http,
        f"/api/v1/mod/members/{scene['tern'].id}/checkin",
        {"body": "Hello, just checking in."},
    )
    assert response.status_code == 200
    room_id = response.get_json()["room_id"]
    page = mod.http.get(f"/mod/members/{scene['tern'].id}").get_data(as_text=True)
    assert f"/rooms/{room_id}" in page
    assert "Crisis items and concerns" in page


def test_console_puts_care_first_on_crisis_items(app: Flask, scene: dict[str, Any]) -> None:
    http = scene["mod"].http
    for url in ("/mod/", f"/mod/items/{scene['item_id']}"):
        page = http.get(url).get_data(as_text=True)
        assert "Check in privately" in page
        assert "Send resources privately" in page
        assert "Mark followed up" in page
        assert "Other actions" in page
        assert "Crisis language is never a reason to sanction" in page
        assert page.index("Check in privately") < page.index("Remove message")


def test_console_form_checkin_lands_in_the_care_room(app: Flask, scene: dict[str, Any]) -> None:
    http = scene["mod"].http
    response = http.post(
        f"/mod/items/{scene['item_id']}/checkin",
        data={"body": "Hi, checking in.", "csrf_token": csrf_token_for(http)},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/rooms/")
    page = http.get(response.headers["Location"]).get_data(as_text=True)
    assert "Private, with the moderators" in page
    assert "Close the check-in" in page


def test_overdue_items_escalate_once_and_lead_the_queue(
    app: Flask, scene: dict[str, Any], make_user: Callable[..., User], chat: Callable[..., Chat]
) -> None:
    app.config["CRISIS_ACK_MINUTES"] = 0.05
    admin = chat(make_user("warden", role="admin"))
    with app.app_context():
        item = db.session.get(QueueItem, scene["item_id"])
        assert item is not None
        assert item.severity >= 3
        item.created_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    scene["mod"].received()
    with app.app_context():
        assert care.escalate_overdue(app) == [scene["item_id"]]
        assert care.escalate_overdue(app) == []  # once
    alerts = _notifications(app, "crisis_overdue")
    assert sorted(n.user_id for n in alerts) == sorted([admin.user.id, scene["mod"].user.id])  # type: ignore[union-attr]
    assert {n.url for n in alerts} == {f"/mod/items/{scene['item_id']}"}
    assert all(CRISIS not in n.text for n in alerts)
    with app.test_request_context(headers={"Accept-Language": "de"}):
        from notifications.service import shown_text

        assert all(shown_text(n).startswith("Ein Krisenhinweis") for n in alerts)
    overdue = scene["mod"].received("queue_item")
    assert overdue
    assert overdue[0]["overdue"] is True
    listed = scene["mod"].http.get("/api/v1/mod/queue").get_json()["items"]
    assert listed[0]["id"] == scene["item_id"]
    assert listed[0]["overdue"] is True
    page = scene["mod"].http.get("/mod/").get_data(as_text=True)
    assert "Overdue:" in page


def test_acknowledged_items_do_not_escalate(app: Flask, scene: dict[str, Any]) -> None:
    app.config["CRISIS_ACK_MINUTES"] = 0.05
    assert scene["mod"].call("ack_item", {"id": scene["item_id"]})["ok"]
    with app.app_context():
        item = db.session.get(QueueItem, scene["item_id"])
        assert item is not None
        item.created_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert care.escalate_overdue(app) == []


def test_deleting_an_account_rewrites_lines_naming_them_and_closes_care_rooms(
    app: Flask, scene: dict[str, Any]
) -> None:
    mod = scene["mod"]
    room_id = open_checkin(mod, scene["item_id"], "Hi tern, how are you?")
    post_json(
        mod.http,
        f"/api/v1/mod/rooms/{scene['room_id']}/messages",
        {"body": "Thinking of Tern today."},
    )
    with app.app_context():
        tern = db.session.get(User, scene["tern"].id)
        assert tern is not None
        accounts_service.delete_account(tern, password=DEFAULT_PASSWORD)
        db.session.commit()
        lines = db.session.scalars(
            select(Message.body).where(Message.kind.in_(("moderator", "system")))
        ).all()
        assert not any("tern" in line.lower() for line in lines), lines
        assert "Hi a former member, how are you?" in lines
        room = db.session.get(Room, room_id)
        assert room is not None
        assert room.status == RoomStatus.CLOSED


def test_care_replies_file_has_the_documented_shape() -> None:
    raw = json.loads(care.REPLIES_FILE.read_text(encoding="utf-8"))
    assert "en" in raw
    for locale, entries in raw.items():
        if locale.startswith("_"):
            continue
        assert len(locale) == 2
        assert entries
        for entry in entries:
            assert {"id", "label", "body"} <= set(entry)
            assert 0 < len(entry["body"]) <= 2000
    assert care.care_replies("de-DE")[0].body.startswith("Hallo")
    assert care.care_replies("xx") == care.care_replies("en")


def test_escalation_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from config import load_config

    monkeypatch.setenv("CRISIS_ACK_MINUTES", "0.05")
    monkeypatch.setenv("CRISIS_ESCALATION_CHECK_SECONDS", "2")
    config = load_config("testing")
    assert config.CRISIS_ACK_MINUTES == 0.05
    assert config.CRISIS_ESCALATION_CHECK_SECONDS == 2
    monkeypatch.delenv("CRISIS_ACK_MINUTES")
    assert load_config("production" if False else "testing").CRISIS_ACK_MINUTES == 5
    monkeypatch.setenv("CRISIS_ACK_MINUTES", "soon")
    with pytest.raises(RuntimeError, match="CRISIS_ACK_MINUTES"):
        load_config("testing")
    monkeypatch.setenv("CRISIS_ACK_MINUTES", "-1")
    with pytest.raises(RuntimeError, match="CRISIS_ACK_MINUTES"):
        load_config("testing")


def test_service_refuses_a_check_in_with_yourself(
    app: Flask, make_user: Callable[..., User]
) -> None:
    keeper = make_user("solo", role="moderator")
    with app.app_context():
        me = db.session.get(User, keeper.id)
        assert me is not None
        with pytest.raises(ModerationError):
            care.checkin(me, "hello", by=me)


def test_care_rooms_are_never_refilled_or_asked_about_by_matching(
    app: Flask, scene: dict[str, Any]
) -> None:
    from rooms import quorum

    room_id = open_checkin(scene["mod"], scene["item_id"], "Hi.")
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        room.opened_at = utcnow() - timedelta(days=30)
        db.session.commit()
        assert room_id not in {r["room_id"] for r in quorum.rooms_below_quorum()}
        tern = db.session.get(User, scene["tern"].id)
        assert tern is not None
        assert room_id not in {r["room_id"] for r in quorum.room_ages(tern)}
