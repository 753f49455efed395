"""The SQLite writer queue (db.SQLiteWriterQueue): held from a connection's first
write to the end of its transaction, never leaked, and writers take turns."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from db import SQLiteWriterQueue, db, sqlite_writer_queue
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="the writer queue is for SQLite only")

TOUCH = text("UPDATE users SET handle = handle WHERE id = -1")
# Fails the personal_mutes not_self check: an IntegrityError inside a write.
SELF_MUTE = text(
    "INSERT INTO personal_mutes (room_id, user_id, muted_user_id, created_at) "
    "VALUES (1, 1, 1, '2026-01-01 00:00:00')"
)


def _queue(app: Flask) -> SQLiteWriterQueue:
    queue = sqlite_writer_queue(db.engine)
    assert queue is not None, "a SQLite file database gets a writer queue"
    return queue


def test_reads_do_not_queue(app: Flask) -> None:
    with app.app_context():
        queue = _queue(app)
        db.session.execute(text("SELECT count(*) FROM users")).scalar()
        assert not queue.held()


def test_held_from_first_write_until_commit(app: Flask) -> None:
    with app.app_context():
        queue = _queue(app)
        db.session.execute(TOUCH)
        assert queue.held()
        db.session.execute(TOUCH)  # the same transaction doesn't queue twice
        db.session.commit()
        assert not queue.held()


def test_rollback_releases(app: Flask) -> None:
    with app.app_context():
        queue = _queue(app)
        db.session.execute(TOUCH)
        db.session.rollback()
        assert not queue.held()


def test_failed_write_releases_after_rollback(app: Flask) -> None:
    with app.app_context():
        queue = _queue(app)
        with pytest.raises(IntegrityError):
            db.session.execute(SELF_MUTE)
        db.session.rollback()
        assert not queue.held()


def test_context_ending_without_commit_releases(app: Flask) -> None:
    with app.app_context():
        queue = _queue(app)
        db.session.execute(TOUCH)
        assert queue.held()
    assert not queue.held()


def test_second_writer_waits_for_the_first_to_commit(app: Flask) -> None:
    order: list[str] = []
    first_wrote = threading.Event()
    first_may_commit = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with app.app_context():
                db.session.execute(text("UPDATE users SET handle = handle WHERE id = -2"))
                first_wrote.set()
                first_may_commit.wait(10)
                order.append("first commits")
                db.session.commit()
        except BaseException as problem:  # reported to the test below
            errors.append(problem)

    def second() -> None:
        try:
            with app.app_context():
                first_wrote.wait(10)
                first_may_commit.set()
                db.session.execute(TOUCH)
                order.append("second wrote")
                db.session.commit()
        except BaseException as problem:
            errors.append(problem)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert order == ["first commits", "second wrote"]
    with app.app_context():
        assert not _queue(app).held()
