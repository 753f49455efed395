"""Check-ins: validation, the schedule (due, snooze, off), reminders, privacy, the page."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import signals
from accounts.models import User
from db import db, utcnow
from notifications.models import Notification
from tests.conftest import AuthActions, csrf_token_for, text_of
from wellbeing import service
from wellbeing.models import Checkin, CheckinSettings


def test_a_new_member_is_due_and_has_no_history(
    login_as: Callable[..., User], client: FlaskClient
) -> None:
    login_as()
    body = client.get("/api/v1/checkins").get_json()
    assert body == {"due": True, "next_due_at": None, "enabled": True, "history": []}


def test_a_checkin_is_scored_and_schedules_the_next_in_14_days(
    login_as: Callable[..., User], client: FlaskClient, send: Callable[..., Any]
) -> None:
    login_as()
    response = send("POST", "/api/v1/checkins", {"items": [1, 2, 3]})
    assert response.status_code == 201
    created = response.get_json()
    assert created["score"] == 6
    at = datetime.fromisoformat(created["at"])
    state = client.get("/api/v1/checkins").get_json()
    assert state["due"] is False
    assert datetime.fromisoformat(state["next_due_at"]) == at + timedelta(days=14)
    assert state["history"] == [{"at": created["at"], "items": [1, 2, 3], "score": 6}]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"items": [1, 2]}, {"items"}),
        ({"items": [1, 2, 3, 1]}, {"items"}),
        ({"items": [0, 2, 3]}, {"items.0"}),
        ({"items": [1, 4, 3]}, {"items.1"}),
        ({"items": [1, 2, "3"]}, {"items.2"}),
        ({"items": [True, 2, 3]}, {"items.0"}),
        ({"items": [1.5, 2, 3]}, {"items.0"}),
        ({"items": "123"}, {"items"}),
        ({}, {"items"}),
        ({"items": [1, 2, 3], "score": 3}, {"items", "score"}),
        ([1, 2, 3], {"items"}),
    ],
)
def test_anything_but_three_answers_in_1_to_3_is_a_400_with_field_errors(
    login_as: Callable[..., User],
    send: Callable[..., Any],
    app: Flask,
    body: Any,
    fields: set[str],
) -> None:
    login_as()
    response = send("POST", "/api/v1/checkins", body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert fields <= set(error["fields"])
    with app.app_context():
        assert db.session.scalars(select(Checkin)).all() == []


def test_a_body_that_is_not_json_is_a_400(
    login_as: Callable[..., User], client: FlaskClient
) -> None:
    login_as()
    response = client.post(
        "/api/v1/checkins", data="items=1,2,3", headers={"X-CSRFToken": csrf_token_for(client)}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"


def test_logged_out_cannot_read_or_write_checkins(client: FlaskClient) -> None:
    assert client.get("/api/v1/checkins").status_code == 401
    response = client.post(
        "/api/v1/checkins",
        json={"items": [1, 1, 1]},
        headers={"X-CSRFToken": csrf_token_for(client)},
    )
    assert response.status_code == 401


def test_snooze_moves_the_due_date_and_off_stops_it(
    login_as: Callable[..., User], client: FlaskClient, send: Callable[..., Any]
) -> None:
    login_as()
    send("POST", "/api/v1/checkins", {"items": [2, 2, 2]})
    first_due = datetime.fromisoformat(client.get("/api/v1/checkins").get_json()["next_due_at"])
    response = send("PUT", "/api/v1/checkins/settings", {"enabled": True, "snooze_days": 7})
    assert response.status_code == 200
    snoozed = response.get_json()
    assert datetime.fromisoformat(snoozed["next_due_at"]) == first_due + timedelta(days=7)
    response = send("PUT", "/api/v1/checkins/settings", {"enabled": False})
    assert response.get_json() == {
        "enabled": False,
        "due": False,
        "next_due_at": snoozed["next_due_at"],
    }
    assert client.get("/api/v1/checkins").get_json()["enabled"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "enabled"),
        ({"enabled": "yes"}, "enabled"),
        ({"enabled": True, "snooze_days": 0}, "snooze_days"),
        ({"enabled": True, "snooze_days": 31}, "snooze_days"),
        ({"enabled": True, "snooze_days": "7"}, "snooze_days"),
        ({"enabled": True, "later": 1}, "later"),
    ],
)
def test_settings_are_validated(
    login_as: Callable[..., User], send: Callable[..., Any], body: Any, field: str
) -> None:
    login_as()
    response = send("PUT", "/api/v1/checkins/settings", body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


def _notices(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.kind == "checkin_due"
            )
        )
    )


def test_reminders_come_once_per_due_date_never_early_and_not_when_off(
    app: Flask, make_user: Callable[..., User]
) -> None:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    person, quiet, never_asked = make_user(), make_user(), make_user()
    with app.app_context():
        for user in (person, quiet):
            service.record_checkin(db.session.get(User, user.id), [2, 2, 2], now=start)
        service.update_settings(db.session.get(User, quiet.id), False, now=start)
        db.session.commit()

        assert service.send_due_notices(now=start + timedelta(days=13, hours=23)) == 0
        due = start + timedelta(days=14)
        assert service.send_due_notices(now=due) == 1
        db.session.commit()
        assert service.send_due_notices(now=due + timedelta(hours=1)) == 0
        db.session.commit()
        [notice] = _notices(person.id)
        assert notice.url == "/me/wellbeing"
        assert "score" not in notice.text.lower()
        assert _notices(quiet.id) == []
        assert _notices(never_asked.id) == []

        # Snoozed: the next reminder waits for the snooze, then comes once.
        service.update_settings(db.session.get(User, person.id), True, 3, now=due)
        db.session.commit()
        assert service.send_due_notices(now=due + timedelta(days=2)) == 0
        assert service.send_due_notices(now=due + timedelta(days=3)) == 1
        db.session.commit()
        assert len(_notices(person.id)) == 2


def test_a_long_lapsed_checkin_is_not_reminded_of_every_pass(
    app: Flask, make_user: Callable[..., User]
) -> None:
    """The pass reads a week of due dates, not everyone who ever let one lapse."""
    start = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    person = make_user()
    with app.app_context():
        service.record_checkin(db.session.get(User, person.id), [2, 2, 2], now=start)
        db.session.commit()
        due = start + timedelta(days=14)
        # Past the window the row is no longer read at all (a server that was down
        # that long skips the reminder; the page still offers the check-in) ...
        later = due + service.REMINDER_WINDOW + timedelta(minutes=1)
        assert service.send_due_notices(now=later) == 0
        assert _notices(person.id) == []
        # ... while inside it the reminder still comes, once.
        assert service.send_due_notices(now=due + service.REMINDER_WINDOW) == 1
        db.session.commit()
        assert len(_notices(person.id)) == 1


def test_the_periodic_loop_signal_sends_due_reminders(
    app: Flask, make_user: Callable[..., User]
) -> None:
    person = make_user()
    with app.app_context():
        service.record_checkin(
            db.session.get(User, person.id), [1, 1, 1], now=utcnow() - timedelta(days=15)
        )
        db.session.commit()
        results = signals.periodic_work.send(app, now=utcnow())
        assert 1 in [value for _receiver, value in results]
        assert len(_notices(person.id)) == 1


def test_skipping_at_setup_offers_it_again_in_14_days(
    login_as: Callable[..., User], client: FlaskClient, app: Flask
) -> None:
    user = login_as()
    response = client.post(
        "/me/wellbeing/skip",
        data={"csrf_token": csrf_token_for(client), "next": "/profile?step=review"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/profile?step=review")
    state = client.get("/api/v1/checkins").get_json()
    assert state["due"] is False
    due = datetime.fromisoformat(state["next_due_at"])
    assert timedelta(days=13, hours=23) < due - utcnow() <= timedelta(days=14)
    with app.app_context():
        assert db.session.get(CheckinSettings, user.id) is not None


def test_skip_never_redirects_off_site(login_as: Callable[..., User], client: FlaskClient) -> None:
    login_as()
    response = client.post(
        "/me/wellbeing/skip",
        data={"csrf_token": csrf_token_for(client), "next": "//evil.example/"},
    )
    assert response.headers["Location"].endswith("/me/wellbeing")


def test_the_setup_review_offers_the_checkin_until_answered_or_skipped(
    login_as: Callable[..., User], client: FlaskClient
) -> None:
    login_as()
    assert "An optional check-in" in text_of(client.get("/profile?step=review"))
    client.post("/me/wellbeing/skip", data={"csrf_token": csrf_token_for(client)})
    assert "An optional check-in" not in text_of(client.get("/profile?step=review"))


def _points(app: Flask, user: User, count: int) -> None:
    with app.app_context():
        start = utcnow() - timedelta(days=14 * count)
        for index in range(count):
            service.record_checkin(
                db.session.get(User, user.id),
                [1 + index % 3, 1 + (index // 3) % 3, 2],
                now=start + timedelta(days=14 * index),
            )
        db.session.commit()


@pytest.mark.parametrize("count", [0, 1, 30])
def test_the_page_renders_with_0_1_and_30_points(
    login_as: Callable[..., User], client: FlaskClient, app: Flask, count: int
) -> None:
    user = login_as()
    _points(app, user, count)
    response = client.get("/me/wellbeing")
    assert response.status_code == 200
    page = text_of(response)
    for question in (
        "How often do you feel that you lack companionship?",
        "How often do you feel left out?",
        "How often do you feel isolated from others?",
    ):
        assert question in page
    assert "Hardly ever" in page
    assert "Some of the time" in page
    assert "Often" in page
    assert "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT (2004)" in page
    assert "Research on Aging" in page
    assert "26(6):655–672" in page
    assert "not a diagnosis" in page
    if count == 0:
        assert 'data-testid="wellbeing-empty"' in page
        assert "chart.umd.min.js" not in page
    else:
        assert "lower is less lonely" in page.lower()
        assert "chart.umd.min.js" in page
        assert page.count('<tr><th scope="row">') == count


def test_the_chart_marks_the_days_a_group_was_joined(
    login_as: Callable[..., User],
    client: FlaskClient,
    app: Flask,
    make_room: Callable[..., int],
    make_user: Callable[..., User],
) -> None:
    user = login_as()
    _points(app, user, 2)
    make_room(user, make_user(), make_user())
    page = text_of(client.get("/me/wellbeing"))
    assert "You joined a group on:" in page
    assert '"joins": ["' in page


def test_a_score_of_9_shows_crisis_resources_and_raises_no_moderator_item(
    login_as: Callable[..., User], client: FlaskClient, send: Callable[..., Any], app: Flask
) -> None:
    from moderation.models import QueueItem

    login_as()
    assert send("POST", "/api/v1/checkins", {"items": [3, 3, 3]}).get_json()["score"] == 9
    page = text_of(client.get("/me/wellbeing"))
    assert "Talking to someone can help" in page
    assert 'data-testid="checkin-support"' in page
    assert 'class="resource"' in page
    with app.app_context():
        assert db.session.scalars(select(QueueItem)).all() == []


def test_crisis_language_in_own_messages_brings_the_lines_to_the_checkin_page(
    login_as: Callable[..., User],
    client: FlaskClient,
    send: Callable[..., Any],
    app: Flask,
    make_room: Callable[..., int],
    make_user: Callable[..., User],
) -> None:
    """A middling score after crisis language in a room: the page offers the lines,
    and nothing about the check-in reaches moderators."""
    from moderation.models import QueueItem
    from rooms.models import Room
    from rooms.posting import post_message

    user = login_as()
    room_id = make_room(user, make_user(), make_user())
    send("POST", "/api/v1/checkins", {"items": [2, 2, 2]})
    assert "Talking to someone can help" not in text_of(client.get("/me/wellbeing"))
    with app.app_context():
        room = db.session.get(Room, room_id)
        author = db.session.get(User, user.id)
        assert room is not None
        assert author is not None
        post_message(room, author, "I don't want to be alive anymore", "c-1")
        db.session.commit()
        items_before = db.session.scalars(select(QueueItem)).all()
    assert len(items_before) == 1
    page = text_of(client.get("/me/wellbeing"))
    assert "Talking to someone can help" in page
    assert 'class="resource"' in page
    with app.app_context():
        assert len(db.session.scalars(select(QueueItem)).all()) == 1


def test_a_lower_score_shows_no_crisis_block(
    login_as: Callable[..., User], client: FlaskClient, send: Callable[..., Any]
) -> None:
    login_as()
    send("POST", "/api/v1/checkins", {"items": [3, 3, 2]})
    assert "Talking to someone can help" not in text_of(client.get("/me/wellbeing"))


def test_the_form_saves_a_checkin_and_refuses_missing_answers(
    login_as: Callable[..., User], client: FlaskClient
) -> None:
    login_as()
    token = csrf_token_for(client)
    response = client.post(
        "/me/wellbeing/checkin", data={"csrf_token": token, "companionship": "1", "left_out": "2"}
    )
    assert response.status_code == 400
    assert "Please choose one answer." in text_of(response)
    response = client.post(
        "/me/wellbeing/checkin",
        data={"csrf_token": token, "companionship": "1", "left_out": "2", "isolated": "1"},
    )
    assert response.status_code == 303
    assert client.get("/api/v1/checkins").get_json()["history"][0]["score"] == 4


@pytest.mark.parametrize(
    ("form", "enabled"),
    [
        ({"action": "off"}, False),
        ({"action": "on"}, True),
        ({"action": "snooze", "days": "7"}, True),
    ],
)
def test_reminders_switch_in_one_click(
    login_as: Callable[..., User], client: FlaskClient, form: dict[str, str], enabled: bool
) -> None:
    login_as()
    response = client.post(
        "/me/wellbeing/reminders", data={"csrf_token": csrf_token_for(client), **form}
    )
    assert response.status_code == 303
    assert client.get("/api/v1/checkins").get_json()["enabled"] is enabled


def test_an_unknown_reminder_action_is_a_400(
    login_as: Callable[..., User], client: FlaskClient
) -> None:
    login_as()
    response = client.post(
        "/me/wellbeing/reminders",
        data={"csrf_token": csrf_token_for(client), "action": "snooze", "days": "99"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["member", "moderator", "admin"])
def test_nobody_else_can_read_someones_checkins(
    app: Flask, make_user: Callable[..., User], role: str
) -> None:
    owner = make_user()
    with app.app_context():
        service.record_checkin(db.session.get(User, owner.id), [3, 2, 3])
        db.session.commit()
    other = make_user(role=role)
    client = app.test_client()
    assert other.handle is not None
    AuthActions(client).login(other.handle)
    # Their own view never contains someone else's rows.
    assert client.get("/api/v1/checkins").get_json()["history"] == []
    own_page = text_of(client.get("/me/wellbeing"))
    assert 'data-testid="wellbeing-empty"' in own_page
    assert 'data-testid="latest-score"' not in own_page
    # And there is no address that names another person's check-ins.
    for url in (
        f"/api/v1/checkins/{owner.id}",
        f"/api/v1/users/{owner.id}/checkins",
        f"/me/wellbeing/{owner.id}",
        f"/api/v1/checkins?user_id={owner.id}",
    ):
        response = client.get(url)
        if response.status_code == 200:
            assert response.get_json()["history"] == []
        else:
            assert response.status_code in (403, 404), url
    if role != "member":
        page = text_of(client.get(f"/mod/members/{owner.id}"))
        assert "Lack companionship" not in page
        assert "loneliness" not in page.lower()


class _OnePass(threading.Event):
    """Stops the loop after its first pass (the loop waits on it between passes)."""

    def wait(self, timeout: float | None = None) -> bool:
        self.set()
        return True


def test_the_matching_schedule_loop_sends_due_reminders(
    app: Flask, make_user: Callable[..., User]
) -> None:
    from matching import scheduler

    person = make_user()
    with app.app_context():
        service.record_checkin(
            db.session.get(User, person.id), [2, 1, 2], now=utcnow() - timedelta(days=14, hours=1)
        )
        db.session.commit()
    scheduler._loop(app, 0.01, _OnePass())  # one pass, in this thread
    with app.app_context():
        assert len(_notices(person.id)) == 1
