"""GET /api/v1/mod/outcomes and /mod/outcomes: admins only, aggregates only, audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from config import Config, load_config
from db import db
from moderation.models import AuditEntry
from wellbeing import service

OLD = datetime.now(UTC) - timedelta(weeks=8)


def seed(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int], people: int
) -> list[User]:
    users = [make_user() for _ in range(people)]
    rooms = [make_room(*users[i : i + 3]) for i in range(0, people - people % 3, 3)]
    with app.app_context():
        for index, person in enumerate(users):
            user = db.session.get(User, person.id)
            assert user is not None
            service.record_checkin(user, [3, 3, 2], now=OLD)
            service.record_checkin(user, [2, 2, 1], now=OLD + timedelta(weeks=5))
            if index // 3 < len(rooms):
                service.give_feedback(
                    user, rooms[index // 3], {"at_ease": 4, "meet_again": "yes"}, now=OLD
                )
        db.session.commit()
    return users


def assert_no_people_in(text: str, users: list[User]) -> None:
    body = json.loads(text) if text.startswith("{") else None
    for user in users:
        assert user.handle is not None
        assert user.handle not in text
    if body is not None:
        # No key of the document names a person, and no value is a user id list.
        flat = json.dumps(body)
        for forbidden in ('"user_id"', '"user_ids"', '"handle"', '"id"'):
            assert forbidden not in flat


@pytest.mark.parametrize(("people", "shown"), [(9, False), (12, True)])
def test_small_groups_are_suppressed_and_no_body_names_anyone(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    login_as: Callable[..., User],
    client: FlaskClient,
    people: int,
    shown: bool,
) -> None:
    users = seed(app, make_user, make_room, people)
    login_as(role="admin")
    response = client.get("/api/v1/mod/outcomes")
    assert response.status_code == 200
    body = response.get_json()
    assert body["people_checked_in"]["suppressed"] is (not shown)
    assert body["people_checked_in"]["count"] == (people if shown else None)
    bands = {cell["band"]: cell for cell in body["first_scores"]}
    assert bands["7-9"]["count"] == (people if shown else None)
    assert bands["7-9"]["suppressed"] is (not shown)
    # Their rooms opened after their latest check-in: all of them count as waiting.
    assert body["score_change"]["in_group"]["suppressed"] is True
    assert body["score_change"]["waiting"]["suppressed"] is (not shown)
    week = body["feedback_by_week"][0]
    assert week["suppressed"] is (not shown)
    assert_no_people_in(response.get_data(as_text=True), users)
    for url in ("/mod/outcomes", "/mod/outcomes.csv"):
        page = client.get(url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        for user in users:
            assert f">{user.handle}<" not in text
            assert f",{user.handle}," not in text
    csv_text = client.get("/mod/outcomes.csv").get_data(as_text=True)
    assert csv_text.startswith("section,bucket,people,value,suppressed")
    if not shown:
        assert "fewer than 10" in client.get("/mod/outcomes").get_data(as_text=True)


def test_each_view_writes_an_audit_row(
    app: Flask, login_as: Callable[..., User], client: FlaskClient
) -> None:
    admin = login_as(role="admin")
    client.get("/api/v1/mod/outcomes")
    client.get("/mod/outcomes")
    client.get("/mod/outcomes.csv")
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "view_outcomes")
        ).all()
    assert [row.actor_id for row in rows] == [admin.id] * 3
    assert client.get("/mod/audit").status_code == 200


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_only_admins_see_outcomes(
    app: Flask, login_as: Callable[..., User], client: FlaskClient, role: str
) -> None:
    login_as(role=role)
    assert client.get("/api/v1/mod/outcomes").status_code == 403
    assert client.get("/mod/outcomes").status_code == 403
    with app.app_context():
        assert db.session.scalars(select(AuditEntry)).all() == []


def test_deleting_an_account_recomputes_without_them(
    app: Flask,
    make_user: Callable[..., User],
    make_room: Callable[..., int],
    login_as: Callable[..., User],
    client: FlaskClient,
) -> None:
    users = seed(app, make_user, make_room, 10)
    with app.app_context():
        user = db.session.get(User, users[0].id)
        assert user is not None
        service.delete_for(user)
        db.session.commit()
    login_as(role="admin")
    body = client.get("/api/v1/mod/outcomes").get_json()
    assert body["people_checked_in"] == {"count": None, "suppressed": True}


def test_outcomes_min_group_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_config("testing").OUTCOMES_MIN_GROUP == 10
    monkeypatch.setenv("OUTCOMES_MIN_GROUP", "25")
    assert load_config("testing").OUTCOMES_MIN_GROUP == 25
    for bad in ("1", "ten", "-3", "2²"):
        monkeypatch.setenv("OUTCOMES_MIN_GROUP", bad)
        with pytest.raises(RuntimeError, match="OUTCOMES_MIN_GROUP"):
            load_config("testing")
    assert isinstance(Config.OUTCOMES_MIN_GROUP, int)
