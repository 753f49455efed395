"""Balance repair in matching.grouping, on tiny literal pools.

A group where listeners are a strict majority (or everyone has one talk style)
is rebalanced by an ejection chain when that costs little similarity, and left
alone when the only fix would pull apart people who have much in common.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from matching import grouping
from matching.grouping import Candidate, GroupFormer, is_valid_group

LISTEN, SOME, FREE = "listen_first", "share_some", "talk_freely"


def person(
    uid: str, style: str, languages: Sequence[str], interests: Sequence[str] = ("tea",)
) -> Candidate:
    return Candidate(uid, list(interests), talk_style=style, languages=list(languages))


def fit(people: list[Candidate], groups: list[list[str]]) -> GroupFormer:
    """Start from the given groups (by user id); local search and repairs run as usual."""
    index = {c.user_id: i for i, c in enumerate(people)}
    start = [[index[uid] for uid in group] for group in groups]
    return GroupFormer(seed=0, time_budget=None).fit(people, initial_groups=start)


def final_groups(former: GroupFormer) -> list[set[str]]:
    ids = [c.user_id for c in former.candidates_]
    partition = former.partition_
    return [{str(ids[i]) for i in partition.members[g]} for g in partition.live_groups()]


def is_balanced(former: GroupFormer, group: set[str]) -> bool:
    styles = {c.user_id: c.talk_style for c in former.candidates_}
    kinds = [styles[uid] for uid in group]
    return 2 * kinds.count(LISTEN) <= len(kinds) and len(set(kinds)) > 1


def assert_valid(former: GroupFormer) -> None:
    partition = former.partition_
    for gid in partition.live_groups():
        members = partition.members[gid]
        assert 3 <= len(members) <= 6
        assert is_valid_group(former.features_, members)


def test_a_lopsided_group_is_balanced_by_a_chain_of_moves() -> None:
    # Two listeners and a sharer who speak only English. The one other English
    # speaker, bilingual "x", sits in a French group of three that cannot spare
    # anyone, so no single move or swap balances the group: a chain must pull
    # "x" in and refill the French group from a French group of four.
    people = [
        person("l1", LISTEN, ["en"]),
        person("l2", LISTEN, ["en"]),
        person("t1", SOME, ["en"]),
        person("x", FREE, ["en", "fr"]),
        person("f1", SOME, ["fr"]),
        person("f2", LISTEN, ["fr"]),
        person("f3", SOME, ["fr"]),
        person("f4", FREE, ["fr"]),
        person("f5", SOME, ["fr"]),
        person("f6", LISTEN, ["fr"]),
    ]
    former = fit(people, [["l1", "l2", "t1"], ["x", "f1", "f2"], ["f3", "f4", "f5", "f6"]])

    groups = final_groups(former)
    assert {"l1", "l2", "t1", "x"} in groups
    assert all(is_balanced(former, group) for group in groups)
    assert sum(len(group) for group in groups) == len(people)  # nobody dropped
    assert former.stats_["balanced"] == 1
    assert_valid(former)


def test_balance_is_not_bought_with_much_similarity() -> None:
    # The only talker who could join the listeners shares nothing with them and
    # everything with their own group: moving them would cost far more
    # similarity than balance is worth, so the groups stay as they are.
    people = [
        person("l1", LISTEN, ["en"]),
        person("l2", LISTEN, ["en"]),
        person("t1", SOME, ["en"]),
        person("x", FREE, ["en", "fr"], ["metal", "guitars"]),
        person("m1", SOME, ["fr"], ["metal", "guitars"]),
        person("m2", LISTEN, ["fr"], ["metal", "guitars"]),
        person("m3", FREE, ["fr"], ["metal", "guitars"]),
    ]
    former = fit(people, [["l1", "l2", "t1"], ["x", "m1", "m2", "m3"]])

    assert sorted(final_groups(former), key=len) == [{"l1", "l2", "t1"}, {"x", "m1", "m2", "m3"}]
    assert former.stats_["balanced"] == 0
    assert_valid(former)


def test_a_chain_never_breaks_a_hard_rule_to_balance() -> None:
    # "x" could balance the listeners, but one of them avoids a topic "x" loves.
    people = [
        Candidate("l1", ["tea"], talk_style=LISTEN, avoid_topics=["politics"]),
        person("l2", LISTEN, ["en"]),
        person("t1", SOME, ["en"]),
        person("x", FREE, ["en", "fr"], ["tea", "politics"]),
        person("f1", SOME, ["fr"]),
        person("f2", LISTEN, ["fr"]),
        person("f3", SOME, ["fr"]),
        person("f4", FREE, ["fr"]),
        person("f5", SOME, ["fr"]),
        person("f6", LISTEN, ["fr"]),
    ]
    former = fit(people, [["l1", "l2", "t1"], ["x", "f1", "f2"], ["f3", "f4", "f5", "f6"]])

    assert not any({"l1", "x"} <= group for group in final_groups(former))
    assert_valid(former)


def test_the_repair_is_deterministic() -> None:
    people = [
        person(f"p{i}", (LISTEN, LISTEN, SOME, FREE)[i % 4], ["en"], [f"t{i % 3}", "tea"])
        for i in range(24)
    ]
    first = GroupFormer(seed=3, time_budget=None).fit(people)
    again = GroupFormer(seed=3, time_budget=None).fit(people)
    assert final_groups(first) == final_groups(again)
    assert all(is_balanced(first, group) for group in final_groups(first))


def test_a_pool_of_one_talk_style_is_not_searched() -> None:
    # Everyone "share some" (as in a survey pool): every group is all one style
    # and no move can change that, so the repair must not search chains at all.
    people = [person(f"p{i}", SOME, ["en"], [f"t{i % 4}", "tea"]) for i in range(15)]
    former = GroupFormer(seed=0, time_budget=None).fit(people)

    groups = final_groups(former)
    assert sum(len(group) for group in groups) == len(people)
    assert not any(is_balanced(former, group) for group in groups)
    assert former.stats_["balanced"] == 0
    assert "balance_tried" not in former.stats_
    assert_valid(former)


def test_the_chain_search_stops_at_its_step_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pool of the first test needs a two-move chain; with a cap of one
    # candidate move the search gives up after the first step, and says so.
    people = [
        person("l1", LISTEN, ["en"]),
        person("l2", LISTEN, ["en"]),
        person("t1", SOME, ["en"]),
        person("x", FREE, ["en", "fr"]),
        person("f1", SOME, ["fr"]),
        person("f2", LISTEN, ["fr"]),
        person("f3", SOME, ["fr"]),
        person("f4", FREE, ["fr"]),
        person("f5", SOME, ["fr"]),
        person("f6", LISTEN, ["fr"]),
    ]
    groups = [["l1", "l2", "t1"], ["x", "f1", "f2"], ["f3", "f4", "f5", "f6"]]
    monkeypatch.setattr(grouping, "CHAIN_MAX_STEPS", 1)
    capped = fit(people, groups)
    assert capped.stats_["balanced"] == 0
    assert capped.stats_["balance_capped"] >= 1
    assert {"l1", "l2", "t1"} in final_groups(capped)

    monkeypatch.setattr(grouping, "CHAIN_MAX_STEPS", 1500)
    assert fit(people, groups).stats_["balance_capped"] == 0


def test_stopping_on_the_time_budget_is_recorded() -> None:
    people = [
        person(f"p{i}", (LISTEN, SOME, FREE)[i % 3], ["en"], [f"t{i % 3}"]) for i in range(12)
    ]
    stopped = GroupFormer(seed=0, time_budget=0.0).fit(people)
    assert stopped.stats_["budget_stopped"] == 1.0
    # Cut short, it still places or explains everyone.
    placed = sum(len(group) for group in final_groups(stopped))
    assert placed + len(stopped.waiting_) == len(people)

    assert "budget_stopped" not in GroupFormer(seed=0, time_budget=None).fit(people).stats_


def test_a_pool_that_cannot_be_balanced_stops_being_searched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Five listeners to every talker: most groups must stay lopsided whatever is
    # done. After a probe of two fruitless searches the rest are skipped.
    people = [
        person(f"p{i}", SOME if i % 6 == 0 else LISTEN, ["en"], [f"t{i % 5}", "tea"])
        for i in range(60)
    ]
    monkeypatch.setattr(grouping, "BALANCE_PROBE", 2)
    probed = GroupFormer(seed=0, time_budget=None).fit(people)
    assert probed.stats_["balance_skipped"] > 0
    assert probed.stats_["balance_skipped"] <= probed.stats_["balance_tried"] - 2
    assert sum(len(group) for group in final_groups(probed)) == len(people)
    assert_valid(probed)

    monkeypatch.setattr(grouping, "BALANCE_PROBE", 10_000)
    assert GroupFormer(seed=0, time_budget=None).fit(people).stats_["balance_skipped"] == 0


def test_a_fruitful_repair_is_not_cut_short(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first test's pool: its one search succeeds, so nothing is skipped even
    # with a probe of one.
    people = [
        person("l1", LISTEN, ["en"]),
        person("l2", LISTEN, ["en"]),
        person("t1", SOME, ["en"]),
        person("x", FREE, ["en", "fr"]),
        person("f1", SOME, ["fr"]),
        person("f2", LISTEN, ["fr"]),
        person("f3", SOME, ["fr"]),
        person("f4", FREE, ["fr"]),
        person("f5", SOME, ["fr"]),
        person("f6", LISTEN, ["fr"]),
    ]
    monkeypatch.setattr(grouping, "BALANCE_PROBE", 1)
    former = fit(people, [["l1", "l2", "t1"], ["x", "f1", "f2"], ["f3", "f4", "f5", "f6"]])
    assert former.stats_["balanced"] == 1
    assert former.stats_["balance_skipped"] == 0
