"""Live path: after-meeting feedback → ``flask match learn`` → the next scheduled round
uses the new model and records its version."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import select

from accounts.models import User
from db import db, utcnow
from matching import scheduler
from matching.models import MatchRound
from profiles import service as profiles
from rooms.admin import create_room
from tests.conftest import AuthActions, text_of
from tests.matching.conftest import BASE_DOCUMENT
from tests.matching.test_schedule import SETTLED
from wellbeing import service as wellbeing

AGES = ("18-24", "65+")


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict[str, Any]:
    return {"MATCH_MODEL_DIR": str(tmp_path / "models"), "MATCH_MODEL_MIN_GROUPS": 20}


def test_feedback_trains_a_model_that_the_next_scheduled_round_uses(
    app: Flask,
    make_user: Callable[..., User],
    waiting_people: Callable[..., list[int]],
) -> None:
    people = [make_user() for _ in range(16)]
    with app.app_context():
        for index, person in enumerate(people):
            user = db.session.get(User, person.id)
            assert user is not None
            document = copy.deepcopy(BASE_DOCUMENT) | {"age_band": AGES[index % 2]}
            profiles.save_profile(user, document)
        db.session.commit()
        # Rooms of four; those of one age band went well, mixed ones less so.
        rng = np.random.default_rng(5)
        for number in range(28):
            picked = [people[int(i)] for i in rng.choice(len(people), size=4, replace=False)]
            members = [db.session.get(User, p.id) for p in picked]
            room = create_room(f"Room {number}", [m for m in members if m])
            db.session.flush()
            ages = [AGES[people.index(p) % 2] for p in picked]
            pairs = list(itertools.combinations(ages, 2))
            same = sum(a == b for a, b in pairs) / len(pairs)
            for member in members:
                assert member is not None
                wellbeing.give_feedback(
                    member,
                    room.id,
                    {
                        "at_ease": 1 + round(4 * same),
                        "meet_again": "yes" if same > 0.5 else "no",
                    },
                )
        db.session.commit()

    learned_run = app.test_cli_runner().invoke(args=["match", "learn"])
    assert learned_run.exit_code == 0, learned_run.output
    assert "Trained version 1 on 28 groups with feedback." in learned_run.output
    assert "Activated" in learned_run.output
    shown = app.test_cli_runner().invoke(args=["match", "model"])
    assert "version: 1" in shown.output
    assert "being of a similar age" in shown.output

    waiting = waiting_people(5)
    with app.app_context():
        result = scheduler.tick(now=utcnow() + SETTLED, interval=10)
        assert result.action == "round", result
        assert result.summary is not None
        assert result.summary.model_version == 1
        recorded = db.session.scalars(select(MatchRound.model_version)).all()
        assert recorded == [1]
        member = db.session.get(User, waiting[0])
        assert member is not None
        handle = member.handle
    # The "why" on /groups names what the model weighed that this group shares.
    client = app.test_client()
    assert handle is not None
    AuthActions(client).login(handle)
    page = text_of(client.get("/groups"))
    assert (
        "We also weighed what has helped groups like yours go well: being of a similar age." in page
    )
