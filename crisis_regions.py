"""Crisis lines by region (issue 14 §3, CONTRACT.md §6.5): pure, no Flask.

A region is an ISO 3166-1 alpha-2 code (``"DE"``) or ``"INTL"`` for lines that
serve everyone. A person's region comes from the first of: the region they chose
on the help page, their profile's IANA time zone (mapped to a country with the
zone database's ``zone.tab``/``zone1970.tab``, shipped by the ``tzdata``
package), the region part of their browser's ``Accept-Language``; else INTL.

The list of lines is data (``data/crisis_resources.json`` or the operator's
``CRISIS_RESOURCES_FILE``). Every entry names its official source page and the
date it was checked, so a reviewer can verify each number without reading code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

INTL = "INTL"
FIELDS = ("name", "contact", "url", "region", "source_url", "checked")
_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")
#: A language tag's region subtag: "pt-BR", "de_DE", "es-419" (numeric: not a country).
_TAG_REGION = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?[-_]([A-Za-z]{2})(?:[-_]|$)")


class ResourceFileError(ValueError):
    """The resource list does not have the documented shape."""


@dataclass(frozen=True)
class CrisisResource:
    name: str
    contact: str
    url: str
    region: str
    #: The service's own official page, where the number was checked.
    source_url: str
    #: ISO date (YYYY-MM-DD) the entry was last checked against ``source_url``.
    checked: str

    def as_dict(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in FIELDS}


# -- the zone database ---------------------------------------------------------------


def _tab_lines(name: str) -> list[list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code the zone database knows (``iso3166.tab``)."""
    return frozenset(row[0].upper() for row in _tab_lines("iso3166.tab") if row)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO code → the zone database's English name of the country or territory."""
    return {row[0].upper(): row[1] for row in _tab_lines("iso3166.tab") if len(row) >= 2}


@lru_cache(maxsize=1)
def zone_countries() -> dict[str, str]:
    """IANA zone → country. ``zone.tab`` names one country per zone (Europe/Berlin →
    DE); ``zone1970.tab`` covers the rest, where a shared zone lists several
    countries and the first is the one the zone is named after."""
    mapping: dict[str, str] = {}
    for row in _tab_lines("zone1970.tab"):
        if len(row) >= 3:
            mapping[row[2]] = row[0].split(",")[0].upper()
    for row in _tab_lines("zone.tab"):
        if len(row) >= 3:
            mapping[row[2]] = row[0].upper()
    return mapping


def region_from_timezone(zone: str | None) -> str | None:
    """The country of an IANA zone, or None (unknown, UTC, Etc/…)."""
    if not zone or not isinstance(zone, str):
        return None
    return zone_countries().get(zone.strip())


def region_from_accept_language(header: str | None) -> str | None:
    """The region of the most preferred language tag that names a country.

    ``"de-DE,de;q=0.9,en;q=0.8"`` → ``"DE"``; ``"en"`` alone names no country → None.
    """
    if not header or not isinstance(header, str):
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and tag:
            ranked.append((-quality, position, tag.strip()))
    for _quality, _position, tag in sorted(ranked):
        match = _TAG_REGION.match(tag)
        if match and match.group(1).upper() in iso_countries():
            return match.group(1).upper()
    return None


def normalise_region(value: object) -> str | None:
    """``"de"`` → ``"DE"``, ``"intl"`` → ``"INTL"``; None for anything that is not an
    ISO 3166-1 alpha-2 country the zone database knows, nor INTL."""
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    if text == INTL:
        return INTL
    if _ALPHA2.match(text) and text in iso_countries():
        return text
    return None


def choose_region(
    *,
    chosen: str | None = None,
    timezone: str | None = None,
    accept_language: str | None = None,
) -> str:
    """The person's region: their own choice, else their time zone's country, else
    their browser's language region, else INTL."""
    return (
        normalise_region(chosen)
        or region_from_timezone(timezone)
        or region_from_accept_language(accept_language)
        or INTL
    )


# -- the list of lines ------------------------------------------------------------------


def _check_date(value: str, where: str) -> None:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ResourceFileError(f"{where}: 'checked' must be a date like 2026-12-02") from None


def parse_resources(raw: Any, *, source: str = "the list") -> tuple[CrisisResource, ...]:
    """Validate a decoded JSON list of lines; every problem names the entry and field."""
    if not isinstance(raw, list) or not raw:
        raise ResourceFileError(f"{source}: expected a non-empty JSON list of lines")
    lines = []
    for index, entry in enumerate(raw):
        where = f"{source}, entry {index}"
        if not isinstance(entry, dict):
            raise ResourceFileError(f"{where}: expected an object")
        missing = [field for field in FIELDS if field not in entry]
        if missing:
            raise ResourceFileError(f"{where}: missing {', '.join(missing)}")
        values = {field: entry[field] for field in FIELDS}
        for field, value in values.items():
            if not isinstance(value, str) or not value.strip():
                raise ResourceFileError(f"{where}: {field!r} must be non-empty text")
        for field in ("url", "source_url"):
            if not str(values[field]).startswith(("https://", "http://")):
                raise ResourceFileError(f"{where}: {field!r} must be an http(s) address")
        region = normalise_region(values["region"])
        if region is None:
            raise ResourceFileError(
                f"{where}: region {values['region']!r} is not an ISO 3166-1 alpha-2 "
                "country code or INTL"
            )
        _check_date(str(values["checked"]), where)
        values["region"] = region
        lines.append(CrisisResource(**{k: str(v).strip() for k, v in values.items()}))
    if not any(line.region == INTL for line in lines):
        raise ResourceFileError(
            f"{source}: needs at least one INTL line, so that nobody is left without help"
        )
    return tuple(lines)


def load_resources(path: str | Path) -> tuple[CrisisResource, ...]:
    """Read and validate a resource file (raises ResourceFileError with the reason)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as problem:
        raise ResourceFileError(f"{path}: cannot be read ({problem.strerror or problem})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as problem:
        raise ResourceFileError(f"{path}: not valid JSON ({problem})") from None
    return parse_resources(raw, source=str(path))


def for_region(lines: Iterable[CrisisResource], region: str) -> list[CrisisResource]:
    """That region's lines first (in file order), then the international ones."""
    lines = list(lines)
    local = [line for line in lines if line.region == region and region != INTL]
    return local + [line for line in lines if line.region == INTL]


def covered_regions(lines: Sequence[CrisisResource]) -> list[str]:
    """The countries that have at least one line, sorted."""
    return sorted({line.region for line in lines if line.region != INTL})
