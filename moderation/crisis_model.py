"""The learned English second opinion beside the crisis lexicon.

A word and character TF-IDF logistic regression (built at setup by
``moderation.crisis_train``; see there for the data and its attribution) gives
the probability that a message is first-person suicidal or self-harm language.
``moderation.screening`` asks it only where the lexicon found no crisis, no
third-party concern, and the message is read as English, and turns the
probability into a verdict at two operating points:

* ``CRISIS_POINT``: severity 2, reason ``crisis:model`` (moderators are alerted);
* ``GENTLE_POINT``: severity 1, reason ``crisis:model_gentle`` (the softer author
  text and a low-priority queue item).

Both were chosen on development data only (the development halves of the
mh-distress set and of ``bench/data/crisis_chat_en.tsv``, the ordinary-chat lines
of ``bench/screening.py``, ``bench/data/supporter_turns_en.txt`` and counsel-chat
answers) within the budget: at most 1% of ordinary chat and 3% of supporters'
turns raised as crisis at any severity, lexicon and model together.

The model file is loaded lazily, once. When it is missing (a fresh checkout
before ``make setup``), unreadable or built by another scikit-learn version,
screening carries on with the lexicon alone and :func:`status` says why.
Nothing here raises on any input text.

Pure: standard library, numpy, scikit-learn and joblib; no Flask, no database.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from moderation import crisis_train

__all__ = [
    "ACCEPTED_FIGURES",
    "CRISIS_POINT",
    "GENTLE_POINT",
    "MODEL_PATH",
    "available",
    "predict_many",
    "severities",
    "status",
    "use_model_file",
]

#: Probability at or above which the model alone raises severity 2.
CRISIS_POINT: Final = 0.95
#: Probability at or above which the model alone raises severity 1 (gentle tier).
GENTLE_POINT: Final = 0.90
#: Longest stretch of a message the model reads (a 100 kB paste costs no more than this).
MAX_CHARS: Final = 8000

MODEL_PATH: Final = crisis_train.MODEL_DIR / "crisis_en.joblib"

#: Figures the operating points were accepted on: ``python -m bench.screening``,
#: development data only, lexicon and model together at any severity (lexicon alone).
ACCEPTED_FIGURES: Final[dict[str, str]] = {
    "model": "tfidf-wc-lr-2-e769f760bbee",
    "ordinary chat false alarms": "0.0% of 254 (lexicon alone 0.0%; budget 1%)",
    "supporters' turns false alarms": "3.7% of 81 self-written (lexicon alone 3.7%; budget 3%)",
    "own short crisis chat recall, dev half": "41.4% of 58 (lexicon alone 27.6%)",
    "project look-alike tests": "all pass (tests/unit, tests/moderation screening files)",
}

_lock = threading.Lock()
_state: dict[str, Any] = {"path": MODEL_PATH, "loaded": False, "model": None, "meta": {}}


def use_model_file(path: Path | None) -> None:
    """Read the model from ``path`` from now on (None: the default built by setup)."""
    with _lock:
        _state.update(path=path or MODEL_PATH, loaded=False, model=None, meta={}, error=None)


def _load() -> Any:
    if _state["loaded"]:
        return _state["model"]
    with _lock:
        if _state["loaded"]:
            return _state["model"]
        path: Path = _state["path"]
        model, meta, error = None, {}, None
        if not path.exists():
            error = f"not built yet ({path} is missing): run `make setup`"
        else:
            try:
                with warnings.catch_warnings():
                    # A model pickled by another scikit-learn version is not trusted.
                    warnings.simplefilter("error")
                    import joblib

                    bundle = joblib.load(path)
                model, meta = bundle["model"], dict(bundle["meta"])
                model.predict_proba(["hello"])
            except Exception as exc:  # any failure: lexicon alone, said by status()
                model, meta = None, {}
                error = f"could not be loaded ({type(exc).__name__}): rebuild with `make setup`"
        _state.update(loaded=True, model=model, meta=meta, error=error)
        return model


def available() -> bool:
    """Whether the learned layer is built and loads."""
    return _load() is not None


def predict_many(texts: Sequence[str]) -> list[float]:
    """Probability of first-person crisis language for each text (0.0 without a model)."""
    model = _load()
    items = [t if isinstance(t, str) else str(t) for t in texts]
    if model is None or not items:
        return [0.0] * len(items)
    try:
        probs = model.predict_proba([t[:MAX_CHARS] for t in items])[:, 1]
    except (ValueError, TypeError, MemoryError):  # pragma: no cover - defensive
        return [0.0] * len(items)
    return [float(p) for p in probs]


def severities(texts: Sequence[str]) -> list[int]:
    """The model's own verdict per text: 2 (crisis point), 1 (gentle point) or 0."""
    return [2 if p >= CRISIS_POINT else 1 if p >= GENTLE_POINT else 0 for p in predict_many(texts)]


def status() -> dict[str, Any]:
    """What ``flask screening status`` prints about this layer."""
    model = _load()
    meta: dict[str, Any] = _state["meta"]
    return {
        "layer": "english crisis model (word + char TF-IDF, logistic regression)",
        "active": model is not None,
        "path": str(_state["path"]),
        "problem": _state.get("error"),
        "version": meta.get("version", "none"),
        "training_data_sha256": meta.get("training_data_sha256", "none"),
        "sources": meta.get("sources", {}),
        "crisis_point": CRISIS_POINT,
        "gentle_point": GENTLE_POINT,
        "accepted_on": dict(ACCEPTED_FIGURES),
    }
