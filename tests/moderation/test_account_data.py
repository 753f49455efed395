"""Account export includes what moderation holds; deletion drops the person's notes."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from db import db
from moderation.models import Concern, Report
from tests.conftest import DEFAULT_PASSWORD, csrf_token_for
from tests.moderation.conftest import Chat, ModConsole


def test_export_and_delete(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
    auth: object,
) -> None:
    tern, wren = make_user("tern"), make_user("wren")
    room_id = make_room(tern, wren)
    tern_chat, wren_chat = chat(tern), chat(wren)
    tern_chat.join(room_id)
    wren_chat.join(room_id)
    message_id = wren_chat.send(room_id, "a perfectly fine message")["message"]["id"]
    tern_chat.call("report", {"message_id": message_id, "reason": "spam", "note": "my note"})
    tern_chat.call("concern", {"room_id": room_id, "note": "worried about the room"})
    mod = console(make_user("keeper", role="moderator"))
    warned = mod.act({"kind": "warn", "target": {"handle": "tern"}, "reason": "be kind"})
    assert warned.status_code == 200

    export = tern_chat.http.get("/account/export").get_json()
    section = export["moderation"]
    assert section["reports_filed"][0]["note"] == "my note"
    assert section["concerns_raised"][0]["note"] == "worried about the room"
    assert section["sanctions"][0]["kind"] == "warn"
    assert section["sanctions"][0]["reason"] == "be kind"

    response = tern_chat.http.post(
        "/account/delete",
        data={"password": DEFAULT_PASSWORD, "csrf_token": csrf_token_for(tern_chat.http)},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Report)).one().note is None
        assert db.session.scalars(select(Concern)).one().note is None
