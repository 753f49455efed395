"""The real server in a subprocess, real session cookies, python-socketio clients.

Proves the delivery promise end to end: an acknowledged message is stored, a
retry never duplicates, a dropped client catches up by ``after_id``, and a
server restart loses no acknowledged message.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from tests.e2e.chat_clients import Member, login_cookie
from tests.e2e.chat_clients import seed_room as seed
from tests.e2e.conftest import LiveServer, start_server

pytestmark = pytest.mark.live


@pytest.fixture
def members() -> Iterator[list[Member]]:
    made: list[Member] = []
    yield made
    for member in made:
        member.close()


def join_all(members: list[Member], room_id: int) -> None:
    for member in members:
        assert member.call("join", {"room_id": room_id})["ok"] is True


def test_send_receive_and_idempotent_retry(live_server: LiveServer, members: list[Member]) -> None:
    room_id = seed(live_server.database_url, ["live_tern", "live_wren"])
    a = Member("live_tern", login_cookie(live_server.url, "live_tern"))
    b = Member("live_wren", login_cookie(live_server.url, "live_wren"))
    members.extend([a, b])
    a.connect(live_server.url)
    b.connect(live_server.url)
    join_all([a, b], room_id)

    ack = a.send(room_id, "hello from a real socket")
    assert ack["ok"] is True
    b.wait_for(lambda: ack["message"]["id"] in b.received_ids())

    cid = str(uuid.uuid4())
    first = a.send(room_id, "only once, please", cid)
    again = a.send(room_id, "only once, please", cid)
    assert again["message"]["id"] == first["message"]["id"]
    b.wait_for(lambda: first["message"]["id"] in b.received_ids())
    time.sleep(0.3)
    assert b.received_ids().count(first["message"]["id"]) == 1


def test_dropped_client_catches_up_by_after_id(
    live_server: LiveServer, members: list[Member]
) -> None:
    room_id = seed(live_server.database_url, ["drop_tern", "drop_wren"])
    a = Member("drop_tern", login_cookie(live_server.url, "drop_tern"))
    b = Member("drop_wren", login_cookie(live_server.url, "drop_wren"))
    members.extend([a, b])
    a.connect(live_server.url)
    b.connect(live_server.url)
    join_all([a, b], room_id)
    seen = a.send(room_id, "before the drop")["message"]["id"]
    b.wait_for(lambda: seen in b.received_ids())

    b.client.disconnect()
    missed = [a.send(room_id, f"while you were away {n}")["message"]["id"] for n in range(3)]

    b.client = socketio.Client(reconnection=False)
    b.client.on("message", b._on_message, namespace="/chat")
    b.connect(live_server.url)
    ack = b.call("join", {"room_id": room_id, "after_id": max(b.received_ids())})
    assert [m["id"] for m in ack["messages"]] == missed
    assert ack["has_more"] is False


def test_foreign_origin_and_logged_out_sockets_are_refused(live_server: LiveServer) -> None:
    seed(live_server.database_url, ["origin_tern"])
    cookie = login_cookie(live_server.url, "origin_tern")
    foreign = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        foreign.connect(
            live_server.url,
            namespaces=["/chat"],
            headers={"Cookie": cookie, "Origin": "http://evil.example"},
            wait_timeout=5,
        )
    anonymous = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        anonymous.connect(live_server.url, namespaces=["/chat"], wait_timeout=5)
    same_origin = socketio.Client(reconnection=False)
    same_origin.connect(
        live_server.url,
        namespaces=["/chat"],
        headers={"Cookie": cookie, "Origin": live_server.url},
        wait_timeout=5,
    )
    assert same_origin.connected
    same_origin.disconnect()


def test_restart_mid_conversation_loses_no_acked_message_and_duplicates_none(
    database_url: str, tmp_path: Path, members: list[Member]
) -> None:
    server = start_server(database_url, tmp_path / "before.log")
    restarted: LiveServer | None = None
    try:
        room_id = seed(database_url, ["restart_tern", "restart_wren"])
        a = Member("restart_tern", login_cookie(server.url, "restart_tern"))
        b = Member("restart_wren", login_cookie(server.url, "restart_wren"))
        members.extend([a, b])
        a.connect(server.url)
        b.connect(server.url)
        join_all([a, b], room_id)

        acked: dict[str, int] = {}
        for n in range(5):
            cid = str(uuid.uuid4())
            acked[cid] = a.send(room_id, f"before restart {n}", cid)["message"]["id"]
        b.wait_for(lambda: set(acked.values()) <= set(b.received_ids()))

        # The server goes away mid-conversation; one send is in flight and unacked.
        server.stop()
        in_flight = str(uuid.uuid4())
        with pytest.raises(Exception):  # noqa: B017, PT011  # disconnected or timed out
            a.send(room_id, "sent while the server restarts", in_flight)
        a.close()
        b.close()

        restarted = start_server(database_url, tmp_path / "after.log", port=server.port)
        for member in (a, b):
            member.client = socketio.Client(reconnection=False)
            member.client.on("message", member._on_message, namespace="/chat")
            member.connect(restarted.url)  # the same session cookies still work
        last_seen = max(b.received_ids())
        catch_up = b.call("join", {"room_id": room_id, "after_id": last_seen})
        assert catch_up["ok"] is True
        with b.lock:
            b.messages.extend(catch_up["messages"])
        assert a.call("join", {"room_id": room_id})["ok"] is True

        # The client resends what was never acknowledged, with the same id.
        acked[in_flight] = a.send(room_id, "sent while the server restarts", in_flight)["message"][
            "id"
        ]
        for n in range(3):
            cid = str(uuid.uuid4())
            acked[cid] = a.send(room_id, f"after restart {n}", cid)["message"]["id"]
        b.wait_for(lambda: set(acked.values()) <= set(b.received_ids()))
        time.sleep(0.3)

        received = b.received_ids()
        assert len(received) == len(set(received)), "a message was delivered twice"
        assert set(acked.values()) <= set(received), "an acknowledged message was lost"
        history = a.call("join", {"room_id": room_id, "after_id": 0})["messages"]
        bodies = [m["body"] for m in history]
        assert len(bodies) == len(set(bodies)) == len(acked)
        assert bodies.count("sent while the server restarts") == 1
    finally:
        if restarted is not None:
            restarted.stop()
        server.stop()
