"""Account export and deletion include profiles; seed-demo builds profiles and a pool."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from accounts.models import User
from db import db
from profiles.demo import demo_document
from profiles.models import PoolEntry, Profile
from profiles.validation import is_complete, validate_document
from tests.conftest import DEFAULT_PASSWORD
from tests.profiles.conftest import Api


def test_export_includes_profile_and_pool(
    api: Api, client: FlaskClient, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    api.put("/api/v1/profile", document)
    api.post("/api/v1/pool")
    exported = json.loads(client.get("/account/export").get_data(as_text=True))
    section = exported["profile"]
    assert {key: section[key] for key in document} == document
    assert section["pool"]["waiting"] is True
    assert section["pool"]["since"]


def test_export_of_a_never_saved_profile(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    exported = json.loads(client.get("/account/export").get_data(as_text=True))
    assert exported["profile"]["saved"] is False
    assert exported["profile"]["pool"] == {
        "waiting": False,
        "since": None,
        "last_reason": None,
        "last_round_at": None,
    }


def test_deleting_the_account_removes_profile_and_pool_entry(
    app: Flask,
    api: Api,
    client: FlaskClient,
    login_as: Callable[..., User],
    snapshot: Callable[[], Any],
    document: dict[str, Any],
) -> None:
    empty = snapshot()
    user = login_as()
    api.put("/api/v1/profile", document)
    api.post("/api/v1/pool")
    assert snapshot() != empty
    response = client.post(
        "/account/delete", data={"password": DEFAULT_PASSWORD, "csrf_token": api.csrf()}
    )
    assert response.status_code == 302
    assert snapshot() == empty
    with app.app_context():
        assert db.session.get(Profile, user.id) is None


def test_seed_demo_creates_profiles_and_a_pool(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-demo", "--users", "40"])
    assert result.exit_code == 0, result.output
    assert "Profiles for 40 members" in result.output
    with app.app_context():
        profiles = db.session.scalar(select(func.count()).select_from(Profile))
        waiting = db.session.scalar(select(func.count()).select_from(PoolEntry))
    assert profiles == 40
    assert waiting is not None
    assert 20 <= waiting <= 40


def test_demo_documents_are_valid_and_varied() -> None:
    rng = random.Random(3)
    documents = [demo_document(rng) for _ in range(300)]
    for document in documents:
        assert validate_document(document) == document
        assert is_complete(document)
    languages = Counter(code for d in documents for code in d["languages"])
    assert languages.most_common(1)[0][0] == "en"
    assert {"es", "de", "fr"} <= set(languages)
    assert len({d["timezone"] for d in documents}) >= 5
    assert len({d["pace"] for d in documents}) == 2
    assert len({i for d in documents for i in d["interests"]}) >= 80
    assert sum(1 for d in documents if d["about"]) > 200
