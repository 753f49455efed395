"""Unit tests for matching.grouping on tiny literal pools."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from matching.explain import Reason, english, learned_reason, reasons
from matching.grouping import (
    WAIT_REASONS,
    Candidate,
    GroupFormer,
    GroupingResult,
    form_groups,
)


def run(candidates: Sequence[Candidate], **kwargs: object) -> GroupingResult:
    """form_groups with a deterministic budget (no wall-clock time box)."""
    return form_groups(list(candidates), time_budget=None, **kwargs)  # type: ignore[arg-type]


def groups_of(result: GroupingResult) -> list[set[int | str]]:
    return [set(group.member_ids) for group in result.groups]


def assert_everyone_once(candidates: Sequence[Candidate], result: GroupingResult) -> None:
    placed = [uid for group in result.groups for uid in group.member_ids]
    assert len(placed) == len(set(placed))
    assert set(placed).isdisjoint(result.waiting)
    assert set(placed) | set(result.waiting) == {c.user_id for c in candidates}


def test_people_without_a_shared_language_are_never_grouped_together() -> None:
    people = [Candidate(i, ["tea", "walks"], languages=["en"]) for i in range(3)]
    people += [Candidate(10 + i, ["tea", "walks"], languages=["fr"]) for i in range(3)]
    result = run(people)
    assert sorted(map(sorted, groups_of(result))) == [[0, 1, 2], [10, 11, 12]]
    assert result.waiting == {}


def test_a_group_needs_one_language_everyone_speaks_not_just_pairwise() -> None:
    # Every pair shares a language but no language is shared by all three.
    people = [
        Candidate(1, ["tea"], languages=["en", "fr"]),
        Candidate(2, ["tea"], languages=["fr", "de"]),
        Candidate(3, ["tea"], languages=["de", "en"]),
    ]
    result = run(people)
    assert result.groups == []
    assert set(result.waiting.values()) == {"too_few_compatible"}


def test_time_overlap_is_judged_in_utc_across_time_zones() -> None:
    london_evening = [
        Candidate(f"l{i}", ["chess"], timezone="Europe/London", availability=["weekday_evening"])
        for i in range(2)
    ]
    # New York afternoons (12-17 local, 17-22 UTC in winter) meet London evenings.
    new_york = Candidate(
        "ny", ["chess"], timezone="America/New_York", availability=["weekday_afternoon"]
    )
    # Tokyo evenings (08-13 UTC) meet neither.
    tokyo = Candidate("tk", ["chess"], timezone="Asia/Tokyo", availability=["weekday_evening"])
    result = run([*london_evening, new_york, tokyo])
    assert groups_of(result) == [{"l0", "l1", "ny"}]
    assert result.waiting == {"tk": "no_shared_time"}


def test_slow_pace_people_need_no_shared_time() -> None:
    people = [
        Candidate(1, ["poetry"], pace="slow", availability=["weekday_morning"]),
        Candidate(2, ["poetry"], pace="slow", availability=["weekend_evening"]),
        Candidate(3, ["poetry"], pace="slow", availability=[]),
    ]
    result = run(people)
    assert groups_of(result) == [{1, 2, 3}]


def test_live_members_of_a_mixed_pace_group_still_share_hours() -> None:
    people = [
        Candidate(1, ["poetry"], pace="slow", availability=[]),
        Candidate(2, ["poetry"], availability=["weekday_morning"]),
        Candidate(3, ["poetry"], availability=["weekend_evening"]),
    ]
    result = run(people)
    assert result.groups == []


def test_nobody_meets_someone_who_lists_a_topic_they_avoid() -> None:
    people = [
        Candidate(1, ["grief", "gardening"]),
        Candidate(2, ["gardening"], avoid_topics=["grief"]),
        Candidate(3, ["gardening"]),
        Candidate(4, ["gardening"]),
        Candidate(5, ["gardening", "grief"]),
        Candidate(6, ["gardening"]),
    ]
    result = run(people)
    for group in groups_of(result):
        assert not (2 in group and (1 in group or 5 in group))
    assert_everyone_once(people, result)


def test_listeners_are_never_a_strict_majority_when_avoidable() -> None:
    people = [Candidate(i, ["films"], talk_style="listen_first") for i in range(4)]
    people += [Candidate(10 + i, ["films"], talk_style="share_some") for i in range(4)]
    result = run(people)
    styles = {c.user_id: c.talk_style for c in people}
    assert len(result.groups) == 2
    for group in result.groups:
        listeners = sum(styles[u] == "listen_first" for u in group.member_ids)
        assert 2 * listeners <= len(group.member_ids)


def test_groups_do_not_all_share_one_talk_style_when_avoidable() -> None:
    people = [Candidate(i, ["films"], talk_style="share_some") for i in range(4)]
    people += [Candidate(10 + i, ["films"], talk_style="talk_freely") for i in range(4)]
    result = run(people)
    styles = {c.user_id: c.talk_style for c in people}
    for group in result.groups:
        assert len({styles[u] for u in group.member_ids}) > 1


def test_size_target_is_five_for_people_happy_with_six() -> None:
    people = [Candidate(i, ["music"]) for i in range(10)]
    result = run(people)
    assert sorted(len(g.member_ids) for g in result.groups) == [5, 5]


def test_preferred_maximum_group_size_is_honoured() -> None:
    people = [Candidate(i, ["music"], max_group_size=3) for i in range(9)]
    people += [Candidate(100 + i, ["music"], max_group_size=4) for i in range(4)]
    result = run(people)
    limit = {c.user_id: c.max_group_size for c in people}
    for group in result.groups:
        assert all(len(group.member_ids) <= limit[u] for u in group.member_ids)
    assert result.waiting == {}


def test_min_and_max_size_bounds_are_respected() -> None:
    people = [Candidate(i, ["music"]) for i in range(7)]
    result = run(people, min_size=3, max_size=3)
    assert all(len(g.member_ids) == 3 for g in result.groups)
    assert len(result.waiting) == 1
    assert set(result.waiting.values()) == {"compatible_groups_full"}


def test_similar_people_end_up_together() -> None:
    people = [Candidate(i, ["knitting", "tea", "cats"]) for i in range(3)]
    people += [Candidate(10 + i, ["football", "beer", "racing"]) for i in range(3)]
    result = run(people)
    assert sorted(map(sorted, groups_of(result))) == [[0, 1, 2], [10, 11, 12]]
    assert all(group.score == pytest.approx(1.0) for group in result.groups)


def test_same_seed_gives_the_same_groups() -> None:
    people = [
        Candidate(
            i,
            [f"t{i % 5}", f"t{i % 7}", f"t{i % 3}"],
            talk_style=("listen_first", "share_some", "talk_freely")[i % 3],
        )
        for i in range(40)
    ]
    first, second = run(people, seed=7), run(people, seed=7)
    assert groups_of(first) == groups_of(second)
    assert first.waiting == second.waiting


@pytest.mark.parametrize(
    ("people", "code"),
    [
        ([Candidate(1, ["a"]), Candidate(2, ["a"])], "pool_too_small"),
        (
            [Candidate(i, ["a"]) for i in range(3)] + [Candidate(9, ["a"], languages=["de"])],
            "no_shared_language",
        ),
        (
            [Candidate(i, ["a"], availability=["weekday_morning"]) for i in range(3)]
            + [Candidate(9, ["a"], availability=["weekend_evening"])],
            "no_shared_time",
        ),
        (
            [Candidate(i, ["a", "grief"]) for i in range(3)]
            + [Candidate(9, ["a"], avoid_topics=["grief"])],
            "avoid_conflicts",
        ),
        (
            [Candidate(i, ["a"]) for i in range(3)]
            + [Candidate(8, ["a"], languages=["en", "de"]), Candidate(9, ["a"], languages=["de"])],
            "too_few_compatible",
        ),
    ],
)
def test_everyone_left_waiting_gets_a_reason(people: list[Candidate], code: str) -> None:
    result = run(people)
    assert_everyone_once(people, result)
    assert code in result.waiting.values()
    assert set(result.waiting.values()) <= set(WAIT_REASONS)


def test_every_reason_code_has_kind_words() -> None:
    assert {
        "pool_too_small",
        "no_shared_language",
        "no_shared_time",
        "avoid_conflicts",
        "too_few_compatible",
        "compatible_groups_full",
    } == set(WAIT_REASONS)
    assert all(text.endswith(".") and len(text) < 200 for text in WAIT_REASONS.values())


def test_empty_pool_and_duplicate_ids() -> None:
    assert run([]).groups == []
    with pytest.raises(ValueError, match="duplicate"):
        run([Candidate(1, ["a"]), Candidate(1, ["b"]), Candidate(2, ["c"])])
    with pytest.raises(ValueError, match="min_size"):
        GroupFormer(min_size=4, max_size=3)
    with pytest.raises(ValueError, match="max_size"):
        GroupFormer(min_size=3, max_size=7)


def test_shared_interests_are_most_specific_first_and_summary_is_warm() -> None:
    background = [Candidate(100 + i, ["long-walks"], languages=["fr"]) for i in range(6)]
    people = [
        Candidate(i, ["long-walks", "cozy-mysteries"], pace="slow", support_style="just_listen")
        for i in range(3)
    ]
    result = run(people + background, labels={"cozy-mysteries": "cozy mysteries"})
    group = next(g for g in result.groups if 0 in g.member_ids)
    assert group.shared_interests == ["cozy-mysteries", "long-walks"]
    assert (
        group.summary
        == "You all enjoy cozy mysteries and long walks. Everyone prefers a slow pace."
    )
    # The same, sentence by sentence, for each reader's language: whole sentences
    # with their values, the interests as their English labels (the catalogues' msgids).
    assert group.reasons == [
        Reason("You all enjoy %(interests)s.", {"interests": ("cozy mysteries", "long walks")}),
        Reason("Everyone prefers a slow pace."),
    ]


def test_reasons_are_whole_sentences_for_every_mix_of_interests_and_comfort() -> None:
    most = [["chess", "go"], ["chess", "go"], ["chess"]]
    assert reasons(most, ["chess", "go"], support_styles=["open_to_advice"] * 3) == [
        Reason("You all enjoy %(interests)s.", {"interests": ("chess",)}),
        Reason("Most of you also enjoy %(interests)s.", {"interests": ("go",)}),
        Reason("Everyone is open to a little advice."),
    ]
    assert reasons([["go"], ["go"], ["chess"]], ["go"], paces=["live", "live", "slow"]) == [
        Reason("Most of you enjoy %(interests)s.", {"interests": ("go",)})
    ]
    nothing = reasons([["a"], ["b"]], [])
    assert nothing == [
        Reason("You were matched on a similar outlook and a time that suits you all.")
    ]
    assert english(nothing) == nothing[0].msgid
    learned = learned_reason(["a similar pace", "similar comfort with sharing"])
    assert learned == Reason(
        "We also weighed what has helped groups like yours go well: %(reasons)s.",
        {"reasons": ("a similar pace", "similar comfort with sharing")},
    )
    assert learned.english().endswith("a similar pace and similar comfort with sharing.")
    assert learned_reason([]) is None


def test_interests_from_any_vocabulary_match() -> None:
    people = [Candidate(i, ["Ägyptologie", "🧶 Knitting"]) for i in range(3)]
    people += [Candidate(10 + i, ["футбол"]) for i in range(3)]
    result = run(people)
    assert sorted(map(sorted, groups_of(result))) == [[0, 1, 2], [10, 11, 12]]
    group = next(g for g in result.groups if 0 in g.member_ids)
    assert set(group.shared_interests) == {"ägyptologie", "🧶 knitting"}


def test_string_and_int_ids_both_work() -> None:
    people = [Candidate("a", ["x"]), Candidate("b", ["x"]), Candidate(3, ["x"])]
    result = run(people)
    assert_everyone_once(people, result)


def test_given_groups_that_break_rules_are_repaired() -> None:
    people = [Candidate(i, ["tea"], languages=["en"]) for i in range(4)]
    people += [Candidate(10 + i, ["tea"], languages=["fr"]) for i in range(4)]
    mixed = [[0, 1, 4, 5], [2, 3, 6, 7]]  # indexes: every group mixes languages
    former = GroupFormer(time_budget=None).fit(people, initial_groups=mixed, improve=False)
    result = former.result_
    assert_everyone_once(people, result)
    languages = {c.user_id: c.languages[0] for c in people}
    for group in result.groups:
        assert len({languages[u] for u in group.member_ids}) == 1


def test_a_tiny_time_budget_still_returns_a_complete_valid_answer() -> None:
    people = [Candidate(i, [f"t{i % 4}", f"t{i % 6}"]) for i in range(30)]
    result = form_groups(people, time_budget=0.0)
    assert_everyone_once(people, result)
    assert all(3 <= len(g.member_ids) <= 6 for g in result.groups)
