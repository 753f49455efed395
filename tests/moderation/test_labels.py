"""The label store: moderators' decisions on messages, kept to retrain the screener."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accounts.models import User
from db import db
from moderation import labels
from moderation.models import LabelSource, ScreeningLabel
from rooms.admin import create_room
from rooms.posting import post_message


def _messages(app: Flask, author: User, *bodies: str) -> list[int]:
    with app.app_context():
        person = db.session.get(User, author.id)
        assert person is not None
        room = create_room("Evening tea", [person])
        ids = [
            post_message(room, person, body, f"m-{n}").message.id for n, body in enumerate(bodies)
        ]
        db.session.commit()
        return ids


def test_labels_read_back_in_order_and_counted(app: Flask, make_user: Callable[..., User]) -> None:
    author, moderator = make_user(), make_user(role="moderator")
    first, second, third = _messages(app, author, "one", "two", "three")
    with app.app_context():
        session = db.session()
        assert labels.training_labels(session) == []
        assert labels.label_counts(session) == {"total": 0, "positive": 0, "negative": 0}
        labels.record_label(
            session,
            message_id=second,
            author_id=author.id,
            text="two",
            positive=True,
            source=LabelSource.MARKED,
            screener_flagged=False,
            language="en",
            labelled_by_id=moderator.id,
        )
        labels.record_label(
            session,
            message_id=first,
            author_id=author.id,
            text="one",
            positive=False,
            source=LabelSource.OUTCOME,
            screener_flagged=True,
        )
        db.session.commit()
        rows = labels.training_labels(session)
        assert [(r.text, r.positive, r.language, r.source, r.screener_flagged) for r in rows] == [
            ("two", True, "en", "marked", False),
            ("one", False, "und", "outcome", True),
        ]
        assert all(r.created_at.tzinfo is not None for r in rows)
        assert labels.label_counts(session) == {"total": 2, "positive": 1, "negative": 1}
        assert labels.label_for_message(session, third) is None


def test_a_later_decision_replaces_the_earlier_label(
    app: Flask, make_user: Callable[..., User]
) -> None:
    author = make_user()
    [message_id] = _messages(app, author, "hard night")
    with app.app_context():
        session = db.session()
        for positive, source in ((False, LabelSource.OUTCOME), (True, LabelSource.MARKED)):
            labels.record_label(
                session,
                message_id=message_id,
                author_id=author.id,
                text="hard night",
                positive=positive,
                source=source,
                screener_flagged=True,
            )
        db.session.commit()
        [label] = db.session.scalars(select(ScreeningLabel)).all()
        assert (label.positive, label.source) == (True, "marked")


@pytest.mark.parametrize(
    ("source", "copies"),
    [("guess", 1), ("outcome", 2)],
    ids=["an unknown source", "a second label for one message"],
)
def test_the_database_refuses(
    app: Flask, make_user: Callable[..., User], source: str, copies: int
) -> None:
    author = make_user()
    [message_id] = _messages(app, author, "hello")
    with app.app_context():
        for _ in range(copies):
            db.session.add(
                ScreeningLabel(
                    message_id=message_id,
                    author_id=author.id,
                    text="hello",
                    positive=False,
                    source=source,
                    screener_flagged=False,
                )
            )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(ScreeningLabel)) == 0


def test_forget_author_removes_only_their_labels(
    app: Flask, make_user: Callable[..., User]
) -> None:
    leaving, staying = make_user(), make_user()
    [gone] = _messages(app, leaving, "mine")
    [kept] = _messages(app, staying, "theirs")
    with app.app_context():
        session = db.session()
        for message_id, person, text in ((gone, leaving, "mine"), (kept, staying, "theirs")):
            labels.record_label(
                session,
                message_id=message_id,
                author_id=person.id,
                text=text,
                positive=True,
                source=LabelSource.OUTCOME,
                screener_flagged=True,
            )
        assert labels.forget_author(session, leaving.id) == 1
        db.session.commit()
        assert [row.text for row in labels.training_labels(session)] == ["theirs"]
