"""Site pages, crisis resources and the health check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import text_of


@pytest.mark.parametrize(
    "path", ["/", "/help", "/guidelines", "/account/login", "/account/register"]
)
def test_every_page_links_to_crisis_help(client: FlaskClient, path: str) -> None:
    html = text_of(client.get(path))
    assert 'href="/help"' in html
    assert "Need help now?" in html


def test_crisis_page_lists_required_regions(client: FlaskClient) -> None:
    html = text_of(client.get("/help"))
    for expected in ("988", "116 123", "13 11 14", "9-8-8", "findahelpline.com"):
        assert expected in html


def test_guidelines_cover_the_essentials(client: FlaskClient) -> None:
    html = text_of(client.get("/guidelines"))
    for topic in (
        "Support, don't fix",
        "contact details",
        "sexual content",
        "not methods",
        "crisis",
        "not therapy",
    ):
        assert topic in html


def test_healthz_reports_database_and_queue(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok", "queue": "none"}


class TestCrisisOverride:
    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        path = tmp_path / "resources.json"
        path.write_text(
            json.dumps(
                [
                    {
                        "name": "Local Line",
                        "contact": "Call 0800 000",
                        "url": "https://local.example",
                        "region": "XX",
                    }
                ]
            )
        )
        return {"CRISIS_RESOURCES_FILE": str(path)}

    def test_operators_can_replace_the_list(self, client: FlaskClient) -> None:
        html = text_of(client.get("/help"))
        assert "Local Line" in html
        assert "988" not in html


class TestBrokenCrisisOverride:
    @pytest.fixture
    def app_overrides(self, tmp_path: Path) -> dict[str, Any]:
        path = tmp_path / "broken.json"
        path.write_text("{not json")
        return {"CRISIS_RESOURCES_FILE": str(path)}

    def test_a_broken_override_falls_back_to_built_in(self, client: FlaskClient) -> None:
        html = text_of(client.get("/help"))
        assert "988" in html


def test_unknown_page_is_kind(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "couldn't find" in text_of(response)


def test_unknown_api_path_is_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
