"""The real-shaped pool generators of the matching bench (bench/shapes.py).

Marginals and seeding only; quality and time are measured by the bench itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import bench.matching
from bench.matching import growth_exponent
from bench.shapes import (
    independent_checker,
    longtail_pool,
    okcupid_pool,
    parse_shapes,
    skewed_pool,
    survey_pool,
)
from matching.features import HASHED_WIDTH, Candidate, build_features


def test_survey_answers_are_dense_and_everyone_is_alike_in_style() -> None:
    pool = survey_pool(300, seed=0)
    counts = [len(c.interests) for c in pool.candidates]
    assert min(counts) >= 20
    assert max(counts) <= 30
    assert len({q for c in pool.candidates for q in c.interests}) <= 63
    assert {c.talk_style for c in pool.candidates} == {"share_some"}
    assert {c.pace for c in pool.candidates} == {"slow"}


def test_longtail_tags_have_a_long_tail_and_a_popular_head() -> None:
    pool = longtail_pool(1000, seed=0)
    counts = [len(c.interests) for c in pool.candidates]
    assert min(counts) >= 5
    assert max(counts) <= 15
    tags = Counter(t for c in pool.candidates for t in c.interests)
    assert len(tags) > 1500  # many distinct tags from a vocabulary of 5,000
    singletons = sum(1 for count in tags.values() if count == 1)
    assert singletons > len(tags) / 3
    assert tags.most_common(1)[0][1] > 50  # and a few very popular ones
    assert pool.note == "vocabulary 5000"


def test_skewed_pool_is_mostly_listeners() -> None:
    pool = skewed_pool(1000, seed=0)
    share = sum(c.talk_style == "listen_first" for c in pool.candidates) / 1000
    assert 0.55 <= share <= 0.65


def test_generators_are_seeded() -> None:
    for generate in (survey_pool, longtail_pool, skewed_pool):
        first, again, other = generate(80, 1), generate(80, 1), generate(80, 2)
        assert first.candidates == again.candidates
        assert first.candidates != other.candidates


def test_okcupid_is_skipped_without_the_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bench.matching, "OKCUPID_ZIP", tmp_path / "absent.zip")
    assert okcupid_pool(100, seed=0) is None


def test_independent_checker_applies_every_hard_rule() -> None:
    people = [
        Candidate(0, ["tea"], languages=["en"], utc_hours=frozenset({1, 2, 3})),
        Candidate(1, ["tea"], languages=["en", "fr"], utc_hours=frozenset({1, 2})),
        Candidate(2, ["chess"], languages=["en"], utc_hours=frozenset({2, 1, 9})),
        Candidate(3, ["tea"], languages=["fr"], utc_hours=frozenset({1, 2})),
        Candidate(4, ["tea"], languages=["en"], utc_hours=frozenset({5, 6})),
        Candidate(5, ["tea"], languages=["en"], pace="slow", avoid_topics=["chess"]),
        Candidate(6, ["tea"], languages=["en"], pace="slow", utc_hours=frozenset({50})),
    ]
    check = independent_checker(people)
    assert check([0, 1, 2])
    assert not check([0, 1])  # too small
    assert not check([0, 1, 3])  # no shared language
    assert not check([0, 1, 4])  # live members share too few hours
    assert check([0, 1, 6])  # slow members need no shared hours
    assert not check([0, 2, 5])  # 5 avoids what 2 lists


def test_shape_names_are_checked() -> None:
    assert parse_shapes("all") == ["synthetic", "survey", "longtail", "skewed", "okcupid"]
    assert parse_shapes("survey, skewed") == ["survey", "skewed"]
    with pytest.raises(ValueError, match="unknown shape"):
        parse_shapes("survey,dating")


def test_growth_exponent_recovers_a_power_law() -> None:
    sizes = [1000, 10_000, 100_000]
    assert growth_exponent(sizes, [2e-4 * n**1.2 for n in sizes]) == pytest.approx(1.2)


def test_wide_vocabularies_are_folded_and_stay_sparse() -> None:
    # 3,000 people with 3 tags each from 9,000 distinct tags: too wide to keep dense.
    people = [
        Candidate(i, [f"tag{3 * (i % 3000) + j}" for j in range(3)], languages=["en"])
        for i in range(3000)
    ]
    people.append(Candidate(3000, ["tag0", "tag1", "tag2"], languages=["en"]))
    features = build_features(people)
    assert features.vectors.shape[1] == HASHED_WIDTH
    assert features.nonzero_cols.shape[1] <= 3  # each row keeps its few non-zeros
    vectors = features.vectors.astype(np.float64)
    assert vectors[0] @ vectors[3000] == pytest.approx(1.0, abs=1e-5)  # same tags
    assert abs(vectors[0] @ vectors[1]) < 0.5  # no shared tag: little or nothing


def test_folded_vectors_do_not_depend_on_the_process(tmp_path: Path) -> None:
    # The bench measures in one process what the matcher built in another: string
    # hashing differs between them, and the vectors must not.
    script = (
        "import hashlib\n"
        "from matching.features import Candidate, build_features\n"
        "people = [Candidate(i, [f't{(7 * i + j) % 9000}' for j in range(4)], reasons=["
        "f'r{i % 5}', f'q{i % 3}']) for i in range(3000)]\n"
        "print(hashlib.sha256(build_features(people).vectors.tobytes()).hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1
