"""The Web Push settings (docs/deploy.md) are read from the environment and checked."""

from __future__ import annotations

import base64
import logging
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import config
from app import create_app
from config import DEFAULT_PUSH_SERVICES, load_config
from notifications import push

#: No dispatcher thread: these apps have no tables, and a thread polling them would
#: outlive the test.
PRODUCTION = {
    "SECRET_KEY": "p" * 48,
    "DATABASE_URL": "sqlite://",
    "NOTIFICATIONS_POLL_SECONDS": "0",
}


def raw_key(key: ec.EllipticCurvePrivateKey) -> str:
    scalar = key.private_numbers().private_value.to_bytes(32, "big")
    return base64.urlsafe_b64encode(scalar).rstrip(b"=").decode()


def pem_key(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    for name in ("VAPID_PRIVATE_KEY", "VAPID_SUBJECT", "WEB_PUSH_ALLOWED_ENDPOINTS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    monkeypatch.setenv("VAPID_PRIVATE_KEY", raw_key(key))
    monkeypatch.setenv("VAPID_SUBJECT", "mailto:ops@example.org")
    monkeypatch.setenv(
        "WEB_PUSH_ALLOWED_ENDPOINTS", " https://fcm.googleapis.com/ ,http://127.0.0.1:9999/,"
    )
    monkeypatch.setenv("WEB_PUSH_RETRY_SECONDS", "2.5")
    loaded = load_config("testing")
    assert raw_key(key) == loaded.VAPID_PRIVATE_KEY
    assert loaded.VAPID_SUBJECT == "mailto:ops@example.org"
    assert loaded.WEB_PUSH_ALLOWED_ENDPOINTS == (
        "https://fcm.googleapis.com/",
        "http://127.0.0.1:9999/",
    )
    assert loaded.WEB_PUSH_RETRY_SECONDS == 2.5


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VAPID_SUBJECT", "WEB_PUSH_ALLOWED_ENDPOINTS", "WEB_PUSH_RETRY_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    loaded = load_config("testing")
    assert loaded.VAPID_SUBJECT == "mailto:admin@localhost"
    assert loaded.WEB_PUSH_ALLOWED_ENDPOINTS == DEFAULT_PUSH_SERVICES
    assert loaded.WEB_PUSH_RETRY_SECONDS == 30.0


@pytest.mark.parametrize("form", ["raw", "pem", "pem-one-line"])
def test_the_key_may_be_raw_base64url_or_pem(production: pytest.MonkeyPatch, form: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    value = {
        "raw": raw_key(key),
        "pem": pem_key(key),
        "pem-one-line": pem_key(key).replace("\n", "\\n"),
    }[form]
    production.setenv("VAPID_PRIVATE_KEY", value)
    production.setenv("VAPID_SUBJECT", "https://hearth.example.org")
    app = create_app("production")
    assert app.extensions[push.EXTENSION_KEY].public_key == push.public_key_of(key)
    response = app.test_client().get("/api/v1/push/key")
    assert response.get_json() == {"public_key": push.public_key_of(key)}


def test_production_without_a_key_runs_with_push_off(
    production: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        app = create_app("production")
    assert push.EXTENSION_KEY not in app.extensions
    assert sum("Web Push is off" in record.getMessage() for record in caplog.records) == 1
    response = app.test_client().get("/api/v1/push/key")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "push_unavailable"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("VAPID_PRIVATE_KEY", "not-a-key", "VAPID_PRIVATE_KEY"),
        ("VAPID_SUBJECT", "ops@example.org", "VAPID_SUBJECT"),
        ("VAPID_SUBJECT", "http://example.org", "VAPID_SUBJECT"),
        ("WEB_PUSH_ALLOWED_ENDPOINTS", "fcm.googleapis.com", "WEB_PUSH_ALLOWED_ENDPOINTS"),
        ("WEB_PUSH_ALLOWED_ENDPOINTS", "https://user@fcm.googleapis.com/", "WEB_PUSH_ALLOWED"),
    ],
)
def test_malformed_settings_stop_the_app_at_start(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(RuntimeError, match=message):
        create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")


def test_a_key_on_another_curve_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAPID_PRIVATE_KEY", pem_key(ec.generate_private_key(ec.SECP384R1())))
    with pytest.raises(RuntimeError, match="VAPID_PRIVATE_KEY"):
        create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_with_a_key_needs_a_subject(production: pytest.MonkeyPatch) -> None:
    production.setenv("VAPID_PRIVATE_KEY", raw_key(ec.generate_private_key(ec.SECP256R1())))
    with pytest.raises(RuntimeError, match="VAPID_SUBJECT"):
        create_app("production")


def test_development_keeps_one_private_key_in_instance(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    first = config._development_vapid_key()
    key_file = tmp_path / "vapid_private_key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert config._development_vapid_key() == first  # kept, not made anew
    assert isinstance(push.load_vapid_key(first).curve, ec.SECP256R1)
    assert [path.name for path in tmp_path.iterdir()] == ["vapid_private_key.pem"]
