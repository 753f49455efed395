"""Validation of the profile document (CONTRACT §3). Pure: no Flask, no database.

``validate_document`` checks a whole document (PUT); ``validate_changes`` checks
a subset of keys against the rest of the stored document (PATCH, the wizard's
per-step saves). Both return a cleaned copy or raise ``ProfileInvalid`` whose
``fields`` maps each offending field to one kind sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l

from errors import Text
from profiles.taxonomy import languages, load_taxonomy

FIELDS = (
    "interests",
    "about",
    "reasons",
    "talk_style",
    "max_group_size",
    "pace",
    "support_style",
    "avoid_topics",
    "languages",
    "timezone",
    "availability",
    "age_band",
)
TALK_STYLES = ("listen_first", "share_some", "talk_freely")
PACES = ("live", "slow")
SUPPORT_STYLES = ("just_listen", "open_to_advice")
AGE_BANDS = ("18-24", "25-34", "35-49", "50-64", "65+")
SLOTS = (
    "weekday_morning",
    "weekday_afternoon",
    "weekday_evening",
    "weekend_morning",
    "weekend_afternoon",
    "weekend_evening",
)
MIN_INTERESTS = 1
MAX_INTERESTS = 20
MAX_ABOUT = 500
MAX_LANGUAGES = 10
MIN_GROUP_SIZE = 3
MAX_GROUP_SIZE = 6

#: Fields a profile needs before its owner can wait for a group (availability
#: only for the ``live`` pace).
REQUIRED_FOR_POOL = (
    "interests",
    "talk_style",
    "max_group_size",
    "pace",
    "support_style",
    "languages",
    "timezone",
    "age_band",
)

_EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"
    # Spelled out to slip past filters: "sam at gmail dot com", "sam(at)gmail(dot)com".
    r"|[\w.+-]+\s*(\(at\)|\[at\]|\sat\s)\s*[\w-]+\s*(\(dot\)|\[dot\]|\sdot\s)\s*[a-z]{2,}\b",
    re.I,
)
_URL = re.compile(
    r"(https?://|www\.)\S+"
    r"|\b[a-z0-9-]+\.(com|net|org|io|co|uk|de|fr|es|me|app|info|ly|gg|tv|xyz|link|site)\b(/\S*)?",
    re.I,
)
#: Digit runs with separators; nine or more digits is a phone number, fewer is a date range.
_PHONE = re.compile(r"(?<!\w)\+?\d[\d\s().-]{6,}\d")
_SOCIAL = re.compile(
    r"\b(snap(chat)?|insta(gram)?|ig|discord|telegram|whatsapp|signal|kik|tiktok|twitter|x)"
    r"\s*[:@-]\s*@?\w{3,}",
    re.I,
)


class ProfileInvalid(ValueError):
    """The document (or change) cannot be saved; ``fields`` says why, per field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


@lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def empty_document() -> dict[str, Any]:
    """What a never-saved profile reads as."""
    return {
        "interests": [],
        "about": "",
        "reasons": [],
        "talk_style": None,
        "max_group_size": None,
        "pace": None,
        "support_style": None,
        "avoid_topics": [],
        "languages": [],
        "timezone": None,
        "availability": [],
        "age_band": None,
    }


def contact_details_problem(text: str) -> Text | None:
    """A kind sentence if ``text`` carries a way to reach someone off Hearth."""
    if _EMAIL.search(text):
        return _l(
            "Please leave out email addresses: Hearth keeps everyone's contact details private."
        )
    if _URL.search(text):
        return _l("Please leave out links and web addresses: they can point back to who you are.")
    if any(sum(ch.isdigit() for ch in m.group()) >= 9 for m in _PHONE.finditer(text)):
        return _l(
            "Please leave out phone numbers: Hearth keeps everyone's contact details private."
        )
    if _SOCIAL.search(text):
        return _l("Please leave out social media names: they can point back to who you are.")
    return None


def _slug_list(
    value: Any,
    *,
    allowed: frozenset[str],
    what: Text,
    minimum: int = 0,
    maximum: int | None = None,
) -> tuple[list[str] | None, Text | None]:
    if value is None and minimum:
        return None, _l(
            "Please choose at least %(minimum)s of the %(what)s.", minimum=minimum, what=what
        )
    if value is None:
        return None, _l("Please send a list of %(what)s (it may be empty).", what=what)
    if not isinstance(value, list):
        return None, _l("Please send the %(what)s as a list.", what=what)
    if not all(isinstance(item, str) for item in value):
        return None, _l("Each of the %(what)s should be given as text.", what=what)
    unknown = [item for item in value if item not in allowed]
    if unknown:
        return None, _l(
            "We don't know these %(what)s: %(unknown)s.", what=what, unknown=", ".join(unknown[:5])
        )
    if len(set(value)) != len(value):
        return None, _l("Each of the %(what)s should appear only once.", what=what)
    if len(value) < minimum:
        return None, _l(
            "Please choose at least %(minimum)s of the %(what)s.", minimum=minimum, what=what
        )
    if maximum is not None and len(value) > maximum:
        return None, _l(
            "Please choose at most %(maximum)s %(what)s; you chose %(chosen)s.",
            maximum=maximum,
            what=what,
            chosen=len(value),
        )
    return list(value), None


def _choice(value: Any, options: tuple[str, ...]) -> tuple[str | None, Text | None]:
    if value is None:
        return None, _l("Please choose one of the options.")
    if not isinstance(value, str) or value not in options:
        return None, _l("Please choose one of: %(options)s.", options=", ".join(options))
    return value, None


def _clean_field(name: str, value: Any) -> tuple[Any, Text | None]:
    """Clean one field on its own; returns (value, problem)."""
    taxonomy = load_taxonomy()
    if name == "interests":
        return _slug_list(
            value,
            allowed=taxonomy.interest_slugs,
            what=_l("interests"),
            minimum=MIN_INTERESTS,
            maximum=MAX_INTERESTS,
        )
    if name == "reasons":
        return _slug_list(value, allowed=taxonomy.reason_slugs, what=_l("reasons"))
    if name == "avoid_topics":
        return _slug_list(value, allowed=taxonomy.topic_slugs, what=_l("topics to avoid"))
    if name == "availability":
        return _slug_list(value, allowed=frozenset(SLOTS), what=_l("times"))
    if name == "languages":
        if isinstance(value, list) and not value:
            return None, _l("Please choose at least one language you're happy to talk in.")
        return _slug_list(
            value,
            allowed=frozenset(languages()),
            what=_l("languages (two-letter ISO 639-1 codes such as en)"),
            minimum=1,
            maximum=MAX_LANGUAGES,
        )
    if name == "about":
        if value is None or not isinstance(value, str):
            return None, _l("Please send a short text (it may be empty).")
        text = value.strip()
        if len(text) > MAX_ABOUT:
            return None, _l(
                "Please keep this to %(limit)s characters; it has %(length)s.",
                limit=MAX_ABOUT,
                length=len(text),
            )
        problem = contact_details_problem(text)
        return (None, problem) if problem else (text, None)
    if name == "talk_style":
        return _choice(value, TALK_STYLES)
    if name == "pace":
        return _choice(value, PACES)
    if name == "support_style":
        return _choice(value, SUPPORT_STYLES)
    if name == "age_band":
        return _choice(value, AGE_BANDS)
    if name == "max_group_size":
        if value is None:
            return None, _l("Please choose a group size.")
        # bool is an int subclass in Python; true is not a group size.
        if isinstance(value, bool) or not isinstance(value, int):
            return None, _l(
                "Please choose a whole number from %(minimum)s to %(maximum)s.",
                minimum=MIN_GROUP_SIZE,
                maximum=MAX_GROUP_SIZE,
            )
        if not MIN_GROUP_SIZE <= value <= MAX_GROUP_SIZE:
            return None, _l(
                "Groups have %(minimum)s to %(maximum)s people.",
                minimum=MIN_GROUP_SIZE,
                maximum=MAX_GROUP_SIZE,
            )
        return value, None
    if name == "timezone":
        if value is None or not isinstance(value, str) or not value:
            return None, _l("Please choose your time zone.")
        if value not in timezones():
            return None, _l("We don't know that time zone. Please choose one like Europe/Berlin.")
        return value, None
    raise KeyError(name)  # pragma: no cover - callers only pass FIELDS


def _check_shape(data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ProfileInvalid({"document": _l("Please send the profile as a JSON object.")})
    extra = [key for key in data if key not in FIELDS]
    if extra:
        raise ProfileInvalid(
            {str(key): _l("This isn't part of the profile; please leave it out.") for key in extra}
        )
    return dict(data)


def _clean(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Text]]:
    cleaned: dict[str, Any] = {}
    problems: dict[str, Text] = {}
    for name in FIELDS:
        if name in data:
            value, problem = _clean_field(name, data[name])
            if problem:
                problems[name] = problem
            else:
                cleaned[name] = value
    return cleaned, problems


_LIVE_NEEDS_TIMES = _l("For live chats, please choose at least one time that usually suits you.")


def validate_document(data: Any) -> dict[str, Any]:
    """Check a whole profile document (PUT). Every field is required."""
    document = _check_shape(data)
    cleaned, problems = _clean(document)
    for name in FIELDS:
        if name not in document:
            problems[name] = _l("This is missing; a full profile has every field.")
    if (
        "availability" not in problems
        and cleaned.get("pace") == "live"
        and not cleaned.get("availability")
    ):
        problems["availability"] = _LIVE_NEEDS_TIMES
    if problems:
        raise ProfileInvalid(problems)
    return {name: cleaned[name] for name in FIELDS}


def validate_changes(data: Any, current: Mapping[str, Any]) -> dict[str, Any]:
    """Check a partial update (PATCH) against the ``current`` document.

    Each given key is checked as in a full document. The live-pace rule is
    checked when the change includes ``availability``: choosing ``live`` before
    the times step is fine, because completeness asks for the times later.
    """
    changes = _check_shape(data)
    if not changes:
        raise ProfileInvalid({"document": _l("Please send at least one field to change.")})
    cleaned, problems = _clean(changes)
    if "availability" in cleaned and not cleaned["availability"]:
        pace = cleaned.get("pace", current.get("pace"))
        if pace == "live":
            problems["availability"] = _LIVE_NEEDS_TIMES
    if problems:
        raise ProfileInvalid(problems)
    return cleaned


def missing_fields(document: Mapping[str, Any]) -> list[str]:
    """The fields still needed before joining the waiting pool, in document order."""
    needs_times = document.get("pace") == "live"
    missing = []
    for name in FIELDS:
        required = name in REQUIRED_FOR_POOL or (name == "availability" and needs_times)
        if required and document.get(name) in (None, [], ""):
            missing.append(name)
    return missing


def is_complete(document: Mapping[str, Any]) -> bool:
    return not missing_fields(document)
