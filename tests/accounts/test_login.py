"""Login, logout, session rotation and the same error for every bad credential."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from accounts.models import User
from tests.conftest import DEFAULT_PASSWORD, AuthActions, csrf_token_for, text_of


def test_login_and_logout(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., User]
) -> None:
    make_user("riverstone")
    assert auth.login("RiverStone").status_code == 302
    assert client.get("/api/v1/me").get_json()["handle"] == "riverstone"
    assert auth.logout().status_code == 302
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    ("handle", "password"), [("nobody_here", DEFAULT_PASSWORD), ("riverstone", "wrong password!")]
)
def test_wrong_handle_and_wrong_password_say_the_same(
    client: FlaskClient,
    auth: AuthActions,
    make_user: Callable[..., User],
    handle: str,
    password: str,
) -> None:
    make_user("riverstone")
    response = auth.login(handle, password)
    assert response.status_code == 400
    assert "That handle and password don't match an account." in text_of(response)


def test_logout_needs_post(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., User]
) -> None:
    make_user("riverstone")
    auth.login("riverstone")
    assert client.get("/account/logout").status_code == 405
    assert client.get("/api/v1/me").status_code == 200


def test_logout_without_csrf_is_refused(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., User]
) -> None:
    make_user("riverstone")
    auth.login("riverstone")
    assert client.post("/account/logout").status_code == 400
    assert client.get("/api/v1/me").status_code == 200


def test_session_is_rotated_at_login(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., User]
) -> None:
    make_user("riverstone")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login("riverstone")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("hearth_sid")


def test_login_redirect_refuses_other_sites(
    client: FlaskClient, make_user: Callable[..., User], csrf: Callable[[], str]
) -> None:
    make_user("riverstone")
    response = client.post(
        "/account/login?next=https://evil.example/",
        data={"handle": "riverstone", "password": DEFAULT_PASSWORD, "csrf_token": csrf()},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups"  # the member's own landing instead


def test_login_lands_members_on_groups_and_moderators_on_the_console(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., User]
) -> None:
    make_user("riverstone")
    make_user("lighthouse", role="moderator")
    assert auth.login("riverstone").headers["Location"] == "/groups"
    # Already logged in: the login page sends them to the same place.
    assert client.get("/account/login").headers["Location"] == "/groups"
    auth.logout()
    assert auth.login("lighthouse").headers["Location"] == "/mod/"
    auth.logout()
    # A safe `next` still wins.
    response = client.post(
        "/account/login?next=/rooms/3",
        data={
            "handle": "riverstone",
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token_for(client),
        },
    )
    assert response.headers["Location"] == "/rooms/3"


def test_session_cookie_flags(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., User]
) -> None:
    make_user("riverstone")
    response = auth.login("riverstone")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
