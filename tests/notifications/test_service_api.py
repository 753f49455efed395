"""The notification store, its JSON API (CONTRACT §6.2), export and deletion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from db import db
from notifications import service
from notifications.models import Notification


def add(app: Flask, user: User | int, n: int = 1, **kw: Any) -> list[int]:
    user_id = user if isinstance(user, int) else user.id
    with app.app_context():
        ids = []
        for i in range(n):
            rows = service.notify(
                [user_id],
                kw.get("kind", "group_proposed"),
                kw.get("text", f"We found a small group you might like ({i})."),
                kw.get("url", "/groups"),
                dedupe_key=kw.get("dedupe_key"),
            )
            ids.extend(row.id for row in rows)
        db.session.commit()
        return ids


def post(client: FlaskClient, csrf: Callable[[], str], body: Any) -> Any:
    return client.post("/api/v1/notifications/read", json=body, headers={"X-CSRFToken": csrf()})


def test_notify_stores_one_row_per_person_and_dedupes(
    app: Flask, make_user: Callable[..., User]
) -> None:
    a, b = make_user(), make_user()
    with app.app_context():
        rows = service.notify([a.id, b.id, a.id], "group_opened", "Your room is open.", "/rooms/3")
        assert sorted(r.user_id for r in rows) == sorted([a.id, b.id])
        first = service.notify([a.id], "room_activity", "New messages.", "/rooms/3", dedupe_key="k")
        again = service.notify(
            [a.id, b.id], "room_activity", "New messages.", "/rooms/3", dedupe_key="k"
        )
        assert len(first) == 1
        assert [r.user_id for r in again] == [b.id]
        db.session.commit()
        assert service.unread_count(a) == 2
        assert service.unread_count(b) == 2
        assert service.notify([], "group_opened", "x", "/groups") == []


@pytest.mark.parametrize(
    ("kind", "text", "url"),
    [
        ("made_up", "Hello", "/groups"),
        ("group_opened", "", "/groups"),
        ("group_opened", "   ", "/groups"),
        ("group_opened", "x" * 301, "/groups"),
        ("group_opened", "Hello", "https://elsewhere.example/"),
        ("group_opened", "Hello", "//elsewhere.example/"),
        ("group_opened", "Hello", "groups"),
    ],
)
def test_notify_refuses_bad_arguments(
    app: Flask, make_user: Callable[..., User], kind: str, text: str, url: str
) -> None:
    user = make_user()
    with app.app_context(), pytest.raises(ValueError, match="notification"):
        service.notify([user.id], kind, text, url)


def test_list_is_newest_first_with_unread_filter_and_limit(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    user = login_as()
    ids = add(app, user, 3)
    assert post(client, csrf, {"ids": [ids[0]]}).get_json() == {"unread": 2}
    body = client.get("/api/v1/notifications").get_json()
    assert [n["id"] for n in body["notifications"]] == list(reversed(ids))
    assert body["unread"] == 2
    first = body["notifications"][0]
    assert set(first) == {"id", "kind", "text", "url", "created_at", "read"}
    assert first["kind"] == "group_proposed"
    assert first["url"] == "/groups"
    assert first["read"] is False
    assert body["notifications"][-1]["read"] is True
    unread = client.get("/api/v1/notifications?unread=1").get_json()["notifications"]
    assert [n["id"] for n in unread] == [ids[2], ids[1]]
    limited = client.get("/api/v1/notifications?limit=1").get_json()["notifications"]
    assert [n["id"] for n in limited] == [ids[2]]


@pytest.mark.parametrize(
    "query",
    [
        "unread=2",
        "unread=yes",
        "unread=",
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "limit=%EF%BC%91",
        "limit=" + "9" * 5000,  # past int()'s digit limit: a 400, not a 500
    ],
)
def test_list_refuses_bad_query(
    client: FlaskClient, login_as: Callable[..., User], query: str
) -> None:
    login_as()
    response = client.get(f"/api/v1/notifications?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"


def test_list_needs_login(client: FlaskClient) -> None:
    assert client.get("/api/v1/notifications").status_code == 401


def test_mark_all_read(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    csrf: Callable[[], str],
    make_user: Callable[..., User],
) -> None:
    user = login_as()
    other = make_user()
    add(app, user, 3)
    add(app, other, 2)
    assert post(client, csrf, {"all": True}).get_json() == {"unread": 0}
    with app.app_context():
        assert service.unread_count(other.id) == 2


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "ids",
        {},
        {"ids": [1], "all": True},
        {"all": False},
        {"all": 1},
        {"ids": "1"},
        {"ids": [True]},
        {"ids": ["1"]},
        {"ids": [1.0]},
        {"ids": [0]},
        {"ids": [-3]},
        {"ids": [None]},
        {"ids": [[1]]},
        {"ids": list(range(1, 502))},
        {"ids": [1], "extra": 1},
    ],
)
def test_mark_read_refuses_malformed_bodies_and_changes_nothing(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    csrf: Callable[[], str],
    body: Any,
) -> None:
    user = login_as()
    add(app, user, 2)
    response = post(client, csrf, body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["code"] == "invalid"
    with app.app_context():
        assert service.unread_count(user) == 2


def test_marking_someone_elses_notification_is_refused_and_nothing_changes(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    csrf: Callable[[], str],
    make_user: Callable[..., User],
) -> None:
    user = login_as()
    other = make_user()
    mine = add(app, user, 2)
    theirs = add(app, other, 1)
    response = post(client, csrf, {"ids": [mine[0], theirs[0]]})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    missing = post(client, csrf, {"ids": [mine[0], 10**9]})
    assert missing.status_code == 404
    with app.app_context():
        assert service.unread_count(user) == 2
        assert service.unread_count(other) == 1
    # 500 of your own is fine (duplicates count once).
    ok = post(client, csrf, {"ids": [mine[0]] * 500})
    assert ok.status_code == 200
    assert ok.get_json() == {"unread": 1}


def test_mark_read_needs_csrf_and_login(client: FlaskClient, login_as: Callable[..., User]) -> None:
    assert client.post("/api/v1/notifications/read", json={"all": True}).status_code in (400, 401)
    login_as()
    response = client.post("/api/v1/notifications/read", json={"all": True})
    assert response.status_code == 400


def test_page_lists_and_marks_all_read(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    user = login_as()
    empty = client.get("/notifications")
    assert empty.status_code == 200
    assert b'data-testid="notifications-empty"' in empty.data
    add(
        app,
        user,
        2,
        text="Your room is open whenever you are.",
        url="/rooms/7",
        kind="group_opened",
    )
    page = client.get("/notifications").get_data(as_text=True)
    assert "Your room is open whenever you are." in page
    assert 'href="/rooms/7"' in page
    assert "You have 2 unread notifications." in page
    done = client.post("/notifications/read", data={"csrf_token": csrf()})
    assert done.status_code == 303
    with app.app_context():
        assert service.unread_count(user) == 0
    assert "all caught up" in client.get("/notifications").get_data(as_text=True)


def test_page_needs_login(client: FlaskClient) -> None:
    response = client.get("/notifications")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_export_and_delete(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    user = login_as()
    add(app, user, 2)
    with app.app_context():
        import signals

        sections = dict(
            r
            for _, r in signals.collect_export.send(
                db.session.get(User, user.id), user=db.session.get(User, user.id)
            )
        )
        assert len(sections["notifications"]) == 2
        assert {"id", "kind", "text", "url", "created_at", "read", "read_at"} <= set(
            sections["notifications"][0]
        )
        signals.account_deleting.send(
            db.session.get(User, user.id), user=db.session.get(User, user.id)
        )
        db.session.commit()
        assert db.session.query(Notification).filter_by(user_id=user.id).count() == 0


def test_poll_interval_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from config import load_config

    assert load_config("development").NOTIFICATIONS_POLL_SECONDS == 2.0
    assert load_config("testing").NOTIFICATIONS_POLL_SECONDS == 0
    monkeypatch.setenv("NOTIFICATIONS_POLL_SECONDS", "0.5")
    assert load_config("development").NOTIFICATIONS_POLL_SECONDS == 0.5
    assert load_config("testing").NOTIFICATIONS_POLL_SECONDS == 0.5


def test_the_bell_shows_the_unread_count_to_logged_in_people_only(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    assert b"notification-bell" not in client.get("/").data
    user = login_as()
    page = client.get("/notifications").get_data(as_text=True)
    assert 'aria-label="Notifications"' in page
    assert "js/notifications.js" in page
    add(app, user, 2)
    page = client.get("/notifications").get_data(as_text=True)
    assert 'aria-label="Notifications, 2 unread"' in page
    assert 'data-unread="2"' in page
