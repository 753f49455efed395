"""The languages bench's REPORT split stays apart from everything the layers learn from.

``bench.multilingual_lines.REPORT`` is reported as lines the lexicons and the
learned layers never saw. A REPORT line that is also a lexicon example, a
cross-lingual exemplar or an English training line is a line the layer was fitted
or checked against, and would inflate the figures (it happened: 118 of 190 were,
before the split was rewritten). Compared after folding case, accents and
punctuation, so a copy with a missing accent or comma still counts.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from bench.multilingual_lines import DEV, REPORT
from moderation import crosslingual_train, multilingual

DATA = Path(__file__).resolve().parents[2] / "moderation" / "data"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", bare))


def _seen_by_the_layers() -> dict[str, str]:
    seen: dict[str, str] = {}
    for language, entry in multilingual.examples():
        for text in (*entry.must_match, *entry.must_not_match):
            seen[_fold(text)] = f"lexicon {language} {entry.id}"
    for item in crosslingual_train.read_exemplars():
        seen[_fold(item.text)] = f"exemplars/{item.language}.tsv"
    for path in sorted(DATA.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                seen[_fold(line)] = f"data/{path.name}"
    for _, _, text in DEV:
        seen[_fold(text)] = "bench DEV split"
    return seen


def test_no_report_line_is_a_lexicon_example_exemplar_or_training_line() -> None:
    seen = _seen_by_the_layers()
    overlap = [(text, seen[_fold(text)]) for _, _, text in REPORT if _fold(text) in seen]
    assert overlap == []


def test_report_lines_are_distinct() -> None:
    folded = [_fold(text) for _, _, text in REPORT]
    assert len(folded) == len(set(folded))


def test_the_check_notices_a_copy_with_accents_and_punctuation_changed() -> None:
    assert _fold("Ich möchte einschlafen, und nie wieder aufwachen!") == _fold(
        "ich mochte einschlafen und nie wieder aufwachen"
    )


def _english_training_lines() -> dict[str, str]:
    seen: dict[str, str] = {}
    for name in ("crisis_en_positives.txt", "crisis_en_hard_negatives.txt"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                seen[_fold(line)] = f"data/{name}"
    return seen


def test_no_english_bench_line_is_a_training_line() -> None:
    """The English crisis chat (both halves) and the breadth lines are measured on,
    never fitted: a copy in the learned model's training data would inflate them."""
    from bench.screening import breadth_lines, crisis_chat_lines

    seen = _english_training_lines()
    texts = [t for _, t in crisis_chat_lines()] + [r[3] for r in breadth_lines()]
    assert [(t, seen[_fold(t)]) for t in texts if _fold(t) in seen] == []


def test_no_held_back_breadth_line_is_a_lexicon_example() -> None:
    from bench.screening import breadth_lines
    from moderation import screening_lexicon as lex

    examples = {
        _fold(text): entry.name
        for entry in lex.LEXICON.entries
        for text in (*entry.must_match, *entry.must_not_match)
    }
    held_back = [r[3] for r in breadth_lines() if r[0] == "held-back"]
    assert [(t, examples[_fold(t)]) for t in held_back if _fold(t) in examples] == []
