"""The pure region logic and the shape of the built-in crisis lines (issue 14 §3)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import crisis_regions as cr

BUILT_IN = Path(__file__).resolve().parents[2] / "data" / "crisis_resources.json"


def line(region: str, name: str = "A line", **extra: Any) -> dict[str, str]:
    return {
        "name": name,
        "contact": "Call 0",
        "url": "https://line.example/",
        "region": region,
        "source_url": "https://line.example/about",
        "checked": "2026-12-02",
        **extra,
    }


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("Europe/Berlin", "DE"),  # zone1970.tab shares it with DK, NO, SE: zone.tab wins
        ("America/Sao_Paulo", "BR"),
        ("Europe/Zurich", "CH"),
        ("Asia/Kolkata", "IN"),
        ("Pacific/Auckland", "NZ"),
        ("America/Toronto", "CA"),
    ],
)
def test_a_time_zone_gives_its_country(zone: str, region: str) -> None:
    assert cr.region_from_timezone(zone) == region
    assert cr.choose_region(timezone=zone) == region


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "UTC", "Etc/GMT+3", "", None])
def test_an_unknown_zone_falls_back_to_international(zone: str | None) -> None:
    assert cr.region_from_timezone(zone) is None
    assert cr.choose_region(timezone=zone) == cr.INTL


@pytest.mark.parametrize(
    ("header", "region"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "DE"),
        ("en;q=0.9, pt-BR", "BR"),  # quality decides, not position
        ("en, en-GB;q=0.8", "GB"),  # "en" names no country; the next tag does
        ("es-419", None),  # a UN M.49 area, not a country
        ("zh-Hant-TW", "TW"),
        ("fr-XX", None),
        ("de-DE;q=0", None),
        ("en", None),
        ("", None),
        (None, None),
        ("de-DE;q=abc, fr-FR;q=0.5", "FR"),
    ],
)
def test_accept_language_region(header: str | None, region: str | None) -> None:
    assert cr.region_from_accept_language(header) == region


def test_choice_beats_time_zone_beats_language() -> None:
    assert cr.choose_region(chosen="fr", timezone="Europe/Berlin", accept_language="pt-BR") == "FR"
    assert cr.choose_region(chosen=None, timezone="Europe/Berlin", accept_language="pt-BR") == "DE"
    assert cr.choose_region(timezone="Nowhere/Else", accept_language="pt-BR") == "BR"
    assert cr.choose_region(chosen="ZZ", timezone="Nowhere/Else") == cr.INTL


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("de", "DE"), (" DE ", "DE"), ("intl", "INTL"), ("XX", None), ("DEU", None), ("", None)],
)
def test_normalise_region(raw: str, normalised: str | None) -> None:
    assert cr.normalise_region(raw) == normalised


def test_normalise_region_refuses_non_text() -> None:
    assert cr.normalise_region(49) is None
    assert cr.normalise_region(None) is None


def test_region_lines_come_first_then_international_only() -> None:
    lines = cr.parse_resources(
        [line("INTL", "World"), line("US", "US line"), line("DE", "DE one"), line("DE", "DE two")]
    )
    assert [x.name for x in cr.for_region(lines, "DE")] == ["DE one", "DE two", "World"]
    assert [x.name for x in cr.for_region(lines, "BR")] == ["World"]
    assert [x.name for x in cr.for_region(lines, cr.INTL)] == ["World"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"name": "x"}, "non-empty JSON list"),
        ([], "non-empty JSON list"),
        (["text"], "entry 0: expected an object"),
        ([line("INTL"), {"name": "x"}], "entry 1: missing contact, url, region"),
        ([line("INTL", name="  ")], "'name' must be non-empty text"),
        ([line("INTL", checked=20261202)], "'checked' must be non-empty text"),
        ([line("INTL", url="javascript:alert(1)")], "'url' must be an http(s) address"),
        ([line("INTL", source_url="ftp://x")], "'source_url' must be an http(s) address"),
        ([line("XX")], "region 'XX' is not an ISO 3166-1 alpha-2"),
        ([line("Germany")], "region 'Germany'"),
        ([line("INTL", checked="yesterday")], "'checked' must be a date"),
        ([line("DE")], "needs at least one INTL line"),
    ],
)
def test_a_bad_shape_is_refused_with_the_reason(raw: Any, reason: str) -> None:
    with pytest.raises(cr.ResourceFileError) as refused:
        cr.parse_resources(raw)
    assert reason in str(refused.value)


def test_load_resources_names_unreadable_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(cr.ResourceFileError, match="cannot be read"):
        cr.load_resources(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(cr.ResourceFileError, match="not valid JSON"):
        cr.load_resources(broken)


# -- the built-in list -------------------------------------------------------------------


def test_built_in_file_has_the_documented_shape() -> None:
    raw = json.loads(BUILT_IN.read_text(encoding="utf-8"))
    lines = cr.parse_resources(raw, source=str(BUILT_IN))
    for entry in raw:
        assert set(entry) == set(cr.FIELDS), entry
        assert entry["source_url"].startswith("https://"), entry
        assert entry["url"].startswith("https://"), entry
        assert date.fromisoformat(entry["checked"]) <= date(2026, 12, 31)
        assert entry["region"] == entry["region"].upper()
    assert len({(x.region, x.name) for x in lines}) == len(lines), "duplicate entries"


def test_built_in_file_covers_at_least_25_countries_and_international_lines() -> None:
    lines = cr.load_resources(BUILT_IN)
    covered = cr.covered_regions(lines)
    assert len(covered) >= 25, covered
    for must in ("US", "GB", "IE", "DE", "FR", "ES", "BR", "IN", "AU", "CA"):
        assert must in covered
    assert any(x.region == cr.INTL for x in lines)


def test_every_country_in_the_zone_database_has_a_name() -> None:
    names = cr.country_names()
    assert names["DE"] == "Germany"
    assert set(names) == set(cr.iso_countries())
