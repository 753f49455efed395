"""Feature building for matching: similarity vectors and hard-constraint bitmasks.

Pure module: imports only the standard library, numpy, scipy and scikit-learn.

Similarity
    Each candidate becomes one L2-normalised vector made of three blocks, each
    L2-normalised on its own before weighting so that a long ``about`` text
    cannot drown the interests:

    * interests: binary interest matrix (any string vocabulary) re-weighted by
      IDF, weight 1.0 — rare shared interests say more than popular ones;
    * ``about``: TF-IDF of the free text, weight 0.5 (free text is noisy);
    * ``reasons``: IDF-weighted binary reasons, weight 0.3 (a light extra signal).

    Similarity between two people is the cosine of their vectors.

Hard attributes (packed as bitmasks so a group check is a few integer ops)
    * languages: one bit per language code;
    * availability: one bit per UTC hour of the week (168 bits). Local slots are
      converted with :mod:`zoneinfo` on a fixed reference week (see
      ``REFERENCE_MONDAY``) so results never depend on today's DST state.
      A group of ``live`` people needs at least ``MIN_SHARED_HOURS`` hours that
      every live member has in common. ``slow`` (asynchronous) people need no
      shared time, so their mask is all ones;
    * avoided topics: one bit per avoided topic; a person's "topic mask" holds
      which of those topics they list as interests. Two people conflict when one
      avoids a topic the other lists.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # no stubs in the pinned set
from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]  # sklearn ships no type hints

#: Local hour windows [start, end) for each availability slot part.
#: Morning 07–12, afternoon 12–17, evening 17–22: when people are awake and free.
DAY_PART_HOURS: dict[str, tuple[int, int]] = {
    "morning": (7, 12),
    "afternoon": (12, 17),
    "evening": (17, 22),
}
#: Weekday indexes (Monday = 0) covered by the "weekday" and "weekend" slot halves.
DAY_KIND_DAYS: dict[str, tuple[int, ...]] = {
    "weekday": (0, 1, 2, 3, 4),
    "weekend": (5, 6),
}
AVAILABILITY_SLOTS: tuple[str, ...] = tuple(
    f"{kind}_{part}" for kind in DAY_KIND_DAYS for part in DAY_PART_HOURS
)
HOURS_PER_WEEK = 168
ALL_HOURS_MASK = (1 << HOURS_PER_WEEK) - 1
#: A live group needs this many UTC hours of the week that every live member shares.
MIN_SHARED_HOURS = 2
#: Fixed Monday used to convert local slots to UTC (winter time in the north);
#: a fixed week keeps matching deterministic all year round.
REFERENCE_MONDAY = date(2025, 1, 6)

TALK_STYLES: tuple[str, ...] = ("listen_first", "share_some", "talk_freely")
PACES: tuple[str, ...] = ("live", "slow")
SUPPORT_STYLES: tuple[str, ...] = ("just_listen", "open_to_advice")

INTEREST_WEIGHT = 1.0
ABOUT_WEIGHT = 0.5
REASONS_WEIGHT = 0.3
#: Above this many dense cells the vectors are compressed with a truncated SVD.
MAX_DENSE_CELLS = 60_000_000
SVD_COMPONENTS = 256
#: Wider than this (long-tail free-form tags: thousands of distinct ones), vectors
#: are folded above ``WIDE_DENSE_CELLS`` already: every group sum, k-NN block and
#: blocking centre is as wide as the vectors, so width is what costs time. Folding
#: is signed feature hashing into ``HASHED_WIDTH`` columns: O(non-zeros), rows stay
#: sparse (the search's fast path), and dot products are kept in expectation.
MAX_DENSE_WIDTH = 2048
WIDE_DENSE_CELLS = 8_000_000
HASHED_WIDTH = 512


@dataclass(frozen=True)
class Candidate:
    """One person waiting for a group: the profile document plus ``user_id``.

    ``utc_hours`` optionally overrides the availability conversion with explicit
    UTC hours of the week (0 = Monday 00:00 UTC … 167); benchmarks use it for
    slots that the profile form cannot express (e.g. night hours).
    """

    user_id: int | str
    interests: Sequence[str]
    about: str = ""
    reasons: Sequence[str] = ()
    talk_style: str = "share_some"
    max_group_size: int = 6
    pace: str = "live"
    support_style: str = "open_to_advice"
    avoid_topics: Sequence[str] = ()
    languages: Sequence[str] = ("en",)
    timezone: str = "UTC"
    availability: Sequence[str] = AVAILABILITY_SLOTS
    age_band: str = ""
    utc_hours: frozenset[int] | None = None


@dataclass
class FeatureSet:
    """Everything grouping needs, indexed by candidate position."""

    vectors: np.ndarray  # (n, d) float32, rows L2-normalised (or zero)
    language_masks: list[int]
    time_masks: list[int]
    avoid_masks: list[int]
    topic_masks: list[int]
    talk_style: np.ndarray  # (n,) int8 index into TALK_STYLES
    pace: np.ndarray  # (n,) int8 index into PACES
    support: np.ndarray  # (n,) int8 index into SUPPORT_STYLES
    max_size: np.ndarray  # (n,) int8 preferred maximum group size
    interest_tokens: list[list[str]]
    interest_idf: dict[str, float]
    hard_code: np.ndarray  # (n,) int32 id of the (language, time) profile
    hard_compatible: np.ndarray  # (codes, codes) bool: languages and time agree
    avoid_code: np.ndarray  # (n,) int32 id of the (avoided topics, listed topics) profile
    avoid_compatible: np.ndarray | None  # (codes, codes) bool, or None: use the words
    avoid_words: np.ndarray  # (n, words) uint64 avoided topics
    topic_words: np.ndarray  # (n, words) uint64 listed topics that somebody avoids
    #: Non-zeros of each vector, padded (ELL layout): most people have a handful.
    nonzero_cols: np.ndarray  # (n, z) int32
    nonzero_vals: np.ndarray  # (n, z) float32, 0 where padded

    @property
    def size(self) -> int:
        """Number of candidates."""
        return len(self.language_masks)


@lru_cache(maxsize=1 << 16)
def normalize_token(value: str) -> str:
    """Canonical form of an interest, topic or language: trimmed, lower case."""
    return " ".join(value.strip().lower().split())


def utc_hours_for(
    availability: Iterable[str], timezone: str, week_start: date = REFERENCE_MONDAY
) -> frozenset[int]:
    """UTC hours of the week (0 = Monday 00:00 UTC) covered by local slots.

    Unknown slot names are ignored; an unknown time zone is treated as UTC.
    """
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    utc = ZoneInfo("UTC")
    monday_utc = datetime(week_start.year, week_start.month, week_start.day, tzinfo=utc)
    hours: set[int] = set()
    for slot in availability:
        kind, _, part = slot.partition("_")
        if kind not in DAY_KIND_DAYS or part not in DAY_PART_HOURS:
            continue
        start, end = DAY_PART_HOURS[part]
        for day in DAY_KIND_DAYS[kind]:
            local_day = week_start + timedelta(days=day)
            for hour in range(start, end):
                local = datetime(local_day.year, local_day.month, local_day.day, hour, tzinfo=zone)
                offset = local.astimezone(utc) - monday_utc
                hours.add(int(offset.total_seconds() // 3600) % HOURS_PER_WEEK)
    return frozenset(hours)


def mask_of(bits: Iterable[int]) -> int:
    """Integer bitmask with the given bit positions set."""
    mask = 0
    for bit in bits:
        mask |= 1 << bit
    return mask


def _index_of(value: str, choices: tuple[str, ...], default: int) -> int:
    return choices.index(value) if value in choices else default


@lru_cache(maxsize=1 << 14)
def _hours_mask(hours: frozenset[int]) -> int:
    return mask_of(h % HOURS_PER_WEEK for h in hours)


@lru_cache(maxsize=1 << 14)
def _local_slots_mask(availability: tuple[str, ...], timezone: str) -> int:
    return _hours_mask(utc_hours_for(availability, timezone))


def _time_mask(candidate: Candidate) -> int:
    if candidate.pace == "slow":
        # Asynchronous people can meet any group whenever suits them.
        return ALL_HOURS_MASK
    if candidate.utc_hours is not None:
        return _hours_mask(frozenset(candidate.utc_hours))
    return _local_slots_mask(tuple(sorted(set(candidate.availability))), candidate.timezone)


def _idf_block(token_lists: list[list[str]]) -> tuple[sp.csr_matrix, dict[str, float]]:
    """IDF-weighted, L2-normalised binary matrix of token lists, plus each token's IDF."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, tokens in enumerate(token_lists):
        # Sorted, not set order: string hashes differ per process, and column order
        # must not (hashed folding and the SVD depend on it).
        for token in sorted(set(tokens)):
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
            rows.append(row)
    n = len(token_lists)
    binary = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, max(1, len(vocabulary)))
    )
    if not vocabulary:
        return binary, {}
    transformer = TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=False)
    weighted = transformer.fit_transform(binary)
    idf = transformer.idf_
    return sp.csr_matrix(weighted), {token: float(idf[col]) for token, col in vocabulary.items()}


def _text_block(texts: list[str]) -> sp.csr_matrix | None:
    """TF-IDF of free text, or None when nobody wrote anything usable."""
    if not any(text.strip() for text in texts):
        return None
    vectorizer = TfidfVectorizer(
        lowercase=True, sublinear_tf=True, min_df=1, max_features=50_000, dtype=np.float64
    )
    try:
        return sp.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # only stop words or one-letter tokens: no vocabulary
        return None


def build_vectors(
    candidates: Sequence[Candidate], *, seed: int = 0
) -> tuple[np.ndarray, list[list[str]], dict[str, float]]:
    """Similarity vectors (dense float32, L2-normalised rows) and the interest IDF table."""
    if not candidates:
        return np.zeros((0, 1), dtype=np.float32), [], {}
    interest_tokens = [
        sorted({normalize_token(t) for t in c.interests if normalize_token(t)}) for c in candidates
    ]
    interests, idf = _idf_block(interest_tokens)
    blocks: list[sp.csr_matrix] = [interests * INTEREST_WEIGHT]
    about = _text_block([c.about for c in candidates])
    if about is not None:
        blocks.append(about * ABOUT_WEIGHT)
    reason_tokens = [
        [normalize_token(r) for r in c.reasons if normalize_token(r)] for c in candidates
    ]
    if any(reason_tokens):
        reasons, _ = _idf_block(reason_tokens)
        blocks.append(reasons * REASONS_WEIGHT)
    combined = sp.csr_matrix(sp.hstack(blocks, format="csr"))
    n, d = combined.shape
    if d > MAX_DENSE_WIDTH and n * d > WIDE_DENSE_CELLS:
        rng = np.random.default_rng(seed)
        fold = sp.csr_matrix(
            (rng.choice([-1.0, 1.0], size=d), (np.arange(d), rng.integers(HASHED_WIDTH, size=d))),
            shape=(d, HASHED_WIDTH),
        )
        dense = (normalize(combined) @ fold).toarray()
    elif n * d > MAX_DENSE_CELLS and d > SVD_COMPONENTS:
        # Huge vocabularies: keep memory bounded; cosine is approximately preserved.
        svd = TruncatedSVD(n_components=SVD_COMPONENTS, random_state=seed)
        dense = svd.fit_transform(normalize(combined))
    else:
        dense = combined.toarray()
    vectors = normalize(dense).astype(np.float32)
    return vectors, interest_tokens, idf


def sparse_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column indexes and values of each row's non-zeros, padded to the longest row."""
    present = vectors != 0
    per_row = present.sum(axis=1)
    width = max(1, int(per_row.max(initial=0)))
    cols = np.zeros((vectors.shape[0], width), dtype=np.int32)
    vals = np.zeros((vectors.shape[0], width), dtype=np.float32)
    rows, columns = np.nonzero(present)
    starts = np.concatenate([[0], np.cumsum(per_row)[:-1]]) if vectors.shape[0] else per_row
    position = np.arange(rows.size) - np.repeat(starts, per_row)
    cols[rows, position] = columns
    vals[rows, position] = vectors[rows, columns]
    return cols, vals


def _profile_codes(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Id of each distinct pair of masks, and the distinct pairs in id order."""
    code_of: dict[tuple[int, int], int] = {}
    codes = np.fromiter(
        (code_of.setdefault(pair, len(code_of)) for pair in pairs), dtype=np.int32, count=len(pairs)
    )
    return codes, list(code_of)


def _bits_needed(masks: Iterable[int]) -> int:
    return max([m.bit_length() for m in masks] + [1])


def _pairwise_table(
    rows: int, check: Callable[[slice], np.ndarray], block: int = 256
) -> np.ndarray:
    """Fill a rows × rows boolean table a block of rows at a time (bounded memory)."""
    table = np.empty((rows, rows), dtype=bool)
    for start in range(0, rows, block):
        part = slice(start, min(rows, start + block))
        table[part] = check(part)
    return table


def _hard_profile_codes(
    language_masks: list[int], time_masks: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Id per (languages, hours) profile and the profile-by-profile compatibility table."""
    codes, profiles = _profile_codes(list(zip(language_masks, time_masks, strict=True)))
    languages = to_words([p[0] for p in profiles], _bits_needed(p[0] for p in profiles))
    hours = to_words([p[1] for p in profiles], HOURS_PER_WEEK)

    def check(part: slice) -> np.ndarray:
        share_language = (languages[part, None, :] & languages[None, :, :]).any(axis=-1)
        shared_hours = np.bitwise_count(hours[part, None, :] & hours[None, :, :]).sum(axis=-1)
        ok: np.ndarray = share_language & (shared_hours >= MIN_SHARED_HOURS)
        return ok

    return codes, _pairwise_table(len(profiles), check)


#: Above this many distinct avoid profiles the pairwise table would be too big.
MAX_AVOID_PROFILES = 4000


def _avoid_profile_codes(
    avoid_masks: list[int], topic_masks: list[int]
) -> tuple[np.ndarray, np.ndarray | None]:
    """Id per (avoided, listed) topic profile and, if small enough, the no-conflict table."""
    codes, profiles = _profile_codes(list(zip(avoid_masks, topic_masks, strict=True)))
    if len(profiles) > MAX_AVOID_PROFILES:
        return codes, None
    bits = _bits_needed(m for p in profiles for m in p)
    avoided = to_words([p[0] for p in profiles], bits)
    topics = to_words([p[1] for p in profiles], bits)

    def check(part: slice) -> np.ndarray:
        conflict = (avoided[part, None, :] & topics[None, :, :]).any(axis=-1) | (
            topics[part, None, :] & avoided[None, :, :]
        ).any(axis=-1)
        ok: np.ndarray = ~conflict
        return ok

    return codes, _pairwise_table(len(profiles), check)


def to_words(masks: list[int], n_bits: int) -> np.ndarray:
    """Pack Python int masks into an (n, words) uint64 array for vectorised checks."""
    words = max(1, math.ceil(n_bits / 64))
    out = np.zeros((len(masks), words), dtype=np.uint64)
    if not masks:
        return out
    raw = b"".join(m.to_bytes(8 * words, "little") for m in masks)
    out[:] = np.frombuffer(raw, dtype="<u8").reshape(len(masks), words)
    return out


def build_features(candidates: Sequence[Candidate], *, seed: int = 0) -> FeatureSet:
    """Build similarity vectors and hard-constraint masks for a pool of candidates."""
    vectors, interest_tokens, idf = build_vectors(candidates, seed=seed)
    language_bit: dict[str, int] = {}
    language_masks = [
        mask_of(
            language_bit.setdefault(normalize_token(lang), len(language_bit))
            for lang in c.languages
        )
        for c in candidates
    ]
    time_masks = [_time_mask(c) for c in candidates]
    topic_bit: dict[str, int] = {}
    avoid_masks = [
        mask_of(topic_bit.setdefault(normalize_token(t), len(topic_bit)) for t in c.avoid_topics)
        for c in candidates
    ]
    topic_masks = [
        mask_of(topic_bit[t] for t in tokens if t in topic_bit) for tokens in interest_tokens
    ]
    codes, table = _hard_profile_codes(language_masks, time_masks)
    avoid_codes, avoid_table = _avoid_profile_codes(avoid_masks, topic_masks)
    nonzero_cols, nonzero_vals = sparse_rows(vectors)
    return FeatureSet(
        vectors=vectors,
        nonzero_cols=nonzero_cols,
        nonzero_vals=nonzero_vals,
        language_masks=language_masks,
        time_masks=time_masks,
        avoid_masks=avoid_masks,
        topic_masks=topic_masks,
        talk_style=np.array([_index_of(c.talk_style, TALK_STYLES, 1) for c in candidates], np.int8),
        pace=np.array([_index_of(c.pace, PACES, 0) for c in candidates], np.int8),
        support=np.array(
            [_index_of(c.support_style, SUPPORT_STYLES, 1) for c in candidates], np.int8
        ),
        max_size=np.array([int(c.max_group_size) for c in candidates], np.int8),
        interest_tokens=interest_tokens,
        interest_idf=idf,
        hard_code=codes,
        hard_compatible=table,
        avoid_code=avoid_codes,
        avoid_compatible=avoid_table,
        avoid_words=to_words(avoid_masks, len(topic_bit)),
        topic_words=to_words(topic_masks, len(topic_bit)),
    )


def compatible_block(features: FeatureSet, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Pairwise hard compatibility (language, time, avoided topics) of rows × cols."""
    ok: np.ndarray = features.hard_compatible[features.hard_code[rows]][:, features.hard_code[cols]]
    if features.avoid_compatible is not None:
        table = features.avoid_compatible
        ok &= table[features.avoid_code[rows]][:, features.avoid_code[cols]]
        return ok
    avoid, topic = features.avoid_words, features.topic_words
    for w in range(avoid.shape[1]):
        a_r, t_r = avoid[rows, w][:, None], topic[rows, w][:, None]
        a_c, t_c = avoid[cols, w][None, :], topic[cols, w][None, :]
        if not (a_r.any() or a_c.any()):
            continue
        ok &= ((a_r & t_c) | (a_c & t_r)) == 0
    return ok


def _top_k(costs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indexes and values of the k *smallest* entries per row, smallest first.

    Callers pass negated similarities. Selecting the k smallest is what numpy's
    introselect does fast on rows full of equal values (the many zero
    similarities of a sparse pool): asking it for the k largest instead took
    three to four times as long on the long-tail pool's blocks, for the same
    top-k values.
    """
    k = min(k, costs.shape[1])
    part = np.argpartition(costs, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(costs, part, axis=1)
    order = np.argsort(values, axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(values, order, axis=1)


def _block_sims(features: FeatureSet, queries: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Similarities of queries × pool (float32).

    Most people have a handful of non-zeros in a few hundred columns: a sparse
    × dense product then does a small fraction of the dense product's work.
    """
    vectors = features.vectors
    cols, vals = features.nonzero_cols, features.nonzero_vals
    width = cols.shape[1]
    if width * 3 > vectors.shape[1]:
        sims: np.ndarray = vectors[queries] @ vectors[pool].T
        return sims
    rows = sp.csr_matrix(
        (vals[queries].ravel(), cols[queries].ravel(), np.arange(queries.size + 1) * width),
        shape=(queries.size, vectors.shape[1]),
    )
    product: np.ndarray = rows @ np.ascontiguousarray(vectors[pool].T)
    return product


def _fill_block(
    features: FeatureSet,
    queries: np.ndarray,
    pool: np.ndarray,
    k: int,
    out_idx: np.ndarray,
    out_sim: np.ndarray,
) -> None:
    # Negated in place (no copy): the top-k selection runs on costs, see _top_k.
    sims = _block_sims(features, queries, pool)
    costs = np.negative(sims, out=sims)
    np.putmask(costs, ~compatible_block(features, queries, pool), np.inf)
    # pool is sorted and contains every query: knock out self-matches.
    costs[np.arange(queries.size), np.searchsorted(pool, queries)] = np.inf
    cols, values = _top_k(costs, k)
    found = np.isfinite(values)
    width = cols.shape[1]
    out_idx[queries, :width] = np.where(found, pool[cols], -1)
    out_sim[queries, :width] = np.where(found, -values, -np.inf)


def compatible_neighbors(
    features: FeatureSet,
    k: int = 32,
    *,
    seed: int = 0,
    exact_below: int = 8000,
    cell_size: int = 900,
    probes: int = 3,
) -> tuple[np.ndarray, np.ndarray]:
    """The k most similar hard-compatible people of everyone.

    Exact for pools smaller than ``exact_below``; above that, an approximate
    blocked search: k-means cells (a few Lloyd steps on a sample) over the vectors (plus
    coarse language and time features so cells hold mostly compatible people), everyone is
    filed in its ``probes`` nearest cells, and queries scan their own cell.
    Returns ``(indexes, sims)`` of shape (n, k), best first, padded with -1/-inf.
    """
    n = features.size
    out_idx = np.full((n, k), -1, dtype=np.int32)
    out_sim = np.full((n, k), -np.inf, dtype=np.float32)
    if n < 2:
        return out_idx, out_sim
    if n < exact_below:
        everyone = np.arange(n)
        for start in range(0, n, 1024):
            _fill_block(features, everyone[start : start + 1024], everyone, k, out_idx, out_sim)
        return out_idx, out_sim
    cells, assignments = _blocking_cells(features, cell_size=cell_size, probes=probes, seed=seed)
    primary = assignments[:, 0]
    for cell in range(cells):
        queries = np.flatnonzero(primary == cell)
        if queries.size == 0:
            continue
        pool = np.flatnonzero((assignments == cell).any(axis=1))
        _fill_block(features, queries, pool, k, out_idx, out_sim)
    return out_idx, out_sim


def _bit_matrix(masks: list[int], n_bits: int) -> np.ndarray:
    """(n, n_bits) 0/1 matrix of the low ``n_bits`` bits of each mask."""
    words = to_words(masks, n_bits)
    bits = np.unpackbits(words.view(np.uint8).reshape(len(masks), -1), axis=1, bitorder="little")
    return bits[:, :n_bits]


def _blocking_features(features: FeatureSet) -> np.ndarray:
    """Vectors plus coarse language and time-of-week features for blocking."""
    n = features.size
    language_count = min(32, max(m.bit_length() for m in features.language_masks))
    low_languages = [m & ((1 << language_count) - 1) for m in features.language_masks]
    languages = _bit_matrix(low_languages, max(1, language_count)).astype(np.float32)
    # 28 six-hour bins of the week; all-ones masks (slow pace) spread evenly.
    hours = _bit_matrix(features.time_masks, HOURS_PER_WEEK)
    time_bins = hours.reshape(n, 28, 6).sum(axis=2).astype(np.float32)
    languages = normalize(languages) * 0.45
    time_bins = normalize(time_bins) * 0.45
    return np.hstack([features.vectors, languages, time_bins]).astype(np.float32)


def _lloyd(points: np.ndarray, cells: int, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """A few k-means (Lloyd) iterations from random points: centres for blocking.

    Plain matrix products instead of MiniBatchKMeans: a handful of BLAS calls,
    deterministic for a seed and unaffected by OpenMP contention.
    """
    centers = points[rng.choice(points.shape[0], size=cells, replace=False)].copy()
    for _ in range(iterations):
        scores = (centers * centers).sum(axis=1)[None, :] - 2.0 * (points @ centers.T)
        labels = scores.argmin(axis=1)
        order = np.argsort(labels, kind="stable")
        used, starts, counts = np.unique(labels[order], return_index=True, return_counts=True)
        totals = np.add.reduceat(points[order], starts, axis=0)
        centers[used] = totals / counts[:, None].astype(np.float32)
    return centers


def _blocking_cells(
    features: FeatureSet, *, cell_size: int, probes: int, seed: int
) -> tuple[int, np.ndarray]:
    """Number of cells and each person's ``probes`` nearest cells (nearest first)."""
    points = _blocking_features(features)
    cells = max(2, features.size // cell_size)
    # Centres from a sample are as good as from everyone for blocking, and cheap.
    rng = np.random.default_rng(seed)
    sample_size = min(features.size, max(20_000, 40 * cells))
    sample = points[np.sort(rng.choice(features.size, size=sample_size, replace=False))]
    centers = _lloyd(sample, cells, rng, iterations=6)
    # Squared distance up to a per-row constant: |c|^2 - 2 x·c.
    scores = (centers * centers).sum(axis=1)[None, :] - 2.0 * (points @ centers.T)
    probes = min(probes, cells)
    nearest = np.argpartition(scores, probes - 1, axis=1)[:, :probes]
    order = np.argsort(np.take_along_axis(scores, nearest, axis=1), axis=1, kind="stable")
    return cells, np.take_along_axis(nearest, order, axis=1)
