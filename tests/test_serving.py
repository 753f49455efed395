"""Settings a serving process relies on for steady chat latency (see app.tune_for_sockets)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest
from flask import Flask, request

import app as app_module


@pytest.mark.parametrize(
    "headers",
    [{}, {"Upgrade": "websocket", "Connection": "Upgrade"}],
    ids=["polling", "websocket"],
)
def test_socket_event_contexts_match_a_rule(app: Flask, headers: dict[str, str]) -> None:
    # Flask-SocketIO builds each event's request context from the handshake URL; a
    # routing error there would keep a traceback cycle alive per event.
    with app.test_request_context("/socket.io/?EIO=4&transport=polling", headers=headers):
        assert request.routing_exception is None


def test_the_rule_never_serves_flask_pages(app: Flask) -> None:
    response = app.test_client().get("/socket.io/?EIO=4&transport=polling")
    # Engine.IO answers the handshake itself (a session id), never the 404 view.
    assert response.status_code == 200
    assert b'"sid"' in response.data


@pytest.fixture
def restored_interpreter() -> Iterator[None]:
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("restored_interpreter")
def test_tune_for_sockets(app: Flask) -> None:
    app_module.tune_for_sockets()
    assert sys.getswitchinterval() == pytest.approx(app_module.SERVER_SWITCH_INTERVAL)
    assert gc.get_threshold() == app_module.SERVER_GC_THRESHOLDS
    assert gc.get_freeze_count() > 0
    assert "moderation.screening" in sys.modules
