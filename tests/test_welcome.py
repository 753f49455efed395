"""The block `make run` ends with (``flask welcome``, and `python app.py` on start)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from accounts.models import Role, User
from db import db
from demo.population import DEMO_PASSWORD
from demo.welcome import replace_server_banner


def test_welcome_lists_the_url_every_demo_handle_and_the_password(
    app: Flask, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    assert runner.invoke(args=["seed-demo", "--users", "8"]).exit_code == 0
    make_user("not_a_demo_account")  # its own password
    result = runner.invoke(args=["welcome", "--url", "http://127.0.0.1:5123"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Hearth is running at http://127.0.0.1:5123" in out
    assert f'"{DEMO_PASSWORD}"' in out
    assert "`make serve` runs the production server" in out
    assert "WARNING" not in out
    with app.app_context():
        members = db.session.scalars(select(User.handle).where(User.role == Role.MEMBER)).all()
    demo_members = [h for h in members if h and h != "not_a_demo_account"]
    assert len(demo_members) == 8
    flat = " ".join(out.split())
    for handle in [*demo_members, "demo_admin", "demo_moderator", "demo_moderator2"]:
        assert handle in flat
    assert "not_a_demo_account" not in out
    assert "members (8)" in out


def test_welcome_without_demo_accounts_points_to_registration(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["welcome", "--url", "http://127.0.0.1:5000"])
    assert result.exit_code == 0
    assert "No demo accounts here" in result.output
    assert "http://127.0.0.1:5000/account/register" in result.output


def test_the_dev_server_banner_is_replaced_by_the_block(
    capsys: pytest.CaptureFixture[str],
) -> None:
    werkzeug = logging.getLogger("werkzeug")
    before = list(werkzeug.filters)
    try:
        replace_server_banner("CALM BLOCK")
        handler_records: list[logging.LogRecord] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                handler_records.append(record)

        keep = Keep()
        werkzeug.addHandler(keep)
        werkzeug.setLevel(logging.INFO)
        werkzeug.info(
            "\x1b[31mWARNING: This is a development server. Do not use it in a production"
            " deployment.\x1b[0m\n * Running on http://127.0.0.1:5000"
        )
        werkzeug.warning("Werkzeug appears to be used in a production deployment.")
        werkzeug.info("\x1b[33mPress CTRL+C to quit\x1b[0m")
        werkzeug.info('127.0.0.1 - - "GET / HTTP/1.1" 200 -')
        werkzeug.removeHandler(keep)
    finally:
        werkzeug.filters[:] = before
    assert [r.getMessage() for r in handler_records] == ['127.0.0.1 - - "GET / HTTP/1.1" 200 -']
    assert "CALM BLOCK" in capsys.readouterr().out
