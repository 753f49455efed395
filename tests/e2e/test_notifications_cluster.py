"""Notifications across a cluster: two `make serve` processes, PostgreSQL and Redis.

A notification stored by a third process is claimed by exactly one server's
dispatcher and reaches the person's socket on the other server through the message
queue, once. "No socket open anywhere" for room_activity is answered across
processes (the presence table), so a member connected to the other server is not
told about messages they are already seeing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from accounts.models import User
from app import create_app
from db import db
from notifications import service as notifications
from notifications.models import Notification
from tests.e2e.chat_clients import Member, login_cookie, seed_room
from tests.e2e.cluster import Cluster
from tests.e2e.test_multiprocess import cluster, people  # noqa: F401  # shared fixtures

pytestmark = [
    pytest.mark.live,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@pytest.fixture(autouse=True)
def _servers_deliver_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFICATIONS_POLL_SECONDS", "0.3")


def notify_from_outside(database_url: str, handle: str) -> int:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        user_id = db.session.scalars(select(User.id).where(User.handle == handle)).one()
        (row,) = notifications.notify([user_id], "group_opened", "Your room is open.", "/groups")
        db.session.commit()
        row_id = row.id
        db.engine.dispose()
    return row_id


def received(member: Member) -> list[dict[str, Any]]:
    with member.lock:
        return [data for event, data in member.events if event == "notification"]


def test_each_notification_reaches_a_socket_on_another_process_once(
    cluster: Cluster,  # noqa: F811
    people: list[Member],  # noqa: F811
) -> None:
    one, two = cluster.start("one"), cluster.start("two")
    direct = cluster.direct_url  # type: ignore[attr-defined]
    room_id = seed_room(direct, ["lark", "moss", "nettle"])
    lark = Member("lark", login_cookie(two.url, "lark"))
    moss = Member("moss", login_cookie(one.url, "moss"))
    people.extend([lark, moss])
    lark.connect(two.url)
    moss.connect(one.url)
    # Both servers have served a request, so both dispatchers poll.
    login_cookie(one.url, "nettle")

    first = notify_from_outside(direct, "lark")
    second = notify_from_outside(direct, "lark")
    lark.wait_for(lambda: len(received(lark)) >= 2, timeout=30)
    # A third one, so a duplicate of the first two would have had time to arrive.
    third = notify_from_outside(direct, "lark")
    lark.wait_for(lambda: third in [n["id"] for n in received(lark)], timeout=30)
    assert [n["id"] for n in received(lark)] == [first, second, third]
    assert received(moss) == []

    # moss (on server one) writes; lark is connected to server two, nettle nowhere.
    lark.catch_up(room_id)
    assert moss.send(room_id, "good evening, both")["ok"]
    engine = create_engine(direct)
    with Session(engine) as session:
        told = set(
            session.scalars(
                select(User.handle)
                .join(Notification, Notification.user_id == User.id)
                .where(Notification.kind == "room_activity")
            )
        )
    engine.dispose()
    assert told == {"nettle"}
