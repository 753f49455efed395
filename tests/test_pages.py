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


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-US", "988"),
        ("en-GB", "116 123"),
        ("en-AU", "13 11 14"),
        ("fr-CA", "9-8-8"),
        ("de-DE", "0800 111 0 111"),
        (None, "findahelpline.com"),
    ],
)
def test_crisis_page_lists_the_visitors_region_then_international(
    client: FlaskClient, accept_language: str | None, expected: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    html = text_of(client.get("/help", headers=headers))
    assert expected in html
    assert "findahelpline.com" in html
    assert html.index(expected) <= html.index("findahelpline.com")


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
        line = {"source_url": "https://local.example/about", "checked": "2026-12-01"}
        path.write_text(
            json.dumps(
                [
                    {
                        "name": "Local Line",
                        "contact": "Call 0800 000",
                        "url": "https://local.example",
                        "region": "LU",
                        **line,
                    },
                    {
                        "name": "Everywhere Line",
                        "contact": "Online",
                        "url": "https://everywhere.example",
                        "region": "INTL",
                        **line,
                    },
                ]
            )
        )
        return {"CRISIS_RESOURCES_FILE": str(path)}

    def test_operators_can_replace_the_list(self, client: FlaskClient) -> None:
        html = text_of(client.get("/help", headers={"Accept-Language": "fr-LU"}))
        assert "Local Line" in html
        assert "Everywhere Line" in html
        assert "988" not in html


def test_unknown_page_is_kind(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "couldn't find" in text_of(response)


def test_unknown_api_path_is_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
