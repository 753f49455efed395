"""Crisis resources in the app: the region-tagged lines shown on the help page, by
``GET /api/v1/crisis-resources`` and to anyone whose message signals a crisis.

The region logic and the file's shape live in the pure ``crisis_regions``. The
list is loaded once when the app is built (``init_app``): the built-in
``data/crisis_resources.json``, or the operator's ``CRISIS_RESOURCES_FILE``. A
bad override stops the app at start with the reason, rather than serving a list
the operator did not mean (or none) to someone in crisis.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

import crisis_regions
from crisis_regions import (
    INTL,
    CrisisResource,
    ResourceFileError,
    choose_region,
    covered_regions,
    for_region,
    load_resources,
)

BUILT_IN_FILE = Path(__file__).resolve().parent / "data" / "crisis_resources.json"
_EXTENSION_KEY = "crisis_resources"
#: The region a person picked on the help page (kept in their session).
SESSION_REGION_KEY = "crisis_region"

#: For a message that may mean danger now (severity 2 and above).
CRISIS_TEXT = _l(
    "It sounds like things are really hard right now. You don't have to carry this "
    "alone: these people are there to listen, any time. If you are in immediate "
    "danger, please call your local emergency number."
)
#: For the gentle tier (severity 1: past hard times, strong distress): no alarm,
#: just an open door.
GENTLE_TEXT = _l(
    "It sounds like things have been heavy. If you'd like to talk to someone, "
    "these free, confidential lines are there to listen, whenever suits you."
)

#: Verdict severities at or below this get the gentle text.
GENTLE_MAX_SEVERITY = 1


def init_app(app: Flask) -> None:
    """Load and check the list now, so a broken override fails at start."""
    override = app.config.get("CRISIS_RESOURCES_FILE")
    path = Path(override) if override else BUILT_IN_FILE
    try:
        lines = load_resources(path)
    except ResourceFileError as problem:
        setting = "CRISIS_RESOURCES_FILE" if override else "The built-in crisis list"
        raise RuntimeError(
            f"{setting} is not usable: {problem}. Each entry needs name, contact, url, "
            "region (ISO 3166-1 alpha-2 or INTL), source_url and checked (YYYY-MM-DD); "
            "see docs/crisis-policy.md."
        ) from None
    app.extensions[_EXTENSION_KEY] = lines


def crisis_resources() -> tuple[CrisisResource, ...]:
    """Every line in force for this app, in file order."""
    lines: tuple[CrisisResource, ...] = current_app.extensions[_EXTENSION_KEY]
    return lines


def country_names() -> dict[str, str]:
    """ISO code → the country's name in the request's language.

    Babel's CLDR data names countries in every locale, so these need no catalogue
    entries; a code CLDR doesn't name (and every code in English) keeps the zone
    database's name from ``crisis_regions``.
    """
    english = crisis_regions.country_names()
    locale = get_locale()
    if locale is None or locale.language == "en":
        return english
    named = locale.territories
    return {code: named.get(code, name) for code, name in english.items()}


def alphabetical(name: str) -> str:
    """A sort key that files "Österreich" under O, not after "Z"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def regions_covered() -> list[str]:
    return covered_regions(crisis_resources())


def region_for(
    *,
    chosen: str | None = None,
    timezone: str | None = None,
    accept_language: str | None = None,
) -> str:
    """The person's region (see ``crisis_regions.choose_region``)."""
    return choose_region(chosen=chosen, timezone=timezone, accept_language=accept_language)


def resources_for_region(region: str) -> list[CrisisResource]:
    """That region's lines first, then the international ones (CONTRACT.md §6.5).

    Each line's ``contact`` ("Call 116 123, free, any time") is in the reader's
    language when the catalogue has it (``make i18n`` extracts the built-in file's
    contacts); names are the services' own and stay as they are. An operator's own
    file shows its words as written.
    """
    return [
        replace(line, contact=gettext(line.contact))
        for line in for_region(crisis_resources(), region)
    ]


def api_document(region: str) -> dict[str, Any]:
    """The body of ``GET /api/v1/crisis-resources``."""
    return {
        "region": region,
        "resources": [line.as_dict() for line in resources_for_region(region)],
    }


def text_for(severity: int | None) -> str:
    """The words above the lines, in the reader's language."""
    if severity is not None and severity <= GENTLE_MAX_SEVERITY:
        return str(GENTLE_TEXT)
    return str(CRISIS_TEXT)


def crisis_payload(region: str = INTL, severity: int | None = None) -> dict[str, Any]:
    """The ``crisis_resources`` event body of CONTRACT.md §4, in the author's region
    order, with the gentle text for severity-1 verdicts."""
    return {
        "resources": [
            {"name": r.name, "contact": r.contact, "url": r.url, "region": r.region}
            for r in resources_for_region(region)
        ],
        "text": text_for(severity),
        "region": region,
    }


def chosen_region(session: Mapping[str, Any]) -> str | None:
    value = session.get(SESSION_REGION_KEY)
    return value if isinstance(value, str) else None
