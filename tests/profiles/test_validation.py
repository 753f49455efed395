"""One case per validation rule: 400, the field named, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import User
from profiles import validation
from profiles.taxonomy import load_taxonomy
from profiles.validation import ProfileInvalid, validate_document
from tests.profiles.conftest import VALID_DOCUMENT, Api

#: (case id, changes to the valid document, field expected in error.fields)
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("interests not a list", {"interests": "cats"}, "interests"),
    ("interest not text", {"interests": ["cats", 3]}, "interests"),
    ("interests null", {"interests": None}, "interests"),
    ("unknown interest", {"interests": ["cats", "underwater-basket-weaving"]}, "interests"),
    ("duplicate interests", {"interests": ["cats", "cats"]}, "interests"),
    ("no interests", {"interests": []}, "interests"),
    ("too many interests", {"interests": [i["slug"] for i in []] or None}, "interests"),
    ("about too long", {"about": "a" * 501}, "about"),
    ("about null", {"about": None}, "about"),
    ("about not text", {"about": 42}, "about"),
    ("about with an email", {"about": "write to me at sam@example.org"}, "about"),
    ("about with a phone number", {"about": "text me on +44 7700 900123"}, "about"),
    ("about with a link", {"about": "my blog: https://example.net/me"}, "about"),
    ("unknown reason", {"reasons": ["boredom-at-work"]}, "reasons"),
    ("duplicate reasons", {"reasons": ["low-mood", "low-mood"]}, "reasons"),
    ("reasons null", {"reasons": None}, "reasons"),
    ("talk style unknown", {"talk_style": "shout"}, "talk_style"),
    ("talk style null", {"talk_style": None}, "talk_style"),
    ("talk style wrong type", {"talk_style": 1}, "talk_style"),
    ("bool as max_group_size", {"max_group_size": True}, "max_group_size"),
    ("max_group_size as text", {"max_group_size": "4"}, "max_group_size"),
    ("max_group_size as float", {"max_group_size": 4.0}, "max_group_size"),
    ("max_group_size too small", {"max_group_size": 2}, "max_group_size"),
    ("max_group_size too large", {"max_group_size": 7}, "max_group_size"),
    ("max_group_size null", {"max_group_size": None}, "max_group_size"),
    ("pace unknown", {"pace": "fast"}, "pace"),
    ("support style unknown", {"support_style": "fix_me"}, "support_style"),
    ("unknown avoided topic", {"avoid_topics": ["spiders"]}, "avoid_topics"),
    ("duplicate avoided topics", {"avoid_topics": ["politics", "politics"]}, "avoid_topics"),
    ("empty languages", {"languages": []}, "languages"),
    ("non-ISO language", {"languages": ["english"]}, "languages"),
    ("three-letter language", {"languages": ["eng"]}, "languages"),
    ("upper-case language", {"languages": ["EN"]}, "languages"),
    ("duplicate languages", {"languages": ["en", "en"]}, "languages"),
    ("bad timezone", {"timezone": "Europe/Atlantis"}, "timezone"),
    ("timezone null", {"timezone": None}, "timezone"),
    ("timezone wrong type", {"timezone": ["Europe/Berlin"]}, "timezone"),
    ("unknown time slot", {"availability": ["midnight"]}, "availability"),
    (
        "duplicate time slots",
        {"availability": ["weekday_evening", "weekday_evening"]},
        "availability",
    ),
    ("live pace without availability", {"pace": "live", "availability": []}, "availability"),
    ("age band unknown", {"age_band": "12-17"}, "age_band"),
    ("age band as number", {"age_band": 30}, "age_band"),
    ("extra key", {"real_name": "Sam"}, "real_name"),
]
# Twenty-one real interests: one more than allowed.
CASES[6] = (
    "too many interests",
    {
        "interests": [
            "fantasy-books", "science-fiction-books", "mystery-and-crime-novels", "poetry",
            "video-games", "board-games", "chess", "movies", "anime", "documentaries",
            "pop-music", "jazz-and-blues", "gardening", "houseplants", "running", "yoga",
            "baking", "coffee", "cats", "dogs", "photography",
        ]
    },
    "interests",
)  # fmt: skip


@pytest.mark.parametrize(("changes", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_rule(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ProfileInvalid) as caught:
        validate_document(VALID_DOCUMENT | changes)
    assert field in caught.value.fields
    assert caught.value.fields[field].strip()


def test_api_refuses_every_invalid_document_and_writes_nothing(
    api: Api,
    login_as: Callable[..., User],
    snapshot: Callable[[], Any],
    document: dict[str, Any],
) -> None:
    """The same matrix through PUT /api/v1/profile (one app and user, for speed)."""
    login_as()
    assert api.put("/api/v1/profile", document).status_code == 200
    before = snapshot()
    for case, changes, field in CASES:
        response = api.put("/api/v1/profile", document | changes)
        assert response.status_code == 400, case
        error = response.get_json()["error"]
        assert error["code"] == "invalid", case
        assert field in error["fields"], (case, error)
        assert snapshot() == before, case
    assert api.get("/api/v1/profile").get_json() == document


def test_first_invalid_put_creates_no_profile(
    api: Api, login_as: Callable[..., User], snapshot: Callable[[], Any], document: dict[str, Any]
) -> None:
    login_as()
    before = snapshot()
    response = api.put("/api/v1/profile", document | {"languages": []})
    assert response.status_code == 400
    assert snapshot() == before


def test_missing_key_in_put_is_named(
    api: Api, login_as: Callable[..., User], document: dict[str, Any]
) -> None:
    login_as()
    del document["age_band"]
    response = api.put("/api/v1/profile", document)
    assert response.status_code == 400
    assert "age_band" in response.get_json()["error"]["fields"]


def test_every_problem_is_reported_at_once() -> None:
    bad = VALID_DOCUMENT | {"interests": [], "timezone": "nowhere", "max_group_size": 9}
    with pytest.raises(ProfileInvalid) as caught:
        validate_document(bad)
    assert set(caught.value.fields) == {"interests", "timezone", "max_group_size"}


def test_slow_pace_needs_no_times() -> None:
    cleaned = validate_document(VALID_DOCUMENT | {"pace": "slow", "availability": []})
    assert cleaned["availability"] == []


def test_about_of_exactly_500_characters_after_trimming_is_fine() -> None:
    about = "  " + "a" * 500 + "  "
    assert validate_document(VALID_DOCUMENT | {"about": about})["about"] == "a" * 500


@pytest.mark.parametrize(
    "text",
    [
        "I loved 1990-2000 music and I'm 34.",
        "I read about 3 books a month and walk 10 km on Sundays.",
        "Big fan of node.js, C++ and .NET.",
        "Cats > dogs (sorry!)",
    ],
)
def test_ordinary_about_text_is_not_taken_for_contact_details(text: str) -> None:
    assert validation.contact_details_problem(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "sam.smith@gmail.com",
        "sam at gmail dot com",
        "www.example.com",
        "find me on example.org",
        "0171 555 1234",
        "insta: sunny_otter",
    ],
)
def test_contact_details_are_refused_kindly(text: str) -> None:
    problem = validation.contact_details_problem(text)
    assert problem is not None
    assert problem.startswith("Please")


def test_missing_fields_lists_what_the_pool_needs() -> None:
    empty = validation.empty_document()
    assert validation.missing_fields(empty) == [
        "interests",
        "talk_style",
        "max_group_size",
        "pace",
        "support_style",
        "languages",
        "timezone",
        "age_band",
    ]
    assert "availability" in validation.missing_fields(empty | {"pace": "live"})
    assert validation.is_complete(VALID_DOCUMENT)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(validation.FIELDS), _json, max_size=4))
def test_any_json_either_validates_or_names_its_fields(changes: dict[str, Any]) -> None:
    """Junk never crashes validation: it is cleaned or refused field by field."""
    fields: dict[str, str] = {}
    try:
        cleaned = validate_document(VALID_DOCUMENT | changes)
    except ProfileInvalid as problem:
        fields = problem.fields
    if fields:
        assert set(fields) <= set(validation.FIELDS)
    else:
        assert set(cleaned) == set(validation.FIELDS)


@settings(max_examples=50, deadline=None)
@given(
    interests=st.lists(
        st.sampled_from(sorted(load_taxonomy().interest_slugs)),
        min_size=1,
        max_size=20,
        unique=True,
    ),
    size=st.integers(3, 6),
    slots=st.lists(st.sampled_from(validation.SLOTS), min_size=1, unique=True),
)
def test_valid_documents_come_back_unchanged(
    interests: list[str], size: int, slots: list[str]
) -> None:
    document = VALID_DOCUMENT | {
        "interests": interests,
        "max_group_size": size,
        "availability": slots,
    }
    assert validate_document(document) == document
