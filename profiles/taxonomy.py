"""The interest taxonomy, reasons for coming and languages, read from data files.

Pure: no Flask, no database. The data lives in ``taxonomy.json`` and
``languages.json`` next to this module so that it can grow without code changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Category:
    slug: str
    label: str


@dataclass(frozen=True)
class Interest:
    slug: str
    label: str
    category: str
    #: Relative popularity, used only to make demo profiles plausible.
    weight: float


@dataclass(frozen=True)
class AvoidableTopic:
    slug: str
    label: str
    #: Interests whose declaration raises this topic (for matching's hard rule).
    related_interests: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    slug: str
    label: str


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[Category, ...]
    interests: tuple[Interest, ...]
    avoidable_topics: tuple[AvoidableTopic, ...]
    reasons: tuple[Reason, ...]

    @property
    def interest_slugs(self) -> frozenset[str]:
        return frozenset(i.slug for i in self.interests)

    @property
    def topic_slugs(self) -> frozenset[str]:
        return frozenset(t.slug for t in self.avoidable_topics)

    @property
    def reason_slugs(self) -> frozenset[str]:
        return frozenset(r.slug for r in self.reasons)

    def labels(self) -> dict[str, str]:
        """Every slug (interest, topic, reason, category) to its label."""
        out: dict[str, str] = {}
        for group in (self.categories, self.interests, self.avoidable_topics, self.reasons):
            for item in group:
                out[item.slug] = item.label
        return out

    def interests_by_category(self) -> list[tuple[Category, list[Interest]]]:
        return [
            (category, [i for i in self.interests if i.category == category.slug])
            for category in self.categories
        ]

    def topics_raised_by(self, interests: list[str] | tuple[str, ...]) -> set[str]:
        """Avoidable topics that declaring ``interests`` brings into a group."""
        declared = set(interests)
        return {
            topic.slug
            for topic in self.avoidable_topics
            if topic.slug in declared or declared.intersection(topic.related_interests)
        }


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    raw: dict[str, Any] = json.loads((_HERE / "taxonomy.json").read_text(encoding="utf-8"))
    return Taxonomy(
        categories=tuple(Category(c["slug"], c["label"]) for c in raw["categories"]),
        interests=tuple(
            Interest(i["slug"], i["label"], i["category"], float(i["weight"]))
            for i in raw["interests"]
        ),
        avoidable_topics=tuple(
            AvoidableTopic(t["slug"], t["label"], tuple(t.get("related_interests", ())))
            for t in raw["avoidable_topics"]
        ),
        reasons=tuple(Reason(r["slug"], r["label"]) for r in raw["reasons"]),
    )


@lru_cache(maxsize=1)
def languages() -> dict[str, str]:
    """ISO 639-1 code → English name, in code order."""
    raw: dict[str, Any] = json.loads((_HERE / "languages.json").read_text(encoding="utf-8"))
    return {entry["code"]: entry["name"] for entry in raw["languages"]}


def public_document(taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """The body of ``GET /api/v1/interests`` (English unless given a translated taxonomy)."""
    taxonomy = taxonomy or load_taxonomy()
    return {
        "interests": [
            {"slug": i.slug, "label": i.label, "category": i.category} for i in taxonomy.interests
        ],
        "avoidable_topics": [
            {"slug": t.slug, "label": t.label, "related_interests": list(t.related_interests)}
            for t in taxonomy.avoidable_topics
        ],
        "reasons": [{"slug": r.slug, "label": r.label} for r in taxonomy.reasons],
        "categories": [{"slug": c.slug, "label": c.label} for c in taxonomy.categories],
    }
