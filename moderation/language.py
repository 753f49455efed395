"""Which language one chat message is written in (ISO 639-1, or "und").

Pure: standard library, numpy and ``py3langid`` (a naive Bayes byte n-gram
model shipped inside the package, 97 languages, no download at run time).
Chosen over ``lingua-language-detector`` by measurement on Hearth's own short
chat lines in seven languages (``bench/multilingual_lines.py``; see
docs/moderation.md): as accurate or better on short lines, ~0.1 ms instead of
~2.5 ms a message, and ~200 MB less memory than lingua's preloaded models.

Short lines are where identification is weak ("quiero morir" is Spanish,
Portuguese or Galician to a character model). Two things help them:

* the author's profile languages, a prior: when the model is unsure, a
  profile language it ranks close behind wins;
* Hearth's screened languages (:data:`SCREENED`) weigh a little more than
  the other ninety, so a short Spanish line is not read as Galician.

Text with too few letters to tell (emoji, numbers, "ok") is ``"und"``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import Any, Final

__all__ = ["SCREENED", "UNDETERMINED", "identify"]

#: Languages the screening reads with its own lexicons (English plus six).
SCREENED: Final = ("en", "es", "de", "fr", "pt", "it", "nl")
UNDETERMINED: Final = "und"

#: Fewer letters than this: nothing to tell a language by.
_MIN_LETTERS: Final = 3
#: Fewer letters than this and a profile language is given: the profile decides.
_SHORT_LETTERS: Final = 16
#: In a short line, another profile language must be this much likelier than the first.
_SHORT_OVERRIDE: Final = 10.0
#: A model answer at or above this confidence stands without any prior.
_CONFIDENT: Final = 0.9
#: A profile language within this factor of the model's first choice wins.
_PRIOR_RATIO: Final = 0.2
#: A screened language within this factor of a non-screened first choice wins.
_SCREENED_RATIO: Final = 0.3
#: Below this confidence (and no prior or screened language close), "und".
_MIN_CONFIDENCE: Final = 0.25
#: Longer than this, the text is identified on its first part only (speed).
_MAX_CHARS: Final = 2000


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # ships its model

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # ISO 639-1 only: the model also knows regional languages with three-letter
    # codes (Extremaduran, Ligurian...) that short Spanish or Italian lines
    # resemble, and Verdict.language promises a two-letter code.
    identifier.set_languages([c for c in identifier.labels if len(c) == 2 and c.isalpha()])
    return identifier


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _clean(text: str) -> str:
    """Drop what carries no language: links, handles, digits, emoji, repeats."""
    words = []
    for word in text[:_MAX_CHARS].split():
        if "://" in word or word.startswith(("@", "#", "www.")):
            continue
        words.append(word)
    out = " ".join(words)
    return "".join(ch for ch in out if ch.isalpha() or ch in " '-.,?!")


def _codes(languages: Sequence[str] | None) -> tuple[str, ...]:
    if not languages:
        return ()
    out: list[str] = []
    for code in languages:
        if isinstance(code, str):
            code = code.strip().lower()[:2]
            if len(code) == 2 and code.isalpha() and code not in out:
                out.append(code)
    return tuple(out)


def identify(text: str, *, languages: Sequence[str] | None = None) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``"und"``.

    ``languages`` are the author's profile languages (a prior for short or
    ambiguous messages); unknown codes are ignored. Never raises.
    """
    if not isinstance(text, str):
        return UNDETERMINED
    cleaned = _clean(unicodedata.normalize("NFC", text))
    if _letters(cleaned) < _MIN_LETTERS:
        return UNDETERMINED
    ranking = _identifier().rank(cleaned.lower())
    top, confidence = ranking[0]
    if confidence >= _CONFIDENT:
        return str(top)
    probability = dict(ranking)
    prior = [c for c in _codes(languages) if c in probability]
    if prior:
        best = max(prior, key=lambda c: probability[c])
        if _letters(cleaned) < _SHORT_LETTERS:
            # A word or two: the model's ranking is weak evidence, so the author's
            # first profile language stands unless another of theirs is far likelier.
            first = prior[0]
            return best if probability[best] >= _SHORT_OVERRIDE * probability[first] else first
        if probability[best] >= _PRIOR_RATIO * confidence:
            return best
    screened = max(SCREENED, key=lambda c: probability.get(c, 0.0))
    if probability.get(screened, 0.0) >= _SCREENED_RATIO * confidence:
        return screened
    return str(top) if confidence >= _MIN_CONFIDENCE else UNDETERMINED
