"""The pair LP bound of bench/matching_bound.py: valid, and tighter than the per-person bound."""

from __future__ import annotations

import pytest

from bench.matching_bound import grouping_score, pair_bound
from bench.synthetic import generate_pool
from matching.features import Candidate, build_features
from matching.grouping import GroupFormer


def ring(n: int) -> list[Candidate]:
    """Person i shares one tag with i-1 and another with i+1, nothing else."""
    return [Candidate(f"p{i}", [f"t{i}", f"t{(i - 1) % n}"]) for i in range(n)]


def test_a_ring_is_bounded_by_what_trios_can_reach() -> None:
    # Everyone's two nearest people are their ring neighbours (similarity 1/2),
    # so the per-person bound is 6 × 1/2; but in any trio someone's groupmates
    # are not both their neighbours. The best trios score 2, and the triangle
    # cuts bring the bound down to exactly that.
    features = build_features(ring(6))
    trios = [[0, 1, 2], [3, 4, 5]]
    result = pair_bound(features, trios, rounds=6)
    assert result.score == pytest.approx(2.0)
    assert result.person_bound == pytest.approx(3.0)
    assert result.rounds[0] == pytest.approx(3.0)  # no cuts: symmetry alone does not help
    assert result.bound == pytest.approx(2.0, abs=1e-6)
    assert result.cuts > 0


def test_the_bound_holds_for_any_grouping_with_those_sizes() -> None:
    pool = generate_pool(60, seed=0)
    former = GroupFormer(seed=0, time_budget=None).fit(pool.candidates)
    groups = [former.partition_.members[g] for g in former.partition_.live_groups()]
    result = pair_bound(former.features_, groups, rounds=2)
    assert result.score == pytest.approx(grouping_score(former.features_, groups))
    # Every round is a valid bound, each at most the one before, none above the per-person one.
    assert all(result.score <= value + 1e-6 for value in result.rounds)
    assert all(b <= a + 1e-6 for a, b in zip(result.rounds, result.rounds[1:], strict=False))
    assert result.rounds[0] <= result.person_bound + 1e-6
