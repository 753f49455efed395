"""POST /api/v1/mod/actions: every field is checked, errors are CONTRACT JSON with
``error.fields``, and a refused request writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from accounts.models import User
from db import db
from moderation.models import AuditEntry, Sanction
from rooms.models import Message, Room, RoomStatus
from tests.moderation.conftest import Chat

ROOM = 1  # replaced per test by the real ids


@pytest.fixture
def setup(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
) -> dict[str, Any]:
    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    message_id = tern_chat.send(room_id, "hello there")["message"]["id"]
    login_as("moderator", handle="keeper")
    return {"room_id": room_id, "message_id": message_id, "tern": tern}


def _post(client: FlaskClient, payload: Any, *, csrf: bool = True, raw: bool = False) -> Any:
    headers = {}
    if csrf:
        headers["X-CSRFToken"] = client.get("/api/v1/csrf").get_json()["csrf_token"]
    if raw:
        return client.post(
            "/api/v1/mod/actions", data=payload, headers=headers, content_type="application/json"
        )
    return client.post("/api/v1/mod/actions", json=payload, headers=headers)


def _nothing_written(app: Flask, room_id: int, message_id: int, tern_id: int) -> None:
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert db.session.scalar(select(func.count()).select_from(Sanction)) == 0
        message = db.session.get(Message, message_id)
        room = db.session.get(Room, room_id)
        tern = db.session.get(User, tern_id)
        assert message is not None
        assert message.removed_at is None
        assert room is not None
        assert room.status == RoomStatus.OPEN
        assert tern is not None
        assert tern.muted_until is None
        assert tern.banned_until is None


BAD: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("not an object", lambda s: ["remove_message"], ""),
    ("bad kind", lambda s: {"kind": "smite", "target": {"handle": "tern"}, "reason": "x"}, "kind"),
    ("kind not text", lambda s: {"kind": 3, "target": {"handle": "tern"}, "reason": "x"}, "kind"),
    ("missing reason", lambda s: {"kind": "warn", "target": {"handle": "tern"}}, "reason"),
    (
        "blank reason",
        lambda s: {"kind": "warn", "target": {"handle": "tern"}, "reason": "  "},
        "reason",
    ),
    (
        "long reason",
        lambda s: {"kind": "warn", "target": {"handle": "tern"}, "reason": "x" * 501},
        "reason",
    ),
    (
        "reason not text",
        lambda s: {"kind": "warn", "target": {"handle": "tern"}, "reason": 5},
        "reason",
    ),
    ("target missing", lambda s: {"kind": "warn", "reason": "x"}, "target"),
    ("target not object", lambda s: {"kind": "warn", "target": "tern", "reason": "x"}, "target"),
    (
        "message target for user kind",
        lambda s: {"kind": "warn", "target": {"message_id": s["message_id"]}, "reason": "x"},
        "target",
    ),
    (
        "both handle and id",
        lambda s: {"kind": "warn", "target": {"handle": "tern", "user_id": 2}, "reason": "x"},
        "target",
    ),
    (
        "message id as text",
        lambda s: {"kind": "remove_message", "target": {"message_id": "7"}, "reason": "x"},
        "target",
    ),
    (
        "message id bool",
        lambda s: {"kind": "remove_message", "target": {"message_id": True}, "reason": "x"},
        "target",
    ),
    (
        "extra target key",
        lambda s: {
            "kind": "pause_room",
            "target": {"room_id": s["room_id"], "handle": "tern"},
            "reason": "x",
        },
        "target",
    ),
    (
        "remove_from_room without room",
        lambda s: {"kind": "remove_from_room", "target": {"handle": "tern"}, "reason": "x"},
        "target",
    ),
    (
        "mute without duration",
        lambda s: {"kind": "mute", "target": {"handle": "tern"}, "reason": "x"},
        "duration_minutes",
    ),
    (
        "bool duration",
        lambda s: {
            "kind": "mute",
            "target": {"handle": "tern"},
            "reason": "x",
            "duration_minutes": True,
        },
        "duration_minutes",
    ),
    (
        "negative duration",
        lambda s: {
            "kind": "mute",
            "target": {"handle": "tern"},
            "reason": "x",
            "duration_minutes": -5,
        },
        "duration_minutes",
    ),
    (
        "zero duration",
        lambda s: {
            "kind": "ban",
            "target": {"handle": "tern"},
            "reason": "x",
            "duration_minutes": 0,
        },
        "duration_minutes",
    ),
    (
        "too long duration",
        lambda s: {
            "kind": "ban",
            "target": {"handle": "tern"},
            "reason": "x",
            "duration_minutes": 525601,
        },
        "duration_minutes",
    ),
    (
        "fractional duration",
        lambda s: {
            "kind": "mute",
            "target": {"handle": "tern"},
            "reason": "x",
            "duration_minutes": 1.5,
        },
        "duration_minutes",
    ),
    (
        "duration on warn",
        lambda s: {
            "kind": "warn",
            "target": {"handle": "tern"},
            "reason": "x",
            "duration_minutes": 10,
        },
        "duration_minutes",
    ),
    (
        "duration on remove_message",
        lambda s: {
            "kind": "remove_message",
            "target": {"message_id": s["message_id"]},
            "reason": "x",
            "duration_minutes": 10,
        },
        "duration_minutes",
    ),
]


@pytest.mark.parametrize(("name", "build", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_requests_are_refused_with_fields_and_write_nothing(
    app: Flask,
    client: FlaskClient,
    setup: dict[str, Any],
    name: str,
    build: Callable[[dict[str, Any]], Any],
    field: str,
) -> None:
    response = _post(client, build(setup))
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert error["message"]
    if field:
        assert field in error["fields"], error
    _nothing_written(app, setup["room_id"], setup["message_id"], setup["tern"].id)


def test_malformed_json_is_refused(app: Flask, client: FlaskClient, setup: dict[str, Any]) -> None:
    response = _post(client, "{not json", raw=True)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "remove_message", "target": {"message_id": 999_999}, "reason": "x"}, "target"),
        ({"kind": "warn", "target": {"handle": "nobody_here"}, "reason": "x"}, "target"),
        ({"kind": "ban", "target": {"user_id": 999_999}, "reason": "x"}, "target"),
        ({"kind": "pause_room", "target": {"room_id": 999_999}, "reason": "x"}, "target"),
        (
            {
                "kind": "remove_from_room",
                "target": {"handle": "tern", "room_id": 999_999},
                "reason": "x",
            },
            "target",
        ),
    ],
)
def test_unknown_targets_are_404(
    app: Flask, client: FlaskClient, setup: dict[str, Any], payload: dict[str, Any], field: str
) -> None:
    response = _post(client, payload)
    assert response.status_code == 404
    body = response.get_json()["error"]
    assert body["code"] == "not_found"
    assert field in body["fields"]
    _nothing_written(app, setup["room_id"], setup["message_id"], setup["tern"].id)


def test_csrf_header_is_required(app: Flask, client: FlaskClient, setup: dict[str, Any]) -> None:
    payload = {"kind": "warn", "target": {"handle": "tern"}, "reason": "x"}
    response = _post(client, payload, csrf=False)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    _nothing_written(app, setup["room_id"], setup["message_id"], setup["tern"].id)


def test_impossible_actions_are_409_and_write_nothing(
    app: Flask, client: FlaskClient, setup: dict[str, Any]
) -> None:
    response = _post(client, {"kind": "unban", "target": {"handle": "tern"}, "reason": "x"})
    assert response.status_code == 409
    response = _post(
        client, {"kind": "resume_room", "target": {"room_id": setup["room_id"]}, "reason": "x"}
    )
    assert response.status_code == 409
    _nothing_written(app, setup["room_id"], setup["message_id"], setup["tern"].id)


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_moderators_may_act(
    app: Flask,
    make_user: Callable[..., User],
    login_as: Callable[..., User],
    client: FlaskClient,
    role: str,
) -> None:
    make_user("tern")
    if role != "anonymous":
        login_as(role)
    response = _post(client, {"kind": "warn", "target": {"handle": "tern"}, "reason": "x"})
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert response.get_json()["error"]["code"] in ("not_authenticated", "forbidden")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
