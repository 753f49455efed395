"""``flask screening learn``: retrain with moderators' labels, gate, store, pick up.

A tiny world keeps every fit to milliseconds: a base of a dozen self-written
lines stands in for the setup data, a handful of development lines for the
project's dev set, and labels are written straight into the label store.
"""

from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import joblib
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

import signals
from accounts.models import User
from app import create_app
from config import load_config
from db import db, utcnow
from moderation import crisis_learn, crisis_model, crisis_train, model_store
from moderation.models import (
    AuditEntry,
    LabelSource,
    ScreeningLabel,
    ScreeningLearnLease,
    ScreeningModel,
)
from moderation.screening import screen

BASE_POSITIVE = [
    "i want to die",
    "i want to kill myself",
    "i am going to end my life",
    "i cant go on living like this",
    "i wish i was dead",
    "i am going to take all my pills",
]
BASE_NEGATIVE = [
    "lovely weather for a walk",
    "what is everyone cooking",
    "my cat is asleep on the sofa",
    "see you all on thursday",
    "the bus was late again",
    "i finished my book",
    "work was long today",
    "anyone watching the match",
]
#: Crisis in a code word the base never saw ("zorp"), as communities coin them to
#: slip past filters: what moderators teach it. Neither the lexicon nor the base
#: model reads anything in these.
NEW_CRISIS = [
    "my zorp is ready for tonight",
    "full zorp mode for me now",
    "zorp time for me soon",
    "i am all zorp now",
    "doing the zorp thing this week",
    "the zorp feeling is back and strong",
    "zorp again for me tonight",
    "i have my zorp all planned",
    "i think i will zorp soon",
    "i am so ready to zorp now",
    "nobody would care if i zorp",
    "the zorp is all i think about",
]
ORDINARY = [
    "lovely walk by the river",
    "made pasta for dinner",
    "my cat is sleeping again",
    "see you on thursday",
    "finished my book at last",
    "the match was great",
    "the bus came on time",
    "coffee or tea anyone",
    "my plant has a new leaf",
    "long day at work",
    "what are you reading",
    "the weather is lovely",
]
DEV = crisis_learn.DevSet(
    crisis=(
        "i want to die now",
        "i want to kill myself now",
        "the zorp plan is on for me",
        "i know the zorp is calling me",
    ),
    ordinary=("lovely day for a walk", "my cat is asleep", "see you all soon", "i read a book"),
)


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"SCREENING_LEARN_MIN_LABELS": 10}


@pytest.fixture(autouse=True)
def tiny_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """The base model file, base data, dev set and a confident fit, all tiny."""
    confident = partial(crisis_train.fit, C=100.0)
    base = crisis_train.BaseData(
        examples=[crisis_train.Example(t, 1) for t in BASE_POSITIVE]
        + [crisis_train.Example(t, 0) for t in BASE_NEGATIVE],
        sha256="b" * 64,
        sources={"tiny_base": len(BASE_POSITIVE) + len(BASE_NEGATIVE)},
    )
    monkeypatch.setattr(crisis_train, "fit", confident)
    monkeypatch.setattr(crisis_train, "base_data", lambda *a, **k: base)
    monkeypatch.setattr(crisis_learn, "dev_set", lambda: DEV)
    path = crisis_train.save(
        confident(base.examples),
        {"version": "tiny-base", "training_data_sha256": "b" * 64},
        tmp_path,
    )
    crisis_model.use_model_file(path)
    yield "tiny-base"
    crisis_model.install_source(None)
    crisis_model.use_model_file(None)


def _label(app: Flask, author: User, pairs: list[tuple[str, bool]]) -> None:
    with app.app_context():
        for text, positive in pairs:
            db.session.add(
                ScreeningLabel(
                    author_id=author.id,
                    text=text,
                    language="en",
                    positive=positive,
                    source=LabelSource.MARKED.value,
                    screener_flagged=False,
                )
            )
        db.session.commit()


def _lines(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)


def _teach(app: Flask, make_user: Callable[..., User]) -> None:
    _label(app, make_user(), [(t, True) for t in NEW_CRISIS] + [(t, False) for t in ORDINARY])


def test_learn_activates_a_better_model_and_every_call_uses_it(
    app: Flask, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    _teach(app, make_user)
    with app.app_context():
        assert not screen("i know the zorp is calling me").crisis  # the base model misses it
    result = runner.invoke(args=["screening", "learn"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("activated tfidf-wc-lr-2-l")
    assert "no recall drops and false alarms within budget" in first
    lines = _lines(result.output)
    assert lines["old dev recall"].startswith("50.0% of 4")
    assert lines["new dev recall"].startswith("100.0% of 4")
    with app.app_context():
        row = model_store.active_row()
        assert row is not None
        assert row.blob is not None
        assert first == f"activated {row.version}: {row.meta['reason']}"
        assert row.meta["labels"]["english"] == len(NEW_CRISIS) + len(ORDINARY)
        assert row.meta["previous_version"] == "tiny-base"
        assert set(row.meta["figures"]) == {"old", "new"}
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "activate_screening_model")
        ).one()
        assert entry.actor_id is None  # Hearth itself
        assert (entry.target_type, entry.target_id) == ("screening_model", row.id)
        # Picked up without a restart: the next screening call reads the new version.
        verdict = screen("i know the zorp is calling me")
        assert verdict.crisis
        assert "crisis:model" in verdict.reasons
        assert crisis_model.status()["version"] == row.version
        assert not screen("the weather is lovely").crisis


def test_learn_refuses_a_model_taught_the_opposite_of_the_truth(
    app: Flask, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    inverted = [(t, False) for t in [*BASE_POSITIVE, *(f"{t} now" for t in BASE_POSITIVE)]]
    inverted += [(t, True) for t in ORDINARY]
    _label(app, make_user(), inverted)
    result = runner.invoke(args=["screening", "learn"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("kept tiny-base: ")
    assert "dev recall would drop from 50.0% of 4 to" in first
    with app.app_context():
        assert model_store.active_row() is None
        refused = db.session.scalars(select(ScreeningModel)).one()
        assert refused.blob is None
        assert not refused.active
        assert refused.meta["reason"] in first
        assert db.session.scalars(select(AuditEntry)).all() == []
        assert crisis_model.status()["version"] == "tiny-base"
    # The same labels again: not fitted a second time only to be refused again.
    again = runner.invoke(args=["screening", "learn"])
    assert "this training data was tried before: refused" in again.output


def test_too_few_labels_keep_the_model(
    app: Flask, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    _label(app, make_user(), [(t, True) for t in NEW_CRISIS[:3]] + [("bonjour à tous", False)])
    result = runner.invoke(args=["screening", "learn"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "kept tiny-base: 3 English labels, fewer than the 10 needed (SCREENING_LEARN_MIN_LABELS)"
    )
    assert "1 in other languages" in result.output
    with app.app_context():
        assert db.session.scalars(select(ScreeningModel)).all() == []


def test_missing_base_data_is_a_clear_error(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.undo()  # the real base_data, pointed at an empty cache
    monkeypatch.setattr(crisis_train, "CACHE_DIR", tmp_path / "empty-cache")
    result = runner.invoke(args=["screening", "learn"])
    assert result.exit_code == 1
    assert "run `make setup`" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        lease = model_store.lease_row()
        assert lease is not None
        assert lease.holder is None
        assert (lease.last_result or "").startswith("failed: BaseDataMissing")


def test_a_second_run_waits_for_the_first(
    app: Flask, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    _teach(app, make_user)
    with app.app_context():
        assert model_store.acquire(utcnow())  # as if another process were learning
        db.session.execute(
            ScreeningLearnLease.__table__.update().values(holder="elsewhere:1")  # type: ignore[attr-defined]
        )
        db.session.commit()
    result = runner.invoke(args=["screening", "learn"])
    assert result.exit_code == 1
    assert "another process is learning" in result.output


def test_status_names_the_active_model_its_training_and_figures(
    app: Flask, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    before = _lines(runner.invoke(args=["screening", "status"]).output)
    assert before["version"] == "tiny-base"
    assert before["trained"].endswith("(at setup)")
    assert before["english model source"] == "file"
    assert before["dev recall"].startswith("50.0% of 4")
    assert before["held-back"].startswith("recall n/a")
    assert before["learn schedule"] == "off"
    _teach(app, make_user)
    assert runner.invoke(args=["screening", "learn"]).exit_code == 0
    output = runner.invoke(args=["screening", "status"]).output
    assert output.splitlines()[0].startswith("version: tfidf-wc-lr-2-l")
    after = _lines(output)
    with app.app_context():
        row = model_store.active_row()
        assert row is not None
        assert after["version"] == row.version
        assert after["trained"] == row.trained_at.isoformat()
    assert after["english model source"].startswith("database")
    assert after["dev recall"].startswith("100.0% of 4")
    assert after["held-back"].startswith("recall ")
    assert "n/a" not in after["held-back"].split(",")[0]
    assert after["last learn"].startswith(f"activated {after['version']}")
    for kept in ("labels", "lexicon", "english model", "operating points", "training data sha256"):
        assert kept in after


def _store(app: Flask, version: str, blob: bytes, *, active: bool = True) -> None:
    with app.app_context():
        if active:
            db.session.execute(
                ScreeningModel.__table__.update().values(active=False)  # type: ignore[attr-defined]
            )
        db.session.add(
            ScreeningModel(version=version, trained_at=utcnow(), active=active, blob=blob, meta={})
        )
        db.session.commit()


def _bundle(version: str, positives: list[str]) -> bytes:
    model = crisis_train.fit(
        [crisis_train.Example(t, 1) for t in positives]
        + [crisis_train.Example(t, 0) for t in BASE_NEGATIVE]
    )
    buffer = io.BytesIO()
    joblib.dump({"model": model, "meta": {"version": version}}, buffer)
    return buffer.getvalue()


def test_a_corrupt_blob_never_breaks_screening(app: Flask, runner: FlaskCliRunner) -> None:
    _store(app, "broken-1", b"this is not a joblib file")
    with app.app_context():
        verdict = screen("i want to kill myself")  # still screened, by the model in use
        assert verdict.crisis
        info = crisis_model.status()
        assert info["version"] == "tiny-base"
        assert "version broken-1 could not be loaded" in info["source_problem"]
        assert "screening keeps tiny-base" in info["source_problem"]
    lines = _lines(runner.invoke(args=["screening", "status"]).output)
    assert lines["version"] == "tiny-base"
    assert lines["english model problem"].startswith("version broken-1 could not be loaded")


def test_two_apps_on_one_database_agree_on_the_active_version(
    app: Flask, database_url: str
) -> None:
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    _store(app, "shared-1", _bundle("shared-1", NEW_CRISIS))
    for each in (app, other):
        with each.app_context():
            assert model_store.active_version() == "shared-1"
            assert crisis_model.status()["version"] == "shared-1"
    _store(other, "shared-2", _bundle("shared-2", BASE_POSITIVE))
    for each in (other, app):
        with each.app_context():
            assert crisis_model.status()["version"] == "shared-2"
    with other.app_context():
        db.engine.dispose()


def test_the_schedule_learns_in_a_child_process_once_per_period(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """The run is ``flask screening learn`` in a process of its own (the tiny world of
    this module does not reach it: it reads the setup's data and finds no labels)."""
    app.config["SCREENING_LEARN_HOURS"] = 6.0
    now = utcnow()
    caplog.set_level(logging.INFO, logger="hearth.moderation.learning")
    with app.app_context():
        results = signals.periodic_work.send(app, now=now)
        assert model_store_receiver_result(results) is True
        [run] = [t for t in threading.enumerate() if t.name == "hearth-screening-learn"]
        run.join(timeout=600)
        assert not run.is_alive()
        db.session.expire_all()
        lease = model_store.lease_row()
        assert lease is not None
        assert lease.holder is None
        assert lease.last_finished_at is not None
        assert (lease.last_result or "").startswith("kept ")
        assert "0 English labels, fewer than the 10 needed" in (lease.last_result or "")
        # Due again only six hours after the last start, whoever asks.
        assert model_store.start_scheduled(app, now + timedelta(hours=5)) is None
        results = signals.periodic_work.send(app, now=now + timedelta(hours=5))
        assert model_store_receiver_result(results) is False
    [logged] = [m for r in caplog.records if "scheduled screening learn" in (m := r.getMessage())]
    child = int(logged.split("in process ")[1].split(":")[0])
    assert child != os.getpid()
    assert logged.endswith(lease.last_result or "")


def test_learn_under_a_lapsed_lease_runs_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["screening", "learn", "--lease-holder", "elsewhere:1:2"])
    assert result.exit_code == 1
    assert "lease has lapsed; nothing was run" in result.output
    with app.app_context():
        assert model_store.lease_row() is None


def model_store_receiver_result(results: list[tuple[Any, Any]]) -> Any:
    from moderation import receivers

    return next(value for receiver, value in results if receiver is receivers.on_periodic_work)


def test_the_schedule_is_off_by_default(app: Flask) -> None:
    assert app.config["SCREENING_LEARN_HOURS"] == 0
    with app.app_context():
        assert model_store.start_scheduled(app, utcnow()) is None
        assert model_store.lease_row() is None


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("SCREENING_LEARN_HOURS", "", 0.0),
        ("SCREENING_LEARN_HOURS", "6", 6.0),
        ("SCREENING_LEARN_HOURS", "0.5", 0.5),
        ("SCREENING_LEARN_MIN_LABELS", "", 50),
        ("SCREENING_LEARN_MIN_LABELS", "200", 200),
        ("SCREENING_MODEL_REFRESH_SECONDS", "", 30.0),
        ("SCREENING_MODEL_REFRESH_SECONDS", "0", 0.0),
    ],
)
def test_learning_settings_are_read(
    monkeypatch: pytest.MonkeyPatch, name: str, raw: str, expected: float
) -> None:
    monkeypatch.setenv(name, raw)
    assert getattr(load_config("development"), name) == expected


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("SCREENING_LEARN_HOURS", "daily"),
        ("SCREENING_LEARN_HOURS", "-1"),
        ("SCREENING_LEARN_MIN_LABELS", "0"),
        ("SCREENING_LEARN_MIN_LABELS", "ten"),
        ("SCREENING_LEARN_MIN_LABELS", "²"),  # a digit to str.isdigit, not a number
        ("SCREENING_MODEL_REFRESH_SECONDS", "-5"),
    ],
)
def test_bad_learning_settings_stop_the_start(
    monkeypatch: pytest.MonkeyPatch, name: str, raw: str
) -> None:
    monkeypatch.setenv(name, raw)
    with pytest.raises(RuntimeError, match=name):
        load_config("development")


def test_testing_config_refreshes_at_every_call() -> None:
    assert load_config("testing").SCREENING_MODEL_REFRESH_SECONDS == 0


def test_refresh_waits_its_interval_and_swaps_whole_models() -> None:
    """Pure: a source that changes is read at most every refresh_seconds."""
    bundles = {"v1": _bundle("v1", NEW_CRISIS), "v2": _bundle("v2", BASE_POSITIVE)}
    active = {"version": "v1"}
    calls: list[str] = []

    def active_version() -> str | None:
        calls.append("check")
        return active["version"]

    crisis_model.install_source(
        crisis_model.Source(active_version, bundles.__getitem__, refresh_seconds=3600)
    )
    assert crisis_model.status()["version"] == "v1"
    active["version"] = "v2"
    assert crisis_model.status()["version"] == "v1"  # not due yet
    assert calls == ["check"]
    crisis_model.refresh_now()
    assert crisis_model.status()["version"] == "v2"
    active["version"] = None  # type: ignore[assignment]
    crisis_model.refresh_now()
    assert crisis_model.status()["version"] == "tiny-base"  # back to the file

    # Many threads screening while versions flip: every answer comes from a whole model.
    crisis_model.install_source(
        crisis_model.Source(active_version, bundles.__getitem__, refresh_seconds=0)
    )
    errors: list[BaseException] = []

    def screen_a_lot() -> None:
        try:
            for _ in range(30):
                assert len(crisis_model.predict_many(["i know the zorp is calling me", "hi"])) == 2
        except BaseException as problem:
            errors.append(problem)

    threads = [threading.Thread(target=screen_a_lot) for _ in range(4)]
    for thread in threads:
        thread.start()
    for version in ("v1", "v2", "v1", "v2"):
        active["version"] = version
        crisis_model.predict_many(["hello"])
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_source_that_cannot_be_read_keeps_the_model() -> None:
    def broken() -> str | None:
        raise ConnectionError("database is down")

    crisis_model.install_source(crisis_model.Source(broken, lambda v: b"", refresh_seconds=0))
    assert crisis_model.predict_many(["i want to die"])[0] > crisis_model.CRISIS_POINT
    assert "could not be read (ConnectionError)" in crisis_model.status()["source_problem"]


def test_separate_processes_read_the_same_active_version(app: Flask, database_url: str) -> None:
    """Two real processes (the CLI, as a second server would) on one database: this
    test's SQLite file, or under `make test-postgres` its PostgreSQL database."""
    import os
    import subprocess
    import sys

    _store(app, "shared-cli-1", _bundle("shared-cli-1", NEW_CRISIS))
    env = {**os.environ, "HEARTH_ENV": "testing", "DATABASE_URL": database_url}
    root = Path(__file__).resolve().parents[2]

    def version_in_new_process() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "screening", "status"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return _lines(done.stdout)["version"]

    assert version_in_new_process() == "shared-cli-1"
    _store(app, "shared-cli-2", _bundle("shared-cli-2", BASE_POSITIVE))
    assert version_in_new_process() == "shared-cli-2"


def _audit_activations(app: Flask) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == "activate_screening_model")
            )
        )


def test_activate_goes_back_to_a_stored_model_with_an_audit_entry(
    app: Flask, runner: FlaskCliRunner
) -> None:
    _store(app, "older-1", _bundle("older-1", NEW_CRISIS))
    _store(app, "newer-2", _bundle("newer-2", BASE_POSITIVE))
    result = runner.invoke(
        args=["screening", "activate", "older-1", "--reason", "newer-2 missed zorp messages"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "activated older-1"
    with app.app_context():
        assert model_store.active_version() == "older-1"
        assert crisis_model.status()["version"] == "older-1"
        older = db.session.scalars(
            select(ScreeningModel).where(ScreeningModel.version == "older-1")
        ).one()
        older_id = older.id
    [entry] = _audit_activations(app)
    assert entry.actor_id is None
    assert (entry.target_type, entry.target_id) == ("screening_model", older_id)
    assert entry.reason == "newer-2 missed zorp messages"
    assert '"previous_version": "newer-2"' in entry.details
    assert '"version": "older-1"' in entry.details
    assert _lines(runner.invoke(args=["screening", "status"]).output)["version"] == "older-1"

    again = runner.invoke(args=["screening", "activate", "older-1", "--reason", "again"])
    assert again.exit_code == 0, again.output
    assert again.output.strip() == "already active older-1"
    assert len(_audit_activations(app)) == 1


def _store_without_pipeline(app: Flask, version: str, meta: dict[str, Any]) -> None:
    with app.app_context():
        db.session.add(
            ScreeningModel(version=version, trained_at=utcnow(), active=False, blob=None, meta=meta)
        )
        db.session.commit()


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("nope-9", "no learned screening model nope-9; stored models: current-3"),
        ("retired-1", "retired-1 was retired: its pipeline is no longer stored"),
        ("refused-2", "refused-2 was never activated (refused, the false alarms rose)"),
    ],
)
def test_activate_refuses_a_version_it_cannot_use_clearly(
    app: Flask, runner: FlaskCliRunner, version: str, message: str
) -> None:
    _store_without_pipeline(app, "retired-1", {"was_active": True})
    _store_without_pipeline(
        app, "refused-2", {"was_active": False, "reason": "the false alarms rose"}
    )
    _store(app, "current-3", _bundle("current-3", NEW_CRISIS))
    result = runner.invoke(args=["screening", "activate", version, "--reason", "roll back"])
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    with app.app_context():
        assert model_store.active_version() == "current-3"
    assert _audit_activations(app) == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_activate_needs_a_reason(app: Flask, runner: FlaskCliRunner, reason: str) -> None:
    _store(app, "older-1", _bundle("older-1", NEW_CRISIS))
    _store(app, "newer-2", _bundle("newer-2", BASE_POSITIVE))
    result = runner.invoke(args=["screening", "activate", "older-1", "--reason", reason])
    assert result.exit_code == 2
    assert "1 to 500 characters" in result.output
    with app.app_context():
        assert model_store.active_version() == "newer-2"
