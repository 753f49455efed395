"""Junk payloads never crash a /chat handler: every event answers with an error ack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from tests.rooms.conftest import Chat

EVENTS = ("join", "send", "react", "seat", "pass", "mute_member", "report", "concern", "leave")
KEYS = (
    "room_id",
    "after_id",
    "body",
    "client_msg_id",
    "message_id",
    "kind",
    "seat",
    "handle",
    "muted",
    "reason",
    "note",
    "about_handle",
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=40)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
payloads = (
    values
    | st.dictionaries(st.sampled_from(KEYS), values, max_size=5)
    | st.just({"room_id": 10**30})
    | st.just({"body": "x" * 70_000})
)


@pytest.fixture
def member_socket(
    make_user: Callable[..., User], make_room: Callable[..., int], chat: Callable[..., Chat]
) -> Chat:
    user = make_user("tern")
    make_room(user, make_user("wren"))
    return chat(user)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(event=st.sampled_from(EVENTS), payload=payloads)
def test_junk_payloads_get_an_error_ack(member_socket: Chat, event: str, payload: Any) -> None:
    ack = member_socket.call(event, payload)
    assert isinstance(ack, dict), ack
    assert ack["ok"] in (True, False)
    if ack["ok"] is False:
        assert ack["error"]["code"] in {
            "invalid",
            "too_long",
            "not_member",
            "room_closed",
            "room_paused",
            "rate_limited",
            "contact_details",
            "held_for_review",
        }, ack
    assert member_socket.connected
