"""Quorum and backfill for rooms that emptied, and the meet-again question."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from db import db, utcnow
from matching import meet_again
from matching.models import MeetAgainAnswer, Proposal, ProposalKind, ProposalStatus, Response
from profiles.models import PoolEntry
from rooms.admin import create_room
from rooms.models import Membership, Room
from tests.conftest import csrf_token_for
from tests.matching.test_service import answer, login, pool_ids, run_round

WEEK_AND_A_DAY = timedelta(days=8)


def open_old_room(app: Flask, member_ids: list[int], *, age: timedelta = WEEK_AND_A_DAY) -> int:
    """A room opened ``age`` ago whose members joined then."""
    with app.app_context():
        members = [db.session.get(User, uid) for uid in member_ids]
        room = create_room("Tea and novels", [m for m in members if m is not None])
        room.opened_at = utcnow() - age
        for membership in db.session.scalars(
            select(Membership).where(Membership.room_id == room.id)
        ):
            membership.joined_at = utcnow() - age
        db.session.commit()
        return room.id


def test_a_room_below_quorum_asks_its_members_then_invites_newcomers(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    existing = waiting_people(2)
    with app.app_context():
        for entry in db.session.scalars(select(PoolEntry)):
            db.session.delete(entry)
        db.session.commit()
    room_id = open_old_room(app, existing)

    first = run_round(app)
    with app.app_context():
        backfill = db.session.scalars(
            select(Proposal).where(Proposal.kind == ProposalKind.BACKFILL)
        ).one()
        asked = sorted(m.user_id for m in backfill.members)
        proposal_id = backfill.id
    assert asked == sorted(existing)
    assert set(first.notify_user_ids) >= set(existing)

    newcomers = waiting_people(3)
    for member in existing:  # the room's own members opt in first
        answer(app, proposal_id, member)
    second = run_round(app)
    assert sorted(second.backfilled) == sorted(newcomers)
    assert not pool_ids(app) & set(newcomers)

    joined = answer(app, proposal_id, newcomers[0])
    assert joined.room_id == room_id
    with app.app_context():
        in_room = set(
            db.session.scalars(select(Membership.user_id).where(Membership.room_id == room_id))
        )
        assert newcomers[0] in in_room
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is ProposalStatus.CONFIRMED


def test_a_member_can_keep_their_room_as_it_is(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    existing = waiting_people(2)
    with app.app_context():
        for entry in db.session.scalars(select(PoolEntry)):
            db.session.delete(entry)
        db.session.commit()
    open_old_room(app, existing)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    answer(app, proposal_id, existing[0], accept=False)
    newcomers = waiting_people(3)
    summary = run_round(app)
    assert summary.backfilled == []
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is ProposalStatus.CANCELLED
        assert {m.response for m in proposal.members if m.user_id == existing[1]} == {
            Response.EXPIRED
        }
    assert existing[1] not in pool_ids(app)  # still in the room, not pushed out
    assert summary.groups
    assert set(summary.groups[0]["member_ids"]) == set(newcomers)


def test_nobody_is_left_alone_in_a_quiet_room(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    (alone,) = waiting_people(1)
    with app.app_context():
        for entry in db.session.scalars(select(PoolEntry)):
            db.session.delete(entry)
        db.session.commit()
    open_old_room(app, [alone])
    run_round(app)
    assert alone in pool_ids(app)


def test_young_rooms_are_left_alone(app: Flask, waiting_people: Callable[..., list[int]]) -> None:
    existing = waiting_people(2)
    open_old_room(app, existing, age=timedelta(days=2))
    run_round(app)
    with app.app_context():
        assert (
            db.session.scalars(
                select(Proposal).where(Proposal.kind == ProposalKind.BACKFILL)
            ).first()
            is None
        )


def test_meet_again_is_asked_after_a_week_privately_and_can_be_skipped(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    room_id = open_old_room(app, people)
    login(client, people[0], app)
    headers = {"X-CSRFToken": csrf_token_for(client)}
    checkins = client.get("/api/v1/groups").get_json()["checkins"]
    assert checkins == [{"room_id": room_id, "name": "Tea and novels"}]

    ok = client.post(
        f"/api/v1/rooms/{room_id}/meet-again",
        json={"comfort": 4, "meet_again": True},
        headers=headers,
    )
    assert ok.status_code == 200
    assert ok.get_json()["room"] == "continuing"
    assert client.get("/api/v1/groups").get_json()["checkins"] == []
    with app.app_context():
        stored = db.session.scalars(select(MeetAgainAnswer)).one()
        assert (stored.comfort, stored.meet_again, stored.skipped) == (4, True, False)


def test_saying_no_offers_a_new_group_without_telling_anyone(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    room_id = open_old_room(app, people)
    with app.app_context():
        for entry in db.session.scalars(select(PoolEntry)):
            db.session.delete(entry)
        user = db.session.get(User, people[1])
        assert user is not None
        meet_again.record_answer(user, room_id, {"meet_again": False, "comfort": 2})
        db.session.commit()
        assert meet_again.room_decision(room_id) == "open"
        assert db.session.get(Room, room_id) is not None
    assert pool_ids(app) == {people[1]}


def test_meet_again_validates_and_refuses_other_rooms(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(4)
    room_id = open_old_room(app, people[:3])
    login(client, people[3], app)
    headers = {"X-CSRFToken": csrf_token_for(client)}
    not_mine = client.post(
        f"/api/v1/rooms/{room_id}/meet-again", json={"skip": True}, headers=headers
    )
    assert not_mine.status_code == 404
    cases: list[tuple[Any, str]] = [
        ({"comfort": 6}, "comfort"),
        ({"comfort": True}, "comfort"),
        ({"meet_again": "yes"}, "meet_again"),
        ({"skip": 1}, "skip"),
        ({"mood": 3}, "mood"),
        ({}, "comfort"),
    ]
    for body, field in cases:
        response = client.post(f"/api/v1/rooms/{room_id}/meet-again", json=body, headers=headers)
        assert response.status_code == 400, body
        assert field in response.get_json()["error"]["fields"], body
    with app.app_context():
        assert db.session.scalars(select(MeetAgainAnswer)).first() is None
