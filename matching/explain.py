"""Plain-language "why this group" explanations. Pure: standard library only.

The why is a list of :class:`Reason`: whole sentences, each an English msgid with
named placeholders and its values, so the display side can show it in each reader's
language (``matching.service.why_summary``) and exports keep the English
(:func:`english`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


def N_(text: str) -> str:
    """Mark ``text`` for extraction (``make i18n``) and return it unchanged.

    ``i18n.N_``'s twin for pure code, which cannot import the Flask side.
    """
    return text


@dataclass(frozen=True)
class Reason:
    """One whole sentence of a group's why: an English msgid and its values.

    A string value goes in as it is; a tuple is a list of msgids (interest labels,
    the model's words), each translated and joined the reader's way ("A and B").
    """

    msgid: str
    params: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    def english(self) -> str:
        values = {
            name: _join(list(value)) if isinstance(value, tuple) else value
            for name, value in self.params.items()
        }
        return self.msgid % values if values else self.msgid


ALL_ENJOY = N_("You all enjoy %(interests)s.")
MOST_ENJOY = N_("Most of you enjoy %(interests)s.")
MOST_ALSO_ENJOY = N_("Most of you also enjoy %(interests)s.")
NOTHING_SHARED = N_("You were matched on a similar outlook and a time that suits you all.")
LEARNED = N_("We also weighed what has helped groups like yours go well: %(reasons)s.")

PACE_PHRASES = {
    "slow": N_("Everyone prefers a slow pace."),
    "live": N_("Everyone likes to chat live."),
}
SUPPORT_PHRASES = {
    "just_listen": N_("Everyone would rather be listened to than advised."),
    "open_to_advice": N_("Everyone is open to a little advice."),
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


def english(reasons: Sequence[Reason]) -> str:
    """The reasons as one English text, e.g. "You all enjoy chess. Everyone prefers a
    slow pace." (what a proposal stores as its summary)."""
    return " ".join(reason.english() for reason in reasons)


def reasons(
    member_interests: Sequence[Sequence[str]],
    shared: Sequence[str],
    *,
    paces: Sequence[str] = (),
    support_styles: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    max_interests: int = 3,
) -> list[Reason]:
    """What a group shares, as whole sentences, e.g.

    "You all enjoy cozy mysteries and long walks." "Everyone prefers a slow pace."
    """
    size = len(member_interests)
    held_by_all = [t for t in shared if all(t in set(tokens) for tokens in member_interests)]
    held_by_most = [t for t in shared if t not in held_by_all]
    found: list[Reason] = []
    if held_by_all:
        names = tuple(human_label(t, labels) for t in held_by_all[:max_interests])
        found.append(Reason(ALL_ENJOY, {"interests": names}))
    if held_by_most and len(held_by_all) < max_interests:
        room = max_interests - len(held_by_all)
        names = tuple(human_label(t, labels) for t in held_by_most[:room])
        found.append(Reason(MOST_ALSO_ENJOY if held_by_all else MOST_ENJOY, {"interests": names}))
    comfort = _comfort_phrase(paces, support_styles, size)
    if comfort:
        found.append(Reason(comfort))
    return found or [Reason(NOTHING_SHARED)]


def _comfort_phrase(paces: Sequence[str], support_styles: Sequence[str], size: int) -> str:
    # A shared slow pace matters most to people who fear being rushed: say it first.
    if paces and len(paces) == size and set(paces) == {"slow"}:
        return PACE_PHRASES["slow"]
    if support_styles and len(set(support_styles)) == 1 and support_styles[0] in SUPPORT_PHRASES:
        return SUPPORT_PHRASES[support_styles[0]]
    if paces and len(set(paces)) == 1 and paces[0] in PACE_PHRASES:
        return PACE_PHRASES[paces[0]]
    return ""


def learned_reason(words: Sequence[str]) -> Reason | None:
    """What a learned compatibility model weighed, as one sentence (None for nothing).

    ``words`` are the model's msgids for the features the group shares, e.g.
    "a similar pace" (``matching.learning.BLOCK_WORDS``).
    """
    if not words:
        return None
    return Reason(LEARNED, {"reasons": tuple(words)})
