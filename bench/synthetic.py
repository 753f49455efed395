"""Seeded synthetic waiting pools, exactly as specified in MATCHING_BENCH.md.

The "world" (tag popularity order, theme popularity, word lists) comes from a
fixed world seed, so pools of different sizes share one world; the users of a
pool come from ``(WORLD_SEED, n, seed)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.features import Candidate

WORLD_SEED = 20_240_611
THEMES = 8
TAGS_PER_THEME = 5
TAG_COUNT = THEMES * TAGS_PER_THEME
WORDS_PER_THEME = 25
SENSITIVE_TAGS = tuple(theme * TAGS_PER_THEME + TAGS_PER_THEME - 1 for theme in range(THEMES))

#: (share of users, UTC offset in hours, languages, language probabilities)
REGIONS = (
    (0.40, -6, ("L0", "L1"), (0.6, 0.4)),
    (0.35, 1, ("L0", "L1", "L2"), (0.5, 0.2, 0.3)),
    (0.25, 8, ("L0", "L2"), (0.55, 0.45)),
)
BILINGUAL_SHARE = 0.15
#: Local time-of-day weights for night (00–06), morning, afternoon, evening.
TIME_OF_DAY_WEIGHTS = (0.10, 0.20, 0.25, 0.45)
TALK_STYLE_PROBS = (("listen_first", 0.35), ("share_some", 0.40), ("talk_freely", 0.25))
MAX_SIZE_PROBS = ((3, 0.05), (4, 0.20), (5, 0.30), (6, 0.45))
AVOID_SHARE = 0.25


def tag_name(tag: int) -> str:
    """Slug of a synthetic interest tag, e.g. ``t3-2`` for theme 3, tag 2."""
    return f"t{tag // TAGS_PER_THEME}-{tag % TAGS_PER_THEME}"


def slot_hours(slot: int) -> frozenset[int]:
    """UTC hours of the week for synthetic slot 0..7 (weekend × 4 six-hour blocks)."""
    weekend, block = divmod(slot, 4)
    days = (5, 6) if weekend else (0, 1, 2, 3, 4)
    return frozenset(day * 24 + block * 6 + hour for day in days for hour in range(6))


@dataclass
class SyntheticPool:
    """Candidates plus the raw attributes an independent checker needs."""

    candidates: list[Candidate]
    languages: list[frozenset[str]]
    slots: list[frozenset[int]]
    interests: list[frozenset[int]]
    avoids: list[frozenset[int]]


@dataclass
class _World:
    tag_weight: np.ndarray  # popularity of each tag
    theme_weight: np.ndarray
    word_weight: np.ndarray  # Zipf weights of the 25 words inside a theme
    word_order: np.ndarray  # (themes, 25) word ids in popularity order


def _world() -> _World:
    rng = np.random.default_rng(WORLD_SEED)
    ranks = rng.permutation(TAG_COUNT) + 1
    tag_weight = 1.0 / ranks.astype(float)
    theme_ranks = rng.permutation(THEMES) + 1
    theme_weight = 1.0 / theme_ranks.astype(float) ** 0.8
    word_weight = 1.0 / np.arange(1, WORDS_PER_THEME + 1, dtype=float) ** 1.1
    word_order = np.stack(
        [theme * WORDS_PER_THEME + rng.permutation(WORDS_PER_THEME) for theme in range(THEMES)]
    )
    return _World(
        tag_weight / tag_weight.sum(),
        theme_weight / theme_weight.sum(),
        word_weight / word_weight.sum(),
        word_order,
    )


def _slot_weights(offset: int) -> np.ndarray:
    weights = np.empty(8)
    for slot in range(8):
        block = slot % 4
        local_mid = (block * 6 + 3 + offset) % 24
        weights[slot] = TIME_OF_DAY_WEIGHTS[local_mid // 6]
    return weights / weights.sum()


def _draw(rng: np.random.Generator, probs: np.ndarray) -> int:
    """Index drawn with the given probabilities (fast path for scalar draws)."""
    cdf = np.cumsum(probs)
    return min(int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right")), len(probs) - 1)


def _pick_interests(rng: np.random.Generator, world: _World, themes: list[int]) -> list[int]:
    count = int(rng.integers(3, 9))
    own = np.array([t * TAGS_PER_THEME + i for t in themes for i in range(TAGS_PER_THEME)])
    own_weight = world.tag_weight[own] / world.tag_weight[own].sum()
    chosen: list[int] = []
    while len(chosen) < count:
        if rng.random() < 0.7:
            tag = int(own[_draw(rng, own_weight)])
        else:
            tag = _draw(rng, world.tag_weight)
        if tag not in chosen:
            chosen.append(tag)
    return chosen


def _pick_words(rng: np.random.Generator, world: _World, primary: int) -> list[str]:
    count = min(3, int(rng.poisson(1.0)))
    words: list[str] = []
    for _ in range(count):
        theme = primary if rng.random() < 0.8 else int(rng.integers(THEMES))
        rank = _draw(rng, world.word_weight)
        words.append(f"w{int(world.word_order[theme, rank]):03d}")
    return words


def _pick_languages(rng: np.random.Generator, region: int) -> list[str]:
    _, _, names, probs = REGIONS[region]
    primary = names[_draw(rng, np.asarray(probs))]
    languages = [primary]
    if rng.random() < BILINGUAL_SHARE:
        if primary == "L0":
            others = [name for name in names if name != "L0"]
            languages.append(str(rng.choice(others)))
        else:
            languages.append("L0")
    return languages


def _choice(rng: np.random.Generator, table: tuple[tuple[object, float], ...]) -> object:
    values = [v for v, _ in table]
    return values[_draw(rng, np.array([p for _, p in table]))]


def generate_pool(n: int, seed: int = 0) -> SyntheticPool:
    """A seeded synthetic waiting pool of ``n`` candidates (ids 0..n-1)."""
    world = _world()
    rng = np.random.default_rng([WORLD_SEED, n, seed])
    region_probs = np.array([r[0] for r in REGIONS])
    slot_weights = [_slot_weights(r[1]) for r in REGIONS]
    pool = SyntheticPool([], [], [], [], [])
    for user in range(n):
        region = _draw(rng, region_probs)
        primary = _draw(rng, world.theme_weight)
        themes = [primary]
        if rng.random() < 0.5:
            rest = [t for t in range(THEMES) if t != primary]
            weights = world.theme_weight[rest] / world.theme_weight[rest].sum()
            themes.append(rest[_draw(rng, weights)])
        interests = _pick_interests(rng, world, themes)
        words = _pick_words(rng, world, primary)
        languages = _pick_languages(rng, region)
        slot_count = int(rng.integers(2, 5))
        slots = rng.choice(8, size=slot_count, replace=False, p=slot_weights[region])
        avoids: list[int] = []
        if rng.random() < AVOID_SHARE:
            allowed = [t for t in SENSITIVE_TAGS if t not in interests]
            how_many = 1 if rng.random() < 0.7 else 2
            avoids = [
                int(t) for t in rng.choice(allowed, size=min(how_many, len(allowed)), replace=False)
            ]
        hours: frozenset[int] = frozenset().union(*(slot_hours(int(s)) for s in slots))
        candidate = Candidate(
            user_id=user,
            interests=[tag_name(t) for t in interests],
            about=" ".join(words),
            talk_style=str(_choice(rng, TALK_STYLE_PROBS)),
            max_group_size=int(str(_choice(rng, MAX_SIZE_PROBS))),
            avoid_topics=[tag_name(t) for t in avoids],
            languages=languages,
            utc_hours=hours,
        )
        pool.candidates.append(candidate)
        pool.languages.append(frozenset(languages))
        pool.slots.append(frozenset(int(s) for s in slots))
        pool.interests.append(frozenset(interests))
        pool.avoids.append(frozenset(avoids))
    return pool
