"""Train the cross-lingual layer from the self-written exemplars (seconds).

Pure: standard library, numpy and scikit-learn (plus the encoder, through
``moderation.crosslingual``), no Flask. ``python -m moderation.crosslingual_train``
(run by ``make setup`` whenever an exemplar file changes) writes
``instance/models/crosslingual.npz`` and prints the development figures.

Exemplar files, ``moderation/exemplars/<language>.tsv``: one line per exemplar,
``label<TAB>category<TAB>text``. Label 2 is a crisis (ideation, plan, date or
time, means at hand, overdose taken, self-harm now, goodbye, giving things away,
being a burden), 1 a passive wish to be dead, 0 not the author's crisis
(ordinary chat, supporters' replies, idioms, negation, third person, recovered
history). Lines starting with ``#`` are comments.

Many exemplars were written as the same thought in several languages, so a
line and its translations must never sit on both sides of a split: each line's
*group* is its category and its rank within that category in its file (the
files were written in parallel), cross-validation keeps groups together, and the
development split is a fixed quarter of the groups (by a hash of the group,
so appending lines never moves old ones). The model and its operating points are
chosen on the other three quarters only (the points from out-of-fold
predictions); the development split is only ever reported.

The classifier is a support-vector machine with an RBF kernel over the
encoder's unit vectors (chosen over logistic regression, k-nearest exemplars and
a small MLP by grouped cross-validation: at 1% of ordinary chat it found about
half the crisis lines where logistic regression found two in five), with a
sigmoid fitted on its out-of-fold decisions to give probabilities.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped,unused-ignore]
from sklearn.model_selection import StratifiedGroupKFold  # type: ignore[import-untyped,unused-ignore]
from sklearn.svm import SVC  # type: ignore[import-untyped,unused-ignore]

from moderation import crosslingual

#: Label 0 categories that count as ordinary chat for the false-alarm budget.
ORDINARY: Final = frozenset({"chat", "support"})
#: The product's budget is 1% of ordinary chat raised at any severity; the gentle
#: point is chosen at half of it on the training lines, a margin for chat that
#: isn't like the exemplars (on the development split it lands near 1%).
ORDINARY_BUDGET: Final = 0.005
#: At most this share of all non-crisis lines (idioms, negation, third person
#: too) may reach the crisis point.
HARD_BUDGET: Final = 0.01
#: English short chat has the lexicon and the TF-IDF model beside this layer, and
#: most of its misses are urgent lines in everyday words; its own point (used by
#: the screening for English messages up to ``crosslingual.ENGLISH_CHAT_CHARS``)
#: allows 1% of English ordinary lines and 1% of all English non-crisis lines (the
#: idioms, negation, third person and supporters written to look like crisis).
ENGLISH_ORDINARY_BUDGET: Final = 0.01
ENGLISH_HARD_BUDGET: Final = 0.01
VERSION: Final = "3"
#: SVM settings, chosen by grouped cross-validation on the training split.
C: Final = 1.0
GAMMA: Final = 2.0
FOLDS: Final = 5
LABELS: Final = frozenset({0, 1, 2})


@dataclass(frozen=True)
class Exemplar:
    language: str
    label: int
    category: str
    text: str
    #: The line's translation group (category and rank within it in its file).
    group: str = ""

    @property
    def positive(self) -> bool:
        return self.label > 0

    @property
    def dev(self) -> bool:
        return is_dev(self.group or self.text)


def is_dev(key: str) -> bool:
    """The fixed development quarter (by a hash of the group key)."""
    return hashlib.sha256(key.strip().casefold().encode("utf-8")).digest()[0] % 4 == 0


def parse(lines: Iterable[str], language: str) -> list[Exemplar]:
    """Parse one exemplar file's lines (ValueError names the bad line)."""
    out: list[Exemplar] = []
    ranks: Counter[str] = Counter()
    for number, line in enumerate(lines, 1):
        stripped = line.rstrip("\r\n")
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        parts = stripped.split("\t")
        if len(parts) != 3 or not parts[0].isdigit() or int(parts[0]) not in LABELS:
            raise ValueError(f"{language}:{number}: expected label<TAB>category<TAB>text")
        category, text = parts[1].strip(), parts[2].strip()
        if not text or not category:
            raise ValueError(f"{language}:{number}: empty category or text")
        ranks[category] += 1
        out.append(
            Exemplar(language, int(parts[0]), category, text, f"{category}:{ranks[category]}")
        )
    return out


def read_exemplars(directory: Path = crosslingual.EXEMPLARS) -> list[Exemplar]:
    """Every exemplar under ``directory`` (``<language>.tsv``), duplicates dropped."""
    seen: set[str] = set()
    out: list[Exemplar] = []
    for path in sorted(directory.glob("*.tsv")):
        with path.open(encoding="utf-8") as handle:
            for item in parse(handle, path.stem):
                key = item.text.casefold()
                if key not in seen:
                    seen.add(key)
                    out.append(item)
    return out


def _fit(vectors: Any, y: Any) -> SVC:
    return SVC(C=C, gamma=GAMMA, kernel="rbf", class_weight="balanced").fit(vectors, y)


def _out_of_fold(vectors: Any, y: Any, groups: Sequence[str], folds: int) -> Any:
    decisions = np.zeros(len(y), dtype=np.float64)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=15)
    for train, test in splitter.split(vectors, y, list(groups)):
        decisions[test] = _fit(vectors[train], y[train]).decision_function(vectors[test])
    return decisions


def _threshold_over(scores: Sequence[float], budget: float) -> float:
    """The lowest threshold that raises at most ``budget`` of ``scores``."""
    ranked = sorted(scores, reverse=True)
    allowed = math.floor(budget * len(ranked))
    if not ranked or allowed >= len(ranked):
        return 0.5
    return float(np.nextafter(ranked[allowed], 1.0))


def choose_points(items: Sequence[Exemplar], scores: Sequence[float]) -> dict[str, float]:
    """Operating points from (out-of-fold) probabilities of training lines only."""
    ordinary = [float(s) for i, s in zip(items, scores, strict=True) if i.category in ORDINARY]
    negatives = [float(s) for i, s in zip(items, scores, strict=True) if i.label == 0]
    gentle = max(0.5, _threshold_over(ordinary, ORDINARY_BUDGET))
    crisis = max(gentle, _threshold_over(negatives, HARD_BUDGET))
    english = [
        (i, float(s))
        for i, s in zip(items, scores, strict=True)
        if i.language == "en" and i.label == 0
    ]
    english_chat = max(
        0.5,
        _threshold_over([s for i, s in english if i.category in ORDINARY], ENGLISH_ORDINARY_BUDGET),
        _threshold_over([s for _, s in english], ENGLISH_HARD_BUDGET),
    )
    return {
        "crisis": round(min(crisis, 0.99), 4),
        "gentle": round(min(gentle, 0.99), 4),
        "english_chat": round(min(english_chat, gentle, 0.99), 4),
    }


def _share(scores: Sequence[float], point: float) -> float | None:
    if not scores:
        return None
    return round(sum(1 for s in scores if s >= point) / len(scores), 4)


def figures(
    items: Sequence[Exemplar], scores: Sequence[float], points: dict[str, float]
) -> dict[str, dict[str, Any]]:
    """Recall and false alarms at both points, per language and overall."""
    groups: dict[str, list[tuple[Exemplar, float]]] = {}
    for item, score in zip(items, scores, strict=True):
        groups.setdefault(item.language, []).append((item, float(score)))
        groups.setdefault("all", []).append((item, float(score)))
    out: dict[str, dict[str, Any]] = {}
    for language, rows in sorted(groups.items()):
        positives = [s for i, s in rows if i.positive]
        negatives = [s for i, s in rows if not i.positive]
        ordinary = [s for i, s in rows if not i.positive and i.category in ORDINARY]
        entry: dict[str, Any] = {
            "positives": len(positives),
            "negatives": len(negatives),
            "ordinary": len(ordinary),
        }
        for name, point in points.items():
            entry[f"recall_{name}"] = _share(positives, point)
            entry[f"false_alarms_{name}"] = _share(negatives, point)
            entry[f"ordinary_raised_{name}"] = _share(ordinary, point)
        out[language] = entry
    return out


def train(
    items: Sequence[Exemplar],
    embed: Callable[[Sequence[str]], Any],
    *,
    folds: int = FOLDS,
    data_sha256: str = "",
) -> crosslingual.Model:
    """Fit the layer on the training split; return the model with its figures."""
    train_items = [i for i in items if not i.dev]
    dev_items = [i for i in items if i.dev]
    y = np.array([1 if i.positive else 0 for i in train_items])
    if len(set(y.tolist())) < 2 or min(int(y.sum()), int(len(y) - y.sum())) < folds:
        raise ValueError("the training split needs crisis and non-crisis lines in every fold")
    vectors = np.asarray(embed([i.text for i in train_items]), dtype=np.float64)
    groups = [i.group or i.text for i in train_items]
    decisions = _out_of_fold(vectors, y, groups, folds)
    calibration = LogisticRegression(C=1e6, max_iter=1000).fit(decisions.reshape(-1, 1), y)
    a, b = float(calibration.coef_[0, 0]), float(calibration.intercept_[0])
    out_of_fold = 1.0 / (1.0 + np.exp(-(a * decisions + b)))
    points = choose_points(train_items, out_of_fold.tolist())
    svm = _fit(vectors, y)
    meta: dict[str, Any] = {
        "version": VERSION,
        "encoder": crosslingual.ENCODER,
        "data_sha256": data_sha256,
        "languages": sorted({i.language for i in items}),
        "svm": {"C": C, "gamma": GAMMA, "support_vectors": len(svm.support_)},
        "thresholds": points,
        "lines": {"train": len(train_items), "dev": len(dev_items)},
    }
    model = crosslingual.Model(
        support=np.asarray(svm.support_vectors_, dtype=np.float32),
        dual=np.asarray(svm.dual_coef_[0], dtype=np.float64),
        intercept=float(svm.intercept_[0]),
        gamma=GAMMA,
        calibration=(a, b),
        meta=meta,
    )
    result: dict[str, Any] = {"train_out_of_fold": figures(train_items, out_of_fold, points)}
    if dev_items:
        dev_vectors = np.asarray(embed([i.text for i in dev_items]), dtype=np.float64)
        result["dev"] = figures(dev_items, model.probabilities(dev_vectors), points)
    meta["figures"] = result
    return model


def build(target: Path = crosslingual.ARTEFACT) -> crosslingual.Model:
    """Train on ``moderation/exemplars`` and save the artefact to ``target``."""
    model = train(read_exemplars(), crosslingual.embed, data_sha256=crosslingual.data_hash())
    model.save(target)
    return model


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else crosslingual.ARTEFACT
    model = build(target)
    print(f"wrote {target} (points {model.meta['thresholds']})")
    for split, table in model.meta["figures"].items():
        for language, entry in table.items():
            print(split, language, json.dumps(entry, sort_keys=True))
    return 0


if __name__ == "__main__":  # pragma: no cover - command line
    raise SystemExit(main())
