"""Security baseline: headers, CSRF on JSON, rate limits, production secret."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from accounts.models import User
from app import create_app
from config import ProductionConfig
from tests.conftest import text_of


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client: FlaskClient) -> None:
    for path in ("/", "/account/login", "/account/register", "/help", "/guidelines"):
        html = text_of(client.get(path))
        assert "<script>" not in html
        assert "onclick=" not in html


def test_csrf_endpoint_gives_a_token(client: FlaskClient) -> None:
    body = client.get("/api/v1/csrf").get_json()
    assert isinstance(body["csrf_token"], str)
    assert len(body["csrf_token"]) > 20


@pytest.mark.parametrize(
    ("env", "secret"),
    [({}, None), ({"SECRET_KEY": "dev"}, "dev"), ({"SECRET_KEY": "short"}, "short")],
)
def test_production_refuses_missing_or_weak_secret(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], secret: str | None
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_accepts_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "x" * 16 + "a-real-random-value-here")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert isinstance(ProductionConfig().SECRET_KEY, str)


class TestRateLimits:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"}

    def test_login_is_limited_per_handle_with_a_kind_page(
        self, client: FlaskClient, make_user: Callable[..., User], csrf: Callable[[], str]
    ) -> None:
        make_user("riverstone")
        token = csrf()
        statuses = [
            client.post(
                "/account/login",
                data={"handle": "riverstone", "password": "wrong guess!!", "csrf_token": token},
                environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"},
            ).status_code
            for attempt in range(5)
        ]
        assert statuses[:3] == [400, 400, 400]
        assert statuses[3] == 429
        page = client.post(
            "/account/login",
            data={"handle": "riverstone", "password": "x", "csrf_token": token},
            environ_base={"REMOTE_ADDR": "10.0.0.99"},
        )
        assert page.status_code == 429
        assert "take a breath" in text_of(page)
        assert "Retry-After" in page.headers

    def test_login_is_limited_per_ip(self, client: FlaskClient, csrf: Callable[[], str]) -> None:
        token = csrf()
        statuses = [
            client.post(
                "/account/login",
                data={
                    "handle": f"someone{attempt}",
                    "password": "wrong guess!!",
                    "csrf_token": token,
                },
            ).status_code
            for attempt in range(4)
        ]
        assert statuses == [400, 400, 400, 429]
