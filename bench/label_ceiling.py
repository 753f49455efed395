"""How far a classifier trained on the mh-distress labels themselves could go.

``bench.screening`` measures Hearth's crisis screening against the
mh-distress-rallypoint-reddit labels. Label 1 there is "posted in a
mental-health subreddit" (ADHD, schizophrenia, rehab questions, study
recruitment) as much as "at risk", so a low recall can mean two things: the
screening misses crises, or the label asks for something else. This module
tells them apart. It trains a plain supervised reference (word and character
TF-IDF, logistic regression) on the development half *in this process*, scores
the held-out half and Hearth's own ordinary-chat lines, and prints the
trade-off: how much held-out recall the labels allow at the ordinary-chat
false-alarm ceiling (3%), and what false-alarm rate 95% recall costs.

Nothing is written to disk: the model lives for the run, so no weights derived
from those posts enter the repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

#: Probability cut-offs the trade-off table is printed at.
THRESHOLDS: tuple[float, ...] = tuple(round(0.05 * k, 2) for k in range(1, 20))


@dataclass(frozen=True)
class Labelled:
    """One post: its text, its 0/1 label and whether it is a short suicidal source."""

    text: str
    label: int
    suicidal: bool = False


@dataclass(frozen=True)
class OperatingPoint:
    """The reference classifier's figures at one probability cut-off."""

    threshold: float
    recall: float
    suicidal_recall: float
    label0_false_alarms: float
    ordinary_false_alarms: float


def fit_reference(train: Sequence[Labelled]) -> Pipeline:
    """Fit the supervised reference on ``train`` (lbfgs: the same fit on every run)."""
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
    )
    model = make_pipeline(
        features, LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")
    )
    model.fit([p.text for p in train], [p.label for p in train])
    return model


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else float("nan")


def operating_points(
    test_scores: Sequence[float],
    test: Sequence[Labelled],
    ordinary_scores: Sequence[float],
    thresholds: Sequence[float] = THRESHOLDS,
) -> list[OperatingPoint]:
    """Recall and false-alarm rates at each cut-off, given the model's probabilities."""
    scores = np.asarray(test_scores, dtype=float)
    labels = np.array([p.label for p in test])
    suicidal = np.array([p.suicidal for p in test], dtype=bool)
    ordinary = np.asarray(ordinary_scores, dtype=float)
    points = []
    for cut in thresholds:
        flagged = scores >= cut
        points.append(
            OperatingPoint(
                threshold=cut,
                recall=_share(flagged[labels == 1]),
                suicidal_recall=_share(flagged[(labels == 1) & suicidal]),
                label0_false_alarms=_share(flagged[labels == 0]),
                ordinary_false_alarms=_share(ordinary >= cut),
            )
        )
    return points


def best_recall_within(
    points: Sequence[OperatingPoint], max_ordinary_false_alarms: float
) -> OperatingPoint | None:
    """The highest-recall point whose ordinary-chat false-alarm rate stays within the cap."""
    allowed = [p for p in points if p.ordinary_false_alarms <= max_ordinary_false_alarms]
    return max(allowed, key=lambda p: (p.recall, p.threshold), default=None)


def cheapest_reaching(points: Sequence[OperatingPoint], min_recall: float) -> OperatingPoint | None:
    """The point with the fewest ordinary-chat false alarms that still reaches ``min_recall``."""
    reaching = [p for p in points if p.recall >= min_recall]
    return min(reaching, key=lambda p: (p.ordinary_false_alarms, -p.threshold), default=None)


def measure(
    train: Sequence[Labelled], test: Sequence[Labelled], ordinary: Sequence[str]
) -> list[OperatingPoint]:
    """Fit on ``train`` and return the trade-off on ``test`` and ``ordinary``."""
    model = fit_reference(train)
    test_scores = model.predict_proba([p.text for p in test])[:, 1]
    ordinary_scores = model.predict_proba(list(ordinary))[:, 1]
    return operating_points(test_scores.tolist(), test, ordinary_scores.tolist())
