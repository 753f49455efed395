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

Models retrained with an installation's labels (``flask screening learn``) live in
the database. The app installs a :class:`Source` (:func:`install_source`): at most
every ``refresh_seconds`` this module asks it which version is active and, when
that changed, fetches and swaps it in under a lock, so every process picks up a
newly activated model without a restart. A version that cannot be read or loaded
is logged, named by :func:`status`, and the model in use stays.

Pure: standard library, numpy, scikit-learn and joblib; no Flask, no database.
"""

from __future__ import annotations

import io
import logging
import math
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from moderation import crisis_train

__all__ = [
    "ACCEPTED_FIGURES",
    "CRISIS_POINT",
    "GENTLE_POINT",
    "MODEL_PATH",
    "Source",
    "SourceUnavailable",
    "available",
    "current",
    "install_source",
    "predict_many",
    "refresh_now",
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
    "model": "tfidf-wc-lr-2-f3f91e7d687e",
    "ordinary chat false alarms": "0.0% of 254 (lexicon alone 0.0%; budget 1%)",
    "supporters' turns false alarms": "1.2% of 81 self-written (lexicon alone 1.2%; budget 3%)",
    "own short crisis chat recall, dev half": "79.3% of 58 (lexicon alone 51.7%)",
    "breadth lines recall, own dev split": "98.7% of 76 (lexicon alone 75.0%)",
    "project look-alike tests": "all pass (tests/unit, tests/moderation screening files)",
}

log = logging.getLogger("hearth.moderation.crisis_model")


class SourceUnavailable(Exception):
    """Raised by a source that cannot tell right now (no app context): keep the model."""


@dataclass(frozen=True)
class Source:
    """Where the active learned version is looked up (installed by the app).

    ``active_version()`` returns the active version, or None for the base model
    file; ``fetch(version)`` returns that version's joblib bundle (bytes).
    """

    active_version: Callable[[], str | None]
    fetch: Callable[[str], bytes]
    refresh_seconds: float = 30.0


_lock = threading.RLock()
#: Held by the one thread asking the source; the others screen on meanwhile.
_refresh_lock = threading.Lock()
_state: dict[str, Any] = {
    "path": MODEL_PATH,
    "loaded": False,
    "model": None,
    "meta": {},
    "error": None,
    # None: the file at "path"; otherwise the database version in use.
    "version_key": None,
    "checked_at": None,
    "source_problem": None,
}
_source: list[Source] = []
#: Versions that failed to load, with why: not fetched again until another is active.
_failed: dict[str, str] = {}


def install_source(source: Source | None) -> None:
    """Look up the active version through ``source`` from now on (None: the file only)."""
    with _lock:
        _source[:] = [source] if source is not None else []
        _failed.clear()
        _state.update(checked_at=None, source_problem=None)
        if source is None and _state["version_key"] is not None:
            _state.update(version_key=None, loaded=False, model=None, meta={}, error=None)


def use_model_file(path: Path | None) -> None:
    """Read the model from ``path`` from now on (None: the default built by setup)."""
    with _lock:
        _state.update(
            path=path or MODEL_PATH,
            loaded=False,
            model=None,
            meta={},
            error=None,
            version_key=None,
            checked_at=None,
            source_problem=None,
        )
        _failed.clear()


def _read_bundle(handle: Any) -> tuple[Any, dict[str, Any]]:
    with warnings.catch_warnings():
        # A model pickled by another scikit-learn version is not trusted.
        warnings.simplefilter("error")
        import joblib

        bundle = joblib.load(handle)
    model, meta = bundle["model"], dict(bundle["meta"])
    model.predict_proba(["hello"])
    return model, meta


def _refresh() -> None:
    """Ask the source for the active version when due; swap models when it changed."""
    if not _source:
        return
    source = _source[0]
    checked = _state["checked_at"]
    now = time.monotonic()
    if checked is not None and now - checked < source.refresh_seconds:
        return
    if not _refresh_lock.acquire(blocking=False):
        return  # another thread is asking; this one screens with the model in use
    try:
        try:
            wanted = source.active_version()
        except SourceUnavailable:
            return
        except Exception as exc:  # the database is unreachable: the model in use stays
            _state.update(checked_at=now)
            _problem(f"the active version could not be read ({type(exc).__name__})", exc)
            return
        _state.update(checked_at=now)
        if wanted == _state["version_key"]:
            if _state["source_problem"] and wanted not in _failed:
                _state["source_problem"] = None
            return
        if wanted is None:  # no learned version active: back to the base file
            with _lock:
                _state.update(version_key=None, loaded=False, model=None, meta={}, error=None)
                _state["source_problem"] = None
            return
        if wanted in _failed:
            return
        try:
            blob = source.fetch(wanted)
        except Exception as exc:  # a database blip: try again at the next interval
            _problem(f"version {wanted} could not be fetched ({type(exc).__name__})", exc)
            return
        try:
            model, meta = _read_bundle(io.BytesIO(blob))
            if meta.get("version") != wanted:
                raise ValueError(f"the stored bundle says version {meta.get('version')!r}")
        except Exception as exc:  # a corrupt or foreign blob: keep the model in use
            _failed[wanted] = type(exc).__name__
            _problem(f"version {wanted} could not be loaded ({type(exc).__name__})", exc)
            return
        with _lock:
            _state.update(version_key=wanted, loaded=True, model=model, meta=meta, error=None)
            _state["source_problem"] = None
        log.info("screening model %s is now in use", wanted)
    finally:
        _refresh_lock.release()


def _problem(what: str, exc: BaseException) -> None:
    """Keep ``what`` went wrong for :func:`status`; log it once, not at every call."""
    if what != _state["source_problem"]:
        log.warning("%s; screening keeps the model in use: %s", what, exc)
    _state["source_problem"] = what


def _load() -> Any:
    try:
        _refresh()
    except Exception:  # pragma: no cover - screening never raises because of the refresh
        log.exception("screening model refresh failed")
    model = _state["model"]
    if model is not None:  # read once: a swap replaces it whole
        return model
    with _lock:
        if _state["loaded"]:
            return _state["model"]
        path: Path = _state["path"]
        model, error = None, None
        meta: dict[str, Any] = {}
        if not path.exists():
            error = f"not built yet ({path} is missing): run `make setup`"
        else:
            try:
                model, meta = _read_bundle(path)
            except Exception as exc:  # any failure: lexicon alone, said by status()
                model, meta = None, {}
                error = f"could not be loaded ({type(exc).__name__}): rebuild with `make setup`"
        _state.update(loaded=True, model=model, meta=meta, error=error)
        return model


def refresh_now() -> None:
    """Ask the source at once (``flask screening learn`` compares with what is active)."""
    _state["checked_at"] = None
    _load()


def current() -> tuple[Any, dict[str, Any]]:
    """The model in use (None without one) and its metadata, after a refresh when due."""
    with _lock:
        model = _load()
        return model, dict(_state["meta"]) if model is not None else {}


def available() -> bool:
    """Whether the learned layer is built and loads."""
    return _load() is not None


class _Linear:
    """The pipeline's TF-IDF features and logistic regression, evaluated directly.

    ``Pipeline.predict_proba`` validates its input, dispatches the feature union
    through joblib and builds sparse matrices: for one chat message that overhead
    was most of the ~3.5 ms the layer cost, and screening asks for one message at a
    time on every send. The features are counts of the vectorizers' own analyzers
    (tokens and character n-grams), 1 + log of them, times idf, l2-normalised per
    vectorizer, so the decision is a sum over the few columns a text touches. Only
    used once it reproduced ``predict_proba`` on probe texts (see :func:`_fast`).
    """

    def __init__(self, model: Any) -> None:
        steps = [step for _, step in model.steps]
        if len(steps) != 2:
            raise ValueError("not a features-then-classifier pipeline")
        features, classifier = steps
        vectorizers = (
            [t for _, t in features.transformer_list]
            if hasattr(features, "transformer_list")
            else [features]
        )
        if getattr(features, "transformer_weights", None):
            raise ValueError("weighted feature union")
        if len(classifier.classes_) != 2 or classifier.coef_.shape[0] != 1:
            raise ValueError("not a binary linear classifier")
        coef = np.asarray(classifier.coef_[0], dtype=np.float64)
        self.intercept = float(classifier.intercept_[0])
        self.blocks: list[tuple[Callable[[str], list[str]], dict[str, int], Any, Any]] = []
        offset = 0
        for vectorizer in vectorizers:
            params = vectorizer.get_params()
            if params["binary"] or params["norm"] != "l2" or not params["use_idf"]:
                raise ValueError("a vectorizer this path does not reproduce")
            if not params["sublinear_tf"]:
                raise ValueError("a vectorizer this path does not reproduce")
            vocabulary: dict[str, int] = vectorizer.vocabulary_
            width = len(vocabulary)
            self.blocks.append(
                (
                    vectorizer.build_analyzer(),
                    vocabulary,
                    np.asarray(vectorizer.idf_, dtype=np.float64),
                    coef[offset : offset + width],
                )
            )
            offset += width
        if offset != coef.shape[0]:
            raise ValueError("the classifier does not read these features")

    def decision(self, text: str) -> float:
        total = self.intercept
        for analyze, vocabulary, idf, coef in self.blocks:
            # Counted before the look-up: a long post repeats most of its n-grams.
            found = [
                (column, count)
                for token, count in Counter(analyze(text)).items()
                if (column := vocabulary.get(token)) is not None
            ]
            if not found:
                continue
            columns = np.fromiter((c for c, _ in found), dtype=np.intp, count=len(found))
            values = np.fromiter((n for _, n in found), dtype=np.float64, count=len(found))
            values = (np.log(values) + 1.0) * idf[columns]
            norm = math.sqrt(float(values @ values))
            if norm:
                total += float(values @ coef[columns]) / norm
        return total

    def __call__(self, texts: Sequence[str]) -> list[float]:
        return [1.0 / (1.0 + math.exp(-max(-700.0, self.decision(t)))) for t in texts]


#: Texts the direct path must reproduce ``predict_proba`` on before it is used.
_PROBES: Final = (
    "hello there, how was your day?",
    "i want to kill myself tonight",
    "I can't do this anymore. Nobody would even notice if I was gone.",
    "lol that match was brutal, see you tomorrow",
    "",
    "!!!",
)
#: The model the direct path was built for, and the path (None: use the pipeline).
_fast_for: list[tuple[Any, Callable[[Sequence[str]], list[float]] | None]] = []


def _fast(model: Any) -> Callable[[Sequence[str]], list[float]] | None:
    """The direct path for ``model``, built and checked once per model object."""
    cached = _fast_for[0] if _fast_for else None
    if cached is not None and cached[0] is model:
        return cached[1]
    path: Callable[[Sequence[str]], list[float]] | None
    try:
        path = _Linear(model)
        expected = model.predict_proba(list(_PROBES))[:, 1]
        if not np.allclose(path(_PROBES), expected, rtol=0.0, atol=1e-9):
            log.warning("the direct path disagrees with the crisis model; using the pipeline")
            path = None
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        path = None  # another model layout: the pipeline serves
    _fast_for[:] = [(model, path)]
    return path


def predict_many(texts: Sequence[str]) -> list[float]:
    """Probability of first-person crisis language for each text (0.0 without a model)."""
    model = _load()
    items = [t if isinstance(t, str) else str(t) for t in texts]
    if model is None or not items:
        return [0.0] * len(items)
    clipped = [t[:MAX_CHARS] for t in items]
    fast = _fast(model)
    if fast is not None:
        return fast(clipped)
    try:
        probs = model.predict_proba(clipped)[:, 1]
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
    in_use = meta.get("version", "the lexicon alone") if model is not None else "the lexicon alone"
    return {
        "layer": "english crisis model (word + char TF-IDF, logistic regression)",
        "active": model is not None,
        "path": str(_state["path"]),
        "origin": "database" if _state["version_key"] is not None else "file",
        "problem": _state.get("error"),
        "source_problem": (
            f"{_state['source_problem']}; screening keeps {in_use}"
            if _state.get("source_problem")
            else None
        ),
        "trained_at": meta.get("trained_at"),
        "version": meta.get("version", "none"),
        "training_data_sha256": meta.get("training_data_sha256", "none"),
        "sources": meta.get("sources", {}),
        "crisis_point": CRISIS_POINT,
        "gentle_point": GENTLE_POINT,
        "accepted_on": dict(ACCEPTED_FIGURES),
    }
