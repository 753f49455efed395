"""Crisis resources: the region-tagged list shown on the help page and sent to
anyone whose message signals a crisis.

Operators can replace the built-in list with ``CRISIS_RESOURCES_FILE`` (a JSON
list of ``{"name", "contact", "url", "region"}``). A broken override must never
leave someone without help, so it falls back to the built-in list and logs why.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app

BUILT_IN_FILE = Path(__file__).resolve().parent / "data" / "crisis_resources.json"

CRISIS_TEXT = (
    "It sounds like things are really hard right now. You don't have to carry this "
    "alone: these people are there to listen, any time. If you are in immediate "
    "danger, please call your local emergency number."
)


@dataclass(frozen=True)
class CrisisResource:
    name: str
    contact: str
    url: str
    region: str


def _parse(raw: Any) -> tuple[CrisisResource, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError("expected a non-empty JSON list")
    resources = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise ValueError(f"entry {index} is not an object")
        try:
            fields = {key: entry[key] for key in ("name", "contact", "url", "region")}
        except KeyError as missing:
            raise ValueError(f"entry {index} has no {missing.args[0]!r}") from None
        if not all(isinstance(value, str) and value.strip() for value in fields.values()):
            raise ValueError(f"entry {index} has an empty or non-text field")
        resources.append(CrisisResource(**fields))
    return tuple(resources)


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[CrisisResource, ...]:
    return _parse(json.loads(Path(path).read_text(encoding="utf-8")))


def crisis_resources() -> tuple[CrisisResource, ...]:
    """The resources in force for this app (override first, built-in as fallback)."""
    override = current_app.config.get("CRISIS_RESOURCES_FILE")
    if override:
        try:
            return _load(str(override))
        except (OSError, ValueError) as problem:
            current_app.logger.error(
                "CRISIS_RESOURCES_FILE %s unusable (%s); using the built-in list",
                override,
                problem,
            )
    return _load(str(BUILT_IN_FILE))


def crisis_payload() -> dict[str, Any]:
    """The ``crisis_resources`` event body of CONTRACT.md §4."""
    return {
        "resources": [asdict(resource) for resource in crisis_resources()],
        "text": CRISIS_TEXT,
    }
