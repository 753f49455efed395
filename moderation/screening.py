"""Screen one chat message: crisis language, offensive language, contact details.

Pure: standard library, alt-profanity-check, scikit-learn and numpy only, no
Flask, no database. ``rooms.posting.post_message`` calls :func:`screen` on every
message before storing it; benchmarks and evaluators call :func:`screen_many`.

Order of precedence:

1. **Crisis first.** First-person suicidal ideation, self-harm, plans, means,
   goodbyes and hopelessness give ``crisis=True`` with a severity 1..4 and the
   action ``"flag"``: the message is delivered and surfaced to moderators.
   A crisis message is never held, blocked or censored, even when it is also
   profane or carries contact details (those flags are still reported).
2. **Contact details** (numbers, emails, links, handles, "add me on snap",
   "dm me") give ``"block"``: the author is told why and may rephrase.
3. **Offensive language** targeted at someone gives ``"hold"`` (over the hold
   threshold) or ``"flag"``; venting and self-directed swearing pass.

Someone worried about a friend ("my friend said she wants to die, how do I
help?") is not the author in crisis: ``crisis`` stays False and the verdict
carries ``third_party_concern=True`` and the reason ``"third_party_concern"``
so that the caller can offer resources for helpers. Set
``ScreeningPolicy(flag_third_party_concern=True)`` to also flag it.

Also not a crisis of the author: negated statements ("I'm not suicidal
anymore"), someone else's words aimed at the author ("my dad said I should kill
myself", quoted speech after "said"/"texted"), a question put to the author ("my
therapist asked if I ever had suicidal thoughts"), and figures of speech ("this
traffic is killing me", "I could die of embarrassment"). History set in the
past with nothing pointing at now ("I tried to kill myself when I was 19", "I
used to cut myself") is severity 1 with the reason ``crisis:history``, since a
past attempt is the strongest known risk factor, unless the message also says
it is behind them ("...and I'm in a much better place now") or is told to
support someone ("I used to cut too, what helped me was..."). A past-tense verb
with a recovery in the same sentence is history too, with no date ("a lot of us
have felt suicidal and got through it"), but not with the recovery in a later
sentence ("i was suicidal too. it does get better. but not for me"); a question
about the reader's own urges ("how are the urges today?") is not the author's
unless the author answers it for themselves next ("are your thoughts of dying
loud today? mine are screaming"). A past that is back ("...and it's back", "I
used to cut and I started again") is a crisis now.

Crisis detection is a hand-written pattern lexicon (``screening_lexicon``)
over normalised text: it is fast and explainable, but it only knows the ways
of speaking it was written for. Patterns are scoped per clause and sentence,
so a long post is read sentence by sentence and its highest severity wins.
When no crisis pattern fires, a transparent weighted-cue scorer looks for
strong distress (``lex.DISTRESS_CUES``: worthlessness, emptiness, self-hatred,
crying every night, "no one cares", ...): the weights of the distinct cues the
author says of themselves now are added up, with the same negation,
third-person, reported-speech and past-tense scoping, and a total of
``lex.DISTRESS_THRESHOLD`` or more gives severity 1 (reason
``crisis:distress``), the gentle tier. One ordinary low-mood word ("tired",
"sad", "lonely this weekend") never reaches it alone. It is a safety net for moderators, not a
clinical assessment, and never a reason to hide a message.

Where the lexicon finds no crisis and no third-party concern, a learned second
opinion (``moderation.crisis_model``: TF-IDF and logistic regression, built at
setup) may add one: severity 2 with the reason ``crisis:model`` at its crisis
point, severity 1 with ``crisis:model_gentle`` at its gentle point. The
lexicon's verdicts always stand; without a built model the lexicon works alone.
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final, Literal

import numpy as np

from moderation import abuse, abuse_model, crisis_model, links
from moderation import crosslingual as xl
from moderation import language as _language
from moderation import multilingual as _multilingual
from moderation import screening_lexicon as lex
from moderation.lexicon_files import needles as _needles

__all__ = [
    "DEFAULT_POLICY",
    "EXPLANATIONS",
    "FLAG_THRESHOLD",
    "HOLD_THRESHOLD",
    "INSULT_FLOOR",
    "TARGETED_FLOOR",
    "THIRD_PARTY_FACTOR",
    "VENTING_FACTOR",
    "Action",
    "ScreeningPolicy",
    "Verdict",
    "check_examples",
    "explanation_for",
    "screen",
    "screen_many",
]

Action = Literal["allow", "flag", "hold", "block"]

#: Adjusted offensive score at or above which a message is flagged (delivered).
FLAG_THRESHOLD: Final = 0.5
#: Adjusted score at or above which *targeted* abuse is held for review.
HOLD_THRESHOLD: Final = 0.8
#: Multiplier for profanity with no target (venting, self-directed swearing).
VENTING_FACTOR: Final = 0.4
#: Multiplier for harsh insults about people who are not addressed.
THIRD_PARTY_FACTOR: Final = 0.8
#: Floor for second-person insults the model scores low ("you're so annoying").
TARGETED_FLOOR: Final = 0.6
#: Floor for insults and exclusion aimed at a reader ("you're pathetic", "we don't
#: want you here"; ``moderation.abuse`` tier "insult"): over the hold threshold.
INSULT_FLOOR: Final = 0.85

#: Kind, short, calm texts for each outcome the author may be told about.
EXPLANATIONS: Final[dict[str, str]] = {
    "contact_details": (
        "To keep everyone safe, Hearth doesn't allow phone numbers, emails, social "
        "handles, links to profiles or chat apps, or moving the chat elsewhere. Your "
        "message wasn't sent; you're welcome to say it another way."
    ),
    "links_blocked": (
        "To keep everyone safe, links can't be shared in this community. Your message "
        "wasn't sent; you're welcome to describe what you wanted to share instead."
    ),
    "held_for_review": (
        "Your message is waiting for a moderator before the group sees it. "
        "This helps keep the room kind for everyone. Thank you for your patience."
    ),
    "flagged": (
        "Your message was shared with the group. A moderator may look at it, "
        "just to keep the room comfortable for everyone."
    ),
    "crisis": (
        "Thank you for trusting us with how you feel. Your message was shared and a "
        "moderator will check in with you. If you might act on these thoughts or "
        "you're not safe right now, please reach out to one of these services; "
        "they're free and they're there to listen."
    ),
    "third_party_concern": (
        "It's kind of you to look out for someone. These services can also help "
        "people who are worried about a friend or family member."
    ),
}


@dataclass(frozen=True)
class ScreeningPolicy:
    """Thresholds and switches for :func:`screen`; the defaults are the product policy."""

    flag_threshold: float = FLAG_THRESHOLD
    hold_threshold: float = HOLD_THRESHOLD
    venting_factor: float = VENTING_FACTOR
    third_party_factor: float = THIRD_PARTY_FACTOR
    targeted_floor: float = TARGETED_FLOOR
    insult_floor: float = INSULT_FLOOR
    #: The targeted-abuse rules of ``moderation.abuse`` (off: only the older
    #: second-person patterns, unscoped; kept as the benchmark's baseline).
    abuse_rules: bool = True
    #: The learned targeted-abuse layer (``moderation.abuse_model``): flags short English
    #: messages that address a reader and that it reads as an insult the rules missed.
    abuse_model: bool = True
    #: Lowest severity that counts as a crisis (1 = also hopelessness).
    crisis_min_severity: int = 1
    #: Flag (rather than allow) someone asking how to help a person at risk.
    flag_third_party_concern: bool = False
    #: Room members' handles: "@name" mentions of these are not contact details.
    known_handles: frozenset[str] = frozenset()
    #: Which links count as contact details (``LINK_POLICY``; see ``moderation.links``).
    link_policy: links.LinkPolicy = links.DEFAULT_LINK_POLICY


DEFAULT_POLICY: Final = ScreeningPolicy()


@dataclass(frozen=True)
class Verdict:
    """The outcome of screening one message (see the module docstring)."""

    crisis: bool
    crisis_severity: int
    offensive: bool
    contact_details: bool
    action: Action
    reasons: list[str] = field(default_factory=list)
    #: Model probability adjusted for target/venting, 0..1.
    offensive_score: float = 0.0
    #: The text worries about someone else at risk (not the author).
    third_party_concern: bool = False
    #: The message's language, ISO 639-1, or "und" when it cannot be told.
    language: str = "und"

    def __hash__(self) -> int:
        # ``reasons`` is a list (the contract says list[str]); hash its contents.
        return hash(
            (
                self.crisis,
                self.crisis_severity,
                self.offensive,
                self.contact_details,
                self.action,
                tuple(self.reasons),
                self.offensive_score,
                self.third_party_concern,
                self.language,
            )
        )

    @property
    def explanation(self) -> str | None:
        """The kind text to show the author, or None when nothing needs saying."""
        return explanation_for(self)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (what ``flask screen`` prints, one per line)."""
        return {
            "crisis": self.crisis,
            "crisis_severity": self.crisis_severity,
            "offensive": self.offensive,
            "contact_details": self.contact_details,
            "action": self.action,
            "reasons": list(self.reasons),
            "offensive_score": round(self.offensive_score, 4),
            "third_party_concern": self.third_party_concern,
            "language": self.language,
        }


def explanation_for(verdict: Verdict) -> str | None:
    """Return the explanation text matching ``verdict.action`` (None for allow)."""
    if verdict.crisis:
        return EXPLANATIONS["crisis"]
    if verdict.action == "block":
        if "contact_details:any_link" in verdict.reasons:
            return EXPLANATIONS["links_blocked"]
        return EXPLANATIONS["contact_details"]
    if verdict.action == "hold":
        return EXPLANATIONS["held_for_review"]
    if verdict.action == "flag":
        return EXPLANATIONS["flagged"]
    if verdict.third_party_concern:
        return EXPLANATIONS["third_party_concern"]
    return None


# --- normalisation -----------------------------------------------------------------

_TRANSLATE: Final = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_INVISIBLE: Final = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES: Final = re.compile(r"[ \t\r\f\v]+")

#: Words a censored token ("f***ing", "s*icide") may stand for, most likely first.
_CENSOR_WORDS: Final = (
    "suicide",
    "suicidal",
    "myself",
    "kill",
    "killing",
    "die",
    "dead",
    "fucking",
    "fuckin",
    "fucked",
    "fuck",
    "shit",
    "shitty",
    "bitch",
    "cunt",
    "asshole",
    "bastard",
    "damn",
    "hell",
    "dick",
    "crap",
    "piss",
    "whore",
    "slut",
)
_CENSORED: Final = re.compile(r"[a-z]*[*#]+[a-z*#]*")
_LEET_SEED: Final = re.compile(r"[a-z][0-9@$|]|[0-9@$|][a-z]|(?<![a-z])[a-z]{1,4}![a-z]")
_LEET_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$|!")
_UNITS: Final = re.compile(
    r"\d+(?:st|nd|rd|th|s|am|pm|k|km|kms|m|mg|ml|kg|lb|lbs|x|h|hr|hrs|min|mins|yo|yr|yrs|g|gb|mb|"
    r"d|p|ish|mm|cm|ft|in|oz|mph|kmh|c|f|v|w|hz|fps|ks|days?|weeks?|months?|years?|hours?)"
)
_LEET_MAP: Final = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "|": "l",
        "!": "i",
    }
)
_TWO_TO: Final = re.compile(
    r"(?<=[a-z])2(?=[a-z])|(?<=want )2(?= )|(?<=going )2(?= )|(?<=need )2(?= )"
)
_SPACED_LETTERS: Final = re.compile(r"(?<![a-z])(?:[a-z][ .\-_*]){3,}[a-z](?![a-z])")
_REPEATS: Final = re.compile(r"([a-z])\1{2,}")
_SUICIDE_MISSPELT: Final = re.compile(
    r"(?<![a-z])(?:su?i?[cs]i?[dt](?:e|le|el)|sewer ?slide|sooicide)(?![a-z])"
)
_SUICIDAL_MISSPELT: Final = re.compile(r"(?<![a-z])su?i?[cs]i?[dt]i?al(?![a-z])")
_INNER_HYPHEN: Final = re.compile(r"(?<=[a-z])[-_](?=[a-z])")
_TOKEN: Final = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")

#: Single-word rewrites: contractions with or without apostrophes, chat slang.
_WORD_MAP: Final[dict[str, str]] = {
    "cant": "can not", "cannot": "can not", "wont": "will not", "aint": "is not",
    "shant": "shall not", "im": "i am", "iam": "i am", "ima": "i am going to",
    "imma": "i am going to", "ive": "i have", "youre": "you are", "theyre": "they are",
    "lets": "let us", "wanna": "want to", "wana": "want to", "gonna": "going to",
    "gunna": "going to", "gona": "going to", "gotta": "got to", "tryna": "trying to",
    "kinda": "kind of", "lemme": "let me", "dunno": "do not know", "idk": "i do not know",
    "idc": "i do not care", "u": "you", "ur": "your", "r": "are", "yall": "you all",
    "ppl": "people", "bc": "because", "cuz": "because", "coz": "because", "cos": "because",
    "bcuz": "because", "becuz": "because", "rn": "right now", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tmrow": "tomorrow", "tomoz": "tomorrow", "tomorow": "tomorrow",
    "tommorow": "tomorrow", "tommorrow": "tomorrow", "tonite": "tonight", "2nite": "tonight",
    "2night": "tonight", "selfharm": "self harm", "myslef": "myself", "mysef": "myself",
    "wnat": "want", "wnt": "want", "wamt": "want", "wabt": "want", "whant": "want",
    "wantto": "want to", "dei": "die", "dieing": "dying", "myelf": "myself",
    "myslf": "myself", "mysefl": "myself", "msyelf": "myself",
    "mysellf": "myself", "myselfe": "myself", "suicdie": "suicide", "sucicide": "suicide",
    "diee": "die", "ded": "dead",
    "thats": "that is", "whats": "what is", "theres": "there is", "hes": "he is", "shes": "she is",
}  # fmt: skip
_NOT_STEMS: Final = frozenset(
    {"do", "does", "did", "is", "was", "are", "were", "have", "has", "had", "would", "could",
     "should", "must", "need", "might"}
)  # fmt: skip
_IS_WORDS: Final = frozenset(
    {"it", "that", "what", "there", "he", "she", "who", "everyone", "everybody", "nobody",
     "someone", "somebody", "life", "nothing", "here", "where", "how", "everything", "one"}
)  # fmt: skip
_APOSTROPHE_SUFFIX: Final = {"m": " am", "re": " are", "ve": " have", "ll": " will", "d": " would"}
_NOT_IRREGULAR: Final = {"ca": "can", "wo": "will", "ai": "is", "sha": "shall"}
_MULTI_WORD: Final[tuple[tuple[str, re.Pattern[str], str], ...]] = (
    ("want ta", re.compile(r"want ta(?![a-z])"), "want to"),
    ("goin to", re.compile(r"goin to(?![a-z])"), "going to"),
    ("un alive", re.compile(r"un alive"), "unalive"),
    ("my self", re.compile(r"my self(?![a-z])"), "myself"),
)

#: Rewrites that stop a "not" from reading as negation ("can't stop thinking").
_NOT_NEGATION: Final[tuple[tuple[str, re.Pattern[str], str], ...]] = (
    ("not stop", re.compile(r"(?:can|could) not stop(?![a-z])"), "keep"),
    ("not help", re.compile(r"(?:can|could) not help (?:but )?"), ""),
    ("not sure", re.compile(r"(?:i am )?not sure (?:if|whether|why)(?![a-z])"), "maybe"),
    ("not know", re.compile(r"(?:i )?do not know (?:if|whether|why)(?![a-z])"), "maybe"),
    ("not going to lie", re.compile(r"not going to lie"), ""),
    ("no matter", re.compile(r"no matter what"), ""),
    ("not only", re.compile(r"not only"), ""),
    ("kind of", re.compile(r"(?:kind|sort) of "), ""),
    ("sort of", re.compile(r"(?:kind|sort) of "), ""),
)

#: Intensifiers dropped from the crisis copy ("I want to f***ing die").
_FILLER_WORDS: Final = frozenset(
    {"just", "really", "so", "very", "even", "honestly", "literally", "seriously", "actually",
     "truly", "basically", "totally", "completely", "utterly", "absolutely", "ngl", "tbh", "tbf",
     "lowkey", "highkey", "fr", "deadass", "fucking", "fuckin", "fking", "fkn", "fkin", "fuckng",
     "freaking", "freakin", "frickin", "fricking", "friggin", "frigging", "effing", "bloody",
     "goddamn", "goddamned", "damn", "damned", "motherfucking", "rlly", "rly", "pretty", "quite",
     "kinda", "sorta", "genuinely", "definitely", "probably", "also", "sometimes",
     "often", "constantly", "always", "badly", "desperately"}
)  # fmt: skip
_FILLER_TOKEN: Final = re.compile(r"[a-z]+ ?")


def _base(text: str) -> str:
    """NFKC, straight quotes, no invisible characters, case-folded."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _INVISIBLE.sub("", text).casefold()


def _uncensor(match: re.Match[str]) -> str:
    token = match.group(0)
    if not any(ch.isalpha() for ch in token):
        return token
    shape = re.compile(
        "".join("[a-z]{1,4}" if ch == "*" else re.escape(ch) for ch in re.sub(r"[*#]+", "*", token))
    )
    for word in _CENSOR_WORDS:
        if shape.fullmatch(word):
            return word
    return token


def _deleet(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for m in _LEET_SEED.finditer(text):
        start, end = m.start(), m.end()
        if spans and start < spans[-1][1]:
            continue
        while start > 0 and text[start - 1] in _LEET_CHARS:
            start -= 1
        while end < len(text) and text[end] in _LEET_CHARS:
            end += 1
        spans.append((start, end))
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in spans:
        token = text[start:end]
        core = token.rstrip("!")
        out.append(text[last:start])
        if (start > 0 and text[start - 1] in "@#") or _UNITS.fullmatch(core) or core.isdigit():
            out.append(token)
        else:
            out.append(core.translate(_LEET_MAP) + token[len(core) :])
        last = end
    out.append(text[last:])
    return "".join(out)


def _unspace(match: re.Match[str]) -> str:
    return re.sub(r"[ .\-_*]", "", match.group(0))


def _expand(match: re.Match[str]) -> str:
    token = match.group(0)
    mapped = _WORD_MAP.get(token.replace("'", ""))
    if mapped is not None:
        return mapped
    if "'" not in token:
        if token.endswith("nt") and token[:-2] in _NOT_STEMS:
            return token[:-2] + " not"
        return token
    stem, _, suffix = token.rpartition("'")
    if suffix == "t" and stem.endswith("n"):
        head = stem[:-1]
        return _NOT_IRREGULAR.get(head, head) + " not"
    if suffix == "s":
        return stem + " is" if stem in _IS_WORDS else stem
    if suffix in _APOSTROPHE_SUFFIX:
        return stem + _APOSTROPHE_SUFFIX[suffix]
    return _WORD_MAP.get(stem + suffix, token)


def _normalise(text: str) -> str:
    """Text for pattern matching, fillers kept (offensive and contact phrases)."""
    out = _base(text)
    if "*" in out or "#" in out:
        out = _CENSORED.sub(_uncensor, out)
    if "2" in out:
        out = _TWO_TO.sub(" to ", out)
    out = _deleet(out)
    out = _SPACED_LETTERS.sub(_unspace, out)
    out = _REPEATS.sub(r"\1", out)
    if "su" in out or "sewer" in out:
        out = _SUICIDAL_MISSPELT.sub("suicidal", out)
        out = _SUICIDE_MISSPELT.sub("suicide", out)
    if "-" in out or "_" in out:
        out = _INNER_HYPHEN.sub(" ", out)
    out = _TOKEN.sub(_expand, out)
    for needle, pattern, replacement in _MULTI_WORD:
        if needle in out:
            out = pattern.sub(replacement, out)
    return _SPACES.sub(" ", out).strip()


def _drop_filler(match: re.Match[str]) -> str:
    token = match.group(0)
    return "" if token.rstrip() in _FILLER_WORDS else token


def _crisis_copy(normalised: str) -> str:
    out = normalised
    for needle, pattern, replacement in _NOT_NEGATION:
        if needle in out:
            out = pattern.sub(replacement, out)
    out = _FILLER_TOKEN.sub(_drop_filler, out)
    return _SPACES.sub(" ", out).strip()


# --- crisis -----------------------------------------------------------------------------

_DOUBLE: Final = re.compile(r"(?<![\\])([a-z])\1")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Pattern:
    """A compiled lexicon pattern.

    A doubled letter also matches a single one (text has letter runs
    collapsed). A leading ``\\b`` is checked by hand after the search:
    with it, ``re`` cannot use its fast first-character scan, which made
    screening several times slower.
    """

    __slots__ = ("bounded", "needles", "regex")

    def __init__(self, source: str) -> None:
        source = _DOUBLE.sub(r"\1{1,2}", source)
        self.bounded = source.startswith(r"\b") and "|" not in _top_level(source)
        self.regex = re.compile(source[2:] if self.bounded else source)
        #: Substrings one of which every match contains: most messages contain
        #: none, and ``in`` rules a pattern out far faster than a regex search.
        self.needles = _needles(self.regex)

    def _ok(self, text: str, start: int) -> bool:
        left = start > 0 and _is_word_char(text[start - 1])
        right = start < len(text) and _is_word_char(text[start])
        return left != right

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        # Only the searched range: a scope check searches a small window of a
        # long message, and looking for the needles in all of it made every
        # check as slow as the message is long.
        if self.needles and not any(text.find(n, pos, end) >= 0 for n in self.needles):
            return
        while pos <= end:
            m = self.regex.search(text, pos, end)
            if m is None:
                return
            start = m.start()
            if self.bounded and not self._ok(text, start):
                pos = start + 1
                continue
            yield m
            pos = m.end() if m.end() > start else start + 1

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)


def _top_level(source: str) -> str:
    """The parts of a pattern outside any group (to spot a top-level ``|``)."""
    depth = 0
    out = []
    escaped = False
    in_class = False
    for ch in source:
        if escaped:
            escaped = False
            if depth == 0:
                out.append("x")
            continue
        if ch == "\\":
            escaped = True
            continue
        if in_class:
            in_class = ch != "]"
            continue
        if ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


_COMPILED: dict[str, _Pattern] = {}


def _compile(pattern: str) -> _Pattern:
    # Memoised: the example check (tests) reuses the tables' patterns.
    found = _COMPILED.get(pattern)
    if found is None:
        found = _COMPILED[pattern] = _Pattern(pattern)
    return found


_CRISIS: Final = tuple(
    (kind, severity, mode, _compile(pattern))
    for kind, severity, mode, pattern in lex.CRISIS_PATTERNS
)
_HYPERBOLE: Final = re.compile(_DOUBLE.sub(r"\1{1,2}", lex.HYPERBOLE_AFTER))
_GOODBYE_STRONG: Final = tuple(_compile(p) for p in lex.GOODBYE_STRONG)
_GOODBYE_WEAK: Final = tuple(_compile(p) for p in lex.GOODBYE_WEAK)
_GOODBYE_CASUAL: Final = _compile(lex.GOODBYE_CASUAL)
_GOODBYE_LAST: Final = _compile(lex.GOODBYE_LAST_MESSAGE)
_THIRD_PARTY: Final = _compile(lex.THIRD_PARTY_RISK)
_PAST: Final = _compile(lex.PAST_CONTEXT)
_PRESENT: Final = _compile(lex.PRESENT_CONTEXT)
_HISTORY: Final = tuple((mode, _compile(pattern)) for mode, pattern in lex.HISTORY_PATTERNS)
_RECOVERY: Final = _compile(lex.RECOVERY_CONTEXT)
_PAST_VERB: Final = _compile(lex.PAST_VERB)
_PEER_SUPPORT: Final = _compile(lex.PEER_SUPPORT_CONTEXT)
_READER_QUESTION: Final = _compile(lex.READER_QUESTION)
_ATTEMPT: Final = _compile(lex.LEXICON.pattern("attempt_context"))
# Not through _DOUBLE: "to{1,2}" would read "i self harmed to feel something" as
# "...too", an answer to someone.
_ECHO: Final = re.compile(lex.LEXICON.pattern("echo_context"))
_SECOND_PERSON: Final = lex.LEXICON.word_set("second_person")
_SELF_ANSWER: Final = lex.LEXICON.word_set("self_answer")
_ANSWER_EASED: Final = lex.LEXICON.word_set("answer_eased")
#: Words that turn a sentence from a recovery back to the present ("i made it
#: through christmas but i have been wanting to die all week").
_TURN: Final = lex.LEXICON.word_set("recovery_turns")
_MEANS: Final = _compile(lex.MEANS)
_TIMING: Final = _compile(lex.TIMING)
_CLAUSE_BREAK: Final = re.compile(lex.CLAUSE_BREAK)
_SENTENCE_BREAK: Final = re.compile(r"[.!?;\n]+")
_REPORTING: Final = re.compile(lex.REPORTING)
_SUPPORT: Final = _compile(lex.SUPPORT_CONTEXT)
_WORD: Final = re.compile(r"[a-z]+")
_DISTRESS: Final = tuple(
    (weight, mode, _compile(pattern)) for weight, mode, pattern in lex.DISTRESS_CUES
)
_INTENSE: Final = tuple(
    (weight, mode, _compile(pattern)) for weight, mode, pattern in lex.DISTRESS_INTENSE
)
_QUOTED: Final = re.compile(r"\"[^\"]{2,300}\"|(?<!\w)'[^']{2,300}'(?!\w)")


@dataclass(frozen=True)
class _CrisisResult:
    severity: int
    kinds: tuple[str, ...]
    third_party: bool
    #: Crisis language was found but scoped away (negated, someone else's, past, asked).
    scoped: bool = False


def _breaks(text: str, pattern: re.Pattern[str]) -> list[int]:
    return [m.end() for m in pattern.finditer(text)]


def _is_negated(prefix_tokens: list[str]) -> bool:
    window = prefix_tokens[-3:]
    if "or" in window or "nor" in window:
        # "I have never wanted to die or felt hopeless": the "never" covers both.
        window = prefix_tokens[-8:]
    for i, tok in enumerate(window):
        if tok in lex.NEGATORS:
            if tok == "used" and (i + 1 >= len(window) or window[i + 1] != "to"):
                continue
            return True
    return False


def _person(prefix_tokens: list[str]) -> Literal["first", "other", "none"]:
    """Who governs the phrase: the nearest subject-like word before it."""
    last = len(prefix_tokens) - 1
    for i in range(last, -1, -1):
        tok = prefix_tokens[i]
        prev = prefix_tokens[i - 1] if i > 0 else ""
        if tok == "else" and prev in {"anyone", "anybody", "someone", "somebody"}:
            return "first"
        if tok in {"my", "our"} and i != last:
            continue  # "my group for suicidal vets": a possessive, not the subject
        if tok in lex.FIRST_PERSON:
            return "first"
        if tok in {"you", "your", "yourself"} and prev in {"when", "do", "does", "whenever"}:
            # "what do you do when you want to die?" is usually about the author.
            return "first"
        if tok in {"they", "them", "their"} and "else" in prefix_tokens[:i]:
            return "first"  # "anyone else feel like they want to die?"
        if tok in lex.OTHER_PERSON:
            return "other"
    return "none"


_REPORT_WORDS: Final = frozenset(
    {
        "said",
        "says",
        "told",
        "tells",
        "telling",
        "thinks",
        "think",
        "wants",
        "want",
        "wanted",
        "keeps",
        "yelled",
        "shouted",
        "screamed",
    }
)


_REPORT_FILLER: Final = frozenset(
    {
        "that",
        "i",
        "me",
        "to",
        "should",
        "could",
        "would",
        "must",
        "need",
        "ought",
        "go",
        "better",
        "might",
    }
)


def _asked_whether(prefix_tokens: list[str]) -> bool:
    """ "my therapist asked if I ever had suicidal thoughts": a question put to the author."""
    tail = prefix_tokens[-6:]
    return any(t in {"asked", "asks", "asking"} for t in tail) and any(
        t in {"if", "whether"} for t in tail
    )


def _reported_by_other(prefix_tokens: list[str]) -> bool:
    """ "my dad said I should kill myself", "he told me to kill myself": someone
    else's words aimed at the author, not the author's own intent."""
    tail = prefix_tokens[-4:]
    for i, tok in enumerate(tail):
        if tok in _REPORT_WORDS:
            rest = tail[i + 1 :]
            if any(t not in _REPORT_FILLER for t in rest):
                continue
            return _person(prefix_tokens[: len(prefix_tokens) - len(tail) + i]) == "other"
    return False


def _inside_reported_quote(text: str, start: int, quotes: list[tuple[int, int]]) -> bool:
    for q_start, q_end in quotes:
        if q_start <= start < q_end:
            before = text[max(0, q_start - 60) : q_start]
            return bool(_REPORTING.search(before))
    return False


_Who = Literal["author", "asked", "other", "past", "skip"]

#: How many characters around a match the scope checks read. Every match in a
#: message is scoped, so a check that read to the end of the message made a long
#: message quadratic ("took all my " * 9000 took minutes); a window keeps each
#: check bounded, and the context that decides whose a phrase is sits close to it.
SCOPE_WINDOW: Final = 400


#: Words that can take back what came before them ("...doing better but not now").
_CONTRAST: Final = frozenset({"but", "although", "except", "however", "though", "yet"})
#: After a contrast, the words that make it a take-back ("...but i am not", "...but it
#: isn't over"): "...but you can do it" or "...though it took years" is no take-back.
_DENIAL: Final = frozenset({"not", "never", "no", "t", "anymore"})


def _taken_back(text: str, start: int, limit: int) -> bool:
    """Whether, after ``start``, the author turns back to the present: in the same
    sentence "until" ("...ok until last week") or a contrast followed by a denial or a
    present cue ("...for a while but not now"); in a later sentence a present cue
    ("...i was doing fine. it came back"). Reads at most ``SCOPE_WINDOW`` characters."""
    limit = min(limit, start + SCOPE_WINDOW)
    brk = _SENTENCE_BREAK.search(text, start, limit)
    sentence_end = brk.start() if brk is not None else limit
    words = _WORD.findall(text, start, sentence_end)
    for i, word in enumerate(words):
        if word == "until":
            return True
        if word in _CONTRAST:
            rest = words[i + 1 :]
            if _DENIAL.intersection(rest) or _PRESENT.search(" ".join(rest)):
                return True
    return brk is not None and bool(_PRESENT.search(text, brk.end(), limit))


def _answers_for_self(text: str, question_end: int) -> bool:
    """Whether the sentence after a question to the reader is the author's own
    answer ("...? mine are screaming", "...? same here, all day"), not a comfort
    ("...? mine are quieter now", "...? mine passed")."""
    window_end = min(len(text), question_end + SCOPE_WINDOW)
    brk = _SENTENCE_BREAK.search(text, question_end, window_end)
    limit = brk.start() if brk is not None else window_end
    words = _WORD.findall(text, question_end, limit)
    if not words or words[0] not in _SELF_ANSWER:
        return False
    return not (
        _is_negated(words)
        or _ANSWER_EASED.intersection(words)
        or _recovers_after(text, question_end, limit, same_clause=False)
    )


def _recovers_after(text: str, end: int, limit: int, *, same_clause: bool) -> bool:
    """Whether the author tells of getting through it after ``end`` (up to ``limit``).

    A recovery before the phrase ("everyone thinks i pulled through but i was
    cutting last night"), negated ("i do not think i made it through") or
    someone else's ("people say it passed for them") does not count. With
    ``same_clause`` nothing may turn back to the present in between ("...and
    made it through", not "...but now", "since", "again", "still"). Reads at most
    ``SCOPE_WINDOW`` characters after ``end``.
    """
    limit = min(limit, end + SCOPE_WINDOW)
    for m in _RECOVERY.finditer(text, end, limit):
        between = _WORD.findall(text, end, m.start())
        if same_clause and (
            any(t in _TURN for t in between) or _SENTENCE_BREAK.search(text, end, m.start())
        ):
            return False
        own = _WORD.findall(text, m.start(), m.end())
        after = _WORD.findall(text, m.end(), min(limit, m.end() + 12))[:2]
        if _taken_back(text, m.end(), limit):
            return False
        if (
            _is_negated(between)
            or _person(between + own) == "other"
            or (len(after) == 2 and after[0] == "for" and after[1] in lex.OTHER_PERSON)
        ):
            continue
        return True
    return False


def _past_by_recovery(text: str, span: tuple[int, int], clause_start: int, s_end: int) -> bool:
    """Whether a phrase with no date is told as the author's past because a
    recovery follows it in the same clause ("a lot of us have felt suicidal and
    got through it").

    Only the same clause: a recovery in a later sentence is often a supporter's
    comfort to the reader ("i was suicidal too. it does get better") and the
    author can take it back in words no list holds ("...but not for me", "...i
    dont believe it", "...for other people"), so reading it as the author's past
    silenced real crises. A turn back to the present in the next sentences
    ("...and got through it. now its back") keeps it now.
    """
    start, end = span
    if not _PAST_VERB.search(text, clause_start, start):
        return False
    if _taken_back(text, end, min(len(text), s_end + SCOPE_WINDOW)):
        return False
    return _recovers_after(text, end, s_end, same_clause=True)


def _whose(
    text: str,
    span: tuple[int, int],
    mode: lex.Mode,
    clause_ends: list[int],
    sentence_ends: list[int],
    quotes: list[tuple[int, int]],
) -> _Who:
    """Whether a match speaks for the author now, for someone else, for the
    author's past, or for no one.

    ``skip`` covers figures of speech, negation ("I'm not suicidal"), questions
    put to the author, other people's words aimed at the author, and long
    sentences with no subject for ``required`` phrases. ``past`` is the author's
    history with nothing pointing at the present ("I was suicidal years ago").
    """
    start, end = span
    if _HYPERBOLE.match(text, end):
        return "skip"
    idx = bisect.bisect_right(clause_ends, start)
    # The clause, cut to a window before the phrase (see SCOPE_WINDOW).
    clause_start = max(clause_ends[idx - 1] if idx else 0, start - SCOPE_WINDOW)
    prefix = _WORD.findall(text, clause_start, start)
    if _is_negated(prefix):
        return "skip"
    if _inside_reported_quote(text, start, quotes):
        return "other"
    if _reported_by_other(prefix) or _asked_whether(prefix):
        return "skip"
    s_idx = bisect.bisect_right(sentence_ends, start)
    # The sentence, cut to a window around the phrase: a run-on message with no
    # stop would otherwise be read whole for every match in it.
    s_start = max(sentence_ends[s_idx - 1] if s_idx else 0, start - SCOPE_WINDOW)
    s_end = min(
        sentence_ends[s_idx] if s_idx < len(sentence_ends) else len(text), end + SCOPE_WINDOW
    )
    asked = False
    if "?" in text[start:s_end] and _READER_QUESTION.search(text[s_start:start].lstrip()):
        # "are your urges to cut any quieter today?": asked of the reader, not
        # said; only with "you"/"your" and no "i"/"my". With neither ("are these
        # suicidal thoughts normal?", "any suicidal thoughts today?") it may be
        # the author's own: kept, at the gentle tier; with "i"/"my" it is theirs.
        words = _WORD.findall(text, s_start, s_end)
        if not any(t in lex.FIRST_PERSON for t in words):
            if any(t in _SECOND_PERSON for t in words):
                # "are your thoughts of dying loud today? mine are screaming": the
                # author answers their own question, so the phrase is theirs too.
                return "author" if _answers_for_self(text, s_end) else "skip"
            asked = True
    if mode != "inherent":
        person = _person(prefix)
        if person == "other":
            return "other"
        if mode == "required" and person == "none":
            # A short subject-less fragment ("suicidal thoughts again") is
            # the author; a phrase inside a long sentence needs a subject.
            short = len(_WORD.findall(text, s_start, s_end)) <= 8
            own = _WORD.findall(text, start, end)
            starter = prefix[0] if prefix else (own[0] if own else "")
            if not (
                short
                or starter in lex.SUBJECTLESS_STARTERS
                or any(t in lex.FIRST_PERSON for t in own)
            ):
                return "skip"
    past = _PAST.search(text, s_start, s_end) or _past_by_recovery(text, span, clause_start, s_end)
    if past and not _PRESENT.search(text, s_start, s_end):
        return "past"
    return "asked" if asked else "author"


def _distress_score(
    text: str,
    clause_ends: list[int],
    sentence_ends: list[int],
    quotes: list[tuple[int, int]],
    cues: tuple[tuple[int, lex.Mode, _Pattern], ...],
) -> int:
    """Summed weights of the distinct distress cues the author says of themselves now.

    Each cue counts once however often it occurs; negated, third-person, reported,
    and past-only uses do not count (the same scoping as the crisis patterns).
    """
    total = 0
    for weight, mode, pattern in cues:
        for m in pattern.finditer(text):
            if _whose(text, m.span(), mode, clause_ends, sentence_ends, quotes) == "author":
                total += weight
                break
        if total >= lex.DISTRESS_THRESHOLD:
            break  # enough: the rest cannot change the outcome
    return total


def _vocabulary_index(
    vocabulary: dict[str, int],
) -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """Phrases keyed by their first word, longest first (one dict lookup per token)."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase, weight in vocabulary.items():
        words = tuple(phrase.split())
        index.setdefault(words[0], []).append((words, weight))
    return {w: tuple(sorted(v, key=lambda e: -len(e[0]))) for w, v in index.items()}


_VOCABULARY: Final = _vocabulary_index(lex.DISTRESS_VOCABULARY)
_TOPICS: Final = frozenset(tuple(t.split()) for t in lex.DISTRESS_TOPICS)


def _dense_distress(
    text: str,
    clause_ends: list[int],
    sentence_ends: list[int],
    quotes: list[tuple[int, int]],
) -> bool:
    """Whether the author's own distress words add up to the dense threshold.

    A long post meets more such words by chance (a veteran's story, advice to
    someone), so the threshold rises by one for every
    ``lex.DISTRESS_DENSE_WORDS_PER_STEP`` words.
    """
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    needed = lex.DISTRESS_DENSE_THRESHOLD + len(tokens) // lex.DISTRESS_DENSE_WORDS_PER_STEP
    return _dense_score(text, tokens, clause_ends, sentence_ends, quotes, needed) >= needed


def _dense_score(
    text: str,
    tokens: list[tuple[str, int, int]],
    clause_ends: list[int],
    sentence_ends: list[int],
    quotes: list[tuple[int, int]],
    enough: int,
) -> int:
    """Summed weights of the distinct distress words the author says of themselves now.

    One pass over the tokens with a dict lookup each (no per-entry regex); a
    match is scoped like a ``required`` crisis pattern: not negated, not someone
    else's, not reported speech, not history, and with the author as subject or
    in a short fragment. Condition and care words count once together. Stops
    at ``enough``.
    """
    words = [t[0] for t in tokens]
    seen: set[tuple[str, ...]] = set()
    total = 0
    topic = False
    i = 0
    while i < len(words):
        entries = _VOCABULARY.get(words[i])
        step = 1
        for phrase, weight in entries or ():
            n = len(phrase)
            if tuple(words[i : i + n]) != phrase:
                continue
            step = n
            if phrase not in seen:
                span = (tokens[i][1], tokens[i + n - 1][2])
                who = _whose(text, span, "required", clause_ends, sentence_ends, quotes)
                if who == "author":
                    seen.add(phrase)
                    if phrase not in _TOPICS:
                        total += weight
                    elif not topic:
                        topic = True
                        total += 1
            break
        if total >= enough:
            break
        i += step
    return total


def _intense_score(normalised: str) -> int:
    """Distress cues that need their intensifier ("I'm so alone" rather than "I'm
    alone at home"), read on the text before filler words are dropped."""
    if not normalised or not any(p.search(normalised) for _, _, p in _INTENSE):
        return 0
    clause_ends = _breaks(normalised, _CLAUSE_BREAK)
    sentence_ends = _breaks(normalised, _SENTENCE_BREAK)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(normalised)]
    return _distress_score(normalised, clause_ends, sentence_ends, quotes, _INTENSE)


def _detect_crisis(text: str, normalised: str = "") -> _CrisisResult:
    if not text:
        return _CrisisResult(0, (), False)
    clause_ends = _breaks(text, _CLAUSE_BREAK)
    sentence_ends = _breaks(text, _SENTENCE_BREAK)
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    severity = 0
    kinds: dict[str, int] = {}
    third_party = False
    history: list[tuple[int, int]] = []
    sentence_severity: dict[int, int] = {}
    scoped = False
    for kind, full, mode, pattern in _CRISIS:
        for m in pattern.finditer(text):
            who = _whose(text, m.span(), mode, clause_ends, sentence_ends, quotes)
            if who == "other":
                third_party = third_party or full >= 2
            if who == "past" and full >= 2:
                history.append(m.span())
            level = min(full, 1) if who == "asked" else full
            if who not in {"author", "asked"}:
                scoped = True
                continue
            s_idx = bisect.bisect_right(sentence_ends, m.start())
            sentence_severity[s_idx] = max(sentence_severity.get(s_idx, 0), level)
            severity = max(severity, level)
            kinds[kind] = max(kinds.get(kind, 0), level)
    goodbye, cues = _goodbye_severity(text)
    if cues and severity:
        # Any farewell next to other crisis language is read as intent.
        goodbye = 4 if severity >= 2 else max(goodbye, 3)
    if goodbye:
        severity = max(severity, goodbye)
        kinds["goodbye"] = max(kinds.get("goodbye", 0), goodbye)
    if severity >= 2 and _MEANS.search(text):
        severity = 4
        kinds["means"] = 4
    if severity == 3:
        for s_idx, level in sentence_severity.items():
            if level < 3:
                continue
            s_start = sentence_ends[s_idx - 1] if s_idx else 0
            s_end = sentence_ends[s_idx] if s_idx < len(sentence_ends) else len(text)
            if _TIMING.search(text, s_start, s_end):
                severity = 4
                kinds["plan"] = 4
                break
    if not severity and (
        _dense_distress(text, clause_ends, sentence_ends, quotes)
        or _distress_score(text, clause_ends, sentence_ends, quotes, _DISTRESS)
        + _intense_score(normalised)
        >= lex.DISTRESS_THRESHOLD
    ):
        # Many weaker first-person cues together, or a dense run of distress
        # words: strong distress, the gentle tier.
        severity = 1
        kinds["distress"] = 1
    if not severity and _history_stands(
        text,
        history or _disclosed_history(text, clause_ends, sentence_ends, quotes),
        sentence_ends,
    ):
        # A past attempt, self-harm or suicidal spell told without "and it's
        # better now", and not told to support someone ("what helped me was..."):
        # the gentle tier, so a moderator can keep an eye out.
        severity = 1
        kinds["history"] = 1
    if not severity and not third_party:
        third_party = _unnegated(_THIRD_PARTY, text)
    ordered = tuple(sorted(kinds, key=lambda k: (-kinds[k], k)))
    return _CrisisResult(severity, ordered, third_party and severity == 0, scoped)


def _disclosed_history(
    text: str,
    clause_ends: list[int],
    sentence_ends: list[int],
    quotes: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Where the author tells of their own past attempt, self-harm or suicidal
    thoughts in words the crisis patterns only read in the present."""
    return [
        m.span()
        for mode, pattern in _HISTORY
        for m in pattern.finditer(text)
        if _whose(text, m.span(), mode, clause_ends, sentence_ends, quotes)
        in {"author", "asked", "past"}
    ]


def _history_stands(text: str, spans: list[tuple[int, int]], sentence_ends: list[int]) -> bool:
    """Whether a disclosed past (at ``spans``) is left standing: no recovery told
    after it, and not told to support someone in the same sentence (or answered
    with "too": "i used to self harm too"). Peer support never puts away an
    attempt or overdose ("i overdosed a few years back. hang in there everyone")."""
    for start, end in spans:
        if _recovers_after(text, end, len(text), same_clause=False):
            continue
        s_idx = bisect.bisect_right(sentence_ends, start)
        s_start = max(sentence_ends[s_idx - 1] if s_idx else 0, start - SCOPE_WINDOW)
        s_end = min(
            sentence_ends[s_idx] if s_idx < len(sentence_ends) else len(text), end + SCOPE_WINDOW
        )
        support = _PEER_SUPPORT.search(text, s_start, s_end) or _ECHO.match(text[end : end + 12])
        # Support or "too" puts a past away only when nothing after it says it is
        # still going on ("i used to self harm too. i still do").
        if (
            not support
            or _ATTEMPT.search(text, s_start, s_end)
            or _PRESENT.search(text, end, end + SCOPE_WINDOW)
        ):
            return True
    return False


def _goodbye_severity(text: str) -> tuple[int, int]:
    """Severity from farewell language alone, and how many farewell cues there are."""
    strong = sum(1 for p in _GOODBYE_STRONG if p.search(text))
    weak = sum(1 for p in _GOODBYE_WEAK if p.search(text))
    if _GOODBYE_LAST.search(text) and not _GOODBYE_CASUAL.search(text):
        strong += 1
    cues = strong + weak
    if strong and cues >= 2:
        return 4, cues
    if strong:
        return 3, cues
    if weak >= 3:
        return 2, cues
    if weak == 2:
        return 1, cues
    return 0, cues


# --- offensive language -------------------------------------------------------------

_SEVERE: Final = tuple(_compile(p) for p in lex.SEVERE_ABUSE)
_TARGETED: Final = tuple(_compile(p) for p in lex.TARGETED)
_HARSH: Final = _compile(lex.HARSH_NOUNS)
_SELF_BEFORE: Final = re.compile(lex.SELF_DIRECTED_BEFORE)
_SLURS: Final = re.compile(
    r"\b(?:"
    + "|".join(re.escape(codecs.decode(s, "rot13")) for s in lex.SLURS_ROT13)
    + r")(?:s|z|es|ed)?\b"
)
_SLUR_EXCEPTIONS: Final = re.compile(r"\bhomo (?:sapiens|erectus|habilis)\b")


@dataclass(frozen=True)
class _OffensiveSignals:
    severe: bool
    slur: bool
    targeted: bool
    harsh: bool
    #: An insult or exclusion aimed at a reader (held; ``moderation.abuse``).
    insult: bool = False
    #: Only the learned layer read abuse aimed at a reader (flagged, never held).
    learned: bool = False


def _unnegated(pattern: _Pattern, text: str, *, scope: bool = False, playful: bool = False) -> bool:
    for m in pattern.finditer(text):
        if _is_negated(_WORD.findall(text, max(0, m.start() - 40), m.start())):
            continue
        if scope and (playful or not abuse.scoped(text, m.start())):
            continue  # someone else's reported words; banter ("shut up, no way")
        return True
    return False


def _offensive_signals(
    text: str, policy: ScreeningPolicy = DEFAULT_POLICY, learned_abuse: bool = False
) -> _OffensiveSignals:
    scope = policy.abuse_rules
    found = abuse.find(text) if scope else abuse.Found(None)
    severe = found.tier == "severe" or any(_unnegated(p, text, scope=scope) for p in _SEVERE)
    insult = severe or found.tier == "insult"
    playful = scope and abuse.is_playful(text)
    targeted = (
        insult
        or found.tier == "mild"
        or any(_unnegated(p, text, scope=scope, playful=playful) for p in _TARGETED)
    )
    slur = bool(_SLURS.search(_SLUR_EXCEPTIONS.sub(" ", text)))
    harsh = False
    for m in _HARSH.finditer(text):
        if not _SELF_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            harsh = True
            break
    learned = (
        learned_abuse
        and scope
        and policy.abuse_model
        and not targeted
        and not slur
        and not playful
        and abuse_model.addresses_reader(text)
    )
    return _OffensiveSignals(severe, slur, targeted, harsh, insult, learned)


def _adjusted_score(raw: float, signals: _OffensiveSignals, policy: ScreeningPolicy) -> float:
    if signals.severe:
        return max(raw, 0.99)
    if signals.slur:
        return max(raw, policy.hold_threshold)
    if signals.insult:
        return max(raw, policy.insult_floor)
    if signals.targeted or signals.learned:
        return max(raw, policy.targeted_floor)
    if signals.harsh:
        return raw * policy.third_party_factor
    return raw * policy.venting_factor


_PROBES: Final = (
    "hello there, how was your day?",
    "you are a stupid idiot",
    "this week has been shit",
    "fuck off",
    "",
)


class _LinearProfanity:
    """alt-profanity-check's calibrated linear SVMs, evaluated directly.

    ``predict_prob`` goes through ``CalibratedClassifierCV.predict_proba``,
    whose per-call validation costs several milliseconds even for one short
    message. The model is five linear SVMs with sigmoid calibration, so the
    same probabilities are one sparse product and an average. A few texts (a
    chat send screens one) skip the vectorizer's sparse-matrix building too: the
    same analyzer, counts times idf, l2 norm, product. It is only used after both
    paths reproduced ``predict_prob`` on probe texts (see ``_profanity_model``).
    """

    #: Up to this many texts go the per-text way; larger batches use the vectorizer.
    FEW = 8

    def __init__(self, vectorizer: Any, model: Any) -> None:
        calibrated = model.calibrated_classifiers_
        self.vectorizer = vectorizer
        self.weights = np.column_stack([c.estimator.coef_.ravel() for c in calibrated])
        self.intercepts = np.array([float(c.estimator.intercept_[0]) for c in calibrated])
        self.a = np.array([float(c.calibrators[0].a_) for c in calibrated])
        self.b = np.array([float(c.calibrators[0].b_) for c in calibrated])
        params = vectorizer.get_params()
        if params["sublinear_tf"] or params["binary"] or params["norm"] != "l2":
            raise ValueError("a vectorizer the per-text path doesn't reproduce")
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_) if params["use_idf"] else None

    def _decision_one(self, text: str) -> Any:
        counts: dict[int, int] = {}
        for token in self.analyze(text):
            column = self.vocabulary.get(token)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return self.intercepts
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.idf is not None:
            values *= self.idf[columns]
        values /= np.sqrt(values @ values)
        return values @ self.weights[columns] + self.intercepts

    def __call__(self, texts: Sequence[str]) -> list[float]:
        if len(texts) <= self.FEW:
            decision = np.array([self._decision_one(text) for text in texts]).reshape(
                len(texts), -1
            )
        else:
            features = self.vectorizer.transform(list(texts))
            decision = np.asarray(features @ self.weights) + self.intercepts
        probs = 1.0 / (1.0 + np.exp(self.a * decision + self.b))
        return [float(p) for p in probs.mean(axis=1)]


def _reference_scores(texts: Sequence[str]) -> list[float]:
    from profanity_check import predict_prob  # type: ignore[import-untyped,unused-ignore]  # ships no type hints

    return [float(p) for p in predict_prob(list(texts))]


@cache
def _profanity_model() -> Callable[[Sequence[str]], list[float]]:
    """The profanity scorer, loaded on first use (~2 s; many callers never screen)."""
    from profanity_check import profanity_check as pc  # type: ignore[import-untyped,unused-ignore]  # ships no type hints

    try:
        fast = _LinearProfanity(pc.vectorizer, pc.model)
        expected = _reference_scores(_PROBES)
        one_by_one = [score for probe in _PROBES for score in fast([probe])]
        if np.allclose(fast(_PROBES), expected, rtol=0.0, atol=1e-9) and np.allclose(
            one_by_one, expected, rtol=0.0, atol=1e-9
        ):
            return fast
    except (AttributeError, IndexError, TypeError, ValueError):
        pass  # a different model layout: fall back to the public function
    return _reference_scores


def _profanity_scores(texts: Sequence[str]) -> list[float]:
    """One vectorised model call for the whole batch."""
    if not texts:
        return []
    return _profanity_model()(texts)


# --- contact details --------------------------------------------------------------------

_EMAIL: Final = re.compile(
    r"(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}@([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,6}\.[a-z]{2,24})"
)
_EMAIL_OBFUSCATED: Final = re.compile(
    r"\b[a-z0-9._%+-]{2,64}\s{0,3}[(\[{<]?\s{0,3}(?:at|@)\s{0,3}[)\]}>]?\s{0,3}"
    r"(?:(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|protonmail|proton|aol|gmx|yandex)\b"
    r"|[a-z0-9-]{2,63}\s{0,3}[(\[{<]?\s{0,3}(?:dot|\.)\s{0,3}[)\]}>]?\s{0,3}" + lex.TLDS + r"\b)"
)
_HANDLE: Final = re.compile(r"(?<![\w.@])@([a-z0-9_][a-z0-9_.]{1,29})")
_HANDLE_WORDS: Final = frozenset(
    {
        "home",
        "work",
        "school",
        "night",
        "noon",
        "midnight",
        "everyone",
        "all",
        "here",
        "channel",
        "mods",
        "mod",
        "moderator",
        "moderators",
        "admin",
        "group",
        "room",
        "the",
    }
)
_OFF_PLATFORM: Final = tuple(_compile(p) for p in lex.OFF_PLATFORM)
_NUMBER_WORD: Final = re.compile(
    r"\b(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple|nil)\b"
)
_DIGITISH: Final = re.compile(r"\b[0-9ol]*[0-9][0-9ol]*\b")
_PHONE_RUN: Final = re.compile(
    r"(?<![\w$£€¥#/:.,])\+?(?:\d|\(\d)[\d\s().\-]{4,40}\d(?![\w%/:]|[.,]\d)"
)
_DATE: Final = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_WORD_DIGITS: Final = {
    "zero": "0", "oh": "0", "o": "0", "nil": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_NUMBER_RUN: Final = re.compile(
    r"\b(?:(?:zero|oh|o|nil|one|two|three|four|five|six|seven|eight|nine|double|triple|"
    r"\d+)(?:[\s\-.,:]+|$)){3,}"
)


def _spell_digits(match: re.Match[str]) -> str:
    tokens = re.findall(r"[a-z]+|\d+", match.group(0))
    words = sum(1 for t in tokens if t.isalpha() and t not in {"double", "triple", "o", "oh"})
    if words < 3 and not any(t.isdigit() for t in tokens):
        return match.group(0)
    out: list[str] = []
    repeat = 1
    for tok in tokens:
        if tok == "double":
            repeat = 2
            continue
        if tok == "triple":
            repeat = 3
            continue
        digit = tok if tok.isdigit() else _WORD_DIGITS.get(tok, "")
        out.append(digit * repeat)
        repeat = 1
    return " ".join(out) + " "


def _fix_digitish(match: re.Match[str]) -> str:
    return match.group(0).replace("o", "0").replace("l", "1")


def _is_phone(run: str) -> bool:
    digits = re.sub(r"\D", "", run)
    if not 7 <= len(digits) <= 15:
        return False
    if _is_crisis_number(digits):
        return False
    if _DATE.fullmatch(run.strip()):
        return False
    groups = re.findall(r"\d+", run)
    if all(len(g) == 4 and g[:2] in {"19", "20"} for g in groups):
        return False
    if (
        len(groups) >= 2
        and len(groups[0]) <= 3
        and all(len(g) == 3 for g in groups[1:])
        and re.fullmatch(r"\d{1,3}(?:[ ,.]\d{3})+", run.strip())
    ):
        return False  # 1 000 000
    if all(len(g) == 1 for g in groups):
        steps = {int(b) - int(a) for a, b in itertools.pairwise(groups)}
        if steps in ({1}, {-1}):
            return False  # counting: 1 2 3 4 5 6 7
    return True


def _is_crisis_number(digits: str) -> bool:
    if digits in lex.CRISIS_NUMBERS:
        return True
    for prefix in ("1", "0", "00", "44", "01", "001"):
        if digits.startswith(prefix) and digits[len(prefix) :] in lex.CRISIS_NUMBERS:
            return True
    return False


def _is_resource(host: str) -> bool:
    return links.is_resource(host, lex.RESOURCE_DOMAINS)


@dataclass(frozen=True)
class _Contact:
    found: bool = False
    #: Found only because the policy blocks every link (``block_all``).
    any_link: bool = False


def _detect_contact(raw: str, normalised: str, policy: ScreeningPolicy) -> _Contact:
    found = links.find_links(raw)
    if found:
        if any(links.blocks(x, policy.link_policy, lex.RESOURCE_DOMAINS) for x in found):
            if policy.link_policy != "block_all" or any(
                links.blocks(x, "block_contact", lex.RESOURCE_DOMAINS) for x in found
            ):
                return _Contact(True)
            if _contact_outside_links(links.mask(raw, found), None, policy):
                return _Contact(True)
            return _Contact(True, any_link=True)
        raw = links.mask(raw, found)
        normalised = _normalise(raw)
    return _Contact(_contact_outside_links(raw, normalised, policy))


def _contact_outside_links(raw: str, normalised: str | None, policy: ScreeningPolicy) -> bool:
    """Emails, handles, phone numbers and "add me on snap" in text with links masked."""
    for m in _EMAIL.finditer(raw):
        if not _is_resource(m.group(1)):
            return True
    if normalised is None:
        normalised = _normalise(raw)
    if _EMAIL_OBFUSCATED.search(raw) or _EMAIL_OBFUSCATED.search(normalised):
        return True
    handles = {h.casefold().lstrip("@") for h in policy.known_handles}
    for m in _HANDLE.finditer(raw):
        name = m.group(1).rstrip(".")
        if name in handles or name in _HANDLE_WORDS or re.fullmatch(r"\d+(?:am|pm|h)?", name):
            continue
        return True
    digits_text = _DIGITISH.sub(_fix_digitish, raw)
    digits_text = _NUMBER_RUN.sub(_spell_digits, digits_text)
    for m in _PHONE_RUN.finditer(digits_text):
        if _is_phone(m.group(0)):
            return True
    return any(p.search(normalised) for p in _OFF_PLATFORM)


# --- public API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """What the rules read in one message, before the learned English layers speak."""

    found: _CrisisResult
    language: str
    contact: _Contact
    #: ``learned`` here says whether the learned abuse layer *may* speak (its gate).
    signals: _OffensiveSignals
    score: float

    def held(self, policy: ScreeningPolicy) -> bool:
        """Held as abuse; the learned abuse layer never changes this (it only speaks
        where no rule made the message targeted or a slur, which holding needs)."""
        adjusted = _adjusted_score(
            self.score, dataclasses.replace(self.signals, learned=False), policy
        )
        return (
            adjusted >= policy.flag_threshold
            and adjusted >= policy.hold_threshold
            and (self.signals.targeted or self.signals.slur)
        )

    def crisis_model_speaks(self, policy: ScreeningPolicy) -> bool:
        """Whether a learned crisis severity would be used (see ``_decide``)."""
        found = self.found
        return not (found.severity or found.third_party or found.scoped or self.held(policy))


def _read(
    raw: str, score: float, policy: ScreeningPolicy, languages: Sequence[str] | None = None
) -> _Reading:
    normalised = _normalise(raw)
    crisis_text = _crisis_copy(normalised)
    found = _detect_crisis(crisis_text, normalised)
    language = _language.identify(raw, languages=languages)
    if not found.severity:  # the per-language lexicons (moderation/lexicon/*.toml)
        other = _multilingual.detect(raw, first=(language, *(languages or ())))
        if other.severity or (other.third_party and not found.third_party):
            found = _CrisisResult(other.severity, other.kinds, other.third_party)
            language = other.language or language
    contact = _detect_contact(_base(raw), normalised, policy)
    signals = _offensive_signals(normalised, policy, learned_abuse=True)
    return _Reading(found, language, contact, signals, score)


def _verdict(
    raw: str,
    score: float,
    policy: ScreeningPolicy,
    languages: Sequence[str] | None = None,
    model_severity: int = 0,
    learned_abuse: bool = False,
) -> Verdict:
    """One message's verdict, given the learned layers' opinions of it."""
    return _decide(_read(raw, score, policy, languages), policy, model_severity, learned_abuse)


def _decide(
    reading: _Reading, policy: ScreeningPolicy, model_severity: int = 0, learned_abuse: bool = False
) -> Verdict:
    found, language, contact = reading.found, reading.language, reading.contact
    signals = reading.signals
    if signals.learned and not learned_abuse:
        signals = dataclasses.replace(signals, learned=False)
    adjusted = _adjusted_score(reading.score, signals, policy)
    offensive = adjusted >= policy.flag_threshold
    held = offensive and adjusted >= policy.hold_threshold and (signals.targeted or signals.slur)
    if model_severity and not (found.severity or found.third_party or found.scoped or held):
        # The learned second opinion (crisis_model) speaks where the lexicon is silent,
        # never over its scoping ("I'm not suicidal anymore", "my therapist asked if I
        # ever had suicidal thoughts") nor its hold of abuse aimed at someone ("go die").
        kind = "model" if model_severity >= 2 else "model_gentle"
        found = _CrisisResult(model_severity, (kind,), False)
    crisis = found.severity >= max(1, policy.crisis_min_severity)

    reasons: list[str] = []
    if crisis:
        reasons.append("crisis")
        reasons.extend(f"crisis:{kind}" for kind in found.kinds)
        if language != "en":
            reasons.append(f"language:{language}")
    third_party = found.third_party and not crisis
    if third_party:
        reasons.append("third_party_concern")
    if contact.found:
        reasons.append("contact_details")
        if contact.any_link:
            reasons.append("contact_details:any_link")
    if offensive:
        reasons.append("offensive")
        if signals.severe:
            reasons.append("offensive:abuse")
        elif signals.slur:
            reasons.append("offensive:slur")
        elif signals.targeted:
            reasons.append("offensive:targeted")
        elif signals.learned:
            reasons.extend(("offensive:targeted", "offensive:learned"))

    action: Action
    if crisis:
        action = "flag"
    elif contact.found:
        action = "block"
    elif held:
        action = "hold"
    elif offensive or (third_party and policy.flag_third_party_concern):
        action = "flag"
    else:
        action = "allow"
    return Verdict(
        crisis=crisis,
        crisis_severity=found.severity if crisis else 0,
        offensive=offensive,
        contact_details=contact.found,
        action=action,
        reasons=reasons,
        offensive_score=round(min(1.0, max(0.0, adjusted)), 6),
        third_party_concern=third_party,
        language=language,
    )


def _model_text(text: str) -> str:
    out = _base(text)
    if "*" in out or "#" in out:
        out = _CENSORED.sub(_uncensor, out)
    return _deleet(out)


def screen_many(
    texts: Iterable[str],
    *,
    policy: ScreeningPolicy = DEFAULT_POLICY,
    languages: Sequence[str] | None = None,
) -> list[Verdict]:
    """Screen a batch of messages; the profanity model runs once for the whole batch.

    Returns one :class:`Verdict` per text, in order, equal to ``screen(t)`` each.
    ``languages`` (the author's profile languages) is a prior for telling the
    language of short messages; it never hides anything.
    """
    items = [t if isinstance(t, str) else str(t) for t in texts]
    scores = _profanity_scores([_model_text(t) for t in items])
    readings = [_read(t, s, policy, languages) for t, s in zip(items, scores, strict=True)]
    learned, abusive = _learned_english(
        items,
        policy,
        crisis=[r.crisis_model_speaks(policy) for r in readings],
        abuse=[r.signals.learned for r in readings],
    )
    verdicts = [
        _decide(r, policy, m, a) for r, m, a in zip(readings, learned, abusive, strict=True)
    ]
    return _with_crosslingual(items, verdicts, policy)


def _learned_english(
    items: Sequence[str],
    policy: ScreeningPolicy = DEFAULT_POLICY,
    *,
    crisis: Sequence[bool] | None = None,
    abuse: Sequence[bool] | None = None,
) -> tuple[list[int], list[bool]]:
    """The learned English layers: crisis severity (0..2) and targeted abuse, per message
    that reads as English.

    Crisis has two opinions: the TF-IDF model (trained on posts, strong on long ones)
    and the sentence encoder at its English chat point (short lines in everyday words:
    a date, the means at hand, a goodbye). The higher one speaks, under the same
    scoping as either alone (see ``_decide``). The abuse layer reads the same
    encoder vectors of the same short lines (one encoding serves both).

    ``crisis`` and ``abuse`` (per item; None: all) say where each opinion could
    change the verdict; elsewhere it is not computed and reads 0 / False. The
    encoder, the costliest step, runs only for lines one of them still needs.
    """
    out = [0] * len(items)
    abusive = [False] * len(items)
    wants_crisis = [True] * len(items) if crisis is None else list(crisis)
    wants_abuse = [True] * len(items) if abuse is None else list(abuse)
    if not (policy.abuse_rules and policy.abuse_model):
        wants_abuse = [False] * len(items)
    todo = [
        k
        for k, t in enumerate(items)
        if (wants_crisis[k] or wants_abuse[k]) and xl.looks_english(t)
    ]
    if not todo:
        return out, abusive
    posts = [k for k in todo if wants_crisis[k]]
    if posts:
        for k, post in zip(posts, crisis_model.severities([items[k] for k in posts]), strict=True):
            out[k] = post
    short = [k for k in todo if len(items[k]) <= xl.ENGLISH_CHAT_CHARS]
    if not short:
        return out, abusive
    vectors = xl.embed([items[k] for k in short])
    chat_rows = [i for i, k in enumerate(short) if wants_crisis[k]]
    if chat_rows:
        chat = xl.english_chat_severities(
            [items[short[i]] for i in chat_rows], vectors=vectors[chat_rows]
        )
        for i, line in zip(chat_rows, chat, strict=True):
            out[short[i]] = max(out[short[i]], line)
    abuse_rows = [i for i, k in enumerate(short) if wants_abuse[k]]
    if abuse_rows:
        point = abuse_model.load().point
        for i, p in zip(abuse_rows, abuse_model.probabilities(vectors[abuse_rows]), strict=True):
            abusive[short[i]] = p >= point
    return out, abusive


def _with_crosslingual(
    items: Sequence[str], verdicts: list[Verdict], policy: ScreeningPolicy
) -> list[Verdict]:
    """The cross-lingual layer reads non-English messages no lexicon found a crisis in."""
    todo = [
        k
        for k, v in enumerate(verdicts)
        if not v.crisis
        and not v.third_party_concern  # someone else at risk: not the author's crisis
        and not xl.looks_english(items[k])
        and not _multilingual.understood(items[k])  # negated, someone else's, a figure
    ]
    for k, p in zip(todo, xl.predict_many([items[k] for k in todo]) if todo else [], strict=True):
        severity = xl.severity_for(p)
        if severity and severity >= policy.crisis_min_severity:
            v = verdicts[k]
            reasons = ["crisis", "crisis:crosslingual", *v.reasons]
            reasons = [r for r in reasons if r != "third_party_concern"]
            verdicts[k] = dataclasses.replace(
                v, crisis=True, crisis_severity=severity, action="flag", reasons=reasons,
                third_party_concern=False,
            )  # fmt: skip
    return verdicts


def screen(
    text: str,
    *,
    policy: ScreeningPolicy = DEFAULT_POLICY,
    languages: Sequence[str] | None = None,
) -> Verdict:
    """Screen one message body (called by ``rooms.posting.post_message`` before storing).

    Crisis language is checked first and always yields ``action="flag"``.
    ``languages``: the author's profile languages (ISO 639-1), a prior for short messages.
    """
    return screen_many([text], policy=policy, languages=languages)[0]


# --- the lexicon's own examples ---------------------------------------------------------


def _reading(text: str, reads: lex.Reads) -> str:
    """An example as the entry's pattern sees it (the engine's own normalisation)."""
    normalised = _normalise(text)
    return _crisis_copy(normalised) if reads == "crisis" else normalised


def _example_problem(entry: lex.Entry) -> str | None:
    """What is wrong with ``entry``'s examples, or None when they all hold.

    A must-match example must be matched by the entry's pattern. A must-not-match
    example must not be, with one allowance for the crisis-side tables (those whose
    ``lex.TABLES`` rule is ``scoped``): it may match when the English lexicon reads
    no crisis in the whole example, because the scoping puts the phrase aside (it is
    negated, someone else's, reported, past, or a figure of speech). That is how a
    reviewer shows the look-alikes a pattern is known to meet.
    """
    pattern = _compile(entry.pattern)
    for example in entry.must_match:
        if not pattern.search(_reading(example, entry.reads)):
            return f"must_match example {example!r} is not matched by the pattern"
    scoped = lex.TABLES[entry.table].not_match == "scoped"
    for example in entry.must_not_match:
        if not pattern.search(_reading(example, entry.reads)):
            continue
        normalised = _normalise(example)
        if not scoped:
            return f"must_not_match example {example!r} is matched by the pattern"
        found = _detect_crisis(_crisis_copy(normalised), normalised)
        if found.severity:
            return (
                f"must_not_match example {example!r} is matched and read as crisis "
                f"(severity {found.severity}: {', '.join(found.kinds)})"
            )
    return None


def check_examples(lexicon: lex.Lexicon) -> None:
    """Raise :class:`~moderation.lexicon_files.LexiconError` naming the file and entry
    of the first example that fails.

    Run by ``tests/unit/test_lexicon_examples.py`` (entry by entry) and by anyone
    editing a copy of the files; not at import, where it cost every process and test
    subprocess start-up time (the structural checks stay at load)."""
    for entry in lexicon.entries:
        problem = _example_problem(entry)
        if problem:
            raise lex.LexiconError(f"{entry.file}: entry {entry.id!r}: {problem}")
