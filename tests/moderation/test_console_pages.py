"""The console pages: moderators only, calm and CSP-clean, and their forms change
state only by POST with a CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from tests.conftest import csrf_token_for, text_of
from tests.moderation.conftest import Chat, audit_rows

ROLES = ("anonymous", "member", "moderator", "admin")


@pytest.fixture
def ids(
    make_user: Callable[..., User], make_room: Callable[..., int], chat: Callable[..., Chat]
) -> dict[str, int]:
    tern = make_user("tern")
    room_id = make_room(tern, make_user("wren"))
    tern_chat = chat(tern)
    tern_chat.join(room_id)
    tern_chat.send(room_id, "I want to kill myself")
    return {"room_id": room_id, "user_id": tern.id, "item_id": 1}


PAGES = [
    "/mod/",
    "/mod/?kind=crisis&severity=4",
    "/mod/items/{item_id}",
    "/mod/rooms/{room_id}",
    "/mod/members",
    "/mod/members/{user_id}",
    "/mod/audit",
    "/mod/audit?action=ban&target_type=user",
    "/mod/stats",
    "/api/v1/mod/queue",
    "/api/v1/mod/queue/{item_id}",
    "/api/v1/mod/rooms",
    "/api/v1/mod/stats",
]


@pytest.mark.parametrize("role", ROLES)
def test_console_permission_matrix(
    client: FlaskClient, login_as: Callable[..., User], ids: dict[str, int], role: str
) -> None:
    """Every console page and moderator API read, for each role (one login per role)."""
    if role != "anonymous":
        login_as(role)
    for path in PAGES:
        response = client.get(path.format(**ids))
        if role in ("moderator", "admin"):
            assert response.status_code == 200, (path, response.data[:300])
        elif role == "member":
            assert response.status_code == 403, path
        else:
            assert response.status_code == (401 if path.startswith("/api/") else 302), path


POSTS = [
    ("/mod/actions", {"kind": "warn", "handle": "tern", "reason": "be gentle"}),
    ("/mod/items/{item_id}/ack", {}),
    ("/mod/items/{item_id}/assign", {}),
    ("/mod/items/{item_id}/resolve", {"outcome": "no_action"}),
    ("/mod/rooms/{room_id}/post", {"body": "Hello from the moderators."}),
]


@pytest.mark.parametrize("role", ROLES)
def test_console_forms_permission_and_csrf(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], ids: dict[str, int], role: str
) -> None:
    """Each form post: refused without CSRF; with it, moderators act (one audit entry)."""
    if role != "anonymous":
        login_as(role)
    for done, (path, form) in enumerate(POSTS):
        url = path.format(**ids)
        assert client.post(url, data=form).status_code in (302, 400, 403)  # no CSRF, no change
        expected = done if role in ("moderator", "admin") else 0
        assert len(audit_rows(app)) == expected, url
        response = client.post(url, data={**form, "csrf_token": csrf_token_for(client)})
        if role in ("moderator", "admin"):
            assert response.status_code == 302, url
            assert len(audit_rows(app)) == done + 1, url
        else:
            assert response.status_code == (403 if role == "member" else 302), url
            assert audit_rows(app) == []


def test_pages_have_no_inline_script_or_style(
    client: FlaskClient, login_as: Callable[..., User], ids: dict[str, int]
) -> None:
    login_as("moderator")
    for path in PAGES:
        if path.startswith("/api/"):
            continue
        html = client.get(path.format(**ids)).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\sstyle\s*=", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "<style" not in html


def test_console_shows_the_queue_and_rooms(
    client: FlaskClient, login_as: Callable[..., User], ids: dict[str, int]
) -> None:
    login_as("moderator")
    page = text_of(client.get("/mod/"))
    assert "I want to kill myself" in page
    assert "Evening tea" in page
    assert "data-queue" in page
    assert "console.js" in page


def test_item_page_offers_every_duration(
    client: FlaskClient, login_as: Callable[..., User], ids: dict[str, int]
) -> None:
    login_as("moderator")
    page = text_of(client.get(f"/mod/items/{ids['item_id']}"))
    assert '<option value="60">1 hour</option>' in page
    assert '<option value="">Until further notice</option>' in page


def test_form_action_errors_are_flashed_and_write_nothing(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], ids: dict[str, int]
) -> None:
    login_as("moderator")
    response = client.post(
        "/mod/actions",
        data={
            "kind": "mute",
            "handle": "tern",
            "reason": "x",
            "csrf_token": csrf_token_for(client),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "A mute needs duration_minutes" in text_of(response)
    assert audit_rows(app) == []
