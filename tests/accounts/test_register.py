"""Registration: each bad field gets its own clear message and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from accounts.models import Role, User
from db import db
from tests.conftest import text_of

GOOD = {
    "handle": "quiet_otter",
    "password": "a calm walk by the river",
    "confirm": "a calm walk by the river",
    "age_confirmed": "y",
    "guidelines_accepted": "y",
}


def user_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User)) or 0


def register(client: FlaskClient, csrf: Callable[[], str], **changes: Any) -> Any:
    data = {**GOOD, **changes, "csrf_token": csrf()}
    return client.post("/account/register", data={k: v for k, v in data.items() if v is not None})


def test_register_creates_member_and_logs_in(
    app: Flask, client: FlaskClient, csrf: Callable[[], str]
) -> None:
    response = register(client, csrf)
    assert response.status_code == 302
    me = client.get("/api/v1/me").get_json()
    assert me["handle"] == "quiet_otter"
    assert me["role"] == "member"
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.password_hash.startswith("$argon2id$")
        assert user.role is Role.MEMBER


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"handle": ""}, "Please choose a handle."),
        ({"handle": "ab"}, "3 to 24 characters"),
        ({"handle": "a" * 25}, "3 to 24 characters"),
        ({"handle": "hello there"}, "only letters, digits"),
        ({"handle": "jo@mail.com"}, "only letters, digits"),
        ({"handle": "jane-at-gmail-com"}, "looks like"),
        ({"handle": "call5551234567"}, "phone number"),
        ({"handle": "www-mysite"}, "web address"),
        ({"handle": "mysite_com"}, "web address"),
        ({"password": "short", "confirm": "short"}, "at least 10 characters"),
        ({"password": "password123", "confirm": "password123"}, "lists attackers try first"),
        ({"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"}, "too few characters"),
        (
            {"password": "quiet_otter is me", "confirm": "quiet_otter is me"},
            "don't include your handle",
        ),
        ({"confirm": "something else entirely"}, "don't match"),
        ({"confirm": None}, "a second time"),
        ({"age_confirmed": None}, "18 or older"),
        ({"guidelines_accepted": None}, "community guidelines"),
    ],
)
def test_each_bad_field_gets_its_own_message(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], changes: dict[str, Any], expected: str
) -> None:
    response = register(client, csrf, **changes)
    assert response.status_code == 400
    assert expected in text_of(response)
    assert user_count(app) == 0


def test_handle_is_unique_case_insensitively(
    app: Flask, client: FlaskClient, csrf: Callable[[], str], make_user: Callable[..., User]
) -> None:
    make_user("Quiet_Otter")
    response = register(client, csrf, handle="quiet_OTTER")
    assert response.status_code == 400
    assert "That handle is taken" in text_of(response)
    assert user_count(app) == 1


def test_registration_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    response = client.post("/account/register", data=GOOD)
    assert response.status_code == 400
    assert "form expired" in text_of(response)
    assert user_count(app) == 0


def test_register_page_renders_labelled_fields(client: FlaskClient) -> None:
    html = text_of(client.get("/account/register"))
    for name in ("handle", "password", "confirm", "age_confirmed", "guidelines_accepted"):
        assert f'for="{name}"' in html
    assert 'name="csrf_token"' in html
    for forbidden in ("email", "real name", "phone"):
        assert f'name="{forbidden}"' not in html
