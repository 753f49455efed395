"""Live: after a crisis message the author gets their region's lines and the other
members the guidance card, over the real server and python-socketio clients; the
card's "once a day" holds across a server restart (it is stored, not remembered).
The waits are generous (not timing assertions)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.chat_clients import Member, login_cookie
from tests.e2e.chat_clients import seed_room as seed
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.live

SEVERE = "I want to kill myself tonight"


@pytest.fixture
def members() -> Iterator[list[Member]]:
    made: list[Member] = []
    yield made
    for member in made:
        member.close()


def events(member: Member, name: str) -> list[Any]:
    with member.lock:
        return [data for event, data in member.events if event == name]


def join_all(server: LiveServer, people: list[Member], room_id: int) -> None:
    for person in people:
        person.connect(server.url, **{"Accept-Language": "de-DE,de;q=0.9"})
        assert person.call("join", {"room_id": room_id})["ok"] is True


def test_peers_get_the_card_once_even_across_a_restart(
    start_live_server: Callable[..., LiveServer], members: list[Member]
) -> None:
    server = start_live_server()
    handles = ["pg_amsel", "pg_meise", "pg_kranich"]
    room_id = seed(server.database_url, handles)
    people = [Member(h, login_cookie(server.url, h)) for h in handles]
    members.extend(people)
    author, *peers = people
    join_all(server, people, room_id)

    ack = author.send(room_id, SEVERE)
    assert ack["ok"] is True, ack
    author.wait_for(lambda: bool(events(author, "crisis_resources")))
    [resources] = events(author, "crisis_resources")
    # No profile time zone: the browser's language region decides.
    assert resources["region"] == "DE"
    assert resources["resources"][0]["region"] == "DE"
    for peer in peers:
        peer.wait_for(lambda peer=peer: bool(events(peer, "peer_guidance")))
        [card] = events(peer, "peer_guidance")
        assert card["room_id"] == room_id
        assert card["url"] == "/help/someone-shares"
        assert "pg_amsel" not in str(card)
        assert events(peer, "crisis_resources") == []

    # A restarted server reads the stored day: a second crisis today brings no card.
    for person in people:
        person.close()
    server.stop()
    server = start_live_server()
    people = [Member(h, login_cookie(server.url, h)) for h in handles]
    members.extend(people)
    author, *peers = people
    join_all(server, people, room_id)
    second = peers[0].send(room_id, SEVERE)
    assert second["ok"] is True, second
    peers[0].wait_for(lambda: bool(events(peers[0], "crisis_resources")))
    for person in (author, peers[1]):
        person.wait_for(lambda person=person: second["message"]["id"] in person.received_ids())
    time.sleep(0.5)  # the card would follow the message at once; give it a moment
    assert all(events(person, "peer_guidance") == [] for person in people)
