"""A tighter upper bound on grouping quality for small pools (issue 17, long tail).

Run: ``.venv/bin/python -m bench.matching_bound --shape longtail --n 1000``

The bench's size-matched bound gives every person the mean of their own top
``s - 1`` compatible similarities. Nobody's top people have to pick them back, or
one another: in a long-tail pool a person's nearest people share a *different*
rare tag with them each, so that bound is far out of reach. This module bounds
the same quantity (Σ over grouped people of their mean similarity to their
groupmates, everyone in a group of the size Hearth gave them) by a linear
programme over pairs that any real grouping satisfies:

- ``x_ij`` in [0, 1] says "i and j are in one group"; only pairs that are
  hard-compatible and were given the same group size can be (two people in one
  group have one size);
- person ``i`` has at most ``s_i - 1`` groupmates;
- groups are cliques: ``x_ij + x_jk - x_ik <= 1`` (triangle inequalities, added
  as cuts for the triangles the current solution breaks, a few rounds).

Value of a pair: ``sim_ij · (1/(s_i-1) + 1/(s_j-1))``, so the LP optimum is at
least the score of every grouping with those sizes. Each round's LP value is a
valid bound; cuts only lower it. It is an offline yardstick (HiGHS, seconds to
minutes at 1,000 people), not part of the matcher.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from matching.features import FeatureSet, build_features, compatible_block
from matching.grouping import GroupFormer


@dataclass
class PairBound:
    """The grouping's score and the LP bound after each round of cuts."""

    score: float
    person_bound: float
    rounds: list[float]
    cuts: int

    @property
    def bound(self) -> float:
        return self.rounds[-1]


def grouping_score(features: FeatureSet, groups: Sequence[Sequence[int]]) -> float:
    """Σ over grouped people of their mean similarity to their groupmates."""
    vectors = features.vectors.astype(np.float64)
    total = 0.0
    for group in groups:
        s = len(group)
        if s > 1:
            block = vectors[list(group)] @ vectors[list(group)].T
            total += float((block.sum() - np.trace(block)) / (s - 1))
    return total


def pair_bound(
    features: FeatureSet,
    groups: Sequence[Sequence[int]],
    *,
    rounds: int = 4,
    cuts_per_round: int = 5000,
) -> PairBound:
    """Upper bound on the score of any grouping giving everyone ``groups``' sizes."""
    n = features.size
    everyone = np.arange(n)
    vectors = features.vectors.astype(np.float64)
    sims = vectors @ vectors.T
    compatible = compatible_block(features, everyone, everyone)
    np.fill_diagonal(compatible, False)
    size = np.zeros(n, dtype=np.int64)
    for group in groups:
        size[list(group)] = len(group)
    inv = np.where(size > 1, 1.0 / np.maximum(size - 1, 1), 0.0)
    allowed = compatible & (size[:, None] == size[None, :]) & (size[:, None] > 1)

    ranked = np.where(compatible, sims, -np.inf)
    ranked = -np.sort(-ranked, axis=1)[:, : max(1, int(size.max()) - 1)]
    ranked = np.where(np.isfinite(ranked), ranked, 0.0)
    person = sum(float(ranked[i, : size[i] - 1].mean()) for i in everyone if size[i] > 1)

    # Zero-value pairs add nothing until a cut needs them (x_ik of a triangle).
    heads, tails = np.nonzero(np.triu(allowed & (sims > 1e-12), 1))
    index = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(heads, tails, strict=True))}

    def variable(a: int, b: int) -> int:
        key = (min(a, b), max(a, b))
        if key not in index:
            index[key] = len(index)
        return index[key]

    cut_rows: list[int] = []
    cut_cols: list[int] = []
    cut_vals: list[float] = []
    values: list[float] = []
    cuts = 0
    for _ in range(rounds + 1):
        keys = np.array(list(index), dtype=np.int64).reshape(-1, 2)
        a, b = keys[:, 0], keys[:, 1]
        m = keys.shape[0]
        weight = sims[a, b] * (inv[a] + inv[b])
        degree = sp.csr_matrix(
            (np.ones(2 * m), (np.concatenate([a, b]), np.tile(np.arange(m), 2))), shape=(n, m)
        )
        limits = np.maximum(size - 1, 0).astype(np.float64)
        matrix = degree
        if cuts:
            cut = sp.csr_matrix((cut_vals, (cut_rows, cut_cols)), shape=(cuts, m))
            matrix = sp.vstack([degree, cut]).tocsr()
            limits = np.concatenate([limits, np.ones(cuts)])
        solved = linprog(-weight, A_ub=matrix, b_ub=limits, bounds=(0, 1), method="highs")
        if solved.status != 0:
            raise RuntimeError(f"pair bound LP failed: {solved.message}")
        values.append(float(-solved.fun))
        broken = _broken_triangles(n, a, b, solved.x)
        if not broken or len(values) > rounds:
            break
        for i, j, k in broken[:cuts_per_round]:
            cut_rows.extend((cuts, cuts))
            cut_cols.extend((variable(i, j), variable(j, k)))
            cut_vals.extend((1.0, 1.0))
            if allowed[i, k]:
                cut_rows.append(cuts)
                cut_cols.append(variable(i, k))
                cut_vals.append(-1.0)
            cuts += 1
    return PairBound(grouping_score(features, groups), person, values, cuts)


def _broken_triangles(
    n: int, a: np.ndarray, b: np.ndarray, x: np.ndarray
) -> list[tuple[int, int, int]]:
    """Triangles (i, j, k) with x_ij + x_jk - x_ik > 1, most broken first."""
    adjacent: list[dict[int, float]] = [{} for _ in range(n)]
    for k in np.flatnonzero(x > 1e-6).tolist():
        adjacent[int(a[k])][int(b[k])] = float(x[k])
        adjacent[int(b[k])][int(a[k])] = float(x[k])
    found: list[tuple[float, int, int, int]] = []
    for j in range(n):
        near = sorted(adjacent[j].items())
        for p, (i, x_ij) in enumerate(near):
            for k, x_jk in near[p + 1 :]:
                excess = x_ij + x_jk - adjacent[i].get(k, 0.0) - 1.0
                if excess > 1e-4:
                    found.append((excess, i, j, k))
    found.sort(reverse=True)
    return [(i, j, k) for _, i, j, k in found]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``python -m bench.matching_bound``."""
    from bench.matching import cached_pool
    from bench.shapes import GENERATORS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", default="longtail")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=4, help="rounds of triangle cuts")
    parser.add_argument(
        "--strong-seeds", type=int, default=2, help="seeds of the longer local search"
    )
    args = parser.parse_args(argv)
    if args.shape == "synthetic":
        candidates = cached_pool(args.n, args.seed).candidates
    else:
        shaped = GENERATORS[args.shape](args.n, args.seed)
        if shaped is None:
            raise SystemExit(f"{args.shape}: its data is not present")
        candidates = shaped.candidates
    features = build_features(candidates, seed=args.seed)

    def grouped(former: GroupFormer) -> list[list[int]]:
        partition = former.partition_
        return [list(partition.members[g]) for g in partition.live_groups()]

    hearth = grouped(GroupFormer(seed=args.seed, time_budget=None).fit(candidates))
    started = time.perf_counter()
    bound = pair_bound(features, hearth, rounds=args.rounds)
    print(f"### {args.shape}, N = {args.n} (seed {args.seed})\n")
    print(f"- Hearth's score: {bound.score:.1f}")
    print(
        f"- per-person (size-matched) bound: {bound.person_bound:.1f}, "
        f"ratio {bound.score / bound.person_bound:.3f}"
    )
    for round_, value in enumerate(bound.rounds):
        print(
            f"- pair LP bound, {round_} rounds of triangle cuts: {value:.1f}, "
            f"ratio {bound.score / value:.3f}"
        )
    print(f"  ({bound.cuts} cuts, {time.perf_counter() - started:.0f} s)")
    for seed in range(args.strong_seeds):
        strong = GroupFormer(seed=seed, time_budget=None, max_passes=30, neighbors=64)
        score = grouping_score(features, grouped(strong.fit(candidates)))
        print(
            f"- longer local search (30 passes, 64 neighbours, seed {seed}): {score:.1f}, "
            f"{score / bound.score:.3f}× Hearth, ratio to pair bound {score / bound.bound:.3f}"
        )


if __name__ == "__main__":
    main()
