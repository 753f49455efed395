"""Profile fixtures: a complete document, a logged-in JSON client helper, and a
snapshot of every profile table to prove invalid requests write nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from db import db

PROFILE_TABLES = (
    "profiles",
    "profile_interests",
    "profile_reasons",
    "profile_avoided_topics",
    "profile_languages",
    "profile_availability",
    "pool_entries",
)

VALID_DOCUMENT: dict[str, Any] = {
    "interests": ["fantasy-books", "board-games", "baking"],
    "about": "I moved here in spring and I'm slowly finding my feet.",
    "reasons": ["new-to-a-city", "talk-about-things-i-love"],
    "talk_style": "share_some",
    "max_group_size": 5,
    "pace": "live",
    "support_style": "just_listen",
    "avoid_topics": ["politics", "money-worries"],
    "languages": ["en", "de"],
    "timezone": "Europe/Berlin",
    "availability": ["weekday_evening", "weekend_afternoon"],
    "age_band": "25-34",
}


@pytest.fixture
def document() -> dict[str, Any]:
    """A fresh copy of a complete, valid profile document."""
    return copy.deepcopy(VALID_DOCUMENT)


class Api:
    """JSON calls with the CSRF header, as wizard.js makes them."""

    def __init__(self, client: FlaskClient, csrf: Callable[[], str]) -> None:
        self.client = client
        self.csrf = csrf

    def _headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.csrf()}

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, json=body, headers=self._headers())

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, json=body, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(path, json=body, headers=self._headers())

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self._headers())


@pytest.fixture
def api(client: FlaskClient, csrf: Callable[[], str]) -> Api:
    return Api(client, csrf)


@pytest.fixture
def snapshot(app: Flask) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """Returns every row of every profile table, to compare before and after."""

    def take() -> dict[str, list[tuple[Any, ...]]]:
        with app.app_context():
            return {
                table: sorted(
                    tuple(row)
                    for row in db.session.execute(text(f"SELECT * FROM {table}"))  # noqa: S608  # fixed table names
                )
                for table in PROFILE_TABLES
            }

    return take
