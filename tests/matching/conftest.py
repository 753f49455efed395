"""Fixtures for matching: people with complete, compatible profiles in the pool."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from accounts.models import User
from db import db
from profiles import service as profiles

BASE_DOCUMENT: dict[str, Any] = {
    "interests": ["fantasy-books", "board-games", "baking"],
    "about": "",
    "reasons": ["talk-about-things-i-love"],
    "talk_style": "share_some",
    "max_group_size": 6,
    "pace": "live",
    "support_style": "just_listen",
    "avoid_topics": [],
    "languages": ["en"],
    "timezone": "Europe/London",
    "availability": ["weekday_evening", "weekend_afternoon"],
    "age_band": "25-34",
}

STYLES = ["listen_first", "share_some", "talk_freely", "share_some", "talk_freely", "share_some"]


@pytest.fixture
def waiting_people(app: Flask, make_user: Callable[..., User]) -> Callable[..., list[int]]:
    """Factory: ``n`` people with compatible, complete profiles, all in the pool."""

    def make(n: int, **changes: Any) -> list[int]:
        ids = []
        for index in range(n):
            user = make_user()
            document = copy.deepcopy(BASE_DOCUMENT) | changes
            document["talk_style"] = STYLES[index % len(STYLES)]
            with app.app_context():
                user = db.session.get(User, user.id)
                assert user is not None
                profiles.save_profile(user, document)
                profiles.join_pool(user)
                db.session.commit()
            ids.append(user.id)
        return ids

    return make
