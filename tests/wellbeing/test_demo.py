"""``flask seed-demo`` gives the outcomes page something real to draw, marked as demo."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from accounts.models import User
from db import db
from wellbeing import service
from wellbeing.models import Checkin, RoomFeedback


def test_demo_data_fills_the_outcomes_and_is_marked(
    app: Flask, runner: FlaskCliRunner, login_as: Callable[..., User], client: FlaskClient
) -> None:
    result = runner.invoke(args=["seed-demo", "--users", "60"])
    assert result.exit_code == 0, result.output
    assert "simulated check-ins" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Checkin)) >= 60
        assert db.session.scalar(select(func.count()).select_from(RoomFeedback)) > 0
        assert db.session.scalars(select(Checkin).where(Checkin.is_demo.is_(False))).all() == []
        for row in db.session.scalars(select(Checkin)):
            assert row.score == sum(row.items)
            assert all(1 <= item <= 3 for item in row.items)
        # Simulated answers draw the charts but never teach the matching model.
        assert service.group_outcomes(db.session) == []
    login_as(role="admin")
    body = client.get("/api/v1/mod/outcomes").get_json()
    assert body["includes_demo_data"] is True
    assert body["people_checked_in"] == {"count": 60, "suppressed": False}
    assert any(not cell["suppressed"] for cell in body["first_scores"])
    assert any(not week["suppressed"] for week in body["feedback_by_week"])
    page = client.get("/mod/outcomes").get_data(as_text=True)
    assert "simulated demo check-ins" in page
