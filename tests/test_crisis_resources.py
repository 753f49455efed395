"""Crisis lines by region in the app (issue 14 §3, CONTRACT.md §6.5): the API, the help
page and its region choice, and the operator's override file checked at start."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from app import create_app
from db import db
from profiles.models import Profile
from tests.conftest import text_of

API = "/api/v1/crisis-resources"
FIELDS = {"name", "contact", "url", "region", "source_url", "checked"}


def set_timezone(app: Flask, user: User, zone: str) -> None:
    with app.app_context():
        profile = db.session.get(Profile, user.id)
        if profile is None:
            db.session.add(Profile(user_id=user.id, timezone=zone))
        else:
            profile.timezone = zone
        db.session.commit()


def regions_of(body: dict[str, Any]) -> list[str]:
    return [line["region"] for line in body["resources"]]


def test_api_lists_the_asked_region_first_then_international(client: FlaskClient) -> None:
    response = client.get(API, query_string={"region": "DE"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["region"] == "DE"
    regions = regions_of(body)
    assert regions[0] == "DE"
    assert set(regions) == {"DE", "INTL"}
    assert regions == sorted(regions, key=lambda r: r == "INTL")
    assert "TelefonSeelsorge" in body["resources"][0]["name"]
    for line in body["resources"]:
        assert set(line) == FIELDS
        assert line["source_url"].startswith("https://")


def test_api_accepts_lower_case_and_intl(client: FlaskClient) -> None:
    assert client.get(API, query_string={"region": "br"}).get_json()["region"] == "BR"
    body = client.get(API, query_string={"region": "INTL"}).get_json()
    assert body["region"] == "INTL"
    assert set(regions_of(body)) == {"INTL"}


def test_a_country_without_lines_gets_the_international_ones(client: FlaskClient) -> None:
    body = client.get(API, query_string={"region": "IS"}).get_json()
    assert body["region"] == "IS"
    assert set(regions_of(body)) == {"INTL"}


@pytest.mark.parametrize("region", ["XX", "DEU", "Germany", "", "1", "D E"])
def test_api_refuses_an_unknown_or_malformed_region(client: FlaskClient, region: str) -> None:
    response = client.get(API, query_string={"region": region})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert "two-letter country code" in error["message"]
    assert "region" in error["fields"]


@pytest.mark.parametrize(
    ("zone", "first"),
    [("Europe/Berlin", "DE"), ("America/Sao_Paulo", "BR"), ("Mars/Olympus_Mons", "INTL")],
)
def test_api_without_region_uses_the_profile_time_zone(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], zone: str, first: str
) -> None:
    user = login_as()
    set_timezone(app, user, zone)
    body = client.get(API).get_json()
    assert body["region"] == first
    assert regions_of(body)[0] == first


def test_api_without_time_zone_uses_accept_language_then_international(
    client: FlaskClient,
) -> None:
    body = client.get(API, headers={"Accept-Language": "pt-BR,pt;q=0.9"}).get_json()
    assert body["region"] == "BR"
    assert client.get(API, headers={"Accept-Language": "en"}).get_json()["region"] == "INTL"
    assert client.get(API).get_json()["region"] == "INTL"


def test_a_person_can_choose_their_region_on_the_help_page(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], csrf: Callable[[], str]
) -> None:
    user = login_as()
    set_timezone(app, user, "Europe/Berlin")
    assert "TelefonSeelsorge" in text_of(client.get("/help"))
    response = client.post("/help/region", data={"region": "IE", "csrf_token": csrf()})
    assert response.status_code == 302
    html = text_of(client.get("/help"))
    assert "Samaritans Ireland" in html
    assert "TelefonSeelsorge" not in html
    assert '<option value="IE" selected>' in html
    # The API and the page agree, and a made-up region changes nothing.
    assert client.get(API).get_json()["region"] == "IE"
    client.post("/help/region", data={"region": "XX", "csrf_token": csrf()})
    assert client.get(API).get_json()["region"] == "IE"


def test_choosing_a_region_needs_the_csrf_token(client: FlaskClient) -> None:
    assert client.post("/help/region", data={"region": "IE"}).status_code == 400
    assert client.get(API).get_json()["region"] == "INTL"


def test_crisis_address_leads_to_the_help_page(client: FlaskClient) -> None:
    response = client.get("/crisis")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/help")


def test_peer_guidance_page_covers_what_helps_and_the_readers_lines(
    client: FlaskClient,
) -> None:
    html = text_of(client.get("/help/someone-shares", headers={"Accept-Language": "en-GB"}))
    for heading in (
        "When someone shares something hard",
        "What helps",
        "What not to say",
        "Looking after yourself",
        "Crisis lines for Britain (UK)",
    ):
        assert heading in html
    assert "116 123" in html
    assert "findahelpline.com" in html


# -- the operator's override ----------------------------------------------------------


def write(tmp_path: Path, content: Any) -> str:
    path = tmp_path / "lines.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        (
            [{"name": "Local", "contact": "x", "url": "https://x.example", "region": "DE"}],
            "missing",
        ),
        (
            [
                {
                    "name": "Local",
                    "contact": "x",
                    "url": "https://x.example",
                    "region": "Atlantis",
                    "source_url": "https://x.example",
                    "checked": "2026-12-01",
                }
            ],
            "region 'Atlantis'",
        ),
    ],
)
def test_a_bad_override_stops_the_app_at_start(
    tmp_path: Path, database_url: str, content: Any, reason: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(RuntimeError) as refused:
        create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, CRISIS_RESOURCES_FILE=path)
    assert "CRISIS_RESOURCES_FILE is not usable" in str(refused.value)
    assert reason in str(refused.value)
    assert path in str(refused.value)


def test_a_missing_override_stops_the_app_at_start(tmp_path: Path, database_url: str) -> None:
    with pytest.raises(RuntimeError, match="cannot be read"):
        create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=database_url,
            CRISIS_RESOURCES_FILE=str(tmp_path / "nope.json"),
        )


def test_the_override_is_read_from_the_environment(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRISIS_RESOURCES_FILE", write(tmp_path, "[]"))
    with pytest.raises(RuntimeError, match="non-empty JSON list"):
        create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    good = [
        {
            "name": name,
            "contact": "Call 1",
            "url": "https://x.example",
            "region": region,
            "source_url": "https://x.example/about",
            "checked": "2026-12-01",
        }
        for name, region in (("Island line", "IS"), ("World line", "INTL"))
    ]
    monkeypatch.setenv("CRISIS_RESOURCES_FILE", write(tmp_path, good))
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    body = app.test_client().get(API, query_string={"region": "IS"}).get_json()
    assert [line["name"] for line in body["resources"]] == ["Island line", "World line"]
    with app.app_context():
        db.engine.dispose()


def test_resources_a_moderator_sends_follow_the_persons_region(
    app: Flask, make_user: Callable[..., User]
) -> None:
    from moderation import care

    person = make_user()
    set_timezone(app, person, "America/Sao_Paulo")
    with app.test_request_context():
        found = db.session.get(User, person.id)
        assert found is not None
        lines = care.resources_for(found)
        assert lines[0]["region"] == "BR"
        assert {line["region"] for line in lines} == {"BR", "INTL"}
        assert "CVV" in care.resources_text(found).splitlines()[2]
