"""The waiting pool: API rules, the /groups page, and the service matching calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from db import db, utcnow
from profiles import service
from profiles.models import PoolEntry
from tests.conftest import text_of
from tests.profiles.conftest import Api


def test_incomplete_profile_cannot_join(api: Api, login_as: Callable[..., User]) -> None:
    login_as()
    api.patch("/api/v1/profile", {"interests": ["cats"], "pace": "live"})
    response = api.post("/api/v1/pool")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "profile_incomplete"
    assert set(error["fields"]) == {
        "talk_style",
        "max_group_size",
        "support_style",
        "languages",
        "timezone",
        "availability",
        "age_band",
    }
    assert api.get("/api/v1/pool").get_json() == {"waiting": False, "since": None}


def test_join_is_idempotent_and_leave_works(
    api: Api, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    api.put("/api/v1/profile", document)
    assert api.get("/api/v1/pool").get_json() == {"waiting": False, "since": None}

    first = api.post("/api/v1/pool")
    assert first.status_code == 200
    assert first.get_json()["waiting"] is True
    since = first.get_json()["since"]
    assert since.endswith("+00:00")

    again = api.post("/api/v1/pool")
    assert again.status_code == 200
    assert again.get_json() == {"waiting": True, "since": since}
    assert api.get("/api/v1/pool").get_json() == {"waiting": True, "since": since}

    left = api.delete("/api/v1/pool")
    assert left.status_code == 200
    assert left.get_json() == {"waiting": False, "since": None}
    assert api.delete("/api/v1/pool").status_code == 200  # leaving twice is harmless


def test_wait_reason_is_shown_through_the_api_and_page(
    app: Flask,
    api: Api,
    client: FlaskClient,
    login_as: Callable[..., User],
    document: dict[str, Any],
) -> None:
    user = login_as()
    api.put("/api/v1/profile", document)
    api.post("/api/v1/pool")
    text = "There aren't enough people waiting yet to form a group."
    with app.app_context():
        assert service.record_wait_reason(user.id, "pool_too_small", text)
        db.session.commit()
    status = api.get("/api/v1/pool").get_json()
    assert status["reason"] == text
    assert text in text_of(client.get("/groups"))


def test_groups_page_states(
    api: Api, client: FlaskClient, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    page = text_of(client.get("/groups"))
    assert "Set up my profile" in page
    assert "Proposed groups" in page
    assert "Your rooms" in page

    api.put("/api/v1/profile", document)
    assert "Join the waiting pool" in text_of(client.get("/groups"))

    api.post("/api/v1/pool")
    page = text_of(client.get("/groups"))
    assert "looking for your group" in page
    assert "waiting less than a minute" in page
    assert "What happens next" in page

    response = client.post("/groups/leave-pool", data={"csrf_token": api.csrf()})
    assert response.status_code == 302
    assert api.get("/api/v1/pool").get_json()["waiting"] is False
    assert "You've left the waiting pool" in text_of(client.get("/groups"))


def test_leaving_from_the_page_needs_csrf(
    api: Api, client: FlaskClient, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    api.put("/api/v1/profile", document)
    api.post("/api/v1/pool")
    assert client.post("/groups/leave-pool").status_code == 400
    assert api.get("/api/v1/pool").get_json()["waiting"] is True


def test_waited_for_wording() -> None:
    from matching.routes import waited_for

    now = utcnow()
    assert waited_for(now, now) == "less than a minute"
    assert waited_for(now - timedelta(minutes=1), now) == "1 minute"
    assert waited_for(now - timedelta(minutes=5), now) == "5 minutes"
    assert waited_for(now - timedelta(hours=3, minutes=2), now) == "about 3 hours"
    assert waited_for(now - timedelta(days=2, hours=1), now) == "2 days"


def test_service_functions_for_matching(
    app: Flask, make_user: Callable[..., User], document: dict[str, Any]
) -> None:
    made = [make_user() for _ in range(5)]
    with app.app_context():
        users = [db.session.merge(user) for user in made[:4]]
        for user in users:
            service.save_profile(user, document)
        for user in users[:3]:
            service.join_pool(user)
        incomplete = db.session.merge(made[4])
        service.patch_profile(incomplete, {"interests": ["cats"]})
        db.session.commit()

        waiting = service.waiting_profiles()
        assert [w.user_id for w in waiting] == [u.id for u in users[:3]]
        assert waiting[0].document == document

        assert service.remove_from_pool([users[0].id, users[1].id]) == 2
        assert [w.user_id for w in service.waiting_profiles()] == [users[2].id]

        entry = service.return_to_pool(users[0].id, "Your group didn't fill up this time.")
        assert entry is not None
        assert entry.last_reason_text == "Your group didn't fill up this time."
        assert service.pool_status(users[0].id)["reason"] == entry.last_reason_text
        # Someone already waiting keeps their place in the queue.
        kept = service.return_to_pool(users[2].id)
        assert kept is not None
        assert kept.joined_at == service.waiting_profiles()[0].joined_at
        # Incomplete profiles and people not waiting are left alone.
        assert service.return_to_pool(incomplete.id) is None
        assert service.record_wait_reason(users[1].id, "pool_too_small", "x") is False
        assert service.record_wait_reason(users[2].id, "pool_too_small", "Soon.") is True
        entry2 = service.get_pool_entry(users[2].id)
        assert entry2 is not None
        assert entry2.last_round_at is not None
        assert entry2.last_reason_code == "pool_too_small"
        db.session.commit()


def test_banned_and_deleted_people_are_not_offered_to_matching(
    app: Flask, make_user: Callable[..., User], document: dict[str, Any]
) -> None:
    made = [make_user() for _ in range(2)]
    with app.app_context():
        banned, fine = (db.session.merge(user) for user in made)
        for user in (banned, fine):
            service.save_profile(user, document)
            service.join_pool(user)
        banned.banned_until = utcnow() + timedelta(days=1)
        db.session.commit()
        assert [w.user_id for w in service.waiting_profiles()] == [fine.id]
        assert db.session.query(PoolEntry).count() == 2
