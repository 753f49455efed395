"""Fixtures for notifications: logged-in /chat sockets (the Flask-SocketIO test client)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from accounts.models import User
from extensions import socketio
from tests.conftest import AuthActions


@pytest.fixture
def sockets(app: Flask) -> Iterator[Callable[[User], Any]]:
    made: list[Any] = []

    def connect(user: User) -> Any:
        http = app.test_client()
        assert user.handle is not None
        assert AuthActions(http).login(user.handle).status_code == 302
        sio = socketio.test_client(app, namespace="/chat", flask_test_client=http)
        assert sio.is_connected("/chat")
        made.append(sio)
        return sio

    yield connect
    for sio in made:
        if sio.is_connected("/chat"):
            sio.disconnect(namespace="/chat")


def notifications_of(sio: Any) -> list[dict[str, Any]]:
    return [e["args"][0] for e in sio.get_received("/chat") if e["name"] == "notification"]
