"""Fixtures for wellbeing: a JSON client helper and rooms made through rooms.admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from db import db
from rooms.admin import create_room
from rooms.models import RoomStatus
from tests.conftest import csrf_token_for


@pytest.fixture
def send(client: FlaskClient) -> Callable[..., Any]:
    """``send(method, url, body)`` with the CSRF header of ``client``'s session."""

    def call(method: str, url: str, body: Any = None) -> Any:
        return client.open(
            url, method=method, json=body, headers={"X-CSRFToken": csrf_token_for(client)}
        )

    return call


@pytest.fixture
def make_room(app: Flask) -> Callable[..., int]:
    """Factory: ``make_room(*users, status="open")`` → room id (a group room)."""

    def make(*members: User, status: str = "open", name: str = "Evening tea") -> int:
        with app.app_context():
            users = [db.session.get(User, m.id) for m in members]
            room = create_room(name, [u for u in users if u], status=RoomStatus(status))
            db.session.commit()
            return room.id

    return make
