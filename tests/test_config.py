"""Settings documented in docs/ are read from the environment, and bad values stop
the start with a message that names the setting."""

from __future__ import annotations

import pytest

from config import load_config


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("MOD_REALERT_SECONDS", "45", 45.0),
        ("CRISIS_ESCALATION_CHECK_SECONDS", "2.5", 2.5),
        ("NOTIFICATIONS_POLL_SECONDS", "0", 0.0),
        ("WEB_PUSH_RETRY_SECONDS", "0.2", 0.2),
        ("MATCH_INTERVAL_MINUTES", "0.1", 0.1),
        ("COMPATIBILITY_BLEND", "0.25", 0.25),
        ("MATCH_MODEL_MIN_GROUPS", "12", 12),
        ("MATCH_MODEL_DIR", "/srv/hearth/models", "/srv/hearth/models"),
        ("RATELIMIT_CHAT_SEND", "5 per 10 seconds", "5 per 10 seconds"),
        ("CRISIS_POLICY", "hold", "hold"),
        ("PEER_GUIDANCE_DELAY_SECONDS", "10-20", (10.0, 20.0)),
        ("PEER_GUIDANCE_DELAY_SECONDS", "0", (0.0, 0.0)),
    ],
)
def test_documented_settings_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: object
) -> None:
    assert getattr(load_config("development"), name) != expected
    monkeypatch.setenv(name, value)
    assert getattr(load_config("development"), name) == expected


def test_defaults_hold_without_the_environment() -> None:
    config = load_config("development")
    assert config.MOD_REALERT_SECONDS == 120
    assert config.RATELIMIT_CHAT_SEND == "10 per 20 seconds"
    assert config.COMPATIBILITY_BLEND == 0.5
    assert config.MATCH_MODEL_MIN_GROUPS == 30


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MOD_REALERT_SECONDS", "two minutes"),
        ("MOD_REALERT_SECONDS", "-1"),
        ("NOTIFICATIONS_POLL_SECONDS", "nan"),
        ("WEB_PUSH_RETRY_SECONDS", "inf"),
        ("CRISIS_ESCALATION_CHECK_SECONDS", "soon"),
        ("RATELIMIT_CHAT_SEND", "lots"),
        ("COMPATIBILITY_BLEND", "1.5"),
        ("COMPATIBILITY_BLEND", "half"),
        ("MATCH_MODEL_MIN_GROUPS", "0"),
        ("MATCH_MODEL_MIN_GROUPS", "2.5"),
        ("CRISIS_POLICY", "hide"),
        ("PEER_GUIDANCE_DELAY_SECONDS", "soon"),
        ("PEER_GUIDANCE_DELAY_SECONDS", "20-10"),
    ],
)
def test_a_bad_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=name):
        load_config("development")
