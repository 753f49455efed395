"""Retrain the learned English crisis layer with an installation's labels, and gate it.

``flask screening learn`` (``moderation.model_store``) gives this module the labels
moderators' decisions produced; everything here is pure: the base examples that
``moderation.crisis_train`` builds the setup model from, plus the installation's
English labels (weight :data:`LABEL_WEIGHT`), fitted with the same pipeline; then
old and new model are scored on

* the **fixed development set** (:func:`dev_set`): the development half of
  ``bench/data/crisis_chat_en.tsv`` (the short crisis chat the operating points were
  chosen on), the ordinary chat of ``bench/data/ordinary_chat_en.txt`` and the
  supporters' turns of ``bench/data/supporter_turns_en.txt``, all self-written and
  never trained on;
* the **held-back fifth** of the installation's labels: a label is held back when a
  hash of its text says so (:func:`is_held_back`), so it never moves between the
  sides as labels accumulate and no learned model ever trains on it.

The gate (:func:`decide`) reads the **model alone** at its two operating points
(``crisis_model.GENTLE_POINT``, ``CRISIS_POINT``). The lexicon is the same before
and after, so beside it a model's change can only be masked, never revealed; and
since the lexicon alone raises no alarm on the ordinary chat, the model's own
false alarms there bound what screening as a whole raises. The new model is
activated only if its crisis recall at both points drops on neither set and its
false alarms stay within the budgets (1% of ordinary chat, 3% of supporters'
turns); otherwise the old one stays, with the figure that failed named.

Pure: standard library, numpy, scikit-learn and joblib; no Flask, no database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from moderation import crisis_model, crisis_train
from moderation import crosslingual as xl

__all__ = [
    "HELD_BACK_BUCKETS",
    "LABEL_WEIGHT",
    "DevSet",
    "Figures",
    "Outcome",
    "decide",
    "dev_set",
    "evaluate",
    "is_held_back",
    "learn",
    "reads_as_english",
    "split_labels",
]

#: Sample weight of one installation label: a short chat message a moderator judged,
#: the same kind of text as the self-written lines, so it weighs as much as one of
#: them (``crisis_train.SELF_WRITTEN_WEIGHT``); a Reddit post weighs 1.
LABEL_WEIGHT: Final = crisis_train.SELF_WRITTEN_WEIGHT
#: One label in this many is held back to judge the new model (a fifth).
HELD_BACK_BUCKETS: Final = 5
#: Budgets for the model's own false alarms at its gentle point.
ORDINARY_BUDGET: Final = 0.01
SUPPORTER_BUDGET: Final = 0.03
#: Bump when what goes into a learned model changes (part of its version).
LEARN_RECIPE: Final = f"{crisis_train.RECIPE}+labels-1"

_BENCH_DATA: Final = crisis_train.ROOT / "bench" / "data"
CRISIS_CHAT_FILE: Final = _BENCH_DATA / "crisis_chat_en.tsv"
ORDINARY_CHAT_FILE: Final = _BENCH_DATA / "ordinary_chat_en.txt"
SUPPORTER_TURNS_FILE: Final = _BENCH_DATA / "supporter_turns_en.txt"


class LabelLike(Protocol):
    """What a label must offer (``moderation.labels.LabelRow`` does)."""

    @property
    def text(self) -> str: ...

    @property
    def positive(self) -> bool: ...


class Predictor(Protocol):
    def predict_proba(self, texts: Sequence[str]) -> Any: ...


@dataclass(frozen=True)
class DevSet:
    """The fixed development set: crisis lines, ordinary chat, supporters' turns."""

    crisis: tuple[str, ...]
    ordinary: tuple[str, ...]
    supporters: tuple[str, ...] = ()


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _dev_half(text: str) -> bool:
    """The development half of ``crisis_chat_en.tsv``: the rule ``bench.screening._half`` uses."""
    key = text.replace("\r\n", "\n").strip().encode("utf-8")
    return hashlib.sha256(key).digest()[0] % 2 == 0


def dev_set() -> DevSet:
    """The project's own development lines (raises OSError when a file is missing)."""
    chat = [line.split("\t", 1)[1].strip() for line in _lines(CRISIS_CHAT_FILE) if "\t" in line]
    return DevSet(
        crisis=tuple(t for t in chat if _dev_half(t)),
        ordinary=tuple(_lines(ORDINARY_CHAT_FILE)),
        supporters=tuple(_lines(SUPPORTER_TURNS_FILE)),
    )


def is_held_back(text: str) -> bool:
    """Whether a label with this text is held back (a fixed fifth, by a hash of the text).

    By text rather than by row, so the same words labelled twice stay on one side
    and a model is never judged on a line it was trained on.
    """
    key = b"hearth-held-back:" + crisis_train.prepare(text).encode("utf-8")
    return hashlib.sha256(key).digest()[0] % HELD_BACK_BUCKETS == 0


def reads_as_english(text: str) -> bool:
    """Whether screening would ask the English model about this text (its own routing)."""
    return bool(text.strip()) and xl.looks_english(text)


def split_labels(labels: Sequence[LabelLike]) -> tuple[list[LabelLike], list[LabelLike]]:
    """(training, held back) among the labels screening reads as English.

    The English model only ever sees messages ``crosslingual.looks_english`` routes
    to it, so only those labels teach it (the others are counted, not used).
    """
    english = [label for label in labels if reads_as_english(label.text)]
    train = [label for label in english if not is_held_back(label.text)]
    held = [label for label in english if is_held_back(label.text)]
    return train, held


@dataclass(frozen=True)
class Rate:
    """``hits`` of ``n`` (``share`` is None when there is nothing to measure)."""

    hits: int
    n: int

    @property
    def share(self) -> float | None:
        return self.hits / self.n if self.n else None

    def __str__(self) -> str:
        share = self.share
        return "n/a (none)" if share is None else f"{share:.1%} of {self.n}"


@dataclass(frozen=True)
class Figures:
    """One model's figures on the development set and the held-back labels.

    Recall at the gentle point (any severity) and the crisis point (severity 2);
    false alarms at the gentle point.
    """

    dev_recall: Rate
    dev_recall_crisis: Rate
    ordinary_false_alarms: Rate
    supporter_false_alarms: Rate
    held_back_recall: Rate
    held_back_recall_crisis: Rate
    held_back_false_alarms: Rate

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: asdict(rate) for name, rate in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figures:
        return cls(**{name: Rate(**value) for name, value in data.items()})

    def summary(self) -> dict[str, str]:
        """Readable lines, as ``flask screening status`` and ``learn`` print them."""
        return {
            "dev recall": f"{self.dev_recall} (crisis point {self.dev_recall_crisis})",
            "dev false alarms": (
                f"ordinary chat {self.ordinary_false_alarms} (budget {ORDINARY_BUDGET:.0%}), "
                f"supporters' turns {self.supporter_false_alarms} "
                f"(budget {SUPPORTER_BUDGET:.0%})"
            ),
            "held-back": (
                f"recall {self.held_back_recall} (crisis point {self.held_back_recall_crisis}), "
                f"false alarms {self.held_back_false_alarms}"
            ),
        }


def _probabilities(model: Predictor | None, texts: Sequence[str]) -> list[float]:
    if model is None or not texts:
        return [0.0] * len(texts)
    cut = [t[: crisis_model.MAX_CHARS] for t in texts]
    return [float(p) for p in model.predict_proba(cut)[:, 1]]


def _rate(probabilities: Sequence[float], point: float) -> Rate:
    return Rate(sum(1 for p in probabilities if p >= point), len(probabilities))


def evaluate(model: Predictor | None, dev: DevSet, held_back: Sequence[LabelLike]) -> Figures:
    """A model's figures (None: no model, the lexicon alone: it raises nothing here)."""
    gentle, crisis = crisis_model.GENTLE_POINT, crisis_model.CRISIS_POINT
    positives = [label.text for label in held_back if label.positive]
    negatives = [label.text for label in held_back if not label.positive]
    texts = [*dev.crisis, *dev.ordinary, *dev.supporters, *positives, *negatives]
    probs = _probabilities(model, texts)
    parts: list[list[float]] = []
    start = 0
    for size in (len(dev.crisis), len(dev.ordinary), len(dev.supporters), len(positives)):
        parts.append(probs[start : start + size])
        start += size
    parts.append(probs[start:])
    crisis_p, ordinary_p, supporter_p, positive_p, negative_p = parts
    return Figures(
        dev_recall=_rate(crisis_p, gentle),
        dev_recall_crisis=_rate(crisis_p, crisis),
        ordinary_false_alarms=_rate(ordinary_p, gentle),
        supporter_false_alarms=_rate(supporter_p, gentle),
        held_back_recall=_rate(positive_p, gentle),
        held_back_recall_crisis=_rate(positive_p, crisis),
        held_back_false_alarms=_rate(negative_p, gentle),
    )


def decide(old: Figures, new: Figures) -> tuple[bool, str]:
    """The gate: (activate?, why). Every failing figure is named in the reason."""
    failed: list[str] = []
    for label, before, after in (
        ("dev recall", old.dev_recall, new.dev_recall),
        ("dev recall at the crisis point", old.dev_recall_crisis, new.dev_recall_crisis),
        ("held-back recall", old.held_back_recall, new.held_back_recall),
        (
            "held-back recall at the crisis point",
            old.held_back_recall_crisis,
            new.held_back_recall_crisis,
        ),
    ):
        if before.share is not None and after.share is not None and after.share < before.share:
            failed.append(f"{label} would drop from {before} to {after}")
    # Messages moderators closed as "not a concern" must not be raised more often.
    before, after = old.held_back_false_alarms, new.held_back_false_alarms
    if before.share is not None and after.share is not None and after.share > before.share:
        failed.append(f"held-back false alarms would rise from {before} to {after}")
    for label, rate, budget in (
        ("ordinary-chat false alarms", new.ordinary_false_alarms, ORDINARY_BUDGET),
        ("supporters' turns false alarms", new.supporter_false_alarms, SUPPORTER_BUDGET),
    ):
        if rate.share is not None and rate.share > budget:
            failed.append(f"{label} would be {rate}, over the {budget:.0%} budget")
    if failed:
        return False, "; ".join(failed)
    gains = [
        f"{label} {before} -> {after}"
        for label, before, after in (
            ("dev recall", old.dev_recall, new.dev_recall),
            ("held-back recall", old.held_back_recall, new.held_back_recall),
        )
        if before.share is not None and after.share is not None
    ]
    return True, "no recall drops and false alarms within budget" + (
        f" ({', '.join(gains)})" if gains else ""
    )


@dataclass
class Outcome:
    """What :func:`learn` did. ``model`` is the new pipeline when it should be activated."""

    activated: bool
    reason: str
    version: str
    old_version: str
    meta: dict[str, Any] = field(default_factory=dict)
    model: Any = None
    trained: bool = False


def _labels_hash(base_sha256: str, labels: Sequence[LabelLike]) -> str:
    ordered = sorted((label.text, bool(label.positive)) for label in labels)
    parts = [base_sha256.encode(), LEARN_RECIPE.encode(), repr(LABEL_WEIGHT).encode()]
    parts.extend(f"{int(positive)}\t{text}".encode() for text, positive in ordered)
    return crisis_train.data_hash(parts)


def learn(
    base: crisis_train.BaseData,
    labels: Sequence[LabelLike],
    old_model: Predictor | None,
    old_version: str,
    *,
    dev: DevSet,
    min_labels: int,
    known: Mapping[str, str] | None = None,
    fit: Callable[[Sequence[crisis_train.Example]], Any] | None = None,
) -> Outcome:
    """Train on the base data plus the training labels; keep or activate by :func:`decide`.

    ``known``: versions earlier runs trained that are not active now, with what
    became of them; the same training data is not fitted again for the same end.
    """
    train, held = split_labels(labels)
    english = len(train) + len(held)
    counts = {
        "english": english,
        "training": len(train),
        "held_back": len(held),
        "positive": sum(1 for label in [*train, *held] if label.positive),
        "negative": sum(1 for label in [*train, *held] if not label.positive),
        "other_languages": len(labels) - english,
    }
    sha = _labels_hash(base.sha256, train)
    version = f"{crisis_train.RECIPE}-l{len(train)}-{sha[:12]}"
    meta: dict[str, Any] = {
        "version": version,
        "recipe": LEARN_RECIPE,
        "training_data_sha256": sha,
        "base_data_sha256": base.sha256,
        "label_weight": LABEL_WEIGHT,
        "labels": counts,
        "sources": {**base.sources, "installation_labels": len(train)},
        "previous_version": old_version,
    }
    if english < min_labels:
        reason = (
            f"{english} English labels, fewer than the {min_labels} needed "
            "(SCREENING_LEARN_MIN_LABELS)"
        )
        return Outcome(False, reason, version, old_version, {**meta, "reason": reason})
    if version == old_version:
        reason = "no new labels since this model was trained"
        return Outcome(False, reason, version, old_version, {**meta, "reason": reason})
    if known and version in known:
        reason = f"this training data was tried before: {known[version]}"
        return Outcome(False, reason, version, old_version, {**meta, "reason": reason})
    old = evaluate(old_model, dev, held)
    examples = [
        *base.examples,
        *(crisis_train.Example(label.text, int(label.positive), LABEL_WEIGHT) for label in train),
    ]
    model = (fit or crisis_train.fit)(examples)
    new = evaluate(model, dev, held)
    activated, reason = decide(old, new)
    meta.update(reason=reason, figures={"old": old.as_dict(), "new": new.as_dict()})
    return Outcome(activated, reason, version, old_version, meta, model, trained=True)
