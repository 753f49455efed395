"""Beyond one machine: two `make serve` processes sharing PostgreSQL and Redis,
with room members split across them. No acknowledged message may be lost or
shown twice through a process crash, a Redis restart or a database outage.
"""

from __future__ import annotations

import gc
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from rooms.models import Message
from rooms.payloads import ERROR_CODES
from tests.conftest import POSTGRES_SERVER, migrate, postgres_reachable, recreate_postgres_database
from tests.e2e.chat_clients import Member, login_cookie, seed_room
from tests.e2e.cluster import REDIS_SERVER, Cluster, RedisServer, TcpProxy, health, require

pytestmark = [
    pytest.mark.live,
    pytest.mark.postgres,
    pytest.mark.redis,
    # Clients of a process killed with -9 never get to close their sockets.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

DATABASE = "hearth_cluster_test"


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    require(postgres_reachable(), f"PostgreSQL not reachable at {POSTGRES_SERVER}")
    require(Path(REDIS_SERVER).exists(), "redis-server is not installed")
    direct = f"{POSTGRES_SERVER}/{DATABASE}"
    recreate_postgres_database(direct)
    migrate(direct)
    upstream = create_engine(direct).url
    proxy = TcpProxy((upstream.host or "127.0.0.1", upstream.port or 5432))
    redis = RedisServer(tmp_path)
    redis.start()
    through_proxy = upstream.set(port=proxy.port).render_as_string(hide_password=False)
    made = Cluster(database_url=through_proxy, redis=redis, workdir=tmp_path, proxy=proxy)
    made.direct_url = direct  # type: ignore[attr-defined]  # for seeding and counting
    yield made
    made.stop_all()
    redis.stop()
    proxy.close()
    # Sockets of clients whose server was killed are only freed by the cycle
    # collector; collect here, where this module's warning filter applies, not
    # in whichever later test the collector happens to run.
    gc.collect()


@pytest.fixture
def people() -> Iterator[list[Member]]:
    made: list[Member] = []
    yield made
    for member in made:
        member.close()
    gc.collect()


def connect_members(
    cluster: Cluster, people: list[Member], handles: list[str], servers: list[Any]
) -> int:
    room_id = seed_room(cluster.direct_url, handles)  # type: ignore[attr-defined]
    for index, handle in enumerate(handles):
        server = servers[index % len(servers)]
        member = Member(handle, login_cookie(server.url, handle))
        member.connect(server.url)
        member.server = server  # type: ignore[attr-defined]
        people.append(member)
        member.catch_up(room_id)
    return room_id


def stored_count(cluster: Cluster, room_id: int) -> int:
    engine = create_engine(cluster.direct_url)  # type: ignore[attr-defined]
    with Session(engine) as session:
        count = session.scalar(
            select(func.count()).select_from(Message).where(Message.room_id == room_id)
        )
    engine.dispose()
    return int(count or 0)


def test_every_message_reaches_every_member_once_in_order(
    cluster: Cluster, people: list[Member]
) -> None:
    one, two = cluster.start("one"), cluster.start("two")
    room_id = connect_members(cluster, people, ["amber", "birch", "cedar", "dune"], [one, two])
    acked: list[int] = []
    for round_number in range(5):
        for member in people:
            ack = member.send(room_id, f"{member.handle} says hello #{round_number}")
            assert ack["ok"] is True, ack
            acked.append(ack["message"]["id"])
    for member in people:
        member.wait_for(lambda m=member: len(m.received_ids()) >= len(acked), timeout=15)
        assert member.received_ids() == sorted(acked), f"{member.handle} got duplicates or disorder"


def test_kill_9_loses_no_acknowledged_message_and_shows_none_twice(
    cluster: Cluster, people: list[Member]
) -> None:
    one, two = cluster.start("one"), cluster.start("two")
    room_id = connect_members(cluster, people, ["ember", "fjord", "grove", "heath"], [one, two])
    acked: set[int] = set()
    pending: dict[str, tuple[Member, str]] = {}
    for turn in range(3):
        for member in people:
            ack = member.send(room_id, f"before the crash {turn} from {member.handle}")
            assert ack["ok"] is True
            acked.add(ack["message"]["id"])

    two.kill()
    for member in people:  # everyone keeps talking; sends to the dead process go unanswered
        cid = str(uuid.uuid4())
        try:
            ack = member.send(room_id, f"during the crash from {member.handle}", cid=cid, timeout=3)
        except (
            socketio.exceptions.TimeoutError,
            socketio.exceptions.BadNamespaceError,
            socketio.exceptions.DisconnectedError,
        ):
            pending[cid] = (member, f"during the crash from {member.handle}")
            continue
        if ack.get("ok"):
            acked.add(ack["message"]["id"])
        else:
            pending[cid] = (member, f"during the crash from {member.handle}")

    for member in people:
        if member.server is two:  # type: ignore[attr-defined]
            member.reconnect(one.url)
            member.catch_up(room_id)
    for cid, (member, body) in pending.items():  # resend with the same id, as chat.js does
        ack = member.send(room_id, body, cid=cid)
        assert ack["ok"] is True, ack
        acked.add(ack["message"]["id"])

    for member in people:
        member.wait_for(lambda m=member: set(m.shown_ids()) >= acked, timeout=15)
        member.catch_up(room_id)
        shown = member.shown_ids()
        assert set(shown) == acked, f"{member.handle} lost or invented messages"
    assert stored_count(cluster, room_id) == len(acked), "a resend was stored twice"


def test_redis_restart_every_process_resubscribes_and_catch_up_closes_the_gap(
    cluster: Cluster, people: list[Member]
) -> None:
    one, two = cluster.start("one"), cluster.start("two")
    room_id = connect_members(cluster, people, ["iris", "juniper"], [one, two])
    speaker, listener = people
    acked: set[int] = set()
    acked.add(speaker.send(room_id, "before the restart")["message"]["id"])
    listener.wait_for(lambda: set(listener.shown_ids()) >= acked)

    cluster.redis.stop()
    unacked: dict[str, str] = {}
    for turn in range(3):
        cid, body = str(uuid.uuid4()), f"while redis is down {turn}"
        ack = speaker.send(room_id, body, cid=cid)
        if ack.get("ok"):
            acked.add(ack["message"]["id"])
        else:
            unacked[cid] = body
    cluster.redis.start()

    # Within 60 s both processes are back on the queue: live delivery resumes.
    deadline = time.monotonic() + 60
    while True:
        ack = speaker.send(room_id, "are you there?")
        if ack.get("ok"):
            acked.add(ack["message"]["id"])
            try:
                listener.wait_for(lambda i=ack["message"]["id"]: i in listener.received_ids(), 2)
                break
            except AssertionError:
                pass
        assert time.monotonic() < deadline, "a process did not re-subscribe to Redis within 60 s"
        time.sleep(1)

    for cid, body in unacked.items():  # the client resends what was never confirmed
        ack = speaker.send(room_id, body, cid=cid)
        assert ack["ok"] is True, ack
        acked.add(ack["message"]["id"])
    listener.catch_up(room_id)
    assert set(listener.shown_ids()) == acked, "catch-up did not close the gap"
    assert stored_count(cluster, room_id) == len(acked)


def test_database_outage_gives_error_acks_and_heals_itself(
    cluster: Cluster, people: list[Member]
) -> None:
    assert cluster.proxy is not None
    one = cluster.start("one")
    room_id = connect_members(cluster, people, ["kestrel", "linden", "marram"], [one])
    speaker = people[0]
    assert speaker.send(room_id, "all is well")["ok"] is True

    cluster.proxy.cut()
    outage_acks = [speaker.send(room_id, f"into the void {n}", timeout=30) for n in range(2)]
    status, body = health(one)
    cluster.proxy.restore()

    assert all(ack["ok"] is False for ack in outage_acks), "a send was acknowledged without storage"
    assert {ack["error"]["code"] for ack in outage_acks} == {"server_error"}
    assert status == 503
    assert body["db"] == "error"

    deadline = time.monotonic() + 30
    while True:
        ack = speaker.send(room_id, "back again")
        if ack["ok"]:
            break
        assert time.monotonic() < deadline, "the server did not recover by itself"
        time.sleep(1)
    assert health(one)[0] == 200


def test_a_foreign_origin_is_refused(cluster: Cluster, people: list[Member]) -> None:
    one = cluster.start("one")
    seed_room(cluster.direct_url, ["nettle"])  # type: ignore[attr-defined]
    member = Member("nettle", login_cookie(one.url, "nettle"))
    people.append(member)
    with pytest.raises(socketio.exceptions.ConnectionError):
        member.connect(one.url, Origin="http://evil.example")


def test_a_flood_is_rate_limited_across_processes(cluster: Cluster, people: list[Member]) -> None:
    one, two = cluster.start("one"), cluster.start("two")
    room_id = seed_room(cluster.direct_url, ["osprey", "pine"])  # type: ignore[attr-defined]
    left = Member("osprey", login_cookie(one.url, "osprey"))
    right = Member("osprey", login_cookie(two.url, "osprey"))
    people.extend([left, right])
    left.connect(one.url)
    right.connect(two.url)
    codes = []
    for n in range(16):
        ack = (left if n % 2 else right).send(room_id, f"flood {n}")
        codes.append("ok" if ack["ok"] else ack["error"]["code"])
    assert codes.count("ok") == 10
    assert codes[10:] == ["rate_limited"] * 6


EVENTS = ["join", "send", "react", "seat", "pass", "mute_member", "report", "concern", "leave"]
JUNK: list[Any] = [
    None,
    0,
    -1,
    2**63,
    "",
    "x" * 20_000,
    [],
    {},
    {"room_id": "1"},
    {"room_id": None},
    {"room_id": 1, "body": 5},
    {"message_id": [1]},
    {"room_id": 1, "seat": "upside-down"},
    {"room_id": 10**12},
    True,
    3.5,
]


def test_junk_never_crashes_a_worker(cluster: Cluster, people: list[Member]) -> None:
    one, two = cluster.start("one"), cluster.start("two")
    seed_room(cluster.direct_url, ["quill", "rowan"])  # type: ignore[attr-defined]
    rng = random.Random(7)
    for server, handle in ((one, "quill"), (two, "rowan")):
        member = Member(handle, login_cookie(server.url, handle))
        people.append(member)
        member.connect(server.url)
        for _ in range(60):
            event, payload = rng.choice(EVENTS), rng.choice(JUNK)
            try:
                ack = member.call(event, payload, timeout=10)
            except socketio.exceptions.TimeoutError:
                pytest.fail(f"{event} {payload!r:.60} got no answer")
            assert isinstance(ack, dict), (event, payload)
            assert isinstance(ack.get("ok"), bool), (event, payload, ack)
            if not ack["ok"]:
                assert ack["error"]["code"] in ERROR_CODES, (event, payload, ack)
        with requests.Session() as http:
            token = http.get(f"{server.url}/api/v1/csrf", timeout=10).json()["csrf_token"]
            http.post(
                f"{server.url}/account/login",
                data={"handle": handle, "password": "lanterns on the water", "csrf_token": token},
                timeout=10,
            )
            for path in (
                "/api/v1/profile",
                "/api/v1/pool",
                "/api/v1/mod/actions",
                "/api/v1/groups/1/accept",
            ):
                for body in JUNK:
                    response = http.post(
                        f"{server.url}{path}",
                        json=body,
                        headers={"X-CSRFToken": token},
                        timeout=10,
                    )
                    assert response.status_code < 500, (path, body, response.text[:200])
    # Past the 64 KB Engine.IO limit the connection itself is refused, not the event.
    giant = Member("quill", login_cookie(one.url, "quill"))
    people.append(giant)
    giant.connect(one.url)
    with pytest.raises((socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError)):
        giant.call("send", {"room_id": 1, "body": "x" * 70_000, "client_msg_id": "big"}, timeout=5)
    for server in (one, two):
        assert server.alive()
        assert health(server)[0] == 200
