"""Choosing newcomers for an existing room (backfill). Pure: no Flask, no database.

The room's current members are fixed; newcomers are added one at a time, most
similar to the members first, and only while every hard rule of
:mod:`matching.grouping` still holds for the whole group.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from matching.features import Candidate, build_features
from matching.grouping import is_valid_group

#: Backfill aims for this many members, never past anyone's preferred maximum.
TARGET_SIZE = 5


def newcomers_wanted(existing: Sequence[Candidate], min_size: int = 3) -> int:
    """How many people to invite so the room is comfortably above quorum."""
    smallest_preference = min((c.max_group_size for c in existing), default=TARGET_SIZE)
    target = max(min_size, min(TARGET_SIZE, smallest_preference))
    return max(0, target - len(existing))


def choose_newcomers(
    existing: Sequence[Candidate],
    waiting: Sequence[Candidate],
    *,
    want: int,
    kept_apart: Collection[tuple[int | str, int | str]] = (),
) -> list[int | str]:
    """Up to ``want`` waiting people who fit with ``existing``, best fit first.

    ``kept_apart`` holds pairs of user ids that must not meet (someone declined).
    """
    if want <= 0 or not existing or not waiting:
        return []
    people = [*existing, *waiting]
    features = build_features(people)
    members = list(range(len(existing)))
    final_size = len(existing) + want
    similarity = features.vectors[len(existing) :] @ features.vectors[: len(existing)].T
    fit = np.asarray(similarity).mean(axis=1)
    apart = {frozenset(pair) for pair in kept_apart}
    chosen: list[int] = []
    for offset in np.argsort(-fit, kind="stable"):
        index = len(existing) + int(offset)
        newcomer = people[index]
        if newcomer.max_group_size < final_size:
            continue
        group = [*members, *chosen, index]
        if any(frozenset((newcomer.user_id, people[i].user_id)) in apart for i in group[:-1]):
            continue
        if is_valid_group(features, group):
            chosen.append(index)
            if len(chosen) == want:
                break
    return [people[i].user_id for i in chosen]
