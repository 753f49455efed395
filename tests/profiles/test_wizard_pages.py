"""The setup wizard without JavaScript: each step is a plain form that saves and
moves on; errors are shown on the step; the review joins the pool."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from accounts.models import User
from tests.conftest import text_of
from tests.profiles.conftest import Api

STEP_FORMS: list[tuple[str, dict[str, Any], str]] = [
    ("reasons", {"reasons": ["social-anxiety", "working-remotely"]}, "interests"),
    ("interests", {"interests": ["cats", "tea", "journaling"]}, "about"),
    ("about", {"about": "  Night owl, tea drinker, slow replier.  "}, "comfort"),
    (
        "comfort",
        {
            "talk_style": "listen_first",
            "max_group_size": "4",
            "pace": "live",
            "support_style": "just_listen",
            "avoid_topics": ["grief-and-loss"],
        },
        "practical",
    ),
    (
        "practical",
        {
            "languages": ["en"],
            "other_language": "cy",
            "timezone": "Europe/London",
            "availability": ["weekday_evening", "weekend_evening"],
            "age_band": "35-49",
        },
        "review",
    ),
]


def _post_step(
    client: FlaskClient, csrf: str, step: str, data: dict[str, Any], **extra: str
) -> Any:
    return client.post("/profile", data={"csrf_token": csrf, "step": step, **data, **extra})


def test_plain_form_wizard_saves_each_step(
    api: Api, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    page = text_of(client.get("/profile"))
    assert "What brings you here" in page
    assert "Step 1 of 6" in page
    for step, data, next_step in STEP_FORMS:
        response = _post_step(client, api.csrf(), step, data)
        assert response.status_code == 302, (step, text_of(response)[:2000])
        assert response.headers["Location"].endswith(f"/profile?step={next_step}")
    saved = api.get("/api/v1/profile").get_json()
    assert saved == {
        "interests": ["cats", "tea", "journaling"],
        "about": "Night owl, tea drinker, slow replier.",
        "reasons": ["social-anxiety", "working-remotely"],
        "talk_style": "listen_first",
        "max_group_size": 4,
        "pace": "live",
        "support_style": "just_listen",
        "avoid_topics": ["grief-and-loss"],
        "languages": ["en", "cy"],
        "timezone": "Europe/London",
        "availability": ["weekday_evening", "weekend_evening"],
        "age_band": "35-49",
    }
    review = text_of(client.get("/profile"))  # a complete profile opens on the review
    assert "Your profile" in review
    assert "Welsh" in review
    assert "Join the waiting pool" in review

    joined = client.post("/profile/pool", data={"csrf_token": api.csrf()})
    assert joined.status_code == 302
    assert joined.headers["Location"].endswith("/groups")
    assert "looking for your group" in text_of(client.get("/groups"))


def test_step_errors_are_shown_and_nothing_is_saved(
    api: Api, client: FlaskClient, login_as: Callable[..., User], snapshot: Callable[[], Any]
) -> None:
    login_as()
    before = snapshot()
    response = _post_step(client, api.csrf(), "interests", {})
    assert response.status_code == 400
    page = text_of(response)
    assert "Something needs a look" in page
    # The summary names the field itself, not the first category of interests.
    assert summary_items(page) == ["Interests: Please choose at least 1 of the interests."]
    response = _post_step(client, api.csrf(), "about", {"about": "mail me: me@example.com"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Please leave out email addresses" in page
    assert "mail me: me@example.com" in page  # what they typed is kept
    response = _post_step(
        client, api.csrf(), "practical", {"timezone": "Nowhere/Town", "age_band": "25-34"}
    )
    assert response.status_code == 400
    assert "at least one language" in text_of(response)
    assert snapshot() == before


def test_edit_mode_returns_to_review(
    api: Api, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    page = text_of(client.get("/profile?step=comfort&edit=1"))
    assert "Save and go back to review" in page
    response = _post_step(client, api.csrf(), "about", {"about": "Hi."}, edit="1")
    assert response.headers["Location"].endswith("/profile?step=review")


def test_joining_from_review_with_gaps_lists_them(
    api: Api, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    api.patch("/api/v1/profile", {"interests": ["cats"]})
    review = text_of(client.get("/profile?step=review"))
    assert "still to fill in" in review
    assert "Fill in what's missing" in review
    response = client.post("/profile/pool", data={"csrf_token": api.csrf()})
    assert response.status_code == 409
    assert api.get("/api/v1/pool").get_json()["waiting"] is False


def test_wizard_posts_need_csrf(client: FlaskClient, login_as: Callable[..., User]) -> None:
    login_as()
    assert client.post("/profile", data={"step": "about", "about": "hi"}).status_code == 400
    assert client.post("/profile/pool").status_code == 400


def test_unknown_step_is_refused(
    api: Api, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    login_as()
    assert _post_step(client, api.csrf(), "nonsense", {"reasons": []}).status_code == 400


@pytest.mark.parametrize(
    "step", ["reasons", "interests", "about", "comfort", "practical", "review"]
)
def test_every_step_explains_itself_and_asks_nothing_identifying(
    client: FlaskClient, login_as: Callable[..., User], step: str
) -> None:
    login_as()
    response = client.get(f"/profile?step={step}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="wizard__why"' in html
    # No inline script or style: the CSP forbids them.
    assert "<script>" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    for forbidden in (
        'type="email"',
        'type="tel"',
        'type="file"',
        'name="name"',
        "real name</label>",
    ):
        assert forbidden not in html


def summary_items(page: str) -> list[str]:
    """The error summary's lines, as text."""
    listing = re.search(r'<ul id="form-problems-list">(.*?)</ul>', page, re.S)
    assert listing, "no error summary"
    items = re.findall(r"<li>(.*?)</li>", listing.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


@pytest.mark.parametrize(
    ("step", "data", "expected"),
    [
        ("interests", {}, ["Interests"]),
        ("about", {"about": "x" * 501}, ["About you"]),
        ("comfort", {}, ["How you like to talk", "Largest group", "Pace", "Support"]),
        ("practical", {"timezone": "Nowhere/Town"}, ["Languages", "Time zone", "Age range"]),
    ],
)
def test_error_summary_names_each_field_in_page_order(
    api: Api,
    client: FlaskClient,
    login_as: Callable[..., User],
    step: str,
    data: dict[str, Any],
    expected: list[str],
) -> None:
    login_as()
    page = text_of(_post_step(client, api.csrf(), step, data))
    names = [item.split(":")[0] for item in summary_items(page)]
    assert names == expected
    # The same order as the fields' own places on the page.
    places = [page.index(f'id="field-{name}"') for name in _fields_named(page, names)]
    assert places == sorted(places)


def _fields_named(page: str, names: list[str]) -> list[str]:
    links = re.findall(r'<a href="#field-([a-z_]+)">([^<]+)</a>', page)
    by_label = {label: field for field, label in links}
    return [by_label[name] for name in names]
