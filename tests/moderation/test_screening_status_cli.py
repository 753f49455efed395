"""``flask screening status``: the layers, the model's version, data hash and points."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from moderation import crisis_model


@pytest.fixture(autouse=True)
def _default_model_file() -> Iterator[None]:
    crisis_model.use_model_file(None)
    yield
    crisis_model.use_model_file(None)


def _lines(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines() if ": " in line)


def test_status_prints_version_labels_and_operating_points(runner: FlaskCliRunner) -> None:
    if not crisis_model.available():
        if os.environ.get("CI") == "true":
            pytest.fail("the crisis model must be built by `make test` under CI")
        pytest.skip(f"the crisis model is not built: {crisis_model.status()['problem']}")
    result = runner.invoke(args=["screening", "status"])
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert lines["version"] == crisis_model.status()["version"]
    assert lines["labels"].startswith("0")
    assert lines["english model"].startswith("active")
    assert len(lines["training data sha256"]) == 64
    assert f"{crisis_model.CRISIS_POINT:.2f}" in lines["operating points"]
    assert f"{crisis_model.GENTLE_POINT:.2f}" in lines["operating points"]
    assert "crosslingual ready" in lines


def test_status_says_when_the_lexicon_screens_alone(runner: FlaskCliRunner, tmp_path: Path) -> None:
    crisis_model.use_model_file(tmp_path / "missing.joblib")
    result = runner.invoke(args=["screening", "status"])
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert lines["version"] == "lexicon-only"
    assert lines["labels"].startswith("0")
    assert "inactive" in lines["english model"]
    assert "make setup" in lines["english model"]


def test_screen_command_is_unchanged(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["screen"], input="hello everyone\n")
    assert result.exit_code == 0, result.output
    assert '"action": "allow"' in result.output
