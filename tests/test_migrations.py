"""Alembic migrations build exactly the schema the models describe, and unwind,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from db import Base, db
from tests.conftest import POSTGRES_SERVER, postgres_reachable, recreate_postgres_database


def check_round_trip(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            drift = compare_metadata(context, Base.metadata)
        assert drift == [], f"models and migrations disagree: {drift}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_sqlite_upgrade_matches_models_and_downgrade_unwinds(tmp_path: Path) -> None:
    check_round_trip(f"sqlite:///{tmp_path / 'm.sqlite3'}")


@pytest.mark.postgres
def test_postgres_upgrade_matches_models_and_downgrade_unwinds() -> None:
    if not postgres_reachable():
        reason = f"PostgreSQL not reachable at {POSTGRES_SERVER} (start it: see `make help`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the PostgreSQL tests.")
        pytest.skip(reason)
    url = f"{POSTGRES_SERVER}/hearth_migrations_test"
    recreate_postgres_database(url)
    check_round_trip(url)


def test_sqlite_migrations_keep_the_rows_of_tables_they_rebuild(tmp_path: Path) -> None:
    """Batch mode drops and re-creates a SQLite table; with foreign keys on, that drop
    would cascade into memberships and messages and null proposals' rounds."""
    from datetime import timedelta

    from sqlalchemy import text

    from accounts.service import register_user
    from db import utcnow
    from matching.models import MatchRound, Proposal
    from rooms.admin import create_room
    from rooms.posting import post_message

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'k.sqlite3'}")

    def counts() -> tuple[int, int, int]:
        with db.engine.connect() as connection:
            return (
                connection.execute(text("SELECT count(*) FROM memberships")).scalar_one(),
                connection.execute(text("SELECT count(*) FROM messages")).scalar_one(),
                connection.execute(
                    text("SELECT count(*) FROM proposals WHERE round_id IS NOT NULL")
                ).scalar_one(),
            )

    with app.app_context():
        upgrade()
        people = [register_user(f"keeper{n}", "a calm walk by the river") for n in range(3)]
        room = create_room("Evening tea", people)
        post_message(room, people[0], "hello, nice to meet you", "m-1")
        match_round = MatchRound()
        db.session.add(match_round)
        db.session.flush()
        db.session.add(
            Proposal(round_id=match_round.id, name="Tea", expires_at=utcnow() + timedelta(days=1))
        )
        db.session.commit()
        db.session.remove()
        before = counts()
        assert before == (3, 1, 1)
        downgrade(revision="0010")
        assert counts() == before
        upgrade()
        assert counts() == before
        db.engine.dispose()
