"""Shared fixtures, flaskr style: ``app``, ``client``, ``runner``, ``auth``, plus
factory fixtures (``make_user``) that return callables."""

from __future__ import annotations

import html
import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from accounts.models import Role, User
from accounts.service import register_user
from app import create_app
from db import db

DEFAULT_PASSWORD = "a calm walk by the river"
_handles = itertools.count(1)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated with Alembic per test session; each test gets a copy.

    Every test therefore runs against the schema the migrations build, not one
    made by ``create_all``.
    """
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def database_url(migrated_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "hearth.sqlite3"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its ``app``."""
    return {}


@pytest.fixture
def app(database_url: str, app_overrides: dict[str, Any]) -> Iterator[Flask]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **app_overrides)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def csrf_token_for(client: FlaskClient) -> str:
    token = client.get("/api/v1/csrf").get_json()["csrf_token"]
    assert isinstance(token, str)
    return token


@pytest.fixture
def csrf(client: FlaskClient) -> Callable[[], str]:
    """Returns a function that fetches a CSRF token for ``client``'s session."""
    return lambda: csrf_token_for(client)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Factory: ``make_user(handle=None, role="member", password=DEFAULT_PASSWORD)``."""

    def make(
        handle: str | None = None,
        *,
        role: str | Role = Role.MEMBER,
        password: str = DEFAULT_PASSWORD,
    ) -> User:
        with app.app_context():
            user = register_user(handle or f"member{next(_handles)}", password, role=Role(role))
            db.session.commit()
            return user

    return make


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, handle: str, password: str = DEFAULT_PASSWORD) -> Any:
        return self._client.post(
            "/account/login",
            data={
                "handle": handle,
                "password": password,
                "csrf_token": csrf_token_for(self._client),
            },
        )

    def logout(self) -> Any:
        return self._client.post(
            "/account/logout", data={"csrf_token": csrf_token_for(self._client)}
        )


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def login_as(make_user: Callable[..., User], auth: AuthActions) -> Callable[..., User]:
    """Factory: create a user with ``role`` and log the test client in as them."""

    def login(role: str | Role = Role.MEMBER, handle: str | None = None) -> User:
        user = make_user(handle, role=role)
        assert user.handle is not None
        response = auth.login(user.handle)
        assert response.status_code == 302, response.data
        return user

    return login


def text_of(response: Any) -> str:
    """The response body with HTML entities decoded, for asserting on copy."""
    return html.unescape(response.get_data(as_text=True))
