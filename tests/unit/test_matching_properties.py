"""Property tests: no output ever breaks a hard rule, loses or duplicates anyone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.features import AVAILABILITY_SLOTS, MIN_SHARED_HOURS, utc_hours_for
from matching.grouping import WAIT_REASONS, Candidate, form_groups

TOPICS = ["grief", "politics", "tea", "films", "games", "music"]
ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]

candidate_fields = st.fixed_dictionaries(
    {
        "interests": st.lists(st.sampled_from(TOPICS), min_size=1, max_size=4, unique=True),
        "avoid_topics": st.lists(st.sampled_from(TOPICS[:2]), max_size=2, unique=True),
        "languages": st.lists(
            st.sampled_from(["en", "fr", "de"]), min_size=1, max_size=2, unique=True
        ),
        "timezone": st.sampled_from(ZONES),
        "availability": st.lists(st.sampled_from(AVAILABILITY_SLOTS), max_size=4, unique=True),
        "pace": st.sampled_from(["live", "live", "slow"]),
        "talk_style": st.sampled_from(["listen_first", "share_some", "talk_freely"]),
        "max_group_size": st.integers(3, 6),
    }
)


def is_valid(group: list[Candidate]) -> bool:
    """Independent restatement of the hard rules (size aside)."""
    if not set.intersection(*(set(c.languages) for c in group)):
        return False
    live = [c for c in group if c.pace == "live"]
    if live:
        hours = set.intersection(*(set(utc_hours_for(c.availability, c.timezone)) for c in live))
        if len(hours) < MIN_SHARED_HOURS:
            return False
    for a in group:
        for b in group:
            if a is not b and set(a.avoid_topics) & set(b.interests):
                return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fields=st.lists(candidate_fields, max_size=24),
    seed=st.integers(0, 3),
    bounds=st.sampled_from([(3, 6), (3, 4), (2, 5), (4, 6)]),
)
def test_groups_keep_every_hard_rule_and_everyone_appears_once(
    fields: list[dict[str, object]], seed: int, bounds: tuple[int, int]
) -> None:
    people = [Candidate(user_id=i, **f) for i, f in enumerate(fields)]  # type: ignore[arg-type]
    min_size, max_size = bounds
    result = form_groups(people, min_size=min_size, max_size=max_size, seed=seed, time_budget=None)
    by_id = {c.user_id: c for c in people}
    placed = [uid for group in result.groups for uid in group.member_ids]
    assert len(placed) == len(set(placed))
    assert set(placed).isdisjoint(result.waiting)
    assert set(placed) | set(result.waiting) == set(by_id)
    assert set(result.waiting.values()) <= set(WAIT_REASONS)
    for group in result.groups:
        assert min_size <= len(group.member_ids) <= max_size
        assert is_valid([by_id[u] for u in group.member_ids])
        assert -1.0 - 1e-6 <= group.score <= 1.0 + 1e-6
