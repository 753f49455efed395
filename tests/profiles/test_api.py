"""The profile document API: taxonomy, round trip, defaults, PATCH per step, CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from accounts.models import User
from profiles.taxonomy import load_taxonomy
from tests.profiles.conftest import Api

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def test_interests_endpoint_shape_and_counts(client: FlaskClient) -> None:
    response = client.get("/api/v1/interests")
    assert response.status_code == 200
    body = response.get_json()
    interests, topics = body["interests"], body["avoidable_topics"]
    assert 80 <= len(interests) <= 150
    assert 10 <= len({i["category"] for i in interests}) <= 14
    assert 10 <= len(topics) <= 15
    assert 8 <= len(body["reasons"]) <= 12
    assert {c["slug"] for c in body["categories"]} == {i["category"] for i in interests}
    for item in interests:
        assert set(item) == {"slug", "label", "category"}
    for item in topics:
        assert {"slug", "label"} <= set(item)
    slugs = [i["slug"] for i in interests] + [t["slug"] for t in topics]
    slugs += [r["slug"] for r in body["reasons"]]
    assert all(re.fullmatch(SLUG, slug) for slug in slugs)
    assert len(set(i["slug"] for i in interests)) == len(interests)


def test_related_interests_exist_and_raise_topics() -> None:
    taxonomy = load_taxonomy()
    for topic in taxonomy.avoidable_topics:
        assert set(topic.related_interests) <= taxonomy.interest_slugs, topic.slug
    assert "politics" in taxonomy.topics_raised_by(["politics-and-current-affairs"])
    assert taxonomy.topics_raised_by(["cats", "baking"]) == set()
    assert all(interest.weight > 0 for interest in taxonomy.interests)


def test_never_saved_profile_reads_as_defaults(api: Api, login_as: Callable[..., User]) -> None:
    login_as()
    response = api.get("/api/v1/profile")
    assert response.status_code == 200
    assert response.get_json() == {
        "interests": [],
        "about": "",
        "reasons": [],
        "talk_style": None,
        "max_group_size": None,
        "pace": None,
        "support_style": None,
        "avoid_topics": [],
        "languages": [],
        "timezone": None,
        "availability": [],
        "age_band": None,
    }


def test_put_then_get_round_trips(
    api: Api, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    response = api.put("/api/v1/profile", document)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == document
    assert api.get("/api/v1/profile").get_json() == document


def test_put_replaces_the_whole_document(
    api: Api, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    api.put("/api/v1/profile", document)
    second = dict(
        document,
        interests=["cats", "fantasy-books"],
        languages=["fr"],
        availability=[],
        pace="slow",
        avoid_topics=[],
        about="",
    )
    assert api.put("/api/v1/profile", second).status_code == 200
    assert api.get("/api/v1/profile").get_json() == second


def test_about_is_trimmed(
    api: Api, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    document["about"] = "   hello there  \n"
    assert api.put("/api/v1/profile", document).get_json()["about"] == "hello there"


def test_profiles_are_private_to_their_owner(
    api: Api,
    auth: Any,
    login_as: Callable[..., User],
    make_user: Callable[..., User],
    document: dict[str, Any],
) -> None:
    login_as()
    api.put("/api/v1/profile", document)
    auth.logout()
    other = make_user()
    auth.login(other.handle)
    assert api.get("/api/v1/profile").get_json()["interests"] == []


STEPS = [
    {"reasons": ["low-mood"]},
    {"interests": ["cats", "gardening"]},
    {"about": "Mostly plants and a very loud cat."},
    {
        "talk_style": "listen_first",
        "max_group_size": 4,
        "pace": "live",
        "support_style": "open_to_advice",
        "avoid_topics": ["grief-and-loss"],
    },
    {
        "languages": ["es", "en"],
        "timezone": "America/Mexico_City",
        "availability": ["weekend_morning"],
        "age_band": "50-64",
    },
]


def test_patch_saves_each_step_and_keeps_the_rest(api: Api, login_as: Callable[..., User]) -> None:
    login_as()
    expected = api.get("/api/v1/profile").get_json()
    for step in STEPS:
        response = api.patch("/api/v1/profile", step)
        assert response.status_code == 200, response.get_json()
        expected.update(step)
        assert api.get("/api/v1/profile").get_json() == expected
    assert api.get("/api/v1/profile/status").get_json() == {"complete": True, "missing": []}


def test_patch_live_pace_before_times_is_allowed_but_incomplete(
    api: Api, login_as: Callable[..., User]
) -> None:
    login_as()
    assert api.patch("/api/v1/profile", {"pace": "live"}).status_code == 200
    status = api.get("/api/v1/profile/status").get_json()
    assert "availability" in status["missing"]
    response = api.patch("/api/v1/profile", {"availability": []})
    assert response.status_code == 400
    assert "availability" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"interests": []}, "interests"),
        ({"max_group_size": True}, "max_group_size"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"colour": "blue"}, "colour"),
        ({}, "document"),
        (["interests"], "document"),
    ],
)
def test_patch_validates_like_put(
    api: Api, login_as: Callable[..., User], body: Any, field: str, snapshot: Any
) -> None:
    login_as()
    api.patch("/api/v1/profile", {"interests": ["cats"]})
    before = snapshot()
    response = api.patch("/api/v1/profile", body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert snapshot() == before


def test_non_json_body_is_refused(
    api: Api, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    response = client.put(
        "/api/v1/profile",
        data="not json",
        headers={"X-CSRFToken": api.csrf(), "Content-Type": "text/plain"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {
        "document": "Please send the profile as a JSON object."
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/api/v1/profile"),
        ("PATCH", "/api/v1/profile"),
        ("POST", "/api/v1/pool"),
        ("DELETE", "/api/v1/pool"),
    ],
)
def test_unsafe_methods_need_the_csrf_header(
    client: FlaskClient,
    login_as: Callable[..., User],
    document: dict[str, Any],
    snapshot: Any,
    method: str,
    path: str,
) -> None:
    login_as()
    before = snapshot()
    response = client.open(path, method=method, json=document)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert snapshot() == before


def test_profile_api_needs_login(client: FlaskClient, document: dict[str, Any]) -> None:
    assert client.get("/api/v1/profile").status_code == 401
    assert client.get("/api/v1/pool").status_code == 401
