"""The taxonomy and language names in the reader's language.

``taxonomy.py`` stays pure and English: its labels are the msgids. ``make i18n``
extracts them from ``taxonomy.json`` (``tools/babel_json.py``, named in ``babel.cfg``)
and here each is looked up in the request's catalogue, so pages and
``GET /api/v1/interests`` keep their shape and only the words change. Outside a
request (CLI, scheduler) everything stays English.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from profiles.taxonomy import Taxonomy, languages, load_taxonomy, public_document

#: The ISO 639-1 codes CLDR has no name for, named through our catalogues instead.
UNNAMED_IN_CLDR = {"bh": _l("Bihari languages")}


def taxonomy() -> Taxonomy:
    """The taxonomy with every label in the request's language (slugs unchanged)."""
    english = load_taxonomy()
    return Taxonomy(
        categories=tuple(replace(c, label=gettext(c.label)) for c in english.categories),
        interests=tuple(replace(i, label=gettext(i.label)) for i in english.interests),
        avoidable_topics=tuple(
            replace(t, label=gettext(t.label)) for t in english.avoidable_topics
        ),
        reasons=tuple(replace(r, label=gettext(r.label)) for r in english.reasons),
    )


def labels() -> dict[str, str]:
    """Every taxonomy slug to its label in the request's language."""
    return taxonomy().labels()


def interests_document() -> dict[str, Any]:
    """The body of ``GET /api/v1/interests`` in the request's language."""
    return public_document(taxonomy())


def language_names() -> dict[str, str]:
    """ISO 639-1 code → the language's name in the reader's language.

    Babel's CLDR data already names languages in every locale, so these need no
    catalogue entries; the few codes CLDR doesn't name are in ``UNNAMED_IN_CLDR``,
    and any other it doesn't name keeps its English name.
    """
    english = languages()
    locale = get_locale()
    if locale is None or locale.language == "en":
        return english
    named = locale.languages
    out: dict[str, str] = {}
    for code, name in english.items():
        local = named.get(code)
        # Spanish writes language names in lower case mid-sentence; as a list item
        # each starts with a capital, as the English list does.
        fallback = UNNAMED_IN_CLDR.get(code)
        out[code] = local[:1].upper() + local[1:] if local else str(fallback) if fallback else name
    return out
