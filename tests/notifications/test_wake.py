"""A running dispatcher is woken by a local commit (not only by its poll)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from accounts.models import User
from db import db
from notifications import dispatch, service
from tests.notifications.conftest import notifications_of


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"NOTIFICATIONS_POLL_SECONDS": 30}


def test_a_local_commit_wakes_the_running_dispatcher(
    app: Flask, make_user: Callable[..., User], sockets: Callable[[User], Any]
) -> None:
    """The poll interval is 30 s here: only the after-commit wake can deliver quickly."""
    user = make_user()
    sio = sockets(user)  # its login request started the dispatcher
    dispatcher = app.extensions[dispatch.EXTENSION_KEY]
    assert dispatcher.started
    delivered = threading.Event()
    dispatch.on_dispatch(lambda items: delivered.set())
    callback = dispatch._callbacks[-1]
    try:
        with app.app_context():
            service.notify([user.id], "group_proposed", "We found a small group.", "/groups")
            db.session.commit()
        assert delivered.wait(20)
    finally:
        dispatch._callbacks.remove(callback)
        dispatcher.stop()
    assert [e["kind"] for e in notifications_of(sio)] == ["group_proposed"]
