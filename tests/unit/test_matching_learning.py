"""matching.learning: a pair-compatibility model learned from group outcomes.

Training sets are small and built in the test from a stated rule ("groups of one
age band went well"), so each test says what the model should have learned.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import joblib
import numpy as np
import pytest

from matching.features import build_features
from matching.grouping import Candidate, form_groups, is_valid_group
from matching.learning import BLOCKS, fit_compatibility

YOUNG, OLD = "18-24", "65+"
TOPICS = ("tea", "films", "walks", "chess", "poetry", "cooking")


def person(uid: str, age: str, interests: tuple[str, ...] = ("tea", "walks")) -> Candidate:
    return Candidate(uid, list(interests), age_band=age)


def age_examples(
    groups: int = 60, *, seed: int = 1, noise_only: bool = False
) -> list[tuple[list[Candidate], float]]:
    """Random groups of four; the more members share an age band, the better it went."""
    rng = np.random.default_rng(seed)
    examples: list[tuple[list[Candidate], float]] = []
    for g in range(groups):
        members = [
            person(
                f"g{g}p{i}",
                YOUNG if rng.random() < 0.5 else OLD,
                tuple(rng.choice(TOPICS, size=2, replace=False).tolist()),
            )
            for i in range(4)
        ]
        pairs = list(itertools.combinations(members, 2))
        same = sum(a.age_band == b.age_band for a, b in pairs) / len(pairs)
        outcome = rng.random() if noise_only else 0.2 + 0.6 * same + rng.normal(0, 0.05)
        examples.append((members, float(np.clip(outcome, 0.0, 1.0))))
    return examples


def test_model_prefers_the_pairs_training_favoured() -> None:
    model = fit_compatibility(age_examples())
    assert model.informative
    assert model.top_effects(1)[0][0] == "age_band"
    same = model.pair_scores([person("a", YOUNG)], [person("b", YOUNG)])
    mixed = model.pair_scores([person("a", YOUNG)], [person("c", OLD)])
    assert 0.0 <= mixed[0] < same[0] <= 1.0
    assert "being of a similar age" in model.describe_effects()[0]


def test_fit_is_deterministic_for_a_seed() -> None:
    first = fit_compatibility(age_examples(), seed=3)
    second = fit_compatibility(age_examples(), seed=3)
    assert np.array_equal(first.coef, second.coef)
    assert first.intercept == second.intercept
    assert first.cv_rank_correlation == second.cv_rank_correlation
    assert first.data_hash == second.data_hash
    assert first.n_groups == 60
    assert first.n_pairs == 60 * 6


def test_model_survives_a_joblib_round_trip(tmp_path: Path) -> None:
    model = fit_compatibility(age_examples())
    path = tmp_path / "model.joblib"
    joblib.dump(model, path)
    loaded = joblib.load(path)
    a = [person("a", YOUNG), person("b", OLD), person("c", YOUNG, ("chess",))]
    b = [person("d", YOUNG), person("e", YOUNG), person("f", OLD, ("chess",))]
    assert np.array_equal(loaded.pair_scores(a, b), model.pair_scores(a, b))
    assert loaded.weights == model.weights
    assert path.stat().st_size < 20_000


def test_noise_and_flat_outcomes_give_a_model_the_grouping_ignores() -> None:
    assert not fit_compatibility(age_examples(noise_only=True)).informative
    flat = [(members, 0.5) for members, _ in age_examples()]
    assert not fit_compatibility(flat).informative
    assert not fit_compatibility(age_examples(groups=6)).informative  # too few to check


def test_outcomes_outside_zero_one_are_refused() -> None:
    examples = age_examples(groups=3)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fit_compatibility([*examples, (examples[0][0], 1.5)])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fit_compatibility([(examples[0][0], float("nan"))])


def test_pair_scores_need_equal_lengths() -> None:
    model = fit_compatibility(age_examples())
    with pytest.raises(ValueError, match="same length"):
        model.pair_scores([person("a", YOUNG)], [])
    assert model.pair_scores([], []).shape == (0,)


def mixed_age_pool() -> list[Candidate]:
    """Twelve people with identical interests: only age tells them apart."""
    return [person(f"u{i:02d}", YOUNG if i % 2 else OLD) for i in range(12)]


def ids(groups: list[list[int | str]]) -> list[list[str]]:
    return [[str(uid) for uid in group] for group in groups]


def test_none_gives_exactly_todays_groups() -> None:
    pool = mixed_age_pool() + [person(f"v{i}", YOUNG, ("films", "chess")) for i in range(7)]
    today = form_groups(pool, seed=4, time_budget=None)
    without = form_groups(pool, seed=4, time_budget=None, compatibility=None)
    ignored = form_groups(
        pool,
        seed=4,
        time_budget=None,
        compatibility=fit_compatibility(age_examples(noise_only=True)),
    )
    expected = ids([g.member_ids for g in today.groups])
    for other in (without, ignored):
        assert ids([g.member_ids for g in other.groups]) == expected
        assert [g.score for g in other.groups] == [g.score for g in today.groups]
        assert other.waiting == today.waiting
        assert all(g.learned_reasons == [] for g in other.groups)
        assert [g.summary for g in other.groups] == [g.summary for g in today.groups]


def test_a_model_moves_the_grouping_towards_what_went_well() -> None:
    pool = mixed_age_pool()
    ages = {c.user_id: c.age_band for c in pool}
    today = form_groups(pool, seed=0, time_budget=None)
    assert any(len({ages[u] for u in g.member_ids}) > 1 for g in today.groups)
    model = fit_compatibility(age_examples())
    learned = form_groups(pool, seed=0, time_budget=None, compatibility=model)
    assert sum(len(g.member_ids) for g in learned.groups) == 12
    features = build_features(pool)
    index = {c.user_id: i for i, c in enumerate(pool)}
    for group in learned.groups:
        assert len({ages[u] for u in group.member_ids}) == 1
        assert is_valid_group(features, [index[u] for u in group.member_ids])
        # The score is still today's interest similarity (identical interests: 1).
        assert group.score == pytest.approx(1.0, abs=1e-5)
        assert group.learned_reasons == ["being of a similar age"]
        assert group.summary.endswith(
            "We also weighed what has helped groups like yours go well: being of a similar age."
        )


def test_blend_zero_is_todays_behaviour() -> None:
    pool = mixed_age_pool()
    model = fit_compatibility(age_examples())
    today = form_groups(pool, seed=0, time_budget=None)
    off = form_groups(pool, seed=0, time_budget=None, compatibility=model, compatibility_blend=0.0)
    assert ids([g.member_ids for g in off.groups]) == ids([g.member_ids for g in today.groups])
    with pytest.raises(ValueError, match="blend"):
        form_groups(pool, compatibility=model, compatibility_blend=1.5)


def test_every_block_is_a_feature_the_model_can_weigh() -> None:
    assert len(BLOCKS) == len(set(BLOCKS)) == 12
    model = fit_compatibility(age_examples())
    assert set(model.weights) == set(BLOCKS)
    assert sum(model.weights.values()) == pytest.approx(1.0)
