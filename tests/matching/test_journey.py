"""The journey on /groups: waiting, a proposal, rooms, leaving (and who is told),
backfill after a leave, and the console's matching panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import Role, User
from db import db, utcnow
from matching import scheduler, service
from matching.models import MatchRound, Proposal, ProposalKind, ProposalMember, Response
from moderation.models import AuditEntry
from notifications.models import Notification
from profiles import service as profiles
from rooms.membership import leave_room
from rooms.queries import membership_of
from tests.conftest import csrf_token_for, text_of
from tests.matching.test_service import answer, login, run_round


def open_group_room(app: Flask, people: list[int]) -> tuple[int, int]:
    """A round proposes the group and everyone says yes: (proposal id, room id)."""
    run_round(app)
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id)).one()
    for person in people:
        answer(app, proposal_id, person)
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.room_id is not None
        return proposal_id, proposal.room_id


def leave(app: Flask, room_id: int, user_id: int) -> None:
    with app.app_context():
        membership = membership_of(room_id, user_id)
        assert membership is not None
        leave_room(membership)
        db.session.commit()


def notices(app: Flask, kind: str) -> list[tuple[int, str, str]]:
    with app.app_context():
        return [
            (n.user_id, n.text, n.url)
            for n in db.session.scalars(
                select(Notification).where(Notification.kind == kind).order_by(Notification.id)
            )
        ]


def test_waiting_tells_since_when_and_when_the_next_round_is(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(1, timezone="Europe/Berlin")
    login(client, people[0], app)
    page = text_of(client.get("/groups"))
    assert "We're looking for your group" in page
    assert "next time a moderator starts a matching round" in page  # schedule off in tests
    with app.app_context():
        row = scheduler.schedule_row()
        row.next_round_at = utcnow() + timedelta(minutes=7)
        db.session.commit()
    app.config["MATCH_INTERVAL_MINUTES"] = 10
    page = text_of(client.get("/groups"))
    assert "We'll look for your group next on" in page
    assert "in 7 minutes" in page
    assert "Join the waiting pool" not in page


def test_a_pending_proposal_never_says_not_waiting_and_shows_a_local_deadline(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3, timezone="America/New_York")
    run_round(app)
    login(client, people[0], app)
    page = text_of(client.get("/groups"))
    assert "We found a group for you" in page
    assert "not waiting" not in page
    assert "Join the waiting pool" not in page
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        expected = service.deadline_text(proposal.expires_at, "America/New_York")
    assert expected.split(",")[0] in page  # "until Thursday 13:53" in New York time
    assert "in 2 days" in page
    assert "America/New_York time" in page
    partial = client.get("/groups?partial=1")
    assert partial.status_code == 200
    assert "<h1>" not in partial.get_data(as_text=True)  # only the live part
    assert "We found a group for you" in text_of(partial)


def test_leaving_tells_the_others_offers_backfill_and_invites_back_to_the_pool(
    app: Flask, client: FlaskClient, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    _proposal_id, room_id = open_group_room(app, people)
    login(client, people[0], app)
    assert f'href="/rooms/{room_id}"' in client.get("/groups").get_data(as_text=True)

    leave(app, room_id, people[0])

    html = client.get("/groups").get_data(as_text=True)
    assert f'href="/rooms/{room_id}"' not in html  # no link to a page that refuses them
    page = text_of(client.get("/groups"))
    assert "You've moved on from your group" in page
    assert "Join the waiting pool" in page
    assert "You've left:" in page
    assert client.get(f"/rooms/{room_id}").status_code in (403, 404)
    api = client.get("/api/v1/groups").get_json()
    assert all(p["room_id"] != room_id for p in api["proposals"])
    assert all(r["id"] != room_id for r in api["rooms"])

    changed = notices(app, "group_changed")
    told = {uid for uid, _text, _url in changed}
    assert told == set(people[1:])  # the two left behind, not the one who left
    assert any(url == f"/rooms/{room_id}" for _uid, _text, url in changed)
    assert all("moved on" in t or "smaller" in t for _uid, t, _url in changed)

    with app.app_context():  # two left: the room is offered newcomers, its members asked
        backfill = db.session.scalars(
            select(Proposal).where(Proposal.kind == ProposalKind.BACKFILL)
        ).one()
        assert backfill.room_id == room_id
        assert sorted(m.user_id for m in backfill.members) == sorted(people[1:])
        backfill_id = backfill.id
    stayer = app.test_client()
    login(stayer, people[1], app)
    stayer_page = text_of(stayer.get("/groups"))
    assert "A question about your group" in stayer_page
    assert "Join the waiting pool" not in stayer_page

    # Joining the pool again keeps the profile.
    joined = client.post("/profile/pool", data={"csrf_token": csrf_token_for(client)})
    assert joined.status_code in (302, 303)
    assert "We're looking for your group" in text_of(client.get("/groups"))

    # The two say yes to newcomers; a round invites a compatible newcomer who accepts.
    for person in people[1:]:
        answer(app, backfill_id, person)
    newcomer = waiting_people(1)[0]
    run_round(app)
    answer(app, backfill_id, newcomer)
    joined_notes = [n for n in notices(app, "group_changed") if "Someone new" in n[1]]
    assert {uid for uid, _t, _u in joined_notes} == set(people[1:])
    with app.app_context():
        assert membership_of(room_id, newcomer) is not None


def test_the_last_member_left_alone_is_put_back_in_the_pool(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    people = waiting_people(3)
    _proposal_id, room_id = open_group_room(app, people)
    leave(app, room_id, people[0])
    leave(app, room_id, people[1])
    with app.app_context():
        assert profiles.get_pool_entry(people[2]) is not None
        assert profiles.get_pool_entry(people[0]) is None  # leaving is not joining


def test_console_panel_shows_pool_rounds_and_proposals(
    app: Flask,
    client: FlaskClient,
    waiting_people: Callable[..., list[int]],
    login_as: Callable[..., User],
) -> None:
    waiting_people(3)
    waiting_people(1, languages=["de"])
    run_round(app)
    login_as(Role.MODERATOR)
    page = text_of(client.get("/mod/"))
    assert "Matching" in page
    assert "People waiting" in page
    assert "Median wait" in page
    assert "Recent rounds" in page
    assert "Run a round now" in page
    assert "Scheduled rounds are off" in page
    assert "score" in page
    assert "Why:" in page
    with app.app_context():
        handles = [
            db.session.get(User, m.user_id).handle  # type: ignore[union-attr]
            for m in db.session.scalars(select(ProposalMember))
        ]
    assert all(h in page for h in handles)
    fragment = client.get("/mod/matching")
    assert fragment.status_code == 200
    assert "data-matching-panel" in fragment.get_data(as_text=True)


def test_run_a_round_now_needs_csrf_and_a_moderator_and_is_audited(
    app: Flask,
    client: FlaskClient,
    waiting_people: Callable[..., list[int]],
    login_as: Callable[..., User],
) -> None:
    waiting_people(3)
    member = login_as(Role.MEMBER)
    assert client.post(
        "/mod/matching/rounds", data={"csrf_token": csrf_token_for(client)}
    ).status_code in (403, 404)
    client.post("/account/logout", data={"csrf_token": csrf_token_for(client)})
    moderator = login_as(Role.MODERATOR)
    assert client.post("/mod/matching/rounds").status_code == 400  # no CSRF token
    with app.app_context():
        assert db.session.scalars(select(MatchRound)).first() is None
    done = client.post("/mod/matching/rounds", data={"csrf_token": csrf_token_for(client)})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/mod/#matching-panel")
    with app.app_context():
        match_round = db.session.scalars(select(MatchRound)).one()
        assert match_round.started_by_id == moderator.id
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "run_match_round")
        ).one()
        assert entry.actor_id == moderator.id
        assert entry.target_id == match_round.id
        assert scheduler.state()["last_round_at"] is not None
        assert member.id != moderator.id
    assert "Round done: 1 group" in text_of(client.get("/mod/"))
    assert "run_match_round" in text_of(client.get("/mod/audit?action=run_match_round"))


def test_a_failed_schedule_shows_on_the_console(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    with app.app_context():
        row = scheduler.schedule_row()
        row.last_error = "OperationalError: no such table: match_cooldowns"
        row.last_error_at = utcnow()
        db.session.commit()
    login_as(Role.MODERATOR)
    page = text_of(client.get("/mod/"))
    assert "The last scheduled round failed" in page
    assert "no such table" in page
    assert Response.PENDING.value == "pending"
