"""A pair-compatibility model learned from how groups actually went.

Pure module: imports only the standard library, numpy, scipy and scikit-learn.

What it learns
    Each person becomes a set of *blocks*, every block an L2-normalised,
    non-negative vector, so the cosine of two people's blocks is a pair feature
    in [0, 1]: interests, ``about`` text and reasons (as today's similarity),
    the rarity of shared interests (interests weighted by IDF squared, so a rare
    shared interest counts far more), talk style (same, and closeness on the
    listen → talk scale), support style, pace, age band closeness, shared
    languages, shared availability hours and avoided topics (the same
    sensitivities, or none on both sides).

    A group's outcome (after-meeting feedback in [0, 1]) is modelled as an
    intercept plus non-negative weights times the group's mean pair cosine of
    each block, fitted by ridge-regularised non-negative least squares. Group
    outcomes are therefore spread over their pairs exactly: a group's predicted
    outcome is the mean of its pairs' predictions.

Why this estimator
    Non-negative weights over cosines are a positive semi-definite kernel: the
    learned compatibility of two people is the dot product of one embedding per
    person (the blocks scaled by the square roots of the weights). The grouping
    scores groups with sum vectors, so the model drops into its objective
    exactly, by appending the embedding to today's similarity vectors, at no
    extra cost per move. Gradient boosting on pairs fits the noise of small
    samples and cannot be written as a dot product. The bench
    (``python -m bench.matching --learning``) reports both on held-back groups.

Trust
    The fit measures, by 5-fold cross-validation over groups, the rank
    correlation of predicted and actual outcomes. A model whose held-back
    correlation is not clearly positive (one-sided p ≥ 0.05) is *not
    informative* and the grouping ignores it: feedback that is only noise must
    not move groups.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]  # no stubs in the pinned set
from scipy.optimize import nnls  # type: ignore[import-untyped]  # no stubs in the pinned set
from scipy.stats import spearmanr  # type: ignore[import-untyped]  # no stubs in the pinned set
from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.model_selection import KFold  # type: ignore[import-untyped]  # sklearn ships no type hints
from sklearn.preprocessing import normalize  # type: ignore[import-untyped]  # sklearn ships no type hints

from matching.explain import N_
from matching.features import (
    HOURS_PER_WEEK,
    MAX_DENSE_CELLS,
    PACES,
    SUPPORT_STYLES,
    SVD_COMPONENTS,
    TALK_STYLES,
    Candidate,
    FeatureSet,
    _bit_matrix,
    _time_mask,
    normalize_token,
    sparse_rows,
)

__all__ = [
    "BLOCKS",
    "BLOCK_WORDS",
    "DEFAULT_COMPATIBILITY_BLEND",
    "CompatibilityModel",
    "blend_features",
    "fit_compatibility",
    "group_block_means",
]

#: Pair features, one per block of the person embedding.
BLOCKS: tuple[str, ...] = (
    "interests",
    "about",
    "reasons",
    "rare_interests",
    "talk_style",
    "talk_closeness",
    "support_style",
    "pace",
    "age_band",
    "languages",
    "hours",
    "avoided_topics",
)
#: Plain words for each block, as used in "why" texts and the console: msgids, stored
#: in English and translated where they are shown.
BLOCK_WORDS: dict[str, str] = {
    "interests": N_("shared interests"),
    "about": N_("similar things said about themselves"),
    "reasons": N_("similar reasons for joining"),
    "rare_interests": N_("sharing less common interests"),
    "talk_style": N_("the same way of joining in a conversation"),
    "talk_closeness": N_("similar comfort with sharing"),
    "support_style": N_("wanting the same kind of support"),
    "pace": N_("a similar pace"),
    "age_band": N_("being of a similar age"),
    "languages": N_("speaking the same languages"),
    "hours": N_("being free at the same times"),
    "avoided_topics": N_("steering clear of the same topics"),
}
#: Blocks whose cosine is about a person's comfort, not their words: a group can
#: be said to share them without naming any interest.
COMFORT_BLOCKS = frozenset(BLOCKS) - {"interests", "about", "reasons", "rare_interests"}
#: Share of the grouping objective given to the learned compatibility by default.
DEFAULT_COMPATIBILITY_BLEND = 0.5
AGE_BANDS: tuple[str, ...] = ("18-24", "25-34", "35-49", "50-64", "65+")
#: Ridge strength of the non-negative fit (in units of the cosine features).
RIDGE = 0.01
CV_FOLDS = 5
#: One-sided significance a held-back rank correlation needs to be trusted.
TRUST_P_VALUE = 0.05
#: Fewer groups than this and no cross-validation is attempted (never trusted).
MIN_CV_GROUPS = 10


def _ordinal(index: int, count: int) -> tuple[float, float]:
    """A point on a quarter circle: neighbours on a scale have cosine near 1, ends 0."""
    angle = (math.pi / 2) * index / max(1, count - 1)
    return math.cos(angle), math.sin(angle)


def _one_hot(indexes: np.ndarray, width: int) -> sp.csr_matrix:
    rows = np.arange(indexes.size)
    keep = indexes >= 0
    return sp.csr_matrix(
        (np.ones(int(keep.sum())), (rows[keep], indexes[keep])), shape=(indexes.size, width)
    )


def _token_block(token_lists: Sequence[Sequence[str]], power: float) -> sp.csr_matrix:
    """Binary token matrix weighted by IDF**power (smoothed), rows L2-normalised."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, tokens in enumerate(token_lists):
        for token in sorted(set(tokens)):
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
            rows.append(row)
    n = len(token_lists)
    binary = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(1, len(vocabulary))))
    if not vocabulary:
        return binary
    df = np.asarray((binary > 0).sum(axis=0)).ravel()
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    return sp.csr_matrix(normalize(binary @ sp.diags(idf**power)))


def _text_block(texts: Sequence[str]) -> sp.csr_matrix:
    if any(text.strip() for text in texts):
        vectorizer = TfidfVectorizer(lowercase=True, sublinear_tf=True, max_features=50_000)
        try:
            return sp.csr_matrix(vectorizer.fit_transform(list(texts)))
        except ValueError:  # only stop words or one-letter tokens: no vocabulary
            pass
    return sp.csr_matrix((len(texts), 1))


def person_blocks(
    candidates: Sequence[Candidate], names: Collection[str] = BLOCKS
) -> dict[str, sp.csr_matrix]:
    """The ``names`` blocks of every candidate, rows L2-normalised (or zero when unknown).

    Token weights (IDF) are relative to ``candidates``: the pool being grouped,
    or all the members of the training groups.
    """
    wanted = set(names)
    interests = [
        sorted({normalize_token(t) for t in c.interests if normalize_token(t)}) for c in candidates
    ]
    reasons = [[normalize_token(r) for r in c.reasons if normalize_token(r)] for c in candidates]
    talk = np.array([TALK_STYLES.index(c.talk_style) if c.talk_style in TALK_STYLES else 1
                     for c in candidates], dtype=np.int64)  # fmt: skip
    closeness = np.array([_ordinal(int(t), len(TALK_STYLES)) for t in talk]).reshape(-1, 2)
    support = np.array(
        [SUPPORT_STYLES.index(c.support_style) if c.support_style in SUPPORT_STYLES else -1
         for c in candidates], dtype=np.int64)  # fmt: skip
    pace = np.array([PACES.index(c.pace) if c.pace in PACES else -1 for c in candidates],
                    dtype=np.int64)  # fmt: skip
    ages = np.array(
        [_ordinal(AGE_BANDS.index(c.age_band), len(AGE_BANDS)) if c.age_band in AGE_BANDS
         else (0.0, 0.0) for c in candidates]).reshape(-1, 2)  # fmt: skip
    language_tokens = [[normalize_token(lang) for lang in c.languages] for c in candidates]
    # Six-hour bins of the week: 28 columns say as much about shared time as 168 and
    # keep the grouping's vectors narrow.
    hours = (
        _bit_matrix([_time_mask(c) for c in candidates], HOURS_PER_WEEK)
        .reshape(len(candidates), HOURS_PER_WEEK // 6, 6)
        .sum(axis=2, dtype=np.float64)
        if "hours" in wanted
        else np.zeros((len(candidates), 1))
    )
    # "Avoids nothing" is a sensitivity of its own: two such people match fully.
    avoided = [
        sorted({normalize_token(t) for t in c.avoid_topics if normalize_token(t)}) or ["\0none"]
        for c in candidates
    ]
    about = _text_block([c.about for c in candidates]) if "about" in wanted else None
    blocks = {
        "interests": _token_block(interests, 1.0),
        "about": about,
        "reasons": _token_block(reasons, 1.0),
        "rare_interests": _token_block(interests, 2.0),
        "talk_style": _one_hot(talk, len(TALK_STYLES)),
        "talk_closeness": sp.csr_matrix(closeness),
        "support_style": _one_hot(support, len(SUPPORT_STYLES)),
        "pace": _one_hot(pace, len(PACES)),
        "age_band": sp.csr_matrix(ages),
        "languages": _token_block(language_tokens, 0.0),
        "hours": sp.csr_matrix(normalize(hours)),
        "avoided_topics": _token_block(avoided, 0.0),
    }
    return {name: block for name, block in blocks.items() if name in wanted}


def _group_means(
    blocks: dict[str, sp.csr_matrix],
    groups: Sequence[Sequence[int]],
    names: Sequence[str] = BLOCKS,
) -> np.ndarray:
    """(groups, blocks) mean pair cosine of each block inside each group (rows index people)."""
    sizes = np.array([len(g) for g in groups], dtype=np.float64)
    rows = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    cols: np.ndarray = (
        np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
        if groups
        else np.zeros(0, dtype=np.int64)
    )
    n = next(iter(blocks.values())).shape[0]
    indicator = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(groups), n))
    pairs = np.maximum(sizes * (sizes - 1.0), 1.0)
    means = np.zeros((len(groups), len(names)))
    for k, name in enumerate(names):
        block = blocks[name]
        sums = indicator @ block
        sq = np.asarray(sums.multiply(sums).sum(axis=1)).ravel()
        self_sq = indicator @ np.asarray(block.multiply(block).sum(axis=1)).ravel()
        means[:, k] = np.clip((sq - self_sq) / pairs, 0.0, 1.0)
    return means


def group_block_means(groups: Sequence[Sequence[Candidate]]) -> np.ndarray:
    """Mean pair cosine of every block (columns in :data:`BLOCKS` order) of each group."""
    members = [c for group in groups for c in group]
    starts = np.cumsum([0] + [len(g) for g in groups])
    index = [list(range(int(starts[i]), int(starts[i + 1]))) for i in range(len(groups))]
    return _group_means(person_blocks(members), index)


def _nnls_fit(features: np.ndarray, outcomes: np.ndarray) -> tuple[np.ndarray, float]:
    """Ridge-regularised non-negative weights with a free intercept."""
    mean_x = features.mean(axis=0)
    mean_y = float(outcomes.mean())
    centered = features - mean_x
    k = features.shape[1]
    scale = math.sqrt(RIDGE * max(1, features.shape[0]) / 100.0)
    design = np.vstack([centered, scale * np.eye(k)])
    target = np.concatenate([outcomes - mean_y, np.zeros(k)])
    coef, _ = nnls(design, target)
    return np.asarray(coef, dtype=np.float64), mean_y - float(mean_x @ coef)


def _data_hash(examples: Sequence[tuple[Sequence[Candidate], float]]) -> str:
    digest = hashlib.sha256()
    for members, outcome in examples:
        digest.update(repr(sorted(str(c.user_id) for c in members)).encode())
        digest.update(f"{float(outcome):.6f}".encode())
    return digest.hexdigest()[:16]


@dataclass
class CompatibilityModel:
    """Learned pair compatibility; picklable (plain floats and small arrays)."""

    #: Non-negative weight of each block's pair cosine, in :data:`BLOCKS` order.
    coef: np.ndarray
    intercept: float
    #: Groups and pairs the model was fitted on.
    n_groups: int
    n_pairs: int
    #: Rank correlation of out-of-fold predictions with outcomes, and its one-sided p.
    cv_rank_correlation: float
    cv_p_value: float
    seed: int = 0
    data_hash: str = ""
    blocks: tuple[str, ...] = field(default=BLOCKS)

    @property
    def informative(self) -> bool:
        """Whether held-back groups show the model predicts better than chance."""
        return (
            bool(self.coef.sum() > 0)
            and self.cv_rank_correlation > 0
            and self.cv_p_value < TRUST_P_VALUE
        )

    @property
    def weights(self) -> dict[str, float]:
        """Each block's share of the learned compatibility (sums to 1, or all 0)."""
        total = float(self.coef.sum())
        return {
            name: (float(c) / total if total > 0 else 0.0)
            for name, c in zip(self.blocks, self.coef, strict=True)
        }

    def top_effects(self, count: int = 3, *, minimum: float = 0.05) -> list[tuple[str, float]]:
        """The heaviest blocks and their shares, heaviest first."""
        ranked = sorted(self.weights.items(), key=lambda item: (-item[1], item[0]))
        return [(name, share) for name, share in ranked[:count] if share >= minimum]

    def describe_effects(self, count: int = 3) -> list[str]:
        """The top effects in plain words, e.g. "a similar pace (41%)"."""
        return [f"{BLOCK_WORDS[name]} ({share:.0%})" for name, share in self.top_effects(count)]

    def embed(self, candidates: Sequence[Candidate]) -> sp.csr_matrix:
        """One L2-normalised row per candidate whose dot products are the compatibility."""
        blocks = person_blocks(candidates)
        weights = self.weights
        parts = [blocks[name] * math.sqrt(weights[name]) for name in self.blocks if weights[name]]
        if not parts:
            return sp.csr_matrix((len(candidates), 1))
        return sp.csr_matrix(normalize(sp.hstack(parts, format="csr")))

    def pair_scores(self, a: Sequence[Candidate], b: Sequence[Candidate]) -> np.ndarray:
        """Compatibility of ``a[i]`` with ``b[i]`` in [0, 1] (token weights from a ∪ b)."""
        if len(a) != len(b):
            raise ValueError("a and b must have the same length")
        if not a:
            return np.zeros(0)
        embedded = self.embed([*a, *b])
        top, bottom = embedded[: len(a)], embedded[len(a) :]
        scores: np.ndarray = np.asarray(top.multiply(bottom).sum(axis=1)).ravel()
        clipped: np.ndarray = np.clip(scores, 0.0, 1.0)
        return clipped

    def predict_groups(self, groups: Sequence[Sequence[Candidate]]) -> np.ndarray:
        """Predicted outcome of each group: intercept + weights · mean pair cosines."""
        if not groups:
            return np.zeros(0)
        return np.asarray(self.intercept + group_block_means(groups) @ self.coef)

    def explain(self, members: Sequence[Candidate], count: int = 2) -> list[str]:
        """Plain words for the comfort blocks the model weighs that this group shares.

        Only blocks the model gives real weight and on which the group agrees
        (mean pair cosine at least 0.5) are named, so the text never claims the
        model used something it did not.
        """
        return self.explain_groups(members, [list(range(len(members)))], count)[0]

    def explain_groups(
        self, candidates: Sequence[Candidate], groups: Sequence[Sequence[int]], count: int = 2
    ) -> list[list[str]]:
        """:meth:`explain` for many groups (indexes into ``candidates``) in one pass."""
        if not self.informative or not groups:
            return [[] for _ in groups]
        weighed = [
            name
            for name, _ in self.top_effects(len(self.blocks), minimum=0.1)
            if name in COMFORT_BLOCKS
        ]
        if not weighed:
            return [[] for _ in groups]
        blocks = person_blocks(candidates, weighed)
        means = _group_means(blocks, groups, weighed)
        return [
            [BLOCK_WORDS[name] for k, name in enumerate(weighed) if row[k] >= 0.5][:count]
            if len(group) > 1
            else []
            for row, group in zip(means, groups, strict=True)
        ]


def fit_compatibility(
    examples: Sequence[tuple[Sequence[Candidate], float]], *, seed: int = 0
) -> CompatibilityModel:
    """Learn pair compatibility from groups and their outcomes in [0, 1].

    Deterministic for a seed (the seed only orders the cross-validation folds).
    Groups of fewer than two members carry no pair and are skipped.
    """
    usable = [(list(m), float(o)) for m, o in examples if len(m) >= 2]
    for _, outcome in usable:
        if not 0.0 <= outcome <= 1.0 or math.isnan(outcome):
            raise ValueError("outcomes must lie in [0, 1]")
    if not usable:
        return CompatibilityModel(np.zeros(len(BLOCKS)), 0.0, 0, 0, 0.0, 1.0, seed, "")
    features = group_block_means([m for m, _ in usable])
    outcomes = np.array([o for _, o in usable])
    coef, intercept = _nnls_fit(features, outcomes)
    rho, p_value = 0.0, 1.0
    if len(usable) >= MIN_CV_GROUPS and np.ptp(outcomes) > 0:
        predicted = np.zeros(len(usable))
        folds = KFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed)
        for train, test in folds.split(features):
            fold_coef, fold_intercept = _nnls_fit(features[train], outcomes[train])
            predicted[test] = fold_intercept + features[test] @ fold_coef
        if np.ptp(predicted) > 0:
            result = spearmanr(predicted, outcomes)
            rho = float(result.statistic)
            # One-sided: only a positive correlation counts as evidence.
            p_value = float(result.pvalue) / 2 if rho > 0 else 1.0
    return CompatibilityModel(
        coef=coef,
        intercept=intercept,
        n_groups=len(usable),
        n_pairs=sum(len(m) * (len(m) - 1) // 2 for m, _ in usable),
        cv_rank_correlation=rho,
        cv_p_value=p_value,
        seed=seed,
        data_hash=_data_hash(usable),
    )


def blend_features(
    features: FeatureSet,
    candidates: Sequence[Candidate],
    model: CompatibilityModel,
    blend: float,
) -> FeatureSet:
    """Features whose vector dot products are ``(1 - blend)·today + blend·learned``.

    Both parts are unit vectors, so scaling them by the square roots of their
    shares and concatenating keeps every row a unit vector and makes the cosine
    of two people the blend of both similarities: the grouping's sum-vector
    objective, neighbour search and repair all use it unchanged.
    """
    if not 0.0 <= blend <= 1.0:
        raise ValueError("blend must lie in [0, 1]")
    if blend == 0.0 or not model.informative or features.size == 0:
        return features
    embedded = model.embed(candidates)
    if (
        embedded.shape[0] * embedded.shape[1] > MAX_DENSE_CELLS
        and embedded.shape[1] > SVD_COMPONENTS
    ):
        # Long free-text vocabularies: bound memory as build_vectors does.
        svd = TruncatedSVD(n_components=SVD_COMPONENTS, random_state=model.seed)
        learned = normalize(svd.fit_transform(embedded))
    else:
        learned = embedded.toarray()
    vectors = np.hstack(
        [features.vectors * math.sqrt(1.0 - blend), learned * math.sqrt(blend)]
    ).astype(np.float32)
    cols, vals = sparse_rows(vectors)
    return replace(features, vectors=vectors, nonzero_cols=cols, nonzero_vals=vals)
