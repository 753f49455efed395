"""Export and deletion of a person's data."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from db import db
from tests.conftest import DEFAULT_PASSWORD, AuthActions, text_of


def test_export_is_a_json_file_of_the_account(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    user = login_as()
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    assert document["account"]["handle"] == user.handle
    assert document["account"]["id"] == user.id
    assert "password" not in text_of(response).lower().replace("password_", "")


def test_export_needs_login(client: FlaskClient) -> None:
    response = client.get("/account/export")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_delete_with_wrong_password_keeps_everything(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    user = login_as()
    response = client.post(
        "/account/delete", data={"password": "not my password", "csrf_token": csrf()}
    )
    assert response.status_code == 400
    assert "nothing was deleted" in text_of(response)
    with app.app_context():
        assert db.session.get(User, user.id).handle == user.handle  # type: ignore[union-attr]
    assert client.get("/api/v1/me").status_code == 200


def test_delete_removes_personal_data_and_frees_the_handle(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    csrf: Callable[[], str],
    auth: AuthActions,
) -> None:
    user = login_as(handle="leaving_soon")
    response = client.post(
        "/account/delete", data={"password": DEFAULT_PASSWORD, "csrf_token": csrf()}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    with app.app_context():
        tombstone = db.session.get(User, user.id)
        assert tombstone is not None
        assert tombstone.handle is None
        assert tombstone.password_hash == ""
        assert tombstone.deleted_at is not None
        assert tombstone.display_handle == "former member"
        assert (
            db.session.scalars(select(User).where(User.handle_key == "leaving_soon")).first()
            is None
        )
    assert auth.login("leaving_soon").status_code == 400


def test_old_cookie_stops_working_after_deletion(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    login_as()
    other_device = app.test_client()
    with client.session_transaction() as session:
        stolen = dict(session)
    with other_device.session_transaction() as session:
        session.update(stolen)
    assert other_device.get("/api/v1/me").status_code == 200
    client.post("/account/delete", data={"password": DEFAULT_PASSWORD, "csrf_token": csrf()})
    assert other_device.get("/api/v1/me").status_code == 401
