"""A pybabel extractor for the person-facing words in our JSON data files.

``babel.cfg`` names it for ``profiles/taxonomy.json`` (interest, category, topic and
reason labels) and ``data/crisis_resources.json`` (each line's ``contact`` wording),
with ``keys`` saying which fields are words to translate. The English text is the
msgid, as everywhere else; the code looks it up with ``gettext`` where the words are
shown (``profiles/localized.py``, ``crisis.resources_for_region``), so the data files
stay the single English source and need no marker lists beside them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

#: (line number, function name, message, translator comments), as pybabel expects.
Extracted = tuple[int, str | None, str, list[str]]


def _walk(node: Any, keys: frozenset[str], path: str) -> Iterator[tuple[str, str]]:
    """(where, text) for each wanted string; ``where`` names the entry for translators."""
    if isinstance(node, dict):
        ident = node.get("slug") or node.get("region")
        here = f"{path} {ident}".strip() if isinstance(ident, str) else path
        for key, value in node.items():
            if key in keys and isinstance(value, str) and value.strip():
                yield here, value
            elif isinstance(value, dict | list):
                yield from _walk(value, keys, f"{here} {key}".strip())
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, keys, path)


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]
) -> Iterator[Extracted]:
    """Yield every string under one of ``options["keys"]`` (space-separated)."""
    keys = frozenset(options.get("keys", "label").split())
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    lines = text.splitlines()
    for where, value in _walk(json.loads(text), keys, ""):
        needle = json.dumps(value, ensure_ascii=False)
        lineno = next((n for n, line in enumerate(lines, 1) if needle in line), 1)
        yield lineno, None, value, [f"{where}" if where else "JSON data"]
