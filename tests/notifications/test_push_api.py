"""The push subscription API: strict validation, nothing stored on error, the
allow-list, ownership, export and deletion; and the installable app's files."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from accounts.models import User
from db import db
from notifications import push
from notifications.models import PushSubscription
from tests.conftest import DEFAULT_PASSWORD, AuthActions

RECEIVER = "http://127.0.0.1:9/push/"
FCM = "https://fcm.googleapis.com/fcm/send/"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # One loopback receiver (never contacted here) plus the real vendors' defaults.
    return {"WEB_PUSH_ALLOWED_ENDPOINTS": (RECEIVER, FCM, "https://*.notify.windows.com/")}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def point(curve: ec.EllipticCurve | None = None, compressed: bool = False) -> bytes:
    form = (
        serialization.PublicFormat.CompressedPoint
        if compressed
        else serialization.PublicFormat.UncompressedPoint
    )
    return (
        ec.generate_private_key(curve or ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, form)
    )


def good(endpoint: str = RECEIVER + "abc") -> dict[str, Any]:
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": b64url(point()), "auth": b64url(os.urandom(16))},
    }


def count(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(PushSubscription))
        db.session.remove()
        return int(found or 0)


def post(client: FlaskClient, csrf: Callable[[], str], document: Any, **kwargs: Any) -> Any:
    return client.post(
        "/api/v1/push/subscriptions", json=document, headers={"X-CSRFToken": csrf()}, **kwargs
    )


def test_a_subscription_is_stored(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], login_as: Callable[..., User]
) -> None:
    user = login_as()
    document = good()
    response = post(client, csrf, document)
    assert response.status_code == 201
    assert response.get_json() == {"ok": True}
    with app.app_context():
        (row,) = db.session.scalars(select(PushSubscription))
        assert row.user_id == user.id
        assert row.endpoint == document["endpoint"]
        assert row.p256dh == document["keys"]["p256dh"]
    listed = client.get("/api/v1/push/subscriptions").get_json()
    assert listed == {"endpoints": [document["endpoint"]]}


def test_padded_standard_keys_are_accepted_and_stored_canonically(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], login_as: Callable[..., User]
) -> None:
    login_as()
    raw = point()
    document = good()
    document["keys"]["p256dh"] = base64.urlsafe_b64encode(raw).decode()  # with "="
    assert post(client, csrf, document).status_code == 201
    with app.app_context():
        assert db.session.scalars(select(PushSubscription.p256dh)).one() == b64url(raw)


def _long_endpoint() -> str:
    return RECEIVER + "x" * 10_000


BAD_DOCUMENTS: dict[str, tuple[Any, str]] = {
    "no keys": ({"endpoint": RECEIVER + "a"}, "keys"),
    "keys not an object": ({"endpoint": RECEIVER + "a", "keys": "p256dh"}, "keys"),
    "no p256dh": (
        {"endpoint": RECEIVER + "a", "keys": {"auth": b64url(os.urandom(16))}},
        "keys.p256dh",
    ),
    "no auth": ({"endpoint": RECEIVER + "a", "keys": {"p256dh": b64url(point())}}, "keys.auth"),
    "p256dh not base64": (
        {"endpoint": RECEIVER + "a", "keys": {"p256dh": "not base64!*", "auth": "a" * 22}},
        "keys.p256dh",
    ),
    "p256dh a number": (
        {"endpoint": RECEIVER + "a", "keys": {"p256dh": 12345, "auth": b64url(os.urandom(16))}},
        "keys.p256dh",
    ),
    "p256dh compressed": (
        {
            "endpoint": RECEIVER + "a",
            "keys": {"p256dh": b64url(point(compressed=True)), "auth": b64url(os.urandom(16))},
        },
        "keys.p256dh",
    ),
    "p256dh off the curve": (
        {
            "endpoint": RECEIVER + "a",
            "keys": {"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": b64url(os.urandom(16))},
        },
        "keys.p256dh",
    ),
    "p256dh on P-384": (
        {
            "endpoint": RECEIVER + "a",
            "keys": {"p256dh": b64url(point(ec.SECP384R1())), "auth": b64url(os.urandom(16))},
        },
        "keys.p256dh",
    ),
    "auth too short": (
        {"endpoint": RECEIVER + "a", "keys": {"p256dh": b64url(point()), "auth": b64url(b"x" * 8)}},
        "keys.auth",
    ),
    "auth not base64": (
        {"endpoint": RECEIVER + "a", "keys": {"p256dh": b64url(point()), "auth": "%%%%"}},
        "keys.auth",
    ),
    "no endpoint": ({"keys": good()["keys"]}, "endpoint"),
    "endpoint a number": ({"endpoint": 7, "keys": good()["keys"]}, "endpoint"),
    "10 kB endpoint": ({"endpoint": _long_endpoint(), "keys": good()["keys"]}, "endpoint"),
    "endpoint not a URL": (
        {"endpoint": "fcm.googleapis.com/x", "keys": good()["keys"]},
        "endpoint",
    ),
    "endpoint with spaces": ({"endpoint": FCM + "a b", "keys": good()["keys"]}, "endpoint"),
    "endpoint ftp": (
        {"endpoint": "ftp://fcm.googleapis.com/x", "keys": good()["keys"]},
        "endpoint",
    ),
    "a JSON list": ([good()], "subscription"),
    "a JSON string": ("subscribe me", "subscription"),
}


@pytest.mark.parametrize("name", list(BAD_DOCUMENTS))
def test_malformed_subscriptions_are_refused_and_nothing_is_stored(
    name: str,
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
) -> None:
    login_as()
    document, field = BAD_DOCUMENTS[name]
    response = post(client, csrf, document)
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert count(app) == 0


def test_a_body_that_is_not_json_is_refused(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], login_as: Callable[..., User]
) -> None:
    login_as()
    response = client.post(
        "/api/v1/push/subscriptions",
        data="endpoint=https://fcm.googleapis.com/fcm/send/x",
        headers={"X-CSRFToken": csrf(), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"
    broken = client.post(
        "/api/v1/push/subscriptions",
        data="{not json",
        headers={"X-CSRFToken": csrf(), "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert count(app) == 0


def test_a_huge_body_is_refused_unread(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], login_as: Callable[..., User]
) -> None:
    login_as()
    document = good()
    document["padding"] = "x" * 100_000
    response = post(client, csrf, document)
    assert response.status_code == 413
    assert count(app) == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://push.example.net/abc",
        "http://fcm.googleapis.com/fcm/send/abc",  # allowed host, but not over https
        "https://fcm.googleapis.com.example.net/fcm/send/abc",
        "https://fcm.googleapis.com@example.net/fcm/send/abc",
        "https://fcm.googleapis.com:8443/fcm/send/abc",
        "https://fcm.googleapis.com/other/abc",
        "http://127.0.0.1:10/push/abc",  # another port on the loopback
        "http://localhost:9/push/abc",
        "https://notify.windows.com.example.net/w/abc",
    ],
)
def test_endpoints_outside_the_allow_list_are_refused(
    endpoint: str,
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
) -> None:
    login_as()
    response = post(client, csrf, good(endpoint))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] in ("endpoint_not_allowed", "invalid")
    if "@" not in endpoint:
        assert response.get_json()["error"]["code"] == "endpoint_not_allowed"
    assert count(app) == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc:def",
        "https://wns2-by3p.notify.windows.com/w/?token=abc",
        "https://FCM.googleapis.com/fcm/send/abc",
    ],
)
def test_the_vendors_push_services_are_allowed(
    endpoint: str,
    client: FlaskClient,
    csrf: Callable[[], str],
    login_as: Callable[..., User],
) -> None:
    login_as()
    assert post(client, csrf, good(endpoint)).status_code == 201


def test_the_default_allow_list_is_the_vendors_https_services() -> None:
    from config import DEFAULT_PUSH_SERVICES

    prefixes = push.parse_prefixes(DEFAULT_PUSH_SERVICES)
    assert all(prefix.scheme == "https" for prefix in prefixes)
    allowed = [
        "https://fcm.googleapis.com/fcm/send/a",
        "https://updates.push.services.mozilla.com/wpush/v2/a",
        "https://db5p.notify.windows.com/w/?token=a",
        "https://web.push.apple.com/QGx",
    ]
    refused = ["http://127.0.0.1/", "https://169.254.169.254/latest", "https://example.org/"]
    assert all(push.endpoint_allowed(url, prefixes) for url in allowed)
    assert not any(push.endpoint_allowed(url, prefixes) for url in refused)


def test_subscribing_needs_login_and_csrf(app: Flask, client: FlaskClient) -> None:
    assert client.post("/api/v1/push/subscriptions", json=good()).status_code in (400, 401)
    token = client.get("/api/v1/csrf").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/push/subscriptions", json=good(), headers={"X-CSRFToken": token}
    )
    assert response.status_code == 401
    assert count(app) == 0


def test_csrf_is_required(app: Flask, client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as()
    response = client.post("/api/v1/push/subscriptions", json=good())
    assert response.status_code == 400
    assert count(app) == 0


def test_the_same_endpoint_again_updates_it_and_moves_it_to_the_new_account(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    make_user: Callable[..., User],
    auth: AuthActions,
) -> None:
    first, second = make_user(), make_user()
    document = good()
    auth.login(first.handle or "")
    assert post(client, csrf, document).status_code == 201
    assert post(client, csrf, document).status_code == 201
    auth.logout()
    auth.login(second.handle or "")
    document["keys"]["auth"] = b64url(os.urandom(16))
    assert post(client, csrf, document).status_code == 201
    with app.app_context():
        (row,) = db.session.scalars(select(PushSubscription))
        assert row.user_id == second.id
        assert row.auth == document["keys"]["auth"]


def test_a_person_keeps_at_most_a_few_devices(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], login_as: Callable[..., User]
) -> None:
    login_as()
    endpoints = [RECEIVER + f"device{n}" for n in range(push.MAX_SUBSCRIPTIONS_PER_USER + 2)]
    for endpoint in endpoints:
        assert post(client, csrf, good(endpoint)).status_code == 201
    kept = client.get("/api/v1/push/subscriptions").get_json()["endpoints"]
    assert kept == endpoints[-push.MAX_SUBSCRIPTIONS_PER_USER :]


def test_unsubscribing_removes_only_ones_own(
    app: Flask,
    client: FlaskClient,
    csrf: Callable[[], str],
    make_user: Callable[..., User],
    auth: AuthActions,
) -> None:
    owner, stranger = make_user(), make_user()
    document = good()
    auth.login(owner.handle or "")
    post(client, csrf, document)
    auth.logout()
    auth.login(stranger.handle or "")
    response = client.delete(
        "/api/v1/push/subscriptions",
        json={"endpoint": document["endpoint"]},
        headers={"X-CSRFToken": csrf()},
    )
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "removed": False}
    assert count(app) == 1
    auth.logout()
    auth.login(owner.handle or "")
    response = client.delete(
        "/api/v1/push/subscriptions",
        json={"endpoint": document["endpoint"]},
        headers={"X-CSRFToken": csrf()},
    )
    assert response.get_json() == {"ok": True, "removed": True}
    assert count(app) == 0


@pytest.mark.parametrize("body", [{}, {"endpoint": 5}, {"endpoint": "x" * 5000}, [1]])
def test_unsubscribing_needs_an_endpoint(
    body: Any, client: FlaskClient, csrf: Callable[[], str], login_as: Callable[..., User]
) -> None:
    login_as()
    response = client.delete(
        "/api/v1/push/subscriptions", json=body, headers={"X-CSRFToken": csrf()}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"


def test_export_and_deletion_cover_subscriptions(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], login_as: Callable[..., User]
) -> None:
    login_as()
    document = good()
    post(client, csrf, document)
    exported = json.loads(client.get("/account/export").data)
    assert [row["endpoint"] for row in exported["push_subscriptions"]] == [document["endpoint"]]
    assert "auth" not in json.dumps(exported["push_subscriptions"])
    response = client.post(
        "/account/delete", data={"password": DEFAULT_PASSWORD, "csrf_token": csrf()}
    )
    assert response.status_code == 302
    assert count(app) == 0


# --- the installable app ---------------------------------------------------------------


def test_the_manifest_describes_an_installable_app(client: FlaskClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Hearth"
    assert manifest["short_name"] == "Hearth"
    assert manifest["start_url"] == "/groups"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200
        assert image.mimetype == "image/png"
        assert image.data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = (
            int.from_bytes(image.data[16:20], "big"),
            int.from_bytes(image.data[20:24], "big"),
        )
        assert f"{width}x{height}" == icon["sizes"]
        image.close()


def test_the_service_worker_is_javascript_at_the_root(client: FlaskClient) -> None:
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert 'addEventListener("push"' in body
    assert "/api/" not in body  # the shell list never includes API answers
    shell = json.loads(body.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert all(url.startswith("/static/") or url == "/offline" for url in shell)
    for url in shell:
        got = client.get(url)
        assert got.status_code == 200, url
        got.close()


def test_pages_link_the_manifest_icons_and_the_push_script(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color"' in page
    assert "js/push.js" in page
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert favicon.data[:4] == b"\x00\x00\x01\x00"
    favicon.close()


def test_the_offline_page_holds_no_personal_data(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    user = login_as()
    page = client.get("/offline").get_data(as_text=True)
    assert "You're offline" in page or "You&#39;re offline" in page
    assert (user.handle or "") not in page


def test_the_account_page_has_the_switch_and_groups_the_offer(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    assert "data-push-switch" in client.get("/account").get_data(as_text=True)


def test_groups_offers_push_once_waiting_and_not_before(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    import copy

    from profiles import service as profiles
    from tests.matching.conftest import BASE_DOCUMENT

    user = login_as()
    assert "data-push-offer" not in client.get("/groups").get_data(as_text=True)
    with app.app_context():
        person = db.session.get(User, user.id)
        assert person is not None
        profiles.save_profile(person, copy.deepcopy(BASE_DOCUMENT))
        profiles.join_pool(person)
        db.session.commit()
    page = client.get("/groups").get_data(as_text=True)
    # Hidden until push.js has checked the browser can do it; it never prompts by itself.
    assert "data-push-offer hidden" in page
    assert "Yes, let me know" in page
