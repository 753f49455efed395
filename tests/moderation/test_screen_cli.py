"""``flask screen [FILE]``: one JSON verdict per input line, in order."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskCliRunner

LINES = ["hello everyone, lovely to meet you", "I want to kill myself", "call me on 07700 900123"]
KEYS = {"crisis", "crisis_severity", "offensive", "contact_details", "action", "reasons"}


def _check(output: str) -> None:
    verdicts = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert len(verdicts) == 3
    assert all(set(v) >= KEYS for v in verdicts)
    assert verdicts[0]["action"] == "allow"
    assert not verdicts[0]["crisis"]
    assert verdicts[1]["crisis"]
    assert verdicts[1]["crisis_severity"] >= 1
    assert verdicts[2]["contact_details"]


def test_screen_reads_a_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "messages.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = runner.invoke(args=["screen", str(path)])
    assert result.exit_code == 0, result.output
    _check(result.output)


def test_screen_reads_stdin(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["screen"], input="\n".join(LINES) + "\n")
    assert result.exit_code == 0, result.output
    _check(result.output)


def test_screen_missing_file_fails_cleanly(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["screen", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
