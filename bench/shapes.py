"""Real-shaped waiting pools for the matching benchmark (issue 17 §1).

The synthetic generator (bench/synthetic.py) is friendly to the matcher: a
small tag vocabulary, a healthy mix of talk styles and mostly ``live`` people.
Real pools are not, and these seeded generators reproduce the shapes that made
the grouping slow there:

* ``survey``: dense answers to a fixed questionnaire (60 questions, 20–30
  chosen each), everyone ``share_some`` and ``slow``, one language. Every group
  is "all one talk style", and nothing can fix that.
* ``longtail``: free-form tags from a Zipf vocabulary of 5,000–20,000 items
  (5–15 each, a few very popular), grouped loosely in genres.
* ``skewed``: the synthetic pool with 60% ``listen_first``: many groups cannot
  reach "listeners at most half", whatever the repair does.
* ``okcupid``: the OkCupid profiles in ../shared/data read as they are
  (bench/okcupid.py), only when that file is present.

Each returns a :class:`ShapedPool`: candidates plus an independent hard-rule
checker built from the raw attributes (never from the matcher's bitmasks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bench.synthetic import SyntheticPool
from matching.features import MIN_SHARED_HOURS, Candidate, normalize_token, utc_hours_for

#: Bumped whenever a generator changes, so cached bounds of older pools are not reused.
SHAPES_VERSION = 3
SHAPES = ("synthetic", "survey", "longtail", "skewed", "okcupid")
SURVEY_QUESTIONS = 63
SURVEY_PROFILES = 8
#: Genres the long-tail vocabulary is loosely grouped in.
LONGTAIL_GENRES = 60
LISTENER_SHARE = 0.60


@dataclass
class ShapedPool:
    """Candidates of one shape and an independent hard-rule checker."""

    name: str
    candidates: list[Candidate]
    is_valid: Callable[[Sequence[int]], bool]
    note: str = ""


def _synthetic(n: int, seed: int) -> SyntheticPool:
    """The synthetic pool these shapes start from (cached on disk by the bench)."""
    from bench.matching import cached_pool  # the bench imports this module first

    return cached_pool(n, seed)


def independent_checker(candidates: Sequence[Candidate]) -> Callable[[Sequence[int]], bool]:
    """Hard rules from the raw profile fields: size 3–6, a shared language, enough
    shared hours among ``live`` members, nobody listing a topic another avoids."""
    languages = [frozenset(normalize_token(x) for x in c.languages) for c in candidates]
    interests = [frozenset(normalize_token(x) for x in c.interests) for c in candidates]
    avoids = [frozenset(normalize_token(x) for x in c.avoid_topics) for c in candidates]
    hours: list[frozenset[int] | None] = []
    for c in candidates:
        if c.pace == "slow":
            hours.append(None)
        elif c.utc_hours is not None:
            hours.append(frozenset(h % 168 for h in c.utc_hours))
        else:
            hours.append(utc_hours_for(c.availability, c.timezone))

    def check(group: Sequence[int]) -> bool:
        if not 3 <= len(group) <= 6:
            return False
        if not frozenset.intersection(*(languages[i] for i in group)):
            return False
        live = [h for h in (hours[i] for i in group) if h is not None]
        if live and len(frozenset.intersection(*live)) < MIN_SHARED_HOURS:
            return False
        return all(not (avoids[i] & interests[j]) for i in group for j in group if i != j)

    return check


def survey_pool(n: int, seed: int) -> ShapedPool:
    """Dense questionnaire answers: ~60 questions, 20–30 ticked per person.

    People come from a handful of answer profiles (each question's tick rate
    differs by profile), so similarity is high everywhere and differences are
    small, as in the survey the issue measured.
    """
    rng = np.random.default_rng([17, 1, n, seed])
    world = np.random.default_rng(17_001)
    base = world.beta(2.0, 2.0, size=SURVEY_QUESTIONS)
    profiles = np.clip(
        base[None, :] + world.normal(0, 0.2, (SURVEY_PROFILES, SURVEY_QUESTIONS)), 0.02, 0.98
    )
    profile_of = rng.integers(SURVEY_PROFILES, size=n)
    counts = rng.integers(20, 31, size=n)
    # Gumbel top-k: a weighted sample without replacement, for everyone at once.
    keys = np.log(profiles[profile_of]) - np.log(-np.log(rng.random((n, SURVEY_QUESTIONS))))
    order = np.argsort(-keys, axis=1)
    names = [f"q{q:02d}" for q in range(SURVEY_QUESTIONS)]
    sizes = rng.choice([3, 4, 5, 6], p=[0.05, 0.20, 0.30, 0.45], size=n)
    candidates = [
        Candidate(
            user_id=i,
            interests=[names[q] for q in sorted(order[i, : counts[i]].tolist())],
            talk_style="share_some",
            pace="slow",
            max_group_size=int(sizes[i]),
            languages=["en"],
            timezone="UTC",
        )
        for i in range(n)
    ]
    return ShapedPool("survey", candidates, independent_checker(candidates))


def longtail_pool(n: int, seed: int) -> ShapedPool:
    """Free-form tags from a Zipf vocabulary (5,000–20,000 items, 5–15 each).

    A few tags are very popular (Zipf s=1.0 overall); tags also belong to
    genres, and everyone draws most tags from one or two genres, so there is
    structure to find beyond the popular head. Hard attributes (regions,
    languages, hours, avoided topics, sizes) are the synthetic pool's.
    """
    base = _synthetic(n, seed)
    vocabulary = int(min(20_000, max(5_000, n // 5)))
    world = np.random.default_rng(17_002)
    ranks = np.arange(1, vocabulary + 1, dtype=np.float64)
    popularity = 1.0 / ranks
    genre_of = world.integers(LONGTAIL_GENRES, size=vocabulary)
    by_genre = [np.flatnonzero(genre_of == g) for g in range(LONGTAIL_GENRES)]
    genre_weight = [popularity[t] / popularity[t].sum() for t in by_genre]
    global_weight = popularity / popularity.sum()
    # Sensitive tags are from the popular head so that avoiding them binds.
    sensitive = world.choice(200, size=8, replace=False)
    rng = np.random.default_rng([17, 2, n, seed])
    candidates: list[Candidate] = []
    for i, person in enumerate(base.candidates):
        genres = rng.choice(LONGTAIL_GENRES, size=int(rng.integers(1, 3)), replace=False)
        count = int(rng.integers(5, 16))
        own = round(count * 0.7)
        picks: set[int] = set()
        for g in genres:
            share = max(1, own // len(genres))
            take = min(share, by_genre[g].size)
            picks.update(
                rng.choice(by_genre[g], size=take, replace=False, p=genre_weight[g]).tolist()
            )
        while len(picks) < count:
            picks.update(rng.choice(vocabulary, size=count - len(picks), p=global_weight).tolist())
        tags = sorted(picks)[:count] if len(picks) > count else sorted(picks)
        avoid: list[str] = []
        if rng.random() < 0.25:
            allowed = [int(t) for t in sensitive if int(t) not in picks]
            avoid = [
                f"tag{t}"
                for t in rng.choice(allowed, size=1 if rng.random() < 0.7 else 2, replace=False)
            ]
        candidates.append(
            dataclasses.replace(
                person,
                user_id=i,
                interests=[f"tag{t}" for t in tags],
                about="",
                avoid_topics=avoid,
            )
        )
    return ShapedPool(
        "longtail",
        candidates,
        independent_checker(candidates),
        note=f"vocabulary {vocabulary}",
    )


def skewed_pool(n: int, seed: int) -> ShapedPool:
    """The synthetic pool with a skewed comfort mix: 60% ``listen_first``."""
    base = _synthetic(n, seed)
    rng = np.random.default_rng([17, 3, n, seed])
    draws = rng.random(n)
    styles = np.where(
        draws < LISTENER_SHARE,
        "listen_first",
        np.where(draws < LISTENER_SHARE + 0.25, "share_some", "talk_freely"),
    )
    candidates = [
        dataclasses.replace(person, talk_style=str(styles[i]))
        for i, person in enumerate(base.candidates)
    ]
    return ShapedPool("skewed", candidates, independent_checker(candidates), note="60% listeners")


def okcupid_pool(n: int, seed: int) -> ShapedPool | None:
    """The OkCupid profiles as they are (a seeded sample of ``n`` when smaller);
    None when the data is not present (the bench must run without ../shared)."""
    from bench.matching import OKCUPID_ZIP

    if not OKCUPID_ZIP.exists():
        return None
    from bench.okcupid import load_candidates

    everyone, _ = load_candidates(seed)
    if n < len(everyone):
        rows = np.sort(
            np.random.default_rng([17, 4, n, seed]).choice(len(everyone), n, replace=False)
        )
        chosen = [dataclasses.replace(everyone[r], user_id=i) for i, r in enumerate(rows.tolist())]
        note = f"seeded sample of {n} from {len(everyone)} profiles"
    else:
        chosen = everyone
        note = f"all {len(everyone)} profiles"
    return ShapedPool("okcupid", chosen, independent_checker(chosen), note=note)


GENERATORS: dict[str, Callable[[int, int], ShapedPool | None]] = {
    "survey": survey_pool,
    "longtail": longtail_pool,
    "skewed": skewed_pool,
    "okcupid": okcupid_pool,
}


def parse_shapes(value: str) -> list[str]:
    """``all`` or a comma-separated subset of :data:`SHAPES`, in the given order."""
    if value.strip() == "all":
        return list(SHAPES)
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in SHAPES]
    if unknown:
        raise ValueError(f"unknown shape(s) {unknown}; choose from {', '.join(SHAPES)} or all")
    return chosen
