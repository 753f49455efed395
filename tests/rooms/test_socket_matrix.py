"""Who may join and send in a room over /chat: a permission matrix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask

from accounts import service as accounts_service
from accounts.models import User
from db import db, utcnow
from tests.rooms.conftest import Chat

#: who → (join result, send result); "refused" means the connection itself is refused.
MATRIX = {
    "member_of_room": ("ok", "ok"),
    "member_of_another_room": ("not_member", "not_member"),
    "moderator": ("ok", "not_member"),  # reads; speaks only through moderation tools
    "logged_out": ("refused", "refused"),
    "banned": ("refused", "refused"),
    "banned_after_connecting": ("banned", "banned"),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_join_and_send_matrix(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    chat: Callable[..., Chat],
    who: str,
) -> None:
    member, stranger = make_user(), make_user()
    room_id = make_room(member)
    make_room(stranger)
    user = {
        "member_of_room": member,
        "member_of_another_room": stranger,
        "moderator": make_user(role="moderator"),
        "logged_out": None,
        "banned": member,
        "banned_after_connecting": member,
    }[who]

    def ban() -> None:
        with app.app_context():
            fresh = db.session.get(User, member.id)
            assert fresh is not None
            accounts_service.set_ban(fresh, utcnow() + timedelta(days=1))
            db.session.commit()

    if who == "banned":
        from tests.conftest import AuthActions

        http = app.test_client()
        AuthActions(http).login(member.handle or "")
        ban()
        from extensions import socketio

        sio = socketio.test_client(app, namespace="/chat", flask_test_client=http)
        assert not sio.is_connected("/chat")
        return
    client = chat(user)
    expected_join, expected_send = MATRIX[who]
    if expected_join == "refused":
        assert not client.connected
        return
    if who == "banned_after_connecting":
        ban()
    join = client.join(room_id)
    send = client.send(room_id, "hello")
    for ack, expected in ((join, expected_join), (send, expected_send)):
        if expected == "ok":
            assert ack["ok"] is True, ack
        else:
            assert ack["ok"] is False
            assert ack["error"]["code"] == expected
