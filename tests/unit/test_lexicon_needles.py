"""The literal prefilters ("needles") that rule lexicon patterns out before a regex search.

A needle check may only ever save time: wherever a pattern could match, one of
its needles must be in the text. These tests hold the multilingual lexicons'
prefilter to the plain ``any_entry`` search on every example of every language
and on English chat, and show the cases where no prefilter may be used.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.screening import ORDINARY_CHAT, supporter_turns
from moderation import multilingual
from moderation.lexicon_files import needles


def _texts() -> list[str]:
    out = [*ORDINARY_CHAT, *supporter_turns()]
    for _, entry in multilingual.examples():
        out.extend((*entry.must_match, *entry.must_not_match))
    return out


@pytest.mark.parametrize("code", multilingual.languages())
def test_the_prefilter_agrees_with_the_full_search(code: str) -> None:
    lexicon = multilingual._lexicons()[code]
    assert lexicon.needles, "every entry of the shipped files has a literal"
    for text in _texts():
        for variant in multilingual._variants(text):
            expected = lexicon.any_entry.search(variant) is not None
            assert lexicon.touches(variant) == expected, (code, variant)


def test_english_chat_is_ruled_out_without_a_regex_search() -> None:
    lexicons = multilingual._lexicons().values()
    ruled_out = sum(
        1
        for text in ORDINARY_CHAT
        for lexicon in lexicons
        if not any(n in multilingual.normalise(text) for n in lexicon.needles)
    )
    assert ruled_out >= 0.9 * len(ORDINARY_CHAT) * len(lexicons)


def test_a_needle_containing_a_shorter_one_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "xx.toml"
    path.write_text(
        """language = "xx"
[scoping]
negators = ["no"]
first_person = ["yo"]
other_person = ["ella"]
reporting = ["dijo"]
clause_words = ["pero"]
[[entries]]
id = "a"
category = "passive_wish"
severity = 2
pattern = "quiero morir"
must_match = ["quiero morir"]
must_not_match = ["hola"]
[[entries]]
id = "b"
category = "passive_wish"
severity = 2
pattern = "morir ya"
must_match = ["morir ya"]
must_not_match = ["hola"]
""",
        encoding="utf-8",
    )
    lexicon = multilingual.load_lexicon(path)
    assert lexicon.needles == ("morir ya", "quiero morir")
    assert lexicon.touches("hoy quiero morir")
    assert not lexicon.touches("quiero dormir")


def test_an_entry_without_a_literal_turns_the_prefilter_off(tmp_path: Path) -> None:
    path = tmp_path / "xx.toml"
    path.write_text(
        """language = "xx"
[scoping]
negators = ["no"]
first_person = ["yo"]
other_person = ["ella"]
reporting = ["dijo"]
clause_words = ["pero"]
[[entries]]
id = "a"
category = "passive_wish"
severity = 2
pattern = "quiero morir"
must_match = ["quiero morir"]
must_not_match = ["hola"]
[[entries]]
id = "b"
category = "hopelessness"
severity = 1
pattern = "[a-z]{2}x"
must_match = ["abx"]
must_not_match = ["hola"]
""",
        encoding="utf-8",
    )
    lexicon = multilingual.load_lexicon(path)
    assert lexicon.needles == ()
    assert lexicon.touches("la abx")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"(?<!\w)(?:quiero|queria) morir(?!\w)", (" morir",)),
        (r"abc|xyz", ("abc", "xyz")),
        (r"ab", ()),
        (r"(?i)quiero morir", ()),
    ],
)
def test_needles_of_a_pattern(source: str, expected: tuple[str, ...]) -> None:
    assert needles(re.compile(source)) == expected
