"""Varied, plausible demo profiles (``flask seed-demo``), written through the service.

Every sentence here was written for Hearth's demo; none comes from real people.
"""

from __future__ import annotations

import random
from typing import Any

from accounts.models import User
from profiles import service
from profiles.taxonomy import Interest, load_taxonomy
from profiles.validation import AGE_BANDS, SLOTS

#: Share of demo members who start out waiting for a group.
POOL_SHARE = 0.8

_TIMEZONES = (
    ("Europe/London", 5),
    ("Europe/Berlin", 4),
    ("Europe/Madrid", 2),
    ("Europe/Paris", 2),
    ("America/New_York", 4),
    ("America/Chicago", 2),
    ("America/Los_Angeles", 3),
    ("America/Mexico_City", 1),
    ("Australia/Sydney", 1),
    ("Asia/Kolkata", 1),
)
_EXTRA_LANGUAGE = {"Europe/Berlin": "de", "Europe/Madrid": "es", "Europe/Paris": "fr"}
_AGE_WEIGHTS = (3, 5, 4, 2, 1)

_OPENINGS = (
    "I moved here last year and haven't really found my people yet.",
    "I work from home and some weeks I barely talk to anyone.",
    "I'm quiet at first, but I warm up once I know who's around.",
    "Most of my friends drifted away after university.",
    "I'm looking for a few kind people to chat with in the evenings.",
    "Things have been heavy lately and I'd like some gentle company.",
    "I'd love to talk with people who won't mind me going on about my hobbies.",
    "I look after my mum most days, so I don't get out much.",
    "I'm better at listening than talking, and that's fine by me.",
    "",
)
_INTEREST_LINES = (
    "Lately it's mostly {a} and {b}.",
    "Ask me about {a}; I could talk about it for hours.",
    "Happy to chat about {a} or {b} any time.",
    "Weekends usually involve {a}, and sometimes {b}.",
    "{a} and {b} keep me going, honestly.",
)
_CLOSINGS = (
    "",
    "Happy to just read along for a while.",
    "I reply slowly, but I always reply.",
    "Tea in hand, ready to chat.",
    "Be patient with me, I'm new to this.",
)


def _weighted_sample(rng: random.Random, items: list[Interest], k: int) -> list[Interest]:
    pool = list(items)
    chosen: list[Interest] = []
    while pool and len(chosen) < k:
        pick = rng.choices(pool, weights=[i.weight for i in pool])[0]
        chosen.append(pick)
        pool.remove(pick)
    return chosen


def _casual(label: str) -> str:
    """ "Board games" reads as "board games" mid-sentence; "K-dramas", "AI …" and
    "Japanese culture" keep their capitals."""
    first = label.split()[0]
    if first[:2].isupper() or first[1:2] == "-" or first in _PROPER_WORDS:
        return label
    return label[0].lower() + label[1:]


_PROPER_WORDS = frozenset({"Japanese"})


def _about(rng: random.Random, labels: list[str]) -> str:
    if rng.random() < 0.15:
        return ""
    parts = [rng.choice(_OPENINGS)]
    if labels and rng.random() < 0.8:
        a = _casual(labels[0])
        b = _casual(labels[1]) if len(labels) > 1 else "reading"
        line = rng.choice(_INTEREST_LINES).format(a=a, b=b)
        parts.append(line[0].upper() + line[1:])
    parts.append(rng.choice(_CLOSINGS))
    return " ".join(part for part in parts if part)[:500]


def demo_document(rng: random.Random) -> dict[str, Any]:
    """One plausible, valid profile document drawn from ``rng``."""
    taxonomy = load_taxonomy()
    interests = list(taxonomy.interests)
    # A couple of popular interests, then a long tail spread by the weights.
    popular = sorted(interests, key=lambda i: -i.weight)[:15]
    picked = rng.sample(popular, rng.randint(1, 2))
    rest = [i for i in interests if i not in picked]
    picked += _weighted_sample(rng, rest, rng.randint(1, 6))
    timezone = rng.choices([t for t, _ in _TIMEZONES], weights=[w for _, w in _TIMEZONES])[0]
    languages = ["en"]
    extra = _EXTRA_LANGUAGE.get(timezone) or (
        "es" if timezone in ("America/Mexico_City", "America/Los_Angeles") else None
    )
    if extra and rng.random() < 0.7:
        languages = [extra, "en"] if rng.random() < 0.6 else [extra]
    elif rng.random() < 0.06:
        languages.append(rng.choice(("es", "de", "fr", "pt", "it")))
    pace = "live" if rng.random() < 0.7 else "slow"
    slots = rng.sample(list(SLOTS), rng.randint(1, 4))
    availability = [slot for slot in SLOTS if slot in slots]
    if pace == "slow" and rng.random() < 0.4:
        availability = []
    topics = [t.slug for t in taxonomy.avoidable_topics]
    avoid = rng.sample(topics, rng.choice((0, 0, 1, 1, 2, 3)))
    raised = taxonomy.topics_raised_by([i.slug for i in picked])
    avoid = [slug for slug in avoid if slug not in raised]
    reasons = [r.slug for r in rng.sample(list(taxonomy.reasons), rng.randint(0, 2))]
    return {
        "interests": [i.slug for i in picked],
        "about": _about(rng, [i.label for i in picked]),
        "reasons": reasons,
        "talk_style": rng.choices(("listen_first", "share_some", "talk_freely"), (4, 5, 2))[0],
        "max_group_size": rng.choices((3, 4, 5, 6), (2, 4, 4, 2))[0],
        "pace": pace,
        "support_style": rng.choice(("just_listen", "open_to_advice")),
        "avoid_topics": avoid,
        "languages": languages,
        "timezone": timezone,
        "availability": availability,
        "age_band": rng.choices(AGE_BANDS, _AGE_WEIGHTS)[0],
    }


def seed_profiles(rng: random.Random, members: list[User]) -> str:
    """Give every demo member a profile and put about 80% in the waiting pool."""
    waiting = 0
    for user in members:
        service.save_profile(user, demo_document(rng))
        if rng.random() < POOL_SHARE:
            service.join_pool(user)
            waiting += 1
    return f"Profiles for {len(members)} members; {waiting} are waiting for a group."
