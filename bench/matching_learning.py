"""Learning bench: does a compatibility model learned from noisy feedback form better groups?

Run with ``python -m bench.matching --learning``.

The simulated world
    Pools come from the synthetic generator (bench/synthetic.py). Each person is
    also given a hidden *need* (one of four), which is what really decides
    whether two people get on: the hidden compatibility of a pair is 1 when
    their needs match, else 0. The need shows only partly in a profile: it
    tilts support style (80/20), age band (60% from a need-specific range) and,
    for 35% of people, adds an interest tag of its own; talk style, languages,
    times and the rest stay as generated.

A run
    Rounds of fresh pools are grouped by today's similarity (no model); each
    group's outcome is its hidden quality (mean pair compatibility) plus
    Gaussian noise (sd ``--noise``), clipped to [0, 1], like after-meeting
    feedback. After 1, 3 and 10 rounds of feedback ``fit_compatibility`` learns
    from all groups so far, and fresh test pools are grouped with and without
    the model. Reported: hidden quality (mean over grouped people of their mean
    hidden compatibility with groupmates), its gain over no model, where it
    lies between random grouping (0) and no model (1), and the same with pure
    noise outcomes (uniform, unrelated to the groups), where a model must do no
    harm. Fairness: share grouped overall, among the hardest to place (the
    tenth with fewest compatible peers: those who wait longest) and among people
    who speak only the rarest language.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.stats import spearmanr  # type: ignore[import-untyped]  # no stubs in the pinned set
from sklearn.ensemble import GradientBoostingRegressor  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.linear_model import Ridge  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.model_selection import KFold, cross_val_predict  # type: ignore[import-untyped]  # sklearn ships no type hints

from bench.synthetic import generate_pool
from matching.features import Candidate, build_features, compatible_block
from matching.grouping import GroupFormer, form_groups
from matching.learning import (
    AGE_BANDS,
    DEFAULT_COMPATIBILITY_BLEND,
    CompatibilityModel,
    fit_compatibility,
    group_block_means,
)

NEEDS = 4
#: Age band indexes each need leans towards.
NEED_AGES = ((0, 1), (1, 2), (2, 3), (3, 4))
SUPPORT_BY_NEED = ("just_listen", "just_listen", "open_to_advice", "open_to_advice")
CHECKPOINTS = (1, 3, 10)


@dataclass
class World:
    """A pool plus the hidden need of each person."""

    candidates: list[Candidate]
    needs: np.ndarray


def make_world(n: int, seed: int) -> World:
    """A synthetic pool with a hidden need per person that profiles show only partly."""
    pool = generate_pool(n, seed=seed)
    rng = np.random.default_rng([7_121, n, seed])
    needs = rng.integers(0, NEEDS, size=n)
    people: list[Candidate] = []
    for candidate, need in zip(pool.candidates, needs.tolist(), strict=True):
        support = SUPPORT_BY_NEED[need] if rng.random() < 0.8 else SUPPORT_BY_NEED[(need + 2) % 4]
        ages = NEED_AGES[need] if rng.random() < 0.6 else tuple(range(len(AGE_BANDS)))
        age = AGE_BANDS[int(rng.choice(ages))]
        interests = list(candidate.interests)
        if rng.random() < 0.35:
            interests.append(f"circle-{need}")
        people.append(replace(candidate, support_style=support, age_band=age, interests=interests))
    return World(people, needs)


def hidden_quality(world: World, groups: Sequence[Sequence[int]]) -> float:
    """Mean over grouped people of their mean hidden compatibility with groupmates."""
    scores: list[float] = []
    for group in groups:
        needs = world.needs[list(group)]
        for need in needs.tolist():
            scores.append(float((needs == need).sum() - 1) / (len(group) - 1))
    return float(np.mean(scores)) if scores else 0.0


def group_indexes(world: World, result_groups: Sequence[Sequence[int | str]]) -> list[list[int]]:
    index = {c.user_id: i for i, c in enumerate(world.candidates)}
    return [[index[u] for u in group] for group in result_groups]


def run_round(
    world: World, model: CompatibilityModel | None, blend: float, seed: int
) -> list[list[int]]:
    result = form_groups(
        world.candidates,
        seed=seed,
        time_budget=None,
        compatibility=model,
        compatibility_blend=blend,
    )
    return group_indexes(world, [g.member_ids for g in result.groups])


def random_groups(world: World, seed: int) -> list[list[int]]:
    """Random groups of five with Hearth's repair: the floor."""
    order = np.random.default_rng(seed).permutation(len(world.candidates)).tolist()
    start = [order[i : i + 5] for i in range(0, len(order), 5)]
    former = GroupFormer(seed=seed, time_budget=None).fit(
        world.candidates, initial_groups=start, improve=False
    )
    return [list(former.partition_.members[g]) for g in former.partition_.live_groups()]


def outcomes_for(
    world: World, groups: list[list[int]], rng: np.random.Generator, noise: float, pure: bool
) -> list[tuple[list[Candidate], float]]:
    """Feedback per group: hidden quality plus noise, or pure noise."""
    examples: list[tuple[list[Candidate], float]] = []
    for group in groups:
        if pure:
            outcome = float(rng.random())
        else:
            truth = hidden_quality(world, [group])
            outcome = float(np.clip(truth + rng.normal(0.0, noise), 0.0, 1.0))
        examples.append(([world.candidates[i] for i in group], outcome))
    return examples


@dataclass
class Fairness:
    grouped: float
    hardest: float
    rare_language: float


def fairness(world: World, groups: list[list[int]]) -> Fairness:
    n = len(world.candidates)
    placed = np.zeros(n, dtype=bool)
    for group in groups:
        placed[group] = True
    features = build_features(world.candidates)
    everyone = np.arange(n)
    peers = compatible_block(features, everyone, everyone).sum(axis=1)
    hardest = np.argsort(peers, kind="stable")[: max(1, n // 10)]
    counts: dict[str, int] = {}
    for c in world.candidates:
        for lang in c.languages:
            counts[lang] = counts.get(lang, 0) + 1
    rarest = min(counts, key=lambda lang: (counts[lang], lang))
    only_rare = np.array([set(c.languages) == {rarest} for c in world.candidates])
    rare_share = float(placed[only_rare].mean()) if only_rare.any() else float("nan")
    return Fairness(float(placed.mean()), float(placed[hardest].mean()), rare_share)


def estimator_comparison(examples: list[tuple[list[Candidate], float]], seed: int) -> str:
    """Held-back rank correlation of candidate estimators on the same group features."""
    features = group_block_means([m for m, _ in examples])
    outcomes = np.array([o for _, o in examples])
    folds = KFold(n_splits=5, shuffle=True, random_state=seed)
    rows = []
    ours = fit_compatibility(examples, seed=seed)
    rows.append(("non-negative cosine weights (used)", ours.cv_rank_correlation))
    for name, estimator in (
        ("ridge, signed weights", Ridge(alpha=1.0)),
        ("gradient boosting", GradientBoostingRegressor(random_state=seed, max_depth=2)),
    ):
        predicted = cross_val_predict(estimator, features, outcomes, cv=folds)
        rows.append((name, float(spearmanr(predicted, outcomes).statistic)))
    return "; ".join(f"{name} {rho:.3f}" for name, rho in rows)


def bench_learning(args: argparse.Namespace) -> None:
    """Print the learning tables (see the module docstring)."""
    n, tests, blend = args.learning_n, args.learning_tests, args.blend
    started = time.perf_counter()
    print(
        f"\nlearning bench: pools of {n}, {tests} test pools, feedback noise sd {args.noise}, "
        f"blend {blend}, seed {args.seed}"
    )
    rng = np.random.default_rng([args.seed, 99])
    train_worlds = [make_world(n, seed=1000 * args.seed + r) for r in range(max(CHECKPOINTS))]
    test_worlds = [make_world(n, seed=1000 * args.seed + 500 + t) for t in range(tests)]
    signal: list[tuple[list[Candidate], float]] = []
    noise: list[tuple[list[Candidate], float]] = []
    per_round: list[int] = []
    for r, world in enumerate(train_worlds):
        groups = run_round(world, None, blend, seed=r)
        signal += outcomes_for(world, groups, rng, args.noise, pure=False)
        noise += outcomes_for(world, groups, rng, args.noise, pure=True)
        per_round.append(len(signal))
    baseline = [run_round(w, None, blend, seed=0) for w in test_worlds]
    q_none = float(
        np.mean([hidden_quality(w, g) for w, g in zip(test_worlds, baseline, strict=True)])
    )
    q_rand = float(np.mean([hidden_quality(w, random_groups(w, seed=0)) for w in test_worlds]))
    fair_none = [fairness(w, g) for w, g in zip(test_worlds, baseline, strict=True)]
    print(f"hidden quality: random grouping {q_rand:.3f}, today's similarity {q_none:.3f}")
    header = (
        f"{'feedback':<10}{'outcomes':<10}{'groups':>7}{'held-back ρ':>12}{'used':>6}"
        f"{'hidden Q':>10}{'vs none':>9}{'rand→none':>11}"
        f"{'grouped':>9}{'hardest':>9}{'rare lang':>10}"
    )
    print(header)
    f_none = _mean_fairness(fair_none)
    print(
        f"{'none':<10}{'-':<10}{'-':>7}{'-':>12}{'-':>6}{q_none:>10.3f}{0:>+9.1%}{1:>11.2f}"
        f"{f_none.grouped:>9.1%}{f_none.hardest:>9.1%}{f_none.rare_language:>10.1%}"
    )
    for rounds in CHECKPOINTS:
        count = per_round[rounds - 1]
        for label, examples in (("signal", signal[:count]), ("noise", noise[:count])):
            model = fit_compatibility(examples, seed=args.seed)
            groups = [run_round(w, model, blend, seed=0) for w in test_worlds]
            q = float(
                np.mean([hidden_quality(w, g) for w, g in zip(test_worlds, groups, strict=True)])
            )
            fair = _mean_fairness(
                [fairness(w, g) for w, g in zip(test_worlds, groups, strict=True)]
            )
            lift = (q - q_rand) / (q_none - q_rand) if q_none != q_rand else float("nan")
            print(
                f"{rounds:<10}{label:<10}{count:>7}{model.cv_rank_correlation:>12.3f}"
                f"{'yes' if model.informative else 'no':>6}{q:>10.3f}{q / q_none - 1:>+9.1%}"
                f"{lift:>11.2f}{fair.grouped:>9.1%}{fair.hardest:>9.1%}{fair.rare_language:>10.1%}"
            )
            if label == "signal":
                print(f"{'':<10}top effects: {', '.join(model.describe_effects())}")
    print(f"estimators on 3 rounds of feedback (held-back ρ): "
          f"{estimator_comparison(signal[: per_round[2]], args.seed)}")  # fmt: skip
    print(f"learning bench took {time.perf_counter() - started:.0f} s")


def _mean_fairness(rows: list[Fairness]) -> Fairness:
    return Fairness(
        float(np.mean([r.grouped for r in rows])),
        float(np.mean([r.hardest for r in rows])),
        float(np.nanmean([r.rare_language for r in rows])),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``--learning`` options of ``python -m bench.matching``."""
    parser.add_argument(
        "--learning", action="store_true", help="run the compatibility-learning bench"
    )
    parser.add_argument("--learning-n", type=int, default=400, help="people per learning pool")
    parser.add_argument("--learning-tests", type=int, default=3, help="test pools per row")
    parser.add_argument("--noise", type=float, default=0.15, help="feedback noise (sd)")
    parser.add_argument(
        "--blend", type=float, default=DEFAULT_COMPATIBILITY_BLEND, help="COMPATIBILITY_BLEND"
    )
