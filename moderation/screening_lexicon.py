"""The English lexicon for :mod:`moderation.screening`, read from data files.

The patterns live in ``moderation/lexicon/en/*.toml``, one entry a pattern with
the examples it must and must not read beside it (docs/moderation.md, "The
lexicon as data"). This module only loads and checks them and exposes the
tables under the names the engine uses; the scoping that decides whether a
match speaks for the author (negation, person, tense, reported speech) stays
in code, in :mod:`moderation.screening`, driven by the word lists here.

Every pattern was written from general knowledge of how people talk about
suicide, self-harm, hopelessness, abuse and contact details; none is taken
from a data set. Patterns run on *normalised* text (see
``screening._normalise``): lower case, curly quotes straightened, leetspeak and
censored words resolved, runs of three or more equal letters collapsed to one,
contractions expanded ("i'm" -> "i am", "can't" -> "can not", "wanna" -> "want
to") and, in the crisis copy, filler words such as "so", "just", "really" or
"f***ing" removed. A doubled letter in a pattern also matches a single one
("kill" matches "kil"), so that "killlll myself" (collapsed to "kil myself") is
still found.

Pure: standard library only. A malformed file raises
:class:`~moderation.lexicon_files.LexiconError` at import, naming the file and
the entry; the examples are run against the engine's normalisation by
:func:`moderation.screening.check_examples` (it owns that normalisation), from
``tests/unit/test_lexicon_examples.py``, not at import: they cost start-up time
in every process and test subprocess and cannot change between test and start.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, get_args

from moderation.lexicon_files import LexiconError, examples, expand, fail, macros, pattern_text
from moderation.lexicon_files import read_toml as _read_toml

__all__ = ["LEXICON_DIR", "Entry", "Lexicon", "LexiconError", "load"]

#: How a crisis pattern decides whether the *author* is the person at risk.
#: ``inherent``: the phrase is first person by itself ("kill myself").
#: ``default``: first person unless another subject governs it
#: ("she wants to die" is not the author).
#: ``required``: needs a first-person subject nearby or a very short
#: subject-less fragment ("suicidal rates among veterans" is not a crisis).
Mode = Literal["inherent", "default", "required"]

#: Which text an entry reads: ``crisis`` is the normalised text with filler words
#: dropped (``screening._crisis_copy``), ``plain`` keeps them.
Reads = Literal["crisis", "plain"]

LEXICON_DIR: Final = Path(__file__).with_name("lexicon") / "en"
#: The files, in the order they are read.
FILES: Final = ("crisis", "goodbye", "history", "distress", "abuse", "contact", "scoping")

#: Crisis kinds and the severities they may carry: 4 plan/means/intent/attempt,
#: 3 active ideation or recent self-harm, 2 passive ideation or self-harm urges,
#: 1 hopelessness / strong distress.
CRISIS_KINDS: Final = frozenset(
    {"plan", "means", "attempt", "goodbye", "ideation", "passive", "self_harm", "hopelessness"}
)


def _kind(value: object) -> str | None:
    return None if value in CRISIS_KINDS else f"must be one of {sorted(CRISIS_KINDS)}"


def _severity(value: object) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4
    return None if ok else "must be a whole number from 1 to 4"


def _weight(value: object) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 3
    return None if ok else "must be a whole number from 1 to 3"


def _mode(value: object) -> str | None:
    return None if value in get_args(Mode) else f"must be one of {list(get_args(Mode))}"


def _reads(value: object) -> str | None:
    return None if value in get_args(Reads) else f"must be one of {list(get_args(Reads))}"


_Check = Callable[[object], "str | None"]


@dataclass(frozen=True)
class _Table:
    #: Fields an entry of this table must have besides id, pattern and examples.
    fields: dict[str, _Check]
    #: The text its entries read; None: each entry says (``reads``).
    reads: Reads | None
    #: What a must-not-match example must satisfy (see :func:`screening` docs):
    #: ``scoped``: the entry does not match it, or the English lexicon reads no
    #: crisis in the whole example (a look-alike the scoping puts aside);
    #: ``unmatched``: the entry does not match it.
    not_match: Literal["scoped", "unmatched"]


#: Every kind of entry table a file may hold (``[[crisis]]``, ``[[pattern]]``...).
TABLES: Final[dict[str, _Table]] = {
    "crisis": _Table({"kind": _kind, "severity": _severity, "mode": _mode}, "crisis", "scoped"),
    "goodbye_strong": _Table({}, "crisis", "scoped"),
    "goodbye_weak": _Table({}, "crisis", "scoped"),
    "history": _Table({"mode": _mode}, "crisis", "scoped"),
    "distress": _Table({"weight": _weight, "mode": _mode}, "crisis", "scoped"),
    "distress_intense": _Table({"weight": _weight, "mode": _mode}, "plain", "scoped"),
    "severe_abuse": _Table({}, "plain", "unmatched"),
    "targeted": _Table({}, "plain", "unmatched"),
    "off_platform": _Table({}, "plain", "unmatched"),
    #: A single named pattern the engine uses on its own (``means``, ``timing``...).
    "pattern": _Table({"reads": _reads}, None, "unmatched"),
}
_OTHER_KEYS: Final = frozenset({"macros", "settings", "words", "vocabulary"})
_ENTRY_KEYS: Final = frozenset({"id", "pattern", "must_match", "must_not_match"})


@dataclass(frozen=True)
class Entry:
    """One pattern with its examples."""

    file: str
    table: str
    id: str
    #: The pattern with its macros expanded.
    pattern: str
    reads: Reads
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]
    kind: str = ""
    severity: int = 0
    mode: Mode = "default"
    weight: int = 0

    @property
    def name(self) -> str:
        """``crisis.toml:plan-going-to-kms``: how tests and errors name the entry."""
        return f"{self.file}:{self.id}"


@dataclass(frozen=True)
class Lexicon:
    """Every file's entries, word lists, settings and vocabulary."""

    entries: tuple[Entry, ...]
    words: dict[str, tuple[str, ...]]
    settings: dict[str, int]
    vocabulary: dict[str, int]

    def table(self, name: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.table == name)

    def pattern(self, entry_id: str) -> str:
        """The single named pattern ``entry_id`` (a ``[[pattern]]`` entry)."""
        for e in self.entries:
            if e.table == "pattern" and e.id == entry_id:
                return e.pattern
        raise LexiconError(f"{LEXICON_DIR.name}/: no [[pattern]] entry {entry_id!r}")

    def word_set(self, key: str) -> frozenset[str]:
        return frozenset(self.word_list(key))

    def word_list(self, key: str) -> tuple[str, ...]:
        if key not in self.words:
            raise LexiconError(f"{LEXICON_DIR.name}/: no word list {key!r} in any [words]")
        return self.words[key]

    def setting(self, key: str) -> int:
        if key not in self.settings:
            raise LexiconError(f"{LEXICON_DIR.name}/: no setting {key!r} in any [settings]")
        return self.settings[key]


def _entry(
    path: Path, table: str, index: int, raw: object, known: dict[str, str], seen: set[str]
) -> Entry:
    where = f"[[{table}]] number {index + 1}"
    if not isinstance(raw, dict):
        raise fail(path, where, "must be a table")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not re.fullmatch(r"[a-z0-9_][a-z0-9_.-]*", entry_id):
        raise fail(path, where, "id must be a lower-case name (a-z, 0-9, - _ .)")
    where = f"entry {entry_id!r}"
    if entry_id in seen:
        raise fail(path, where, "id is used twice")
    seen.add(entry_id)
    spec = TABLES[table]
    unknown = set(raw) - _ENTRY_KEYS - set(spec.fields)
    if unknown:
        raise fail(path, where, f"unknown keys {sorted(unknown)}")
    values: dict[str, Any] = {}
    for field, check in spec.fields.items():
        if field not in raw:
            raise fail(path, where, f"{field} is missing")
        problem = check(raw[field])
        if problem:
            raise fail(path, where, f"{field} {problem}")
        values[field] = raw[field]
    source = expand(path, where, pattern_text(path, where, raw.get("pattern")), known)
    try:
        re.compile(source)
    except re.error as exc:
        raise fail(path, where, f"pattern does not compile: {exc}") from exc
    reads: Reads = spec.reads or values.pop("reads")
    return Entry(
        file=path.name,
        table=table,
        id=entry_id,
        pattern=source,
        reads=reads,
        must_match=examples(path, where, raw, "must_match"),
        must_not_match=examples(path, where, raw, "must_not_match", required=False),
        **values,
    )


def _table_of(path: Path, data: dict[str, Any], key: str, kind: type) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, kind) for v in value.values()):
        raise fail(path, key, f"must be a table of {kind.__name__} values")
    return value


def _read_file(path: Path, lexicon: dict[str, Any], seen: set[str]) -> None:
    data = _read_toml(path)
    unknown = set(data) - _OTHER_KEYS - set(TABLES)
    if unknown:
        raise fail(path, "top level", f"unknown tables {sorted(unknown)} (known: {sorted(TABLES)})")
    known = macros(path, data)
    for table in TABLES:
        raw = data.get(table, [])
        if not isinstance(raw, list):
            raise fail(path, table, f"must be written [[{table}]]")
        lexicon["entries"] += [_entry(path, table, i, r, known, seen) for i, r in enumerate(raw)]
    for key, words in _table_of(path, data, "words", list).items():
        if not all(isinstance(w, str) and w for w in words) or key in lexicon["words"]:
            raise fail(path, f"words.{key}", "must be a list of words, defined in one file only")
        lexicon["words"][key] = tuple(words)
    for key, value in _table_of(path, data, "settings", int).items():
        lexicon["settings"][key] = value
    for phrase, weight in _table_of(path, data, "vocabulary", int).items():
        problem = _weight(weight)
        if problem:
            raise fail(path, f"vocabulary.{phrase!r}", f"weight {problem}")
        lexicon["vocabulary"][phrase] = weight


def load(directory: Path = LEXICON_DIR, files: tuple[str, ...] = FILES) -> Lexicon:
    """Read and check every file; raise :class:`LexiconError` naming the file and entry.

    Entry ids are unique across the files, so an id names one pattern."""
    lexicon: dict[str, Any] = {"entries": [], "words": {}, "settings": {}, "vocabulary": {}}
    seen: set[str] = set()
    for name in files:
        _read_file(directory / f"{name}.toml", lexicon, seen)
    return Lexicon(
        entries=tuple(lexicon["entries"]),
        words=lexicon["words"],
        settings=lexicon["settings"],
        vocabulary=lexicon["vocabulary"],
    )


LEXICON: Final = load()

# --- the tables under the names the engine reads -----------------------------------------

#: (kind, severity, mode, pattern).
CRISIS_PATTERNS: Final[tuple[tuple[str, int, Mode, str], ...]] = tuple(
    (e.kind, e.severity, e.mode, e.pattern) for e in LEXICON.table("crisis")
)
#: Phrases that, right after a match, show it is a figure of speech.
HYPERBOLE_AFTER: Final = LEXICON.pattern("hyperbole_after")
GOODBYE_STRONG: Final = tuple(e.pattern for e in LEXICON.table("goodbye_strong"))
GOODBYE_WEAK: Final = tuple(e.pattern for e in LEXICON.table("goodbye_weak"))
GOODBYE_LAST_MESSAGE: Final = LEXICON.pattern("goodbye_last_message")
GOODBYE_CASUAL: Final = LEXICON.pattern("goodbye_casual")
MEANS: Final = LEXICON.pattern("means")
TIMING: Final = LEXICON.pattern("timing")
CLAUSE_BREAK: Final = LEXICON.pattern("clause_break")
REPORTING: Final = LEXICON.pattern("reporting")
SUPPORT_CONTEXT: Final = LEXICON.pattern("support_context")
THIRD_PARTY_RISK: Final = LEXICON.pattern("third_party_risk")
PAST_CONTEXT: Final = LEXICON.pattern("past_context")
PRESENT_CONTEXT: Final = LEXICON.pattern("present_context")
RECOVERY_CONTEXT: Final = LEXICON.pattern("recovery_context")
PAST_VERB: Final = LEXICON.pattern("past_verb")
PEER_SUPPORT_CONTEXT: Final = LEXICON.pattern("peer_support_context")
READER_QUESTION: Final = LEXICON.pattern("reader_question")
#: (mode, pattern).
HISTORY_PATTERNS: Final[tuple[tuple[Mode, str], ...]] = tuple(
    (e.mode, e.pattern) for e in LEXICON.table("history")
)

NEGATORS: Final = LEXICON.word_set("negators")
FIRST_PERSON: Final = LEXICON.word_set("first_person")
OTHER_PERSON: Final = LEXICON.word_set("other_person")
SUBJECTLESS_STARTERS: Final = LEXICON.word_set("subjectless_starters")

SEVERE_ABUSE: Final = tuple(e.pattern for e in LEXICON.table("severe_abuse"))
TARGETED: Final = tuple(e.pattern for e in LEXICON.table("targeted"))
HARSH_NOUNS: Final = LEXICON.pattern("harsh_nouns")
SELF_DIRECTED_BEFORE: Final = LEXICON.pattern("self_directed_before")
#: Slur stems, ROT13-encoded so that the files do not spell them out (order kept:
#: they become one alternation).
SLURS_ROT13: Final = LEXICON.word_list("slurs_rot13")

OFF_PLATFORM: Final = tuple(e.pattern for e in LEXICON.table("off_platform"))
CRISIS_NUMBERS: Final = LEXICON.word_set("crisis_numbers")
RESOURCE_DOMAINS: Final = LEXICON.word_set("resource_domains")
TLDS: Final = LEXICON.pattern("tlds")

DISTRESS_THRESHOLD: Final = LEXICON.setting("threshold")
#: (weight, mode, pattern).
DISTRESS_CUES: Final[tuple[tuple[int, Mode, str], ...]] = tuple(
    (e.weight, e.mode, e.pattern) for e in LEXICON.table("distress")
)
DISTRESS_INTENSE: Final[tuple[tuple[int, Mode, str], ...]] = tuple(
    (e.weight, e.mode, e.pattern) for e in LEXICON.table("distress_intense")
)
DISTRESS_VOCABULARY: Final = LEXICON.vocabulary
DISTRESS_TOPICS: Final = LEXICON.word_set("topics")
DISTRESS_DENSE_THRESHOLD: Final = LEXICON.setting("dense_threshold")
DISTRESS_DENSE_WORDS_PER_STEP: Final = LEXICON.setting("dense_words_per_step")
