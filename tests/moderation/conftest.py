"""Fixtures for moderation: rooms and /chat sockets from the rooms tests, plus
logged-in /mod sockets and helpers to read the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from db import db
from extensions import socketio
from moderation.models import AuditEntry
from tests.conftest import DEFAULT_PASSWORD, AuthActions, csrf_token_for
from tests.rooms.conftest import Chat, chat, make_room  # shared fixtures

__all__ = ["Chat", "ModConsole", "chat", "make_room"]


class ModConsole:
    """A logged-in /mod socket (and its HTTP client) with helpers."""

    def __init__(self, sio: Any, http: FlaskClient, user: User | None) -> None:
        self.sio = sio
        self.http = http
        self.user = user

    def call(self, event: str, *args: Any) -> Any:
        return self.sio.emit(event, *args, namespace="/mod", callback=True)

    def received(self, name: str | None = None) -> list[Any]:
        events = self.sio.get_received("/mod")
        return [_first(e["args"]) for e in events if name is None or e["name"] == name]

    @property
    def connected(self) -> bool:
        return bool(self.sio.is_connected("/mod"))

    def act(self, payload: Any) -> Any:
        return self.http.post(
            "/api/v1/mod/actions",
            json=payload,
            headers={"X-CSRFToken": csrf_token_for(self.http)},
        )


@pytest.fixture
def console(app: Flask) -> Iterator[Callable[..., ModConsole]]:
    """Factory: ``console(user)`` → a /mod socket logged in as ``user`` (None: anonymous)."""
    made: list[ModConsole] = []

    def connect(user: User | None, password: str = DEFAULT_PASSWORD) -> ModConsole:
        http = app.test_client()
        if user is not None:
            assert user.handle is not None
            assert AuthActions(http).login(user.handle, password).status_code == 302
        sio = socketio.test_client(app, namespace="/mod", flask_test_client=http)
        client = ModConsole(sio, http, user)
        made.append(client)
        return client

    yield connect
    for client in made:
        if client.sio.is_connected("/mod"):
            client.sio.disconnect(namespace="/mod")


def post_json(http: FlaskClient, url: str, body: Any = None) -> Any:
    """POST ``body`` as JSON with the session's CSRF token."""
    return http.post(url, json=body, headers={"X-CSRFToken": csrf_token_for(http)})


def open_checkin(mod: ModConsole, item_id: int, body: str = "Hi, how are you?") -> int:
    """The moderator opens a check-in (a care room) from queue item ``item_id``; its id."""
    response = post_json(mod.http, f"/api/v1/mod/queue/{item_id}/checkin", {"body": body})
    assert response.status_code == 200, response.get_json()
    room_id: int = response.get_json()["room_id"]
    return room_id


def audit_rows(app: Flask) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _first(args: Any) -> Any:
    if isinstance(args, list | tuple):
        return args[0] if args else None
    return args


def everything_received(client: Any, namespace: str) -> list[tuple[str, Any]]:
    """All events a test socket got, even after the server disconnected it."""
    packets = [p for p in client.sio.queue if p["namespace"] == namespace]
    client.sio.queue = [p for p in client.sio.queue if p not in packets]
    return [(p["name"], _first(p["args"])) for p in packets]
