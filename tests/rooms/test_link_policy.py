"""LINK_POLICY end to end: read from the environment, applied to room sends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

import config
from accounts.models import User
from app import create_app
from tests.rooms.conftest import Chat

ARTICLE = "this helped me: https://en.wikipedia.org/wiki/Loneliness"
PROFILE = "come say hi instagram.com/sammy_22"


@pytest.mark.parametrize("value", ["block_all", "block_contact", "allow"])
def test_link_policy_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("LINK_POLICY", value)
    assert value == config.TestingConfig().LINK_POLICY
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    assert create_app("testing").config["LINK_POLICY"] == value


def test_link_policy_defaults_to_block_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINK_POLICY", raising=False)
    assert config.TestingConfig().LINK_POLICY == "block_contact"


def test_an_unknown_link_policy_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINK_POLICY", "block_some")
    with pytest.raises(RuntimeError, match="LINK_POLICY must be one of"):
        config.TestingConfig()


def _pair(
    make_user: Callable[..., User], make_room: Callable[..., int], chat: Callable[..., Chat]
) -> tuple[Chat, Chat, int]:
    tern, wren = make_user(), make_user()
    room_id = make_room(tern, wren)
    a, b = chat(tern), chat(wren)
    a.join(room_id), b.join(room_id)
    a.received(), b.received()
    return a, b, room_id


def test_default_policy_delivers_content_links_and_refuses_profiles(
    make_user: Callable[..., User], make_room: Callable[..., int], chat: Callable[..., Chat]
) -> None:
    a, b, room_id = _pair(make_user, make_room, chat)
    ack = a.send(room_id, ARTICLE)
    assert ack["ok"] is True
    assert [m["body"] for m in b.received("message")] == [ARTICLE]
    refused = a.send(room_id, PROFILE)
    assert refused["ok"] is False
    assert refused["error"]["code"] == "contact_details"
    assert "profiles" in refused["error"]["message"]
    assert b.received("message") == []


def test_a_refusal_is_explained_in_the_writers_language(
    make_user: Callable[..., User], make_room: Callable[..., int], chat: Callable[..., Chat]
) -> None:
    tern, wren = make_user(), make_user()
    room_id = make_room(tern, wren)
    german = chat(tern, language="de-DE")
    german.join(room_id)
    refused = german.send(room_id, PROFILE)
    assert refused["error"]["code"] == "contact_details"
    assert refused["error"]["message"].startswith("Damit alle sicher sind, erlaubt Hearth keine")


class TestBlockAll:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"LINK_POLICY": "block_all"}

    def test_every_link_is_refused_with_a_kind_explanation(
        self,
        app: Flask,
        make_user: Callable[..., User],
        make_room: Callable[..., int],
        chat: Callable[..., Chat],
    ) -> None:
        a, b, room_id = _pair(make_user, make_room, chat)
        ack = a.send(room_id, ARTICLE)
        assert ack["ok"] is False
        assert ack["error"]["code"] == "contact_details"
        assert "links can't be shared" in ack["error"]["message"]
        assert b.received("message") == []


class TestAllow:
    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"LINK_POLICY": "allow"}

    def test_profile_links_pass_but_numbers_do_not(
        self,
        make_user: Callable[..., User],
        make_room: Callable[..., int],
        chat: Callable[..., Chat],
    ) -> None:
        a, b, room_id = _pair(make_user, make_room, chat)
        assert a.send(room_id, PROFILE)["ok"] is True
        assert a.send(room_id, "wa.me/447700900123")["error"]["code"] == "contact_details"
        assert [m["body"] for m in b.received("message")] == [PROFILE]
