"""Fixtures for rooms: rooms made through the service and logged-in /chat sockets."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from accounts.models import User
from db import db
from extensions import socketio
from rooms.admin import create_room
from rooms.models import Room, RoomStatus
from tests.conftest import DEFAULT_PASSWORD, AuthActions


@pytest.fixture
def make_room(app: Flask) -> Callable[..., int]:
    """Factory: ``make_room(*users, name="Tea", status="open", prompt=None)`` → room id."""

    def make(
        *members: User, name: str = "Evening tea", status: str = "open", prompt: str | None = None
    ) -> int:
        with app.app_context():
            users = [db.session.get(User, m.id) for m in members]
            room = create_room(
                name, [u for u in users if u], opening_prompt=prompt, status=RoomStatus(status)
            )
            db.session.commit()
            return room.id

    return make


class Chat:
    """A logged-in /chat socket with helpers for acks and received events."""

    def __init__(self, sio: Any, http: Any, user: User | None) -> None:
        self.sio = sio
        self.http = http
        self.user = user

    def call(self, event: str, *args: Any) -> Any:
        return self.sio.emit(event, *args, namespace="/chat", callback=True)

    def send(self, room_id: int, body: str, client_msg_id: str | None = None) -> Any:
        return self.call(
            "send",
            {"room_id": room_id, "body": body, "client_msg_id": client_msg_id or str(uuid.uuid4())},
        )

    def join(self, room_id: int, **extra: Any) -> Any:
        return self.call("join", {"room_id": room_id, **extra})

    def received(self, name: str | None = None) -> list[Any]:
        events = self.sio.get_received("/chat")
        return [_first(e["args"]) for e in events if name is None or e["name"] == name]

    @property
    def connected(self) -> bool:
        return bool(self.sio.is_connected("/chat"))


@pytest.fixture
def chat(app: Flask) -> Iterator[Callable[..., Chat]]:
    """Factory: ``chat(user)`` → a /chat socket logged in as ``user`` (None: logged out)."""
    made: list[Chat] = []

    def connect(
        user: User | None, password: str = DEFAULT_PASSWORD, *, language: str | None = None
    ) -> Chat:
        """``language``: the browser's Accept-Language for the socket's handshake."""
        http = app.test_client()
        if user is not None:
            assert user.handle is not None
            response = AuthActions(http).login(user.handle, password)
            assert response.status_code == 302
        headers = {"Accept-Language": language} if language else None
        sio = socketio.test_client(app, namespace="/chat", flask_test_client=http, headers=headers)
        client = Chat(sio, http, user)
        made.append(client)
        return client

    yield connect
    for client in made:
        if client.sio.is_connected("/chat"):
            client.sio.disconnect(namespace="/chat")


def room_of(app: Flask, room_id: int) -> Room:
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert room is not None
        return room


def _first(args: Any) -> Any:
    # The test client delivers a single dict argument unwrapped, several as a list.
    if isinstance(args, list | tuple):
        return args[0] if args else None
    return args
