"""The English lexicon as data: every entry's own examples, and the start-up errors.

Each entry of ``moderation/lexicon/en/*.toml`` carries the texts it must and must
not read; this runs them one entry at a time (the test id is ``file:id``, so a
failure names the entry). They run here, not at import (start-up time). The other
languages' entries are run the same way by ``tests/unit/test_screening_languages.py``.
A malformed file must fail when the lexicon is loaded, naming the file and the entry.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from moderation import screening
from moderation import screening_lexicon as lex
from moderation.lexicon_files import LexiconError

ENTRIES = lex.LEXICON.entries


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_entry_examples(entry: lex.Entry) -> None:
    assert entry.must_match, "every entry shows at least one text it reads"
    assert screening._example_problem(entry) is None


def test_every_file_and_table_is_in_use() -> None:
    files = {e.file for e in ENTRIES}
    assert files == {f"{name}.toml" for name in lex.FILES}
    assert {e.table for e in ENTRIES} == set(lex.TABLES)


def test_ids_are_unique_across_files() -> None:
    assert len({e.id for e in ENTRIES}) == len(ENTRIES)


def test_crisis_entries_show_a_look_alike_where_the_scoping_puts_one_aside() -> None:
    """A must-not-match example may contain the phrase when the whole text is read as no
    crisis (negated, someone else's, past): the allowance the docs describe."""
    entry = next(e for e in ENTRIES if e.id == "ideation-i-am-suicidal")
    negated = "I'm not suicidal anymore"
    assert screening._compile(entry.pattern).search(screening._reading(negated, "crisis"))
    assert negated in entry.must_not_match
    assert screening._example_problem(entry) is None


# --- malformed files ------------------------------------------------------------------


@pytest.fixture
def lexicon_dir(tmp_path: Path) -> Path:
    target = tmp_path / "en"
    shutil.copytree(lex.LEXICON_DIR, target)
    return target


def _append(directory: Path, name: str, text: str) -> None:
    path = directory / name
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


_GOOD = """
[[goodbye_weak]]
id = "xx-new"
pattern = '\\bfarewell my friends\\b'
must_match = ["farewell my friends"]
must_not_match = ["farewell party"]
"""


def test_a_copy_of_the_files_loads_and_its_examples_hold(lexicon_dir: Path) -> None:
    _append(lexicon_dir, "goodbye.toml", _GOOD)
    loaded = lex.load(lexicon_dir)
    assert any(e.id == "xx-new" for e in loaded.entries)
    screening.check_examples(loaded)


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (
            "goodbye.toml",
            _GOOD.replace(r"\bfarewell my friends\b", "(farewell"),
            r"^goodbye\.toml: entry 'xx-new': pattern does not compile",
        ),
        (
            "goodbye.toml",
            _GOOD.replace(r"\bfarewell my friends\b", "%NOPE% friends"),
            r"^goodbye\.toml: entry 'xx-new': unknown macro %NOPE%",
        ),
        (
            "crisis.toml",
            _GOOD.replace("goodbye_weak", "crisis"),
            r"^crisis\.toml: entry 'xx-new': kind is missing",
        ),
        (
            "history.toml",
            _GOOD.replace("goodbye_weak", "history") + 'mode = "sometimes"\n',
            r"^history\.toml: entry 'xx-new': mode must be one of",
        ),
        (
            "distress.toml",
            _GOOD.replace("goodbye_weak", "distress") + 'mode = "default"\nweight = "3"\n',
            r"^distress\.toml: entry 'xx-new': weight must be a whole number",
        ),
        (
            "goodbye.toml",
            _GOOD.replace('["farewell my friends"]', '"farewell my friends"'),
            r"^goodbye\.toml: entry 'xx-new': must_match must be a non-empty list",
        ),
        (
            "goodbye.toml",
            _GOOD.replace('must_match = ["farewell my friends"]\n', ""),
            r"^goodbye\.toml: entry 'xx-new': must_match must be a non-empty list",
        ),
        (
            "goodbye.toml",
            _GOOD.replace("xx-new", "ok-bye"),
            r"^goodbye\.toml: entry 'ok-bye': id is used twice",
        ),
        (
            "abuse.toml",
            _GOOD.replace("xx-new", "kill-yourself").replace("goodbye_weak", "targeted"),
            r"^abuse\.toml: entry 'kill-yourself': id is used twice",
        ),
        (
            "goodbye.toml",
            _GOOD + 'colour = "red"\n',
            r"^goodbye\.toml: entry 'xx-new': unknown keys \['colour'\]",
        ),
        (
            "goodbye.toml",
            _GOOD.replace("[[goodbye_weak]]", "[[goodbye_medium]]"),
            r"^goodbye\.toml: top level: unknown tables \['goodbye_medium'\]",
        ),
        (
            "contact.toml",
            "[[off_platform]]\npattern = 'x'\nmust_match = ['x']\n",
            r"^contact\.toml: \[\[off_platform\]\] number \d+: id must be",
        ),
        ("scoping.toml", "[words\n", r"^scoping\.toml: not valid TOML"),
        (
            # "\b" in a double-quoted TOML string is a backspace, not a word boundary:
            # the pattern would load and silently never match.
            "goodbye.toml",
            _GOOD.replace("'\\bfarewell my friends\\b'", '"\\bfarewell my friends\\b"'),
            r"^goodbye\.toml: entry 'xx-new': pattern holds the control character '\\x08'",
        ),
    ],
)
def test_a_malformed_file_fails_naming_the_file_and_entry(
    lexicon_dir: Path, file: str, text: str, message: str
) -> None:
    _append(lexicon_dir, file, text)
    with pytest.raises(LexiconError, match=message):
        lex.load(lexicon_dir)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('must_match = ["farewell my friends"]', 'must_match = ["farewell my enemies"]'),
            r"^goodbye\.toml: entry 'xx-new': must_match example 'farewell my enemies' is not",
        ),
        (
            ('must_not_match = ["farewell party"]', 'must_not_match = ["farewell my friends"]'),
            r"^goodbye\.toml: entry 'xx-new': must_not_match example 'farewell my friends' is "
            r"matched and read as crisis",
        ),
    ],
)
def test_an_example_that_fails_stops_the_start_naming_the_entry(
    lexicon_dir: Path, change: tuple[str, str], message: str
) -> None:
    # A weak farewell alone is no crisis: add a strong cue to the example so the
    # look-alike allowance does not apply and the pattern's own match decides.
    text = _GOOD.replace(*change).replace(
        'must_not_match = ["farewell my friends"]',
        'must_not_match = ["farewell my friends, this is my goodbye"]',
    )
    if "must_not_match" in message:
        message = message.replace(
            "'farewell my friends'", "'farewell my friends, this is my goodbye'"
        )
    _append(lexicon_dir, "goodbye.toml", text)
    with pytest.raises(LexiconError, match=message):
        screening.check_examples(lex.load(lexicon_dir))


def test_the_lexicon_in_use_passes_its_examples() -> None:
    """The whole-lexicon check, as one call (what used to run at every import)."""
    screening.check_examples(lex.LEXICON)


def test_importing_the_screener_leaves_the_examples_to_the_tests(lexicon_dir: Path) -> None:
    """``import moderation.screening`` (so ``create_app``) no longer runs the examples
    (start-up time in every process); a malformed entry still stops it at load, and
    :func:`screening.check_examples` still names a failing example's file and entry."""
    _append(lexicon_dir, "goodbye.toml", _GOOD.replace('["farewell my friends"]', '["hello"]'))
    code = (
        "import pathlib, moderation.screening_lexicon as lex\n"
        f"lex.LEXICON = lex.load(pathlib.Path({str(lexicon_dir)!r}))\n"
        "import moderation.screening\n"
        "print('imported')\n"
        "moderation.screening.check_examples(lex.LEXICON)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.stdout.strip() == "imported"
    assert done.returncode != 0
    assert "LexiconError: goodbye.toml: entry 'xx-new': must_match example 'hello'" in done.stderr
