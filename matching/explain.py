"""Plain-language "why this group" explanations. Pure: standard library only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

PACE_PHRASES = {
    "slow": "everyone prefers a slow pace",
    "live": "everyone likes to chat live",
}
SUPPORT_PHRASES = {
    "just_listen": "everyone would rather be listened to than advised",
    "open_to_advice": "everyone is open to a little advice",
}
TALK_PHRASES = {
    "listen_first": "there is room for quiet listeners",
}


def shared_interests(
    member_interests: Sequence[Sequence[str]], idf: Mapping[str, float]
) -> list[str]:
    """Interests held by at least two members and at least half of the group.

    Most specific first: rarer interests (higher IDF) say more about a group
    than popular ones; ties go to the interest more members share, then by name.
    """
    size = len(member_interests)
    counts = Counter(token for tokens in member_interests for token in set(tokens))
    needed = max(2, (size + 1) // 2)
    shared = [token for token, count in counts.items() if count >= needed]
    return sorted(shared, key=lambda t: (-idf.get(t, 0.0), -counts[t], t))


def human_label(slug: str, labels: Mapping[str, str] | None = None) -> str:
    """Readable label of an interest slug: the caller's label or a tidied slug."""
    if labels and slug in labels:
        return labels[slug]
    return slug.replace("_", " ").replace("-", " ").strip()


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def summarize(
    member_interests: Sequence[Sequence[str]],
    shared: Sequence[str],
    *,
    paces: Sequence[str] = (),
    support_styles: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    max_interests: int = 3,
) -> str:
    """One warm sentence on what a group shares, e.g.

    "You all enjoy cozy mysteries and long walks; everyone prefers a slow pace."
    """
    size = len(member_interests)
    held_by_all = [t for t in shared if all(t in set(tokens) for tokens in member_interests)]
    held_by_most = [t for t in shared if t not in held_by_all]
    parts: list[str] = []
    if held_by_all:
        names = [human_label(t, labels) for t in held_by_all[:max_interests]]
        parts.append(f"You all enjoy {_join(names)}")
    if held_by_most and len(held_by_all) < max_interests:
        names = [human_label(t, labels) for t in held_by_most[: max_interests - len(held_by_all)]]
        lead = "most of you also enjoy" if held_by_all else "Most of you enjoy"
        parts.append(f"{lead} {_join(names)}")
    comfort = _comfort_phrase(paces, support_styles, size)
    if comfort:
        parts.append(comfort)
    if not parts:
        return "You were matched on a similar outlook and a time that suits you all."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def _comfort_phrase(paces: Sequence[str], support_styles: Sequence[str], size: int) -> str:
    # A shared slow pace matters most to people who fear being rushed: say it first.
    if paces and len(paces) == size and set(paces) == {"slow"}:
        return PACE_PHRASES["slow"]
    if support_styles and len(set(support_styles)) == 1 and support_styles[0] in SUPPORT_PHRASES:
        return SUPPORT_PHRASES[support_styles[0]]
    if paces and len(set(paces)) == 1 and paces[0] in PACE_PHRASES:
        return PACE_PHRASES[paces[0]]
    return ""


def learned_sentence(reasons: Sequence[str]) -> str:
    """What a learned compatibility model weighed, as one sentence (or "" for nothing).

    ``reasons`` are plain-word model features the group shares, e.g. "a similar pace".
    """
    if not reasons:
        return ""
    return f"We also weighed what has helped groups like yours go well: {_join(list(reasons))}."
