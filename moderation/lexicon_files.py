"""Reading lexicon files: the checks every language's pattern files share.

Pure: standard library only. Both the English lexicon (``moderation/lexicon/
en/*.toml``, loaded by :mod:`moderation.screening_lexicon`) and the other
languages' files (loaded by :mod:`moderation.multilingual`) go through these
helpers, so a malformed file fails the same way whichever language it is: a
:class:`LexiconError` whose message starts with the file name and names the
entry ("crisis.toml: entry 'plan-going-to-kms': pattern does not compile: ...").
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Final

try:  # the regex parser: public-but-private module, renamed in Python 3.11
    from re import _constants as _sre  # type: ignore[attr-defined,unused-ignore]  # no stubs
    from re import _parser as _sre_parser  # type: ignore[attr-defined,unused-ignore]  # no stubs
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre  # type: ignore[no-redef,unused-ignore]  # old name
    import sre_parse as _sre_parser  # type: ignore[no-redef,unused-ignore]  # old name

__all__ = [
    "LexiconError",
    "examples",
    "expand",
    "fail",
    "macros",
    "needles",
    "pattern_text",
    "read_toml",
    "reject_control_characters",
]


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


def fail(path: Path, where: str, problem: str) -> LexiconError:
    return LexiconError(f"{path.name}: {where}: {problem}")


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed file, or a :class:`LexiconError` saying why it cannot be read."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise LexiconError(f"{path.name}: cannot be read: {exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path.name}: not valid TOML: {exc}") from exc


_MACRO: Final = re.compile(r"%([A-Z_]+)%")


def expand(path: Path, where: str, source: str, known: dict[str, str]) -> str:
    """``source`` with each ``%NAME%`` replaced by its macro, as a group of its own."""

    def one(m: re.Match[str]) -> str:
        if m.group(1) not in known:
            raise fail(path, where, f"unknown macro %{m.group(1)}%")
        return f"(?:{known[m.group(1)]})"

    return _MACRO.sub(one, source)


def pattern_text(path: Path, where: str, value: object) -> str:
    """A pattern written as one string or, to keep long ones readable, as a list of
    pieces joined without separators."""
    if isinstance(value, list) and value and all(isinstance(p, str) for p in value):
        value = "".join(value)
    if not isinstance(value, str) or not value.strip():
        raise fail(path, where, "pattern must be a non-empty string (or a list of strings)")
    reject_control_characters(path, where, value)
    return value


# No pattern needs a raw control character, and one is nearly always a TOML
# escape written by mistake: "\b" in a double-quoted string is a backspace, not
# the regex word boundary, and such a pattern silently never matches.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


def reject_control_characters(path: Path, where: str, pattern: str) -> None:
    """A :class:`LexiconError` if ``pattern`` holds a raw control character."""
    found = _CONTROL.search(pattern)
    if found is not None:
        raise fail(
            path,
            where,
            f"pattern holds the control character {found.group()!r} at position "
            f"{found.start()}; write regex escapes such as \\b in a single-quoted "
            "TOML string (or as \\\\b in a double-quoted one)",
        )


def macros(path: Path, data: dict[str, Any]) -> dict[str, str]:
    """The file's ``macros`` table, each expanded with the macros defined before it."""
    raw = data.get("macros", {})
    if not isinstance(raw, dict):
        raise fail(path, "macros", "must be a table of NAME = pattern")
    out: dict[str, str] = {}
    for name, source in raw.items():
        where = f"macros.{name}"
        if not re.fullmatch(r"[A-Z_]+", name):
            raise fail(path, where, "a macro name is written in capitals (A-Z and _)")
        out[name] = expand(path, where, pattern_text(path, where, source), out)
    return out


def examples(
    path: Path, where: str, raw: dict[str, Any], key: str, *, required: bool = True
) -> tuple[str, ...]:
    """An entry's example texts: a list of non-empty strings, non-empty if ``required``."""
    value = raw.get(key, None if required else [])
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(e, str) and e.strip() for e in value)
    ):
        wanted = "a non-empty list" if required else "a list"
        raise fail(path, where, f"{key} must be {wanted} of example texts")
    return tuple(value)


# --- needles: literals that rule a pattern out before any regex search --------------

_Needles = frozenset[str] | None


def needles(regex: re.Pattern[str]) -> tuple[str, ...]:
    """Literal substrings, one of which must occur in any match of ``regex``
    (empty when none can be proven: the pattern is then always searched)."""
    if regex.flags & re.IGNORECASE:
        return ()
    try:
        found = _required(list(_sre_parser.parse(regex.pattern, regex.flags)))
    except (re.error, ValueError, TypeError, IndexError, AttributeError):  # pragma: no cover
        return ()  # a parser of another shape (private module): search every time
    return tuple(sorted(found)) if found else ()


def _required(items: list[tuple[Any, Any]]) -> _Needles:
    """The best "one of these strings" requirement of a parsed sequence."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) >= _MIN_NEEDLE:
            options.append(frozenset({"".join(run)}))
        run.clear()

    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(chr(arg))
            continue
        close_run()
        sub: _Needles = None
        if op is _sre.SUBPATTERN:
            sub = _required(list(arg[-1]))
        elif op is _sre.BRANCH:
            branches = [_required(list(b)) for b in arg[1]]
            if all(branches):
                sub = frozenset().union(*(b for b in branches if b))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            sub = _required(list(arg[2]))
        if sub:
            options.append(sub)
    close_run()
    if not options:
        return None
    # The most selective: long needles first, then few of them.
    return max(options, key=lambda o: (min(len(n) for n in o), -len(o)))


_MIN_NEEDLE: Final = 3
