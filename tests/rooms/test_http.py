"""The chat page and the history API: who may see them, and input validation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from db import db
from rooms.models import Message
from tests.conftest import AuthActions

MakeUser = Callable[..., User]

#: who → (page status, API status)
EXPECTED = {
    "member_of_room": (200, 200),
    "member_of_another_room": (403, 403),
    "moderator": (200, 200),
    "admin": (200, 200),
    "logged_out": (302, 401),
    "banned": (302, 401),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_permission_matrix_for_page_and_api(
    app: Flask, client: FlaskClient, make_user: MakeUser, make_room: Callable[..., int], who: str
) -> None:
    member, stranger = make_user("tern"), make_user("stranger")
    room_id = make_room(member)
    make_room(stranger)
    users = {
        "member_of_room": member,
        "member_of_another_room": stranger,
        "moderator": make_user(role="moderator"),
        "admin": make_user(role="admin"),
        "banned": member,
    }
    user = users.get(who)
    if user is not None:
        AuthActions(client).login(user.handle or "")
    if who == "banned":
        from datetime import timedelta

        from accounts import service as accounts_service
        from db import utcnow

        with app.app_context():
            fresh = db.session.get(User, member.id)
            assert fresh is not None
            accounts_service.set_ban(fresh, utcnow() + timedelta(days=3))
            db.session.commit()
    page_status, api_status = EXPECTED[who]
    assert client.get(f"/rooms/{room_id}").status_code == page_status
    api = client.get(f"/api/v1/rooms/{room_id}/messages")
    assert api.status_code == api_status
    if api_status != 200:
        assert api.get_json()["error"]["code"] in {"forbidden", "not_authenticated"}


def test_unknown_room(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as("member")
    assert client.get("/rooms/4242").status_code == 403  # ids reveal nothing
    assert client.get("/api/v1/rooms/4242/messages").status_code == 403


def test_unknown_room_for_moderators_is_404(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as("moderator")
    assert client.get("/rooms/4242").status_code == 404
    assert client.get("/api/v1/rooms/4242/messages").get_json()["error"]["code"] == "not_found"


def test_history_api_pages_oldest_first(
    app: Flask, client: FlaskClient, make_user: MakeUser, make_room: Callable[..., int]
) -> None:
    member = make_user()
    room_id = make_room(member)
    with app.app_context():
        for n in range(7):
            db.session.add(Message(room_id=room_id, author_id=member.id, body=f"m{n}"))
        db.session.add(Message(room_id=room_id, author_id=member.id, body="<b>x</b>", held=True))
        db.session.commit()
    AuthActions(client).login(member.handle or "")
    first = client.get(f"/api/v1/rooms/{room_id}/messages?limit=3").get_json()
    assert [m["body"] for m in first["messages"]] == ["m0", "m1", "m2"]
    assert first["has_more"] is True
    after = first["messages"][-1]["id"]
    rest = client.get(f"/api/v1/rooms/{room_id}/messages?after={after}&limit=200").get_json()
    # The author sees their own held message (marked held); nobody else does.
    assert [m["body"] for m in rest["messages"]] == ["m3", "m4", "m5", "m6", "<b>x</b>"]
    assert rest["messages"][-1]["held"] is True
    assert set(rest["messages"][0]) >= {
        "id",
        "room_id",
        "author",
        "body",
        "created_at",
        "reactions",
        "kind",
    }


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "limit=abc",
        "after=-1",
        "after=1.5",
        "limit=-3",
        "after=%C2%B2",  # "²" passes str.isdigit but not int()
        "after=" + "9" * 5000,  # past int()'s digit limit
    ],
)
def test_history_api_validation(
    client: FlaskClient, make_user: MakeUser, make_room: Callable[..., int], query: str
) -> None:
    member = make_user()
    room_id = make_room(member)
    AuthActions(client).login(member.handle or "")
    response = client.get(f"/api/v1/rooms/{room_id}/messages?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["code"] == "invalid"
    assert body["error"]["fields"]


def test_history_api_reads_a_number_with_many_leading_zeros(
    client: FlaskClient, make_user: MakeUser, make_room: Callable[..., int]
) -> None:
    member = make_user()
    room_id = make_room(member)
    AuthActions(client).login(member.handle or "")
    # 5,001 digits: int() alone refuses them; the value is 1, a fine place to start.
    response = client.get(f"/api/v1/rooms/{room_id}/messages?after={'0' * 5000}1")
    assert response.status_code == 200


def test_chat_page_has_no_inline_script_or_style(
    client: FlaskClient, make_user: MakeUser, make_room: Callable[..., int]
) -> None:
    member = make_user()
    room_id = make_room(member, name="Evening tea")
    AuthActions(client).login(member.handle or "")
    response = client.get(f"/rooms/{room_id}")
    html = response.get_data(as_text=True)
    assert "Evening tea" in html
    assert 'src="/static/js/chat.js"' in html
    assert 'type="module"' in html
    assert "<script>" not in html
    assert "style=" not in html
    assert " onclick=" not in html
    assert " onerror=" not in html
    assert 'aria-live="polite"' in html
    assert "Need help now?" in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp


def test_a_room_says_calmly_when_no_moderator_is_online(
    client: FlaskClient, make_user: MakeUser, make_room: Callable[..., int]
) -> None:
    member = make_user()
    room_id = make_room(member, name="Evening tea")
    AuthActions(client).login(member.handle or "")
    html = client.get(f"/rooms/{room_id}").get_data(as_text=True)
    assert 'data-testid="no-moderator"' in html
    assert "crisis help still reaches you" in html
