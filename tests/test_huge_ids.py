"""An id past what the database can hold names nothing: a 404 in a path, a 400 (or an
``invalid`` acknowledgement) in a body, query or socket payload; never a server error.

PostgreSQL refuses a number above 2**31-1 for an INTEGER id outright (DataError), SQLite
one above 2**63-1 (OverflowError), instead of matching no row; ``make test-postgres``
runs this on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter, Rule

from accounts.models import User
from app import create_app
from db import MAX_ID, digits_at_most
from tests.conftest import csrf_token_for
from tests.moderation.conftest import ModConsole, console
from tests.rooms.conftest import Chat, chat, make_room

__all__ = ["chat", "console", "make_room"]

HUGE = [MAX_ID + 1, 2**63, 99999999999999999999]


def _id_rules() -> list[Rule]:
    return [
        rule
        for rule in create_app("testing").url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


ID_RULES = _id_rules()


def _path(rule: Rule, value: int) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(value))
    return path


def test_every_id_route_is_walked() -> None:
    # An empty walk (the converter no longer an IntegerConverter) would pass vacuously.
    assert len(ID_RULES) >= 30


@pytest.mark.parametrize("rule", ID_RULES, ids=lambda rule: f"{sorted(rule.methods or ())}{rule}")
def test_an_id_route_finds_nothing_past_the_largest_id(
    client: FlaskClient, login_as: Callable[..., User], rule: Rule
) -> None:
    login_as("admin")
    headers = {"X-CSRFToken": csrf_token_for(client)}
    for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
        for value in [*HUGE, 0]:
            response = client.open(_path(rule, value), method=method, headers=headers, json={})
            assert response.status_code == 404, (method, value, response.status_code)
        # The largest id itself reaches the route and its database lookup.
        response = client.open(_path(rule, MAX_ID), method=method, headers=headers, json={})
        assert response.status_code < 500, (method, response.status_code)


def test_the_largest_id_is_still_an_id(app: Flask) -> None:
    endpoint, args = app.url_map.bind("localhost").match(f"/rooms/{MAX_ID}")
    assert (endpoint, args) == ("rooms.room_page", {"room_id": MAX_ID})


@pytest.mark.parametrize("limit", [1, 9, 10, 19, 20, 99, 100, 305, 1000, 90210])
def test_the_id_pattern_takes_exactly_one_to_the_limit(limit: int) -> None:
    pattern = re.compile(digits_at_most(limit))
    taken = [n for n in range(limit * 3 + 20) if pattern.fullmatch(str(n))]
    assert taken == list(range(1, limit + 1))
    assert not pattern.fullmatch(f"0{limit}")


def test_the_id_pattern_stops_at_the_largest_id() -> None:
    pattern = re.compile(digits_at_most(MAX_ID))
    assert pattern.fullmatch(str(MAX_ID))
    assert not pattern.fullmatch(str(MAX_ID + 1))
    assert not pattern.fullmatch(str(10 * MAX_ID))


@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_in_json_bodies_are_invalid(
    client: FlaskClient, login_as: Callable[..., User], huge: int
) -> None:
    login_as("admin")
    headers = {"X-CSRFToken": csrf_token_for(client)}
    read = client.post("/api/v1/notifications/read", json={"ids": [huge]}, headers=headers)
    assert read.status_code == 400
    assert read.get_json()["error"]["code"] == "invalid"
    for target in ({"message_id": huge}, {"user_id": huge}, {"room_id": huge}):
        kind = {"message_id": "remove_message", "user_id": "warn", "room_id": "close_room"}
        body = {"kind": kind[next(iter(target))], "target": target, "reason": "testing"}
        acted = client.post("/api/v1/mod/actions", json=body, headers=headers)
        assert acted.status_code == 400, (target, acted.get_json())
        assert acted.get_json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_in_query_strings_find_nothing(
    client: FlaskClient, login_as: Callable[..., User], make_room: Callable[..., int], huge: int
) -> None:
    admin = login_as("admin")
    queue = client.get(f"/api/v1/mod/queue?room_id={huge}")
    assert queue.status_code == 400
    assert queue.get_json()["error"]["code"] == "invalid"
    assert client.get(f"/mod/?room_id={huge}").status_code == 200
    assert client.get(f"/mod/audit?target_id={huge}&before={huge}").status_code == 200
    room_id = make_room(admin)
    history = client.get(f"/api/v1/rooms/{room_id}/messages?after={huge}")
    assert history.status_code == 400


@pytest.mark.parametrize("huge", HUGE)
def test_huge_ids_in_socket_payloads_are_invalid(
    make_user: Callable[..., User],
    chat: Callable[..., Chat],
    console: Callable[..., ModConsole],
    huge: int,
) -> None:
    member = chat(make_user())
    events: list[tuple[str, dict[str, Any]]] = [
        ("join", {"room_id": huge}),
        ("send", {"room_id": huge, "body": "hi", "client_msg_id": "x" * 16}),
        ("react", {"message_id": huge, "kind": "heart"}),
        ("seat", {"room_id": huge, "seat": "listening"}),
        ("report", {"message_id": huge, "reason": "spam"}),
        ("leave", {"room_id": huge}),
    ]
    for event, payload in events:
        ack = member.call(event, payload)
        assert ack["ok"] is False, event
        assert ack["error"]["code"] == "invalid", (event, ack)
    moderator = console(make_user(role="moderator"))
    for event, payload in (("ack_item", {"id": huge}), ("watch_room", {"room_id": huge})):
        ack = moderator.call(event, payload)
        assert ack["ok"] is False, event
        assert ack["error"]["code"] == "invalid", (event, ack)
