"""Web Push end to end: a subscription stored through the API, a real notification
dispatched, and a real HTTP receiver that decrypts the RFC 8291 payload with the
subscription's keys and checks the VAPID signature. Nothing of pywebpush is mocked."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskClient
from py_vapid import Vapid02
from sqlalchemy import select

from accounts.models import User
from db import db
from notifications import dispatch, push, service
from notifications.models import PushSubscription
from tests.notifications.push_receiver import PushReceiver, push_receiver, vapid_claims

PROPOSED = "We found a group that might suit you. Have a look when you're ready."


@pytest.fixture
def receiver() -> Iterator[PushReceiver]:
    with push_receiver() as found:
        yield found


@pytest.fixture
def app_overrides(receiver: PushReceiver) -> dict[str, Any]:
    return {
        "WEB_PUSH_ALLOWED_ENDPOINTS": (f"{receiver.url}/push/",),
        "WEB_PUSH_RETRY_SECONDS": 0.05,
    }


def subscribe(client: FlaskClient, csrf: Callable[[], str], document: Any) -> Any:
    return client.post("/api/v1/push/subscriptions", json=document, headers={"X-CSRFToken": csrf()})


def notify_and_dispatch(app: Flask, user_ids: list[int], kind: str = "group_proposed") -> None:
    with app.app_context():
        service.notify(user_ids, kind, PROPOSED, "/groups")
        db.session.commit()
        dispatch.dispatch_pending()
        db.session.remove()


def settle(app: Flask, done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait until the sender reached a state (a limit, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if done():
                return
            db.session.remove()
        time.sleep(0.02)
    raise AssertionError("the push sender did not settle")


def subscriptions(app: Flask) -> list[PushSubscription]:
    with app.app_context():
        rows = list(db.session.scalars(select(PushSubscription).order_by(PushSubscription.id)))
        db.session.remove()
        return rows


def sender(app: Flask) -> push.Sender:
    return app.extensions[push.EXTENSION_KEY].sender


def test_key_is_the_uncompressed_p256_public_point(client: FlaskClient, app: Flask) -> None:
    response = client.get("/api/v1/push/key")
    assert response.status_code == 200
    key = response.get_json()["public_key"]
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65
    assert raw[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)  # on the curve
    assert key == app.extensions[push.EXTENSION_KEY].public_key


def test_a_notification_arrives_encrypted_and_signed(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    assert subscribe(client, csrf, receiver.subscription()).status_code == 201
    server_key = client.get("/api/v1/push/key").get_json()["public_key"]

    notify_and_dispatch(app, [user.id])

    (got,) = receiver.wait_for(1)
    assert got.path == "/push/device-1"
    assert receiver.decrypt(got) == {"kind": "group_proposed", "text": PROPOSED, "url": "/groups"}
    assert got.headers["content-encoding"] == "aes128gcm"
    assert got.headers["urgency"] == "normal"
    assert int(got.headers["ttl"]) > 0
    public_key, claims = vapid_claims(got.headers["authorization"])
    assert public_key == server_key
    assert Vapid02.verify(got.headers["authorization"])
    assert claims["aud"] == receiver.url
    assert claims["sub"] == "mailto:admin@localhost"
    assert claims["exp"] > time.time()

    settle(app, lambda: sender(app).counts["sent"] == 1)
    (row,) = subscriptions(app)
    assert row.last_success_at is not None
    assert row.failure_count == 0


def test_the_payload_never_carries_more_than_kind_text_and_url(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    subscribe(client, csrf, receiver.subscription())
    with app.app_context():
        service.notify(
            [user.id], "room_activity", "There are new messages in your room.", "/rooms/1"
        )
        db.session.commit()
        dispatch.dispatch_pending()
    (got,) = receiver.wait_for(1)
    assert set(receiver.decrypt(got)) == {"kind", "text", "url"}


def test_a_moderator_check_in_is_sent_with_high_urgency(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    subscribe(client, csrf, receiver.subscription())
    notify_and_dispatch(app, [user.id], kind="moderator_checkin")
    (got,) = receiver.wait_for(1)
    assert got.headers["urgency"] == "high"
    assert receiver.decrypt(got)["kind"] == "moderator_checkin"


def test_every_device_of_the_person_gets_it_and_nobody_else(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    other = make_user()
    subscribe(client, csrf, receiver.subscription("phone"))
    subscribe(client, csrf, receiver.subscription("laptop"))
    notify_and_dispatch(app, [user.id])
    received = receiver.wait_for(2)
    assert sorted(item.path for item in received) == ["/push/laptop", "/push/phone"]
    notify_and_dispatch(app, [other.id])
    settle(app, lambda: sender(app).pending() == 0 and sender(app).counts["sent"] == 2)
    assert len(receiver.received) == 2


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted(
    status: int,
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    subscribe(client, csrf, receiver.subscription())
    receiver.statuses.append(status)
    notify_and_dispatch(app, [user.id])
    receiver.wait_for(1)
    settle(app, lambda: not subscriptions(app))
    with app.app_context():
        assert not push.user_has_push(user.id)
    assert sender(app).counts["gone"] == 1
    assert sender(app).counts["retried"] == 0


def test_a_server_error_is_retried_with_backoff(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    subscribe(client, csrf, receiver.subscription())
    receiver.statuses.extend([500, 503])
    notify_and_dispatch(app, [user.id])

    first, second, third = receiver.wait_for(3)
    assert [first.status, second.status, third.status] == [500, 503, 201]
    # Each attempt is encrypted afresh (a new salt and key), to the same content.
    assert first.body != third.body
    assert receiver.decrypt(first) == receiver.decrypt(third)
    settle(app, lambda: sender(app).counts["sent"] == 1)
    assert sender(app).counts["retried"] == 2
    (row,) = subscriptions(app)
    assert row.failure_count == 0
    assert row.next_attempt_at is None
    assert row.last_success_at is not None


def test_retries_stop_after_the_last_attempt(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    subscribe(client, csrf, receiver.subscription())
    receiver.statuses.extend([500] * push.MAX_ATTEMPTS)
    notify_and_dispatch(app, [user.id])
    receiver.wait_for(push.MAX_ATTEMPTS)
    settle(app, lambda: sender(app).counts["failed"] == 1)
    assert sender(app).pending() == 0
    (row,) = subscriptions(app)  # kept: a bad hour of the push service is not "gone"
    assert row.failure_count == push.MAX_ATTEMPTS


def test_a_refused_push_is_not_retried(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    subscribe(client, csrf, receiver.subscription())
    receiver.statuses.append(400)
    notify_and_dispatch(app, [user.id])
    receiver.wait_for(1)
    settle(app, lambda: sender(app).counts["failed"] == 1)
    assert sender(app).counts["retried"] == 0
    assert len(receiver.received) == 1


def test_the_allow_list_is_checked_again_when_sending(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    subscribe(client, csrf, receiver.subscription("old"))
    subscribe(client, csrf, receiver.subscription("new"))
    # The operator narrows the list after the first subscription was stored.
    settings = app.extensions[push.EXTENSION_KEY]
    settings.prefixes = push.parse_prefixes([f"{receiver.url}/push/new"])
    notify_and_dispatch(app, [user.id])
    (got,) = receiver.wait_for(1)
    settle(app, lambda: sender(app).pending() == 0 and sender(app).counts["sent"] == 1)
    assert got.path == "/push/new"
    assert len(receiver.received) == 1


def test_user_has_push(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
    receiver: PushReceiver,
) -> None:
    user = login_as()
    with app.app_context():
        assert push.user_has_push(user.id) is False
    subscribe(client, csrf, receiver.subscription())
    with app.app_context():
        assert push.user_has_push(user.id) is True
