"""The outbox: claims are atomic, delivery reaches the person's sockets, callbacks run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from accounts.models import User
from db import db
from notifications import dispatch, service
from notifications.models import Notification
from tests.notifications.conftest import notifications_of


def test_two_passes_deliver_each_row_once(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user()
    with app.app_context():
        service.notify([user.id], "group_proposed", "We found a small group.", "/groups")
        db.session.commit()
        first = dispatch.dispatch_pending()
        second = dispatch.dispatch_pending()
        assert [item["user_id"] for item in first] == [user.id]
        assert second == []
        row = db.session.scalars(db.select(Notification)).one()
        assert row.dispatched_at is not None
        assert row.read_at is None


def test_claims_from_two_sessions_never_overlap(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user()
    with app.app_context():
        service.notify([user.id], "group_proposed", "One.", "/groups")
        service.notify([user.id], "group_opened", "Two.", "/rooms/1")
        db.session.commit()
    with app.app_context():
        first = dispatch.claim()
        db.session.commit()
    with app.app_context():
        second = dispatch.claim()
        db.session.commit()
    assert len(first) == 2
    assert second == []


def test_rows_of_a_rolled_back_transaction_are_never_sent(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    with app.app_context():
        service.notify([user.id], "group_proposed", "Never.", "/groups")
        db.session.rollback()
        assert dispatch.dispatch_pending() == []


def test_delivery_reaches_every_socket_of_that_person_only(
    app: Flask, make_user: Callable[..., User], sockets: Callable[[User], Any]
) -> None:
    alice, bob = make_user(), make_user()
    alice_phone, alice_laptop, bob_socket = sockets(alice), sockets(alice), sockets(bob)
    for sio in (alice_phone, alice_laptop, bob_socket):
        sio.get_received("/chat")
    with app.app_context():
        (row,) = service.notify([alice.id], "group_opened", "Your room is open.", "/rooms/4")
        db.session.commit()
        dispatch.dispatch_pending()
    for sio in (alice_phone, alice_laptop):
        (event,) = notifications_of(sio)
        assert event == {
            "id": row.id,
            "kind": "group_opened",
            "text": "Your room is open.",
            "url": "/rooms/4",
            "created_at": row.created_at.isoformat(),
        }
    assert notifications_of(bob_socket) == []


def test_callbacks_get_the_batch_and_a_failing_one_does_not_stop_others(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user()
    seen: list[list[dict[str, Any]]] = []

    def broken(items: list[dict[str, Any]]) -> None:
        raise RuntimeError("push service down")

    def record(items: list[dict[str, Any]]) -> None:
        seen.append(items)

    dispatch.on_dispatch(broken)
    dispatch.on_dispatch(record)
    dispatch.on_dispatch(record)  # registering twice is a no-op
    try:
        with app.app_context():
            service.notify([user.id], "report_outcome", "We looked at your report.", "/groups")
            db.session.commit()
            dispatch.dispatch_pending()
    finally:
        dispatch._callbacks.remove(broken)
        dispatch._callbacks.remove(record)
    (items,) = seen
    assert [set(item) for item in items] == [{"id", "user_id", "kind", "text", "url", "created_at"}]
    assert items[0]["kind"] == "report_outcome"
    assert items[0]["user_id"] == user.id
