"""The learned compatibility in production: the gate, the store, rounds and the CLI.

Training examples are built in the test from a stated rule (groups of one age
band went well), so each test knows which model deserves to win.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import select

from db import db
from matching import learned, service
from matching.features import Candidate
from matching.models import MatchModel, MatchRound
from matching.panel import panel_data
from tests.unit.test_matching_learning import OLD, TOPICS, YOUNG, age_examples, person


@pytest.fixture
def app_overrides(tmp_path: Path) -> dict[str, Any]:
    return {"MATCH_MODEL_DIR": str(tmp_path / "models"), "MATCH_MODEL_MIN_GROUPS": 30}


def learn(app: Flask, examples: list[Any]) -> learned.LearnReport:
    with app.app_context():
        report = learned.learn(examples)
        db.session.commit()
        return report


def models(app: Flask) -> list[tuple[int, bool]]:
    with app.app_context():
        rows = db.session.scalars(select(MatchModel).order_by(MatchModel.id))
        return [(row.id, row.active) for row in rows]


def test_too_few_groups_train_nothing_and_rounds_use_no_model(app: Flask) -> None:
    report = learn(app, age_examples(groups=29))
    assert not report.trained
    assert "at least 30" in report.reason
    assert models(app) == []
    with app.app_context():
        assert learned.model_for_round() is None


def test_a_useful_model_is_stored_activated_and_used(app: Flask, tmp_path: Path) -> None:
    report = learn(app, age_examples(groups=60))
    assert report.trained
    assert report.activated, report.reason
    assert models(app) == [(1, True)]
    assert (tmp_path / "models" / "match-compatibility-1.joblib").is_file()
    with app.app_context():
        row = learned.active_row()
        assert row is not None
        assert row.training_groups == 48
        assert row.held_back_groups == 12
        assert row.held_back_rho > 0
        assert row.previous_rho is None
        chosen = learned.model_for_round()
        assert chosen is not None
        assert chosen[0] == 1
        assert chosen[1].top_effects(1)[0][0] == "age_band"


def test_a_worse_model_is_kept_out(app: Flask) -> None:
    learn(app, age_examples(groups=60))
    report = learn(app, age_examples(groups=60, seed=2, noise_only=True))
    assert report.trained
    assert not report.activated
    assert report.reason.startswith("Kept the active model")
    assert models(app) == [(1, True), (2, False)]


def interest_examples(groups: int) -> list[tuple[list[Candidate], float]]:
    """Random groups where sharing topics, not age, decided how it went."""
    rng = np.random.default_rng(9)
    examples: list[tuple[list[Candidate], float]] = []
    for g in range(groups):
        members = [
            person(
                f"i{g}p{i}",
                YOUNG if rng.random() < 0.5 else OLD,
                tuple(rng.choice(TOPICS, size=2, replace=False).tolist()),
            )
            for i in range(4)
        ]
        pairs = list(itertools.combinations(members, 2))
        shared = sum(bool(set(a.interests) & set(b.interests)) for a, b in pairs) / len(pairs)
        examples.append((members, float(np.clip(0.1 + 0.8 * shared, 0.0, 1.0))))
    return examples


def test_a_better_model_replaces_the_active_one(app: Flask) -> None:
    first = learn(app, interest_examples(60))
    assert first.activated, first.reason
    report = learn(app, age_examples(groups=60))
    assert report.activated, report.reason
    assert models(app) == [(1, False), (2, True)]
    assert report.model is not None
    assert report.model.previous_rho is not None
    assert report.model.held_back_rho > report.model.previous_rho


def test_raising_the_minimum_later_stops_rounds_using_the_model(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    learn(app, age_examples(groups=60))
    app.config["MATCH_MODEL_MIN_GROUPS"] = 100
    with app.app_context():
        assert learned.model_for_round() is None
        assert learned.describe(learned.active_row())["in_use"] is False  # type: ignore[index]
    app.config["MATCH_MODEL_MIN_GROUPS"] = 30
    app.config["COMPATIBILITY_BLEND"] = 0.0
    with app.app_context():
        assert learned.model_for_round() is None


def test_rounds_record_the_model_they_used(
    app: Flask, waiting_people: Callable[..., list[int]]
) -> None:
    waiting_people(5)
    with app.app_context():
        summary = service.run_round()
        db.session.commit()
        assert summary.model_version is None
    learn(app, age_examples(groups=60))
    waiting_people(5)
    with app.app_context():
        summary = service.run_round()
        db.session.commit()
        assert summary.model_version == 1
        assert summary.to_dict()["model_version"] == 1
        versions = db.session.scalars(select(MatchRound.model_version).order_by(MatchRound.id))
        assert list(versions) == [None, 1]


def test_the_cli_shows_the_active_model(app: Flask) -> None:
    runner = app.test_cli_runner()
    empty = runner.invoke(args=["match", "model"])
    assert empty.exit_code == 0
    assert "No compatibility model is active" in empty.output
    learn(app, age_examples(groups=60))
    shown = runner.invoke(args=["match", "model"])
    assert shown.exit_code == 0, shown.output
    assert "version: 1" in shown.output
    assert "groups: 60 (48 to train, 12 held back)" in shown.output
    assert "held-back rank correlation: 0." in shown.output
    assert "being of a similar age" in shown.output
    assert "in use by rounds: yes" in shown.output


def test_the_console_panel_shows_the_active_model(app: Flask) -> None:
    learn(app, age_examples(groups=60))
    with app.app_context():
        data = panel_data()
    assert data["model"]["version"] == 1
    assert data["model"]["effects"][0][0] == "being of a similar age"


def test_a_lost_model_file_never_stops_rounds_or_learning(
    app: Flask, tmp_path: Path, waiting_people: Callable[..., list[int]]
) -> None:
    """instance/ wiped on a redeploy, or a model trained on another host."""
    learn(app, age_examples(groups=60))
    (tmp_path / "models" / "match-compatibility-1.joblib").unlink()
    learned._loaded.clear()  # a fresh process: nothing read yet
    waiting_people(5)
    with app.app_context():
        assert learned.model_for_round() is None
        summary = service.run_round()
        db.session.commit()
        assert summary.model_version is None
    report = learn(app, age_examples(groups=60))
    assert report.activated, report.reason
    assert models(app) == [(1, False), (2, True)]
