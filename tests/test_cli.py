"""Command-line tools: create-user, seed-demo and database migrations."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from accounts.models import Role, User
from db import db


def test_create_user_reads_password_from_stdin(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-user", "night_nurse", "--role", "moderator", "--password-stdin"],
        input="a quiet cup of tea\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created moderator night_nurse" in result.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.handle_key == "night_nurse")).one()
        assert user.role is Role.MODERATOR


def test_create_user_refuses_a_weak_password(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-user", "someone", "--password-stdin"], input="short\n")
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_unknown_role(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-user", "someone", "--role", "king"], input="x\n")
    assert result.exit_code != 0
    assert "king" in result.output


def test_seed_demo_creates_accounts_once(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-demo", "--users", "12"])
    assert result.exit_code == 0, result.output
    assert "12 members" in result.output
    with app.app_context():
        first = db.session.scalar(select(func.count()).select_from(User))
        roles = set(db.session.scalars(select(User.role)))
    assert first is not None
    assert first >= 12
    assert {Role.MEMBER, Role.MODERATOR, Role.ADMIN} <= roles
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "no demo data added" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == first
