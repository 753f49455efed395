"""CI-sized benchmark check: quality (not time) on the seeded synthetic pools."""

from __future__ import annotations

import numpy as np
import pytest

from bench.matching import Metrics, group_is_valid_synthetic, measure
from bench.synthetic import generate_pool
from matching.features import build_features, compatible_neighbors
from matching.grouping import GroupFormer

#: Best Q OR-Tools CP-SAT found (60 s, same size profile) on the N=60 pool, seed 0, and
#: the most people CP-SAT could group there; measured with `python -m bench.matching --n 60`.
CP_SAT_Q_N60 = 0.2819
MAX_COVERAGE_N60 = 60


def _run(n: int) -> tuple[Metrics, GroupFormer]:
    pool = generate_pool(n, seed=0)
    former = GroupFormer(seed=0, time_budget=None).fit(pool.candidates)
    features = former.features_
    _, top = compatible_neighbors(features, 32, exact_below=n + 1)
    top = np.where(np.isfinite(top), top, 0.0)
    groups = [former.partition_.members[g] for g in former.partition_.live_groups()]
    metrics = measure(features, groups, top, lambda g: group_is_valid_synthetic(pool, g))
    return metrics, former


def test_bench_n1000_meets_quality_targets() -> None:
    metrics, _ = _run(1000)
    assert metrics.hard_violations == 0
    assert metrics.ratio >= 0.76
    assert metrics.grouped >= 0.999
    assert metrics.valid_size == metrics.grouped
    assert metrics.balance_violations <= 0.03
    assert metrics.above_preferred <= 0.08


def test_bench_n60_is_close_to_cp_sat() -> None:
    metrics, former = _run(60)
    assert metrics.hard_violations == 0
    assert metrics.q >= 0.97 * CP_SAT_Q_N60
    assert metrics.grouped * 60 >= MAX_COVERAGE_N60 - 1
    assert len(former.waiting_) == 60 - round(metrics.grouped * 60)


def test_generator_is_seeded() -> None:
    a, b = generate_pool(50, seed=1), generate_pool(50, seed=1)
    assert [c.interests for c in a.candidates] == [c.interests for c in b.candidates]
    assert build_features(a.candidates).vectors.shape[0] == 50


@pytest.mark.parametrize("n", [200])
def test_generator_marginals(n: int) -> None:
    pool = generate_pool(n, seed=0)
    sizes = [len(c.interests) for c in pool.candidates]
    assert min(sizes) >= 3
    assert max(sizes) <= 8
    assert all(2 <= len(s) <= 4 for s in pool.slots)
    avoiders = sum(bool(a) for a in pool.avoids) / n
    assert 0.15 <= avoiders <= 0.35
