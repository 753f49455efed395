"""After-meeting feedback: one per person, room and week; members only; open rooms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from accounts.models import User
from db import db
from rooms.models import Membership, Room, RoomKind, RoomStatus
from tests.conftest import AuthActions, text_of
from wellbeing import service
from wellbeing.models import RoomFeedback

ANSWER = {"at_ease": 4, "meet_again": "yes", "note": "It was kind."}


def _rows(app: Flask) -> list[RoomFeedback]:
    with app.app_context():
        return list(db.session.scalars(select(RoomFeedback)))


def test_first_answer_is_201_and_a_change_that_week_is_200(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    app: Flask,
) -> None:
    me = login_as()
    room_id = make_room(me, make_user(), make_user())
    first = send("POST", f"/api/v1/rooms/{room_id}/feedback", ANSWER)
    assert first.status_code == 201
    assert first.get_json()["at_ease"] == 4
    again = send("POST", f"/api/v1/rooms/{room_id}/feedback", {"at_ease": 2, "meet_again": "no"})
    assert again.status_code == 200
    [row] = _rows(app)
    assert (row.at_ease, row.meet_again.value, row.note) == (2, "no", None)


def test_a_new_week_is_a_new_answer(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int]
) -> None:
    me = make_user()
    room_id = make_room(me, make_user(), make_user())
    monday = datetime(2026, 11, 23, 10, tzinfo=UTC)
    with app.app_context():
        user = db.session.get(User, me.id)
        assert user is not None
        _, created = service.give_feedback(user, room_id, ANSWER, now=monday)
        _, same_week = service.give_feedback(user, room_id, ANSWER, now=monday + timedelta(days=6))
        _, next_week = service.give_feedback(user, room_id, ANSWER, now=monday + timedelta(days=7))
        db.session.commit()
    assert (created, same_week, next_week) == (True, False, True)
    assert sorted(r.week_start.isoformat() for r in _rows(app)) == ["2026-11-23", "2026-11-30"]


def test_not_a_member_is_403_and_no_room_is_404(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    client: FlaskClient,
    app: Flask,
) -> None:
    login_as(role="moderator")
    room_id = make_room(make_user(), make_user(), make_user())
    response = send("POST", f"/api/v1/rooms/{room_id}/feedback", ANSWER)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_member"
    assert client.get(f"/api/v1/rooms/{room_id}/feedback").status_code == 403
    assert send("POST", "/api/v1/rooms/999999/feedback", ANSWER).status_code == 404
    assert _rows(app) == []


def test_someone_who_left_may_not_answer(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    app: Flask,
) -> None:
    me = login_as()
    room_id = make_room(me, make_user(), make_user())
    with app.app_context():
        db.session.execute(
            update(Membership).where(Membership.user_id == me.id).values(left_at=datetime.now(UTC))
        )
        db.session.commit()
    assert send("POST", f"/api/v1/rooms/{room_id}/feedback", ANSWER).status_code == 403


def test_a_closed_room_is_409(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    app: Flask,
) -> None:
    me = login_as()
    room_id = make_room(me, make_user(), make_user(), status="closed")
    response = send("POST", f"/api/v1/rooms/{room_id}/feedback", ANSWER)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "room_closed"
    assert _rows(app) == []


def test_a_care_room_takes_no_feedback(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    app: Flask,
) -> None:
    me = login_as()
    room_id = make_room(me, make_user())
    with app.app_context():
        db.session.execute(update(Room).where(Room.id == room_id).values(kind=RoomKind.CARE))
        db.session.commit()
    response = send("POST", f"/api/v1/rooms/{room_id}/feedback", ANSWER)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_a_group"
    assert _rows(app) == []


def test_the_same_answer_sent_twice_at_once_is_one_row(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A double tap: the second request looked before the first one's row existed."""
    me = login_as()
    room_id = make_room(me, make_user(), make_user())
    assert send("POST", f"/api/v1/rooms/{room_id}/feedback", ANSWER).status_code == 201
    real = service._feedback_row
    looks = iter([None])  # the second request's first look finds nothing, as in the race
    monkeypatch.setattr(service, "_feedback_row", lambda *a: next(looks, None) or real(*a))
    changed = {**ANSWER, "at_ease": 2}
    response = send("POST", f"/api/v1/rooms/{room_id}/feedback", changed)
    assert response.status_code == 200
    (row,) = _rows(app)
    assert row.at_ease == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"meet_again": "yes"}, "at_ease"),
        ({"at_ease": 0, "meet_again": "yes"}, "at_ease"),
        ({"at_ease": 6, "meet_again": "yes"}, "at_ease"),
        ({"at_ease": True, "meet_again": "yes"}, "at_ease"),
        ({"at_ease": "4", "meet_again": "yes"}, "at_ease"),
        ({"at_ease": 3}, "meet_again"),
        ({"at_ease": 3, "meet_again": "maybe"}, "meet_again"),
        ({"at_ease": 3, "meet_again": "yes", "note": 5}, "note"),
        ({"at_ease": 3, "meet_again": "yes", "note": "x" * 501}, "note"),
        ({"at_ease": 3, "meet_again": "yes", "room": 1}, "room"),
        ({"at_ease": 3, "meet_again": "yes", "note": "kind\x00"}, "note"),
    ],
)
def test_answers_are_validated(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    app: Flask,
    body: dict[str, Any],
    field: str,
) -> None:
    me = login_as()
    room_id = make_room(me, make_user(), make_user())
    response = send("POST", f"/api/v1/rooms/{room_id}/feedback", body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert _rows(app) == []


def test_the_card_is_due_after_the_first_day_and_once_a_week(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    send: Callable[..., Any],
    client: FlaskClient,
    app: Flask,
) -> None:
    me = login_as()
    room_id = make_room(me, make_user(), make_user())
    url = f"/api/v1/rooms/{room_id}/feedback"
    assert client.get(url).get_json()["due"] is False  # joined moments ago
    with app.app_context():
        db.session.execute(
            update(Membership)
            .where(Membership.room_id == room_id)
            .values(joined_at=datetime.now(UTC) - timedelta(days=2))
        )
        db.session.commit()
    state = client.get(url).get_json()
    assert state["due"] is True
    assert state["current"] is None
    send("POST", url, ANSWER)
    state = client.get(url).get_json()
    assert state["due"] is False
    assert state["current"]["meet_again"] == "yes"


def test_the_room_page_carries_the_card_for_members_only(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    client: FlaskClient,
    app: Flask,
) -> None:
    me = login_as()
    room_id = make_room(me, make_user(), make_user())
    page = text_of(client.get(f"/rooms/{room_id}"))
    assert 'data-testid="feedback-card"' in page
    assert "js/feedback.js" in page
    assert "Did you feel at ease in this group?" in page
    assert "Would you like to meet this group again?" in page
    moderator = make_user(role="moderator")
    other = app.test_client()
    assert moderator.handle is not None
    AuthActions(other).login(moderator.handle)
    assert 'data-testid="feedback-card"' not in text_of(other.get(f"/rooms/{room_id}"))


def test_members_never_see_each_others_answers(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int]
) -> None:
    me, other = make_user(), make_user()
    room_id = make_room(me, other, make_user())
    with app.app_context():
        user = db.session.get(User, other.id)
        assert user is not None
        service.give_feedback(
            user, room_id, {"at_ease": 1, "meet_again": "no", "note": "felt unwelcome by them"}
        )
        db.session.commit()
    client = app.test_client()
    assert me.handle is not None
    AuthActions(client).login(me.handle)
    assert client.get(f"/api/v1/rooms/{room_id}/feedback").get_json()["current"] is None
    assert "felt unwelcome by them" not in text_of(client.get(f"/rooms/{room_id}"))


def test_group_outcomes_gives_members_and_a_score_per_room(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int]
) -> None:
    a, b, c, d = (make_user() for _ in range(4))
    good = make_room(a, b, c)
    mixed = make_room(b, c, d)
    quiet = make_room(a, c, d)
    with app.app_context():

        def answer(person: User, room_id: int, ease: int, again: str) -> None:
            user = db.session.get(User, person.id)
            assert user is not None
            service.give_feedback(user, room_id, {"at_ease": ease, "meet_again": again})

        answer(a, good, 5, "yes")
        answer(b, good, 5, "yes")
        answer(b, mixed, 1, "no")
        answer(d, mixed, 3, "yes")
        # A care room takes no answers, so none can count as a group outcome.
        care = db.session.get(Room, quiet)
        assert care is not None
        care.kind = RoomKind.CARE
        care.status = RoomStatus.OPEN
        with pytest.raises(service.WellbeingError):
            answer(c, quiet, 5, "yes")
        db.session.commit()
        result = service.group_outcomes(db.session)
    assert result == [
        (sorted([a.id, b.id, c.id]), 1.0),
        (sorted([b.id, c.id, d.id]), pytest.approx((0.25 + 0.5) / 2)),
    ]
    for _members, outcome in result:
        assert 0.0 <= outcome <= 1.0


def test_moderators_read_the_notes_but_not_who_wrote_them_or_their_answers(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    login_as: Callable[..., User],
    client: FlaskClient,
) -> None:
    writer, quiet = make_user(), make_user()
    room_id = make_room(writer, quiet, make_user())
    with app.app_context():
        for person, body in (
            (writer, {"at_ease": 2, "meet_again": "no", "note": "One member talks over others."}),
            (quiet, {"at_ease": 5, "meet_again": "yes"}),
        ):
            user = db.session.get(User, person.id)
            assert user is not None
            service.give_feedback(user, room_id, body)
        db.session.commit()
    login_as(role="moderator")
    page = text_of(client.get(f"/mod/rooms/{room_id}"))
    assert "One member talks over others." in page
    notes = page.split('data-testid="feedback-notes"', 1)[1].split("</section>", 1)[0]
    assert writer.handle is not None
    assert writer.handle not in notes
    assert "at ease" not in notes.lower().replace("how the group felt", "")
    # A room without notes has no such section.
    other_room = make_room(make_user(), make_user(), make_user())
    assert 'data-testid="feedback-notes"' not in text_of(client.get(f"/mod/rooms/{other_room}"))
