"""Unit tests for matching.features: vectors, time conversion, masks, neighbours."""

from __future__ import annotations

import numpy as np
import pytest

from matching.features import (
    ALL_HOURS_MASK,
    Candidate,
    build_features,
    compatible_block,
    compatible_neighbors,
    normalize_token,
    utc_hours_for,
)


def _hours(day: int, start: int, end: int) -> set[int]:
    return {day * 24 + h for h in range(start, end)}


def test_weekday_morning_in_utc_is_seven_to_noon_monday_to_friday() -> None:
    hours = utc_hours_for(["weekday_morning"], "UTC")
    assert hours == frozenset().union(*(_hours(d, 7, 12) for d in range(5)))


def test_local_slots_are_shifted_to_utc_on_the_reference_week() -> None:
    # New York is UTC-5 in January: a 17-22 evening is 22-03 UTC, spilling into the next day.
    hours = utc_hours_for(["weekend_evening"], "America/New_York")
    expected = _hours(5, 22, 24) | _hours(6, 0, 3) | _hours(6, 22, 24) | {0, 1, 2}
    assert hours == frozenset(expected)


def test_sunday_night_in_tokyo_wraps_into_the_utc_week() -> None:
    hours = utc_hours_for(["weekday_morning"], "Asia/Tokyo")  # UTC+9: 22-03 UTC the day before
    assert 167 in hours  # Monday 07:00 Tokyo is Sunday 22:00 UTC


def test_unknown_time_zone_and_slots_fall_back_safely() -> None:
    assert utc_hours_for(["weekday_morning", "nonsense"], "Not/AZone") == utc_hours_for(
        ["weekday_morning"], "UTC"
    )


def test_slow_pace_needs_no_shared_time_and_utc_hours_override() -> None:
    features = build_features(
        [
            Candidate(1, ["a"], pace="slow", availability=[]),
            Candidate(2, ["a"], utc_hours=frozenset({0, 1, 2})),
        ]
    )
    assert features.time_masks[0] == ALL_HOURS_MASK
    assert features.time_masks[1] == 0b111


def test_vectors_are_unit_length_and_rare_shared_interests_weigh_more() -> None:
    people = [Candidate(i, ["walking"]) for i in range(8)]
    people += [
        Candidate(100, ["walking", "bonsai"]),
        Candidate(101, ["walking", "bonsai"]),
        Candidate(102, ["walking", "chess"]),
    ]
    features = build_features(people)
    norms = np.linalg.norm(features.vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert features.interest_idf["bonsai"] > features.interest_idf["walking"]
    v = features.vectors
    assert v[8] @ v[9] > v[8] @ v[10]


def test_any_vocabulary_is_normalised() -> None:
    features = build_features(
        [Candidate(1, ["  Cozy   Mysteries "]), Candidate(2, ["cozy mysteries", "🧶 Knitting"])]
    )
    assert features.interest_tokens[0] == ["cozy mysteries"]
    assert "🧶 knitting" in features.interest_tokens[1]
    assert normalize_token("Ägyptologie ") == "ägyptologie"


def test_about_text_is_optional_and_may_be_only_stop_words() -> None:
    features = build_features([Candidate(1, ["a"], about="a"), Candidate(2, ["b"], about="")])
    assert features.vectors.shape[0] == 2
    features = build_features(
        [Candidate(1, ["x"], about="gardening and tea"), Candidate(2, ["y"], about="tea")]
    )
    assert float(features.vectors[0] @ features.vectors[1]) > 0


def test_compatible_block_applies_language_time_and_avoided_topics() -> None:
    people = [
        Candidate(1, ["grief"], languages=["en"], availability=["weekday_evening"]),
        Candidate(2, ["tea"], languages=["en"], avoid_topics=["Grief"]),
        Candidate(3, ["tea"], languages=["fr"]),
        Candidate(4, ["tea"], languages=["en"], availability=["weekend_morning"]),
        Candidate(5, ["tea"], languages=["en", "fr"]),
    ]
    features = build_features(people)
    everyone = np.arange(5)
    ok = compatible_block(features, everyone, everyone)
    assert not ok[0, 1]  # avoided topic vs interest, both ways
    assert not ok[1, 0]
    assert not ok[0, 2]  # no shared language
    assert not ok[0, 3]  # no shared hours
    assert ok[0, 4]
    assert ok[2, 4]
    assert (ok == ok.T).all()


@pytest.mark.parametrize("exact_below", [10_000, 100])
def test_neighbours_are_compatible_sorted_and_never_self(exact_below: int) -> None:
    rng = np.random.default_rng(3)
    vocabulary = [f"tag{i}" for i in range(30)]
    people = [
        Candidate(
            i,
            list(rng.choice(vocabulary, size=4, replace=False)),
            languages=[str(rng.choice(["en", "fr"]))],
            avoid_topics=["tag0"] if i % 7 == 0 else [],
        )
        for i in range(600)
    ]
    features = build_features(people)
    idx, sims = compatible_neighbors(features, 8, exact_below=exact_below, cell_size=150)
    assert (idx != np.arange(600)[:, None]).all()
    found = idx >= 0
    assert found[:, 0].all()
    rows = np.repeat(np.arange(600), 8)[found.ravel()]
    ok = compatible_block(features, rows, idx.ravel()[found.ravel()])
    assert ok.diagonal().all()
    assert (np.diff(np.where(found, sims, -1.0), axis=1) <= 1e-6).all()


def test_blocked_search_recalls_most_exact_neighbours() -> None:
    rng = np.random.default_rng(5)
    vocabulary = [f"tag{i}" for i in range(40)]
    people = [
        Candidate(i, list(rng.choice(vocabulary, size=5, replace=False))) for i in range(2000)
    ]
    features = build_features(people)
    exact, exact_sims = compatible_neighbors(features, 4, exact_below=10_000)
    approx, approx_sims = compatible_neighbors(features, 4, exact_below=100, cell_size=250)
    # Ties make indexes ambiguous; compare the similarity actually reached.
    assert approx_sims.mean() >= 0.9 * exact_sims.mean()
    assert exact.shape == approx.shape
