"""The /groups page: proposals with "why", yes/no forms, rooms, meet-again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from db import db
from matching.grouping import WAIT_REASONS
from matching.models import MeetAgainAnswer, Proposal
from profiles import service as profiles
from tests.conftest import csrf_token_for, text_of
from tests.matching.test_backfill_and_meet_again import open_old_room
from tests.matching.test_service import login, run_round


def test_a_proposal_shows_why_and_can_be_answered_with_plain_forms(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    login(client, people[0], app)
    page = text_of(client.get("/groups"))
    assert "Proposed groups" in page
    assert "You share:" in page
    assert "Yes, I'd like to join" in page
    assert "No reasons needed" in page
    answered = client.post(
        f"/groups/{proposal_id}/accept", data={"csrf_token": csrf_token_for(client)}
    )
    assert answered.status_code == 302
    assert "said yes" in text_of(client.get("/groups"))
    refused = client.post(f"/groups/{proposal_id}/decline")
    assert refused.status_code == 400  # no CSRF token, nothing changed
    assert "said yes" in text_of(client.get("/groups"))


def test_the_third_yes_opens_the_room_and_lists_it(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    for person in people:
        other = app.test_client()
        login(other, person, app)
        response = other.post(
            f"/groups/{proposal_id}/accept", data={"csrf_token": csrf_token_for(other)}
        )
    assert response.status_code == 302
    assert "/rooms/" in response.headers["Location"]
    login(client, people[0], app)
    page = text_of(client.get("/groups"))
    assert 'href="/rooms/' in page


def test_meet_again_form_is_private_and_skippable(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    room_id = open_old_room(app, people)
    login(client, people[0], app)
    assert "Only you see this question" in text_of(client.get("/groups"))
    client.post(
        f"/groups/rooms/{room_id}/meet-again",
        data={"csrf_token": csrf_token_for(client), "skip": "1"},
    )
    assert "Only you see this question" not in text_of(client.get("/groups"))
    with app.app_context():
        answer = db.session.scalars(select(MeetAgainAnswer)).one()
        assert answer.skipped is True


@pytest.mark.parametrize("comfort", ["²", "9" * 5000, "7"])
def test_meet_again_form_refuses_a_strange_comfort_kindly(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]], comfort: str
) -> None:
    people = waiting_people(3)
    room_id = open_old_room(app, people)
    login(client, people[0], app)
    response = client.post(
        f"/groups/rooms/{room_id}/meet-again",
        data={"csrf_token": csrf_token_for(client), "comfort": comfort, "meet_again": "yes"},
    )
    assert response.status_code in (302, 303)  # back to /groups with a message, never a 500
    assert "Only you see this question" in text_of(client.get("/groups"))  # nothing saved
    with app.app_context():
        assert db.session.scalars(select(MeetAgainAnswer)).first() is None


def test_the_reason_for_waiting_is_in_the_readers_language(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    (person,) = waiting_people(1)
    english = WAIT_REASONS["no_shared_time"]
    with app.app_context():
        assert profiles.record_wait_reason(person, "no_shared_time", english)
        db.session.commit()
    login(client, person, app)
    german = {"Accept-Language": "de"}
    page = text_of(client.get("/groups", headers=german))
    assert english not in page
    assert "Noch hat niemand, der deine Sprache spricht" in page
    reason = client.get("/api/v1/pool", headers=german).get_json()["reason"]
    assert reason.startswith("Noch hat niemand")
    assert english in text_of(client.get("/groups"))  # English readers keep the English
    with app.app_context():
        assert profiles.pool_status(person)["reason"] == english  # no request: English
    with app.test_request_context(headers=german):
        from matching.panel import panel_data

        texts = [row["text"] for row in panel_data()["pool"]["reasons"]]
        assert texts
        assert all(text != english for text in texts)
