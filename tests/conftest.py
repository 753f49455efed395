"""Shared fixtures, flaskr style: ``app``, ``client``, ``runner``, ``auth``, plus
factory fixtures (``make_user``) that return callables."""

from __future__ import annotations

import html
import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from accounts.models import Role, User
from accounts.service import register_user
from app import create_app
from db import Base, db
from notifications import dispatch, push

DEFAULT_PASSWORD = "a calm walk by the river"
_handles = itertools.count(1)


#: Set (by `make test-postgres`) to run every database test on PostgreSQL instead of SQLite.
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
#: The PostgreSQL server for tests that make databases of their own.
POSTGRES_SERVER = os.environ.get(
    "HEARTH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432"
)


def postgres_reachable() -> bool:
    engine = create_engine(f"{POSTGRES_SERVER}/postgres", connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not here"
        return False
    finally:
        engine.dispose()


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in ``url`` (via the server's maintenance db)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def migrate(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def empty_postgres_tables(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """Compile translations/*.po the way `make setup` does, when a .mo is missing or
    older than its .po, so a test run straight after editing a catalogue (without
    make) renders the catalogue as it now is."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from i18n import TRANSLATIONS_DIR

    for po_path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One database migrated with Alembic per test session.

    Every test therefore runs against the schema the migrations build, not one
    made by ``create_all``. On SQLite each test gets a copy of the file; on
    PostgreSQL the tables are emptied after each test.
    """
    if POSTGRES_URL:
        recreate_postgres_database(POSTGRES_URL)
        migrate(POSTGRES_URL)
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> Iterator[str]:
    if POSTGRES_URL:
        yield POSTGRES_URL
        empty_postgres_tables(POSTGRES_URL)
        return
    path = tmp_path / "hearth.sqlite3"
    shutil.copyfile(migrated_template, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its ``app``."""
    return {}


@pytest.fixture
def app(database_url: str, app_overrides: dict[str, Any]) -> Iterator[Flask]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **app_overrides)
    yield app
    settle_background_work(app)
    with app.app_context():
        db.engine.dispose()


def settle_background_work(app: Flask, timeout: float = 10.0) -> None:
    """Let the app's own threads finish before its engine is disposed.

    A connection a thread still holds when the pool is disposed goes back to the
    discarded pool and is never closed; PostgreSQL's driver then warns when it is
    collected, in whichever later test that happens to be.
    """
    dispatcher = app.extensions.get(dispatch.EXTENSION_KEY)
    if isinstance(dispatcher, dispatch.Dispatcher):
        dispatcher.stop(wait=timeout)
    settings = app.extensions.get(push.EXTENSION_KEY)
    if isinstance(settings, push.PushSettings):
        settings.sender.close(timeout)
    with app.app_context():
        pool = db.engine.pool
        deadline = time.monotonic() + timeout
        while isinstance(pool, QueuePool) and pool.checkedout() and time.monotonic() < deadline:
            time.sleep(0.02)


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
