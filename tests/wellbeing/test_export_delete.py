"""Export covers the health-related data; deleting an account removes it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from accounts.models import User
from db import db
from moderation.models import QueueItem, QueueKind
from rooms.models import Message, Room
from rooms.reports import raise_concern
from tests.conftest import DEFAULT_PASSWORD, csrf_token_for, text_of
from wellbeing import service
from wellbeing.models import Checkin, CheckinSettings, RoomFeedback


def _health_data(app: Flask, me: User, other: User, room_id: int) -> None:
    with app.app_context():
        user = db.session.get(User, me.id)
        reporter = db.session.get(User, other.id)
        room = db.session.get(Room, room_id)
        assert user is not None
        assert reporter is not None
        assert room is not None
        service.record_checkin(user, [3, 3, 3])
        service.give_feedback(user, room_id, {"at_ease": 2, "meet_again": "not_sure"})
        message = Message(room_id=room_id, author_id=user.id, body="I can't go on")
        db.session.add(message)
        db.session.flush()
        db.session.add(
            QueueItem(
                kind=QueueKind.CRISIS,
                severity=4,
                room_id=room_id,
                message_id=message.id,
                target_key=f"message:{message.id}",
                excerpt="I can't go on",
                outcome="followed_up",
                resolved_at=datetime.now(UTC),
            )
        )
        raise_concern(reporter, room, user.handle, "worried, they seem very low")
        db.session.commit()


def test_the_export_holds_checkins_feedback_and_flags_about_me(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    client: FlaskClient,
    app: Flask,
) -> None:
    me = login_as()
    other = make_user()
    room_id = make_room(me, other, make_user())
    _health_data(app, me, other, room_id)
    document = json.loads(client.get("/account/export").get_data(as_text=True))
    wellbeing = document["wellbeing"]
    assert [c["score"] for c in wellbeing["checkins"]] == [9]
    assert wellbeing["checkins"][0]["items"] == [3, 3, 3]
    assert wellbeing["checkin_settings"]["enabled"] is True
    [feedback] = wellbeing["room_feedback"]
    assert (feedback["room_id"], feedback["at_ease"], feedback["meet_again"]) == (
        room_id,
        2,
        "not_sure",
    )
    flags = {f["kind"]: f for f in document["moderation"]["flags_about_me"]}
    assert flags["crisis"]["outcome"] == "followed_up"
    assert flags["crisis"]["severity"] == 4
    assert "concern" in flags
    # Who raised the concern, and what they wrote, stay theirs.
    text = json.dumps(document["moderation"]["flags_about_me"])
    assert other.handle not in text
    assert "worried" not in text

    page = client.get("/account/export/view")
    assert page.status_code == 200
    readable = text_of(page)
    assert "Check-ins" in readable
    assert "Flags about you" in readable
    assert "Not sure" in readable  # the stored "not_sure", in words
    assert "Followed up" in readable  # a care outcome, worded by moderation


def test_someone_elses_export_holds_none_of_it(
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    app: Flask,
) -> None:
    me, other = make_user(), make_user()
    room_id = make_room(me, other, make_user())
    _health_data(app, me, other, room_id)
    client = app.test_client()
    assert other.handle is not None
    client.post(
        "/account/login",
        data={
            "handle": other.handle,
            "password": DEFAULT_PASSWORD,
            "csrf_token": csrf_token_for(client),
        },
    )
    document = json.loads(client.get("/account/export").get_data(as_text=True))
    assert document["wellbeing"]["checkins"] == []
    assert document["wellbeing"]["room_feedback"] == []
    assert document["moderation"]["flags_about_me"] == []


def test_deleting_the_account_removes_checkins_and_feedback(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    client: FlaskClient,
    app: Flask,
) -> None:
    me = login_as()
    other = make_user()
    room_id = make_room(me, other, make_user())
    _health_data(app, me, other, room_id)
    with app.app_context():
        service.give_feedback(
            db.session.get(User, other.id),  # type: ignore[arg-type]  # exists: made above
            room_id,
            {"at_ease": 5, "meet_again": "yes"},
        )
        db.session.commit()
    response = client.post(
        "/account/delete",
        data={"password": DEFAULT_PASSWORD, "csrf_token": csrf_token_for(client)},
    )
    assert response.status_code in (302, 303)
    with app.app_context():
        for model in (Checkin, CheckinSettings, RoomFeedback):
            owner = model.user_id
            count = db.session.scalar(select(func.count()).select_from(model).where(owner == me.id))
            assert count == 0, model
        # Other people's answers stay.
        assert db.session.scalar(select(func.count()).select_from(RoomFeedback)) == 1


def test_the_export_page_words_checkin_answers_and_notification_kinds(
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    client: FlaskClient,
    app: Flask,
) -> None:
    """The JSON keeps ``[3, 3, 3]`` and ``checkin_due``; the German page shows each
    question with its answer, and the kind, in the words the rest of Hearth uses."""
    from flask_babel import force_locale, gettext

    from notifications import service as notifications
    from notifications.models import NotificationKind
    from wellbeing.routes import QUESTIONS

    me = login_as()
    other = make_user()
    _health_data(app, me, other, make_room(me, other, make_user()))
    with app.app_context():
        notifications.notify(
            [me.id], "checkin_due", service.CHECKIN_DUE_TEXT, service.CHECKIN_DUE_URL
        )
        db.session.commit()
    document = json.loads(client.get("/account/export").get_data(as_text=True))
    assert document["wellbeing"]["checkins"][0]["items"] == [3, 3, 3]
    assert [n["kind"] for n in document["notifications"]] == ["checkin_due"]
    page = text_of(client.get("/account/export/view", headers={"Accept-Language": "de"}))
    with app.test_request_context(), force_locale("de"):
        expected = [str(question) for _name, question in QUESTIONS]
        expected += [gettext("Often"), gettext("A check-in is ready")]
    assert "How often do you feel left out?" not in page
    assert "checkin_due" not in page
    for words in expected:
        assert words in page, words
    assert {kind.value for kind in NotificationKind} == set(notifications.KIND_LABELS)
