"""Crisis language in Spanish, German, French, Portuguese, Italian and Dutch.

Pure: standard library only. The patterns are data, one TOML file a language
under ``moderation/lexicon/`` (``es.toml``, ``de.toml``...), each entry with
its own examples that must and must not match (``tests/unit/
test_screening_languages.py`` runs every one of them). The scoping that
decides whether a match speaks for the author now lives here, driven by word
lists in the same file, so that adding a language is adding a file:

* **negation** just before the phrase ("no", "nicht", "jamais", "nunca",
  "mai", "niet"), in the same clause, silences it: "nunca dije que quiero
  morir"; the negation inside a "can't go on" phrase ("no aguanto mas", "ich
  kann nicht mehr": the file's ``cant_go_on``) belongs to that phrase and ends
  there, so "no aguanto mas me voy a matar" is the author's crisis;
* **someone else** governing the phrase ("mi amiga", "er", "elle", "lei",
  "mijn vriend") makes it a concern for them, not the author's crisis;
* **reported speech** ("me dijo que", "hat gesagt", "m'a dit") and quotes
  are someone else's words, up to the end of that clause: a comma or a word
  that joins two main clauses (the file's ``coordinators``: "y", "und", "en")
  ends it, so "mi mama dice que soy un fracaso, quiero morir" is the author's;
* **figures of speech** that follow a phrase ("...de risa", "...vor Lachen",
  "...de faim") silence it, and the patterns themselves are written so that
  "me muero de risa", "ich sterbe vor Langeweile" or "je meurs de faim" never
  match in the first place;
* **history** entries (a past attempt) give the gentle tier unless the text
  also says it is behind them (the file's ``recovery`` phrases).

Text is normalised before matching: Unicode compatibility form, accents
removed, case-folded, apostrophes turned into spaces ("j'ai" -> "j ai"), runs
of three or more equal letters collapsed ("morirrr" -> "morir"). Patterns are
written against that form, without accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from moderation.lexicon_files import LexiconError
from moderation.lexicon_files import examples as _examples
from moderation.lexicon_files import expand as _expand
from moderation.lexicon_files import fail as _fail
from moderation.lexicon_files import macros as _macros
from moderation.lexicon_files import needles as _needles
from moderation.lexicon_files import pattern_text as _pattern_text
from moderation.lexicon_files import read_toml as _read_toml
from moderation.lexicon_files import reject_control_characters as _reject_control_characters

__all__ = [
    "CATEGORIES",
    "LEXICON_DIR",
    "Entry",
    "Lexicon",
    "LexiconError",
    "Match",
    "detect",
    "languages",
    "load_lexicon",
    "normalise",
    "understood",
]

LEXICON_DIR: Final = Path(__file__).with_name("lexicon")

#: Category -> the severities an entry of it may carry (the English lexicon's
#: scale: 4 plan/means/intent/attempt, 3 active ideation or self-harm now,
#: 2 passive wish or urges, 1 hopelessness or history; 0 someone else at risk).
CATEGORIES: Final[dict[str, frozenset[int]]] = {
    "passive_wish": frozenset({2}),
    "ideation": frozenset({3}),
    "plan": frozenset({4}),
    "date_time": frozenset({4}),
    "means": frozenset({3, 4}),
    "overdose_taken": frozenset({4}),
    "self_harm_now": frozenset({3}),
    "self_harm_urge": frozenset({2}),
    "goodbye": frozenset({3, 4}),
    "giving_away": frozenset({3}),
    "hopelessness": frozenset({1}),
    "history": frozenset({1}),
    "third_party": frozenset({0}),
}
#: Next to other crisis language these make the message the most urgent tier.
_ACUTE: Final = frozenset({"means", "date_time", "goodbye", "giving_away", "plan"})

Mode = Literal["default", "inherent"]
_MODES: Final = frozenset({"default", "inherent"})
_SCOPING_KEYS: Final = (
    "negators",
    "first_person",
    "other_person",
    "reporting",
    "clause_words",
)
_ENTRY_KEYS: Final = frozenset(
    {"id", "category", "severity", "pattern", "mode", "must_match", "must_not_match", "note"}
)

_CLAUSE_PUNCT: Final = re.compile(r"[.!?;,:\n()\[\]]+")
#: Where reported speech ends. Not the colon: "me dijo: quiero morir" is still hers.
_REPORT_PUNCT: Final = re.compile(r"[.!?;,\n]+")
_WORD: Final = re.compile(r"\w+")
_QUOTED: Final = re.compile(r"\"[^\"]{2,300}\"|«[^»]{2,300}»|„[^\"“]{2,300}[\"“]")
_REPEATS: Final = re.compile(r"([^\W\d_])\1{2,}")
_SPACES: Final = re.compile(r"\s+")
_TRANSLATE: Final = str.maketrans(
    {
        "\u2019": " ",
        "\u2018": " ",
        "'": " ",
        "`": " ",
        "\u00b4": " ",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    severity: int
    mode: Mode
    regex: re.Pattern[str]
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    language: str
    name: str
    path: Path
    entries: tuple[Entry, ...]
    #: All patterns at once: a message none of them touches costs one search.
    any_entry: re.Pattern[str]
    negators: frozenset[str]
    first_person: frozenset[str]
    other_person: frozenset[str]
    reporting: frozenset[str]
    clause_words: frozenset[str]
    figurative_after: re.Pattern[str] | None
    recovery: re.Pattern[str] | None
    #: Figures of speech no entry would match ("ich lach mich tot"), for ``understood``.
    idioms: re.Pattern[str] | None
    #: Literals one of which every match of ``any_entry`` contains (empty: none known).
    #: Most messages, English ones above all, contain none: a few ``in`` tests rule
    #: the lexicon out where the regex search cost most of a millisecond per language.
    needles: tuple[str, ...] = ()
    #: Words joining two main clauses ("and", "but"): reported speech ends at them.
    coordinators: frozenset[str] = frozenset()
    #: "Can't go on" phrases whose negation is their own ("no aguanto mas").
    cant_go_on: re.Pattern[str] | None = None

    def touches(self, text: str) -> bool:
        """Whether some entry's pattern occurs in ``text`` (scoping aside)."""
        if self.needles and not any(n in text for n in self.needles):
            return False
        return self.any_entry.search(text) is not None


@dataclass(frozen=True)
class Match:
    """What the lexicons found in one message."""

    severity: int = 0
    kinds: tuple[str, ...] = ()
    third_party: bool = False
    language: str | None = None
    entry_ids: tuple[str, ...] = ()


NO_MATCH: Final = Match()


def normalise(text: str, *, keep: int = 1) -> str:
    """The form patterns are written against (see the module docstring); runs
    of three or more equal letters keep ``keep`` of them."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_TRANSLATE)
    text = _REPEATS.sub(r"\1" * keep, text)
    return _SPACES.sub(" ", text).strip()


# --- loading ------------------------------------------------------------------------------


def _words(path: Path, scoping: dict[str, Any], key: str) -> frozenset[str]:
    value = scoping.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise _fail(path, f"scoping.{key}", "must be a list of words")
    return frozenset(normalise(w) for w in value)


def _regex(
    path: Path, where: str, source: object, macros: dict[str, str] | None = None
) -> re.Pattern[str]:
    source = _expand(path, where, _pattern_text(path, where, source), macros or {})
    if source != source.casefold() or any(
        unicodedata.combining(ch) for ch in unicodedata.normalize("NFKD", source)
    ):
        raise _fail(path, where, "pattern must be lower case, without accents")
    try:
        return re.compile(rf"(?<!\w)(?:{source})(?!\w)")
    except re.error as exc:
        raise _fail(path, where, f"pattern does not compile: {exc}") from exc


def _optional_words(path: Path, scoping: dict[str, Any], key: str) -> frozenset[str]:
    return _words(path, scoping, key) if key in scoping else frozenset()


def _optional_regex(path: Path, scoping: dict[str, Any], key: str) -> re.Pattern[str] | None:
    value = scoping.get(key, [])
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise _fail(path, f"scoping.{key}", "must be a list of patterns")
    if not value:
        return None
    for number, piece in enumerate(value, start=1):
        _reject_control_characters(path, f"scoping.{key} pattern {number}", piece)
    try:
        return re.compile("|".join(f"(?:{p})" for p in value))
    except re.error as exc:
        raise _fail(path, f"scoping.{key}", f"pattern does not compile: {exc}") from exc


def _entry(path: Path, index: int, raw: object, seen: set[str], macros: dict[str, str]) -> Entry:
    where = f"entry {index + 1}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "must be an object")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id:
        raise _fail(path, where, "id must be a non-empty string")
    where = f"entry {entry_id!r}"
    if entry_id in seen:
        raise _fail(path, where, "id is used twice")
    seen.add(entry_id)
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise _fail(path, where, f"unknown keys {sorted(unknown)}")
    category = raw.get("category")
    if category not in CATEGORIES:
        raise _fail(path, where, f"category must be one of {sorted(CATEGORIES)}")
    severity = raw.get("severity")
    if not isinstance(severity, int) or isinstance(severity, bool):
        raise _fail(path, where, "severity must be a whole number")
    if severity not in CATEGORIES[category]:
        allowed = sorted(CATEGORIES[category])
        raise _fail(path, where, f"severity {severity} is not allowed for {category} ({allowed})")
    mode = raw.get("mode", "default")
    if mode not in _MODES:
        raise _fail(path, where, f"mode must be one of {sorted(_MODES)}")
    return Entry(
        id=entry_id,
        category=category,
        severity=severity,
        mode=mode,
        regex=_regex(path, where, raw.get("pattern"), macros),
        must_match=_examples(path, where, raw, "must_match"),
        must_not_match=_examples(path, where, raw, "must_not_match"),
    )


def load_lexicon(path: Path) -> Lexicon:
    """Read and compile one language file; raise :class:`LexiconError` if malformed."""
    data = _read_toml(path)
    language = data.get("language")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2}", language):
        raise _fail(path, "language", "must be an ISO 639-1 code")
    if path.stem != language:
        raise _fail(path, "language", f"{language!r} does not match the file name")
    scoping = data.get("scoping")
    if not isinstance(scoping, dict):
        raise _fail(path, "scoping", "must be an object")
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise _fail(path, "entries", "must be a non-empty list")
    seen: set[str] = set()
    macros = _macros(path, data)
    entries = tuple(_entry(path, i, raw, seen, macros) for i, raw in enumerate(raw_entries))
    lists = {key: _words(path, scoping, key) for key in _SCOPING_KEYS}
    return Lexicon(
        language=language,
        name=str(data.get("name") or language),
        path=path,
        entries=entries,
        any_entry=re.compile("|".join(e.regex.pattern for e in entries)),
        negators=lists["negators"],
        first_person=lists["first_person"],
        other_person=lists["other_person"],
        reporting=lists["reporting"],
        clause_words=lists["clause_words"],
        figurative_after=_optional_regex(path, scoping, "figurative_after"),
        recovery=_optional_regex(path, scoping, "recovery"),
        idioms=_optional_regex(path, scoping, "idioms"),
        needles=_any_needles(entries),
        coordinators=_optional_words(path, scoping, "coordinators"),
        cant_go_on=_optional_regex(path, scoping, "cant_go_on"),
    )


def _any_needles(entries: Sequence[Entry]) -> tuple[str, ...]:
    """Literals one of which occurs in any match of any entry: every entry's own
    needles, less those containing a shorter one (which occurs wherever they do)."""
    found: set[str] = set()
    for entry in entries:
        own = _needles(entry.regex)
        if not own:
            return ()  # an entry with no known literal: always search
        found.update(own)
    kept: list[str] = []
    for needle in sorted(found, key=len):
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    return tuple(kept)


@cache
def _lexicons(directory: Path = LEXICON_DIR) -> dict[str, Lexicon]:
    return {p.stem: load_lexicon(p) for p in sorted(directory.glob("*.toml"))}


def languages() -> tuple[str, ...]:
    """The languages with a lexicon file, e.g. ``("de", "es", "fr", "it", "nl", "pt")``."""
    return tuple(_lexicons())


# --- scoping ------------------------------------------------------------------------------

_Who = Literal["author", "other", "skip"]


def _clause_prefix(lex: Lexicon, text: str, start: int) -> list[str]:
    head = text[max(0, start - 200) : start]
    cut = 0
    for m in _CLAUSE_PUNCT.finditer(head):
        cut = m.end()
    words = _WORD.findall(head, cut)
    for i in range(len(words) - 1, -1, -1):
        if words[i] in lex.clause_words:
            return words[i + 1 :]
    return words


def _negation_prefix(lex: Lexicon, prefix: list[str]) -> list[str]:
    """The clause's words a negator may govern: those after the last "can't go on"
    phrase, whose "no" is its own ("no aguanto mas | me voy a matar")."""
    if lex.cant_go_on is None or not prefix:
        return prefix
    joined = " ".join(prefix)
    ends = [m.end() for m in lex.cant_go_on.finditer(joined)]
    return joined[ends[-1] :].split() if ends else prefix


def _report_prefix(lex: Lexicon, text: str, start: int) -> list[str]:
    """The words of the clause a reporting word may govern: back to the last comma,
    full stop or clause-joining word ("dice que soy un fracaso, | quiero morir")."""
    head = text[max(0, start - 200) : start]
    cut = 0
    for m in _REPORT_PUNCT.finditer(head):
        cut = m.end()
    words = _WORD.findall(head, cut)
    for i in range(len(words) - 1, -1, -1):
        if words[i] in lex.coordinators:
            return words[i + 1 :]
    return words


def _whose(lex: Lexicon, entry: Entry, text: str, m: re.Match[str], quotes: list[range]) -> _Who:
    if lex.figurative_after is not None and lex.figurative_after.match(text, m.end()):
        return "skip"
    if any(m.start() in q for q in quotes):
        return "skip"
    prefix = _clause_prefix(lex, text, m.start())
    if any(w in lex.negators for w in _negation_prefix(lex, prefix)[-3:]):
        return "skip"
    if any(w in lex.reporting for w in _report_prefix(lex, text, m.start())[-6:]):
        return "skip"
    if entry.mode == "default":
        for word in reversed(prefix):
            if word in lex.first_person:
                break
            if word in lex.other_person:
                return "other"
    return "author"


def _scan(lex: Lexicon, text: str) -> Match:
    if not lex.touches(text):
        return NO_MATCH
    quotes = [range(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    kinds: dict[str, int] = {}
    ids: list[str] = []
    third_party = False
    for entry in lex.entries:
        for m in entry.regex.finditer(text):
            who = _whose(lex, entry, text, m, quotes)
            if who == "skip":
                continue
            if entry.category == "third_party" or who == "other":
                third_party = third_party or entry.category == "third_party" or entry.severity >= 2
                continue
            kinds[entry.category] = max(kinds.get(entry.category, 0), entry.severity)
            ids.append(entry.id)
            break
    if set(kinds) == {"history"} and lex.recovery is not None and lex.recovery.search(text):
        kinds.clear()  # "...but I'm doing much better now": told, not current
    severity = max(kinds.values(), default=0)
    if severity >= 2 and len(kinds) >= 2 and _ACUTE & set(kinds):
        severity = 4  # a goodbye, the means or a time next to other crisis language
    ordered = tuple(sorted(kinds, key=lambda k: (-kinds[k], k)))
    if not severity:
        return Match(third_party=third_party, language=lex.language if third_party else None)
    return Match(severity, ordered, False, lex.language, tuple(ids))


def detect(text: str, *, first: Iterable[str] = ()) -> Match:
    """Crisis language in any lexicon language, the likeliest languages first.

    Every lexicon is tried (a short message is easily misidentified: "quiero
    morir" could be Portuguese to a character model); the first one that finds
    a crisis decides. ``first`` lists the languages to try before the others
    (the identified language, then the author's profile languages).
    """
    if not isinstance(text, str) or not text:
        return NO_MATCH
    lexicons = _lexicons()
    order: list[str] = [c for c in dict.fromkeys(first) if c in lexicons]
    order += [c for c in lexicons if c not in order]
    variants = _variants(text)
    concern: Match | None = None
    for code in order:
        for normalised in variants:
            found = _scan(lexicons[code], normalised)
            if found.severity:
                return found
            if found.third_party and concern is None:
                concern = found
    return concern or NO_MATCH


def _variants(text: str) -> tuple[str, ...]:
    """The normalised text, and when a letter was typed three or more times, also
    the form keeping two of them ("doood" -> "dood" as well as "dod")."""
    single = normalise(text)
    if not _REPEATS.search(text.casefold()):
        return (single,)
    double = normalise(text, keep=2)
    return (single,) if double == single else (single, double)


def _negated_phrase(lexicon: Lexicon, text: str) -> bool:
    """Whether a phrase appears once the negation inside it is taken out: "ich will
    nicht sterben" is "ich will sterben", negated. A "can't go on" phrase keeps its
    own negation: "kann nicht mehr" taken out of "ich kann nicht mehr" is no reading."""
    if lexicon.cant_go_on is not None:
        text = lexicon.cant_go_on.sub(",", text)
    words = text.split(" ")
    kept = [w for w in words if w.strip(".,!?;:") not in lexicon.negators]
    if len(kept) == len(words):
        return False
    return lexicon.touches(" ".join(kept))


def understood(text: str) -> bool:
    """Whether some lexicon read a crisis phrase here and scoped it away: negated
    ("ich will nicht sterben"), someone else's ("mi amiga quiere morir"), reported
    or a figure of speech. A learned layer should not overrule that reading."""
    if not isinstance(text, str) or not text:
        return False
    for lexicon in _lexicons().values():
        for normalised in _variants(text):
            if lexicon.idioms is not None and lexicon.idioms.search(normalised):
                return True
            if not lexicon.touches(normalised):
                if _negated_phrase(lexicon, normalised):
                    return True
                continue
            quotes = [range(m.start(), m.end()) for m in _QUOTED.finditer(normalised)]
            for entry in lexicon.entries:
                for m in entry.regex.finditer(normalised):
                    if entry.category == "third_party":
                        return True
                    if _whose(lexicon, entry, normalised, m, quotes) != "author":
                        return True
    return False


def examples(codes: Sequence[str] | None = None) -> list[tuple[str, Entry]]:
    """Every (language, entry) pair, for tests and the bench."""
    lexicons = _lexicons()
    return [(c, e) for c in (codes or tuple(lexicons)) for e in lexicons[c].entries]


def scan_one(language: str, text: str) -> Match:
    """Only ``language``'s lexicon on ``text`` (tests: one entry's examples)."""
    lexicon = _lexicons()[language]
    concern = NO_MATCH
    for normalised in _variants(text):
        found = _scan(lexicon, normalised)
        if found.severity:
            return found
        if found.third_party and not concern.third_party:
            concern = found
    return concern
