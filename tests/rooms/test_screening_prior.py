"""Posting passes the author's profile languages to screening as a prior for short
messages; a crisis is seen whatever the profile says."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Flask

from accounts.models import User
from db import db
from profiles.models import Profile, ProfileLanguage
from rooms.models import Room
from rooms.posting import PostResult, post_message


def _speaks(app: Flask, user: User, *codes: str) -> None:
    with app.app_context():
        db.session.add(Profile(user_id=user.id))
        db.session.add_all(
            ProfileLanguage(user_id=user.id, code=code, position=i) for i, code in enumerate(codes)
        )
        db.session.commit()


def _post(app: Flask, room_id: int, user: User, body: str) -> PostResult:
    with app.app_context():
        room = db.session.get(Room, room_id)
        author = db.session.get(User, user.id)
        assert room is not None
        assert author is not None
        result = post_message(room, author, body, str(uuid.uuid4()))
        db.session.commit()
        return result


def test_profile_languages_are_the_prior_for_short_messages(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int]
) -> None:
    ana, ben = make_user("prior_ana"), make_user("prior_ben")
    _speaks(app, ana, "es", "en")
    room_id = make_room(ana, ben)
    assert _post(app, room_id, ana, "hola").verdict.language == "es"
    assert _post(app, room_id, ben, "hola").verdict.language == "und"


def test_a_crisis_is_seen_whatever_the_profile_says(
    app: Flask, make_user: Callable[..., User], make_room: Callable[..., int]
) -> None:
    cleo, dan = make_user("prior_cleo"), make_user("prior_dan")
    _speaks(app, cleo, "nl")
    room_id = make_room(cleo, dan)
    result = _post(app, room_id, cleo, "ich will nicht mehr leben")
    assert result.crisis
    assert result.verdict.language == "de"
