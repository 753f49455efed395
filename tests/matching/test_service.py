"""Matching rounds, double opt-in, quorum, decline, expiry and the round lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from accounts.models import User
from db import db, utcnow
from matching import service
from matching.models import MatchCooldown, MatchLock, Proposal, ProposalStatus, Response
from profiles import service as profiles
from profiles.models import PoolEntry
from tests.conftest import DEFAULT_PASSWORD, AuthActions, csrf_token_for


def run_round(app: Flask, **options: Any) -> service.RoundSummary:
    with app.app_context():
        summary = service.run_round(**options)
        if options.get("dry_run"):
            db.session.rollback()
        else:
            db.session.commit()
        return summary


def answer(app: Flask, proposal_id: int, user_id: int, *, accept: bool = True, **kw: Any) -> Any:
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        user = db.session.get(User, user_id)
        assert proposal is not None
        assert user is not None
        outcome = (service.accept if accept else service.decline)(proposal, user, **kw)
        db.session.commit()
        return outcome


def pool_ids(app: Flask) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(PoolEntry.user_id)))


def test_a_round_proposes_a_group_and_takes_it_out_of_the_pool(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(5)
    summary = run_round(app)
    assert len(summary.groups) == 1
    assert sorted(summary.groups[0]["member_ids"]) == sorted(people)
    assert pool_ids(app) == set()
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert proposal.status is ProposalStatus.PENDING
        assert proposal.expires_at - proposal.created_at == timedelta(hours=48)
        assert "board games" in proposal.summary.lower() or proposal.summary


def test_dry_run_writes_nothing(app: Flask, waiting_people: Callable[..., list[int]]) -> None:
    people = waiting_people(4)
    summary = run_round(app, dry_run=True)
    assert len(summary.groups) == 1
    assert pool_ids(app) == set(people)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_too_few_people_wait_with_a_reason(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(2)
    summary = run_round(app)
    assert summary.groups == []
    assert set(summary.waiting) == set(people)
    with app.app_context():
        status = profiles.pool_status(people[0])
    assert status["waiting"] is True
    assert status["reason"]


def test_quorum_opens_a_room_and_late_accepts_join_it(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(4)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    assert answer(app, proposal_id, people[0]).room_id is None
    assert answer(app, proposal_id, people[1]).room_id is None
    third = answer(app, proposal_id, people[2])
    assert third.opened_room is True
    assert third.room_id is not None
    late = answer(app, proposal_id, people[3])
    assert late.room_id == third.room_id
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is ProposalStatus.CONFIRMED
        for person in people:
            user = db.session.get(User, person)
            assert user is not None
            rooms = service.member_rooms(user)
            assert [room["id"] for room in rooms] == [third.room_id]


def test_decline_returns_to_pool_without_penalty_and_cools_down_the_pair(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(5)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    answer(app, proposal_id, people[0], accept=False)
    assert pool_ids(app) == {people[0]}
    with app.app_context():
        pairs = db.session.scalar(select(func.count()).select_from(MatchCooldown))
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is ProposalStatus.PENDING  # four can still make it
    assert pairs == 4


def test_a_group_that_cannot_reach_quorum_is_cancelled(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    answer(app, proposal_id, people[1])
    answer(app, proposal_id, people[0], accept=False)
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is ProposalStatus.CANCELLED
    assert pool_ids(app) == set(people)


def test_declined_people_are_not_proposed_together_again(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    answer(app, proposal_id, people[0], accept=False)
    summary = run_round(app)
    assert summary.groups == []
    assert set(summary.waiting) == set(people)


def test_unanswered_proposals_expire_after_48_hours(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    answer(app, proposal_id, people[0])
    with app.app_context():
        expired = service.expire_due_proposals(now=utcnow() + timedelta(hours=49))
        db.session.commit()
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is ProposalStatus.EXPIRED
        assert {m.response for m in proposal.members} == {Response.EXPIRED}
    assert expired == 1
    assert pool_ids(app) == set(people)
    with pytest.raises(service.MatchingError):
        answer(app, proposal_id, people[1])


def test_a_round_does_nothing_while_another_process_holds_the_lock(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    waiting_people(4)
    with app.app_context():
        db.session.add(
            MatchLock(
                name=service.ROUND_LOCK, holder="elsewhere", until=utcnow() + timedelta(minutes=5)
            )
        )
        db.session.commit()
    summary = run_round(app)
    assert summary.skipped_locked is True
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_people_who_avoid_a_topic_are_kept_from_those_who_raise_it(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    waiting_people(3, interests=["board-games", "politics-and-current-affairs"])
    avoiders = waiting_people(3, avoid_topics=["politics"])
    summary = run_round(app)
    for group in summary.groups:
        members = set(group["member_ids"])
        assert members <= set(avoiders) or not members & set(avoiders)


# --- API ---------------------------------------------------------------------------


def login(client: FlaskClient, user_id: int, app: Flask) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        handle = user.handle
    assert handle is not None
    assert AuthActions(client).login(handle, DEFAULT_PASSWORD).status_code == 302


def test_groups_api_shows_why_and_only_handles(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    run_round(app)
    login(client, people[0], app)
    body = client.get("/api/v1/groups").get_json()
    (proposal,) = body["proposals"]
    assert proposal["status"] == "pending"
    assert set(proposal) >= {"id", "status", "members", "why", "expires_at"}
    assert proposal["why"]["summary"]
    assert "Board games" in proposal["why"]["shared_interests"]
    for member in proposal["members"]:
        assert set(member) <= {"handle", "interests", "seat", "accepted", "is_you"}
    assert body["rooms"] == []


def test_accept_and_decline_over_the_api(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    login(client, people[0], app)
    token = csrf_token_for(client)
    assert client.post(f"/api/v1/groups/{proposal_id}/accept").status_code == 400  # no CSRF
    ok = client.post(f"/api/v1/groups/{proposal_id}/accept", headers={"X-CSRFToken": token})
    assert ok.status_code == 200
    assert ok.get_json()["proposal"]["your_response"] == "accepted"
    missing = client.post("/api/v1/groups/999999/accept", headers={"X-CSRFToken": token})
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"


def test_strangers_cannot_see_or_answer_a_proposal(
    app: Flask,
    client: FlaskClient,
    waiting_people: Callable[..., list[int]],
    login_as: Callable[..., User],
) -> None:
    waiting_people(3)
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    login_as()
    response = client.post(
        f"/api/v1/groups/{proposal_id}/accept", headers={"X-CSRFToken": csrf_token_for(client)}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({"dry_run": "yes"}, "dry_run"), ({"dry_run": 1}, "dry_run"), ({"extra": True}, "extra")],
)
def test_match_round_api_validates_its_body(
    client: FlaskClient, login_as: Callable[..., User], body: dict[str, Any], field: str
) -> None:
    login_as("moderator")
    response = client.post(
        "/api/v1/mod/match-rounds", json=body, headers={"X-CSRFToken": csrf_token_for(client)}
    )
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


def test_moderators_run_rounds_over_the_api(
    app: Flask,
    client: FlaskClient,
    waiting_people: Callable[..., list[int]],
    login_as: Callable[..., User],
) -> None:
    waiting_people(4)
    login_as("moderator")
    headers = {"X-CSRFToken": csrf_token_for(client)}
    dry = client.post("/api/v1/mod/match-rounds", json={"dry_run": True}, headers=headers)
    assert dry.status_code == 200
    assert dry.get_json()["groups_formed"] == 1
    assert dry.get_json()["round_id"] is None
    real = client.post("/api/v1/mod/match-rounds", json={"dry_run": False}, headers=headers)
    assert real.get_json()["round_id"] is not None
    assert pool_ids(app) == set()


def test_members_cannot_run_rounds(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as("member")
    response = client.post(
        "/api/v1/mod/match-rounds", json={}, headers={"X-CSRFToken": csrf_token_for(client)}
    )
    assert response.status_code == 403


def test_match_run_cli_prints_a_summary(
    app: Flask, runner: FlaskCliRunner, waiting_people: Callable[..., list[int]]
) -> None:
    waiting_people(4)
    dry = runner.invoke(args=["match", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: would propose 1 groups for 4 of 4 people waiting" in dry.output
    assert pool_ids(app)
    real = runner.invoke(args=["match", "run"])
    assert real.exit_code == 0, real.output
    assert "Proposed 1 groups" in real.output
    assert pool_ids(app) == set()
