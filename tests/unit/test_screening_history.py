"""A disclosed past attempt, self-harm or suicidal spell: the "history" kind of severity 1.

Every line here was written for these tests; none comes from a data set.
"""

from __future__ import annotations

import pytest

from moderation.screening import screen, screen_many

#: The author's own past, told without "and it's better now".
HISTORY: tuple[str, ...] = (
    "I attempted suicide two years ago.",
    "I tried to kill myself when I was 19.",
    "As a survivor of two suicide attempts, I know the signs.",
    "I'm a suicide attempt survivor.",
    "Attempted suicide. A friend found me in time.",
    "Last year I nearly killed myself.",
    "I was in hospital after my attempt.",
    "I made a suicide attempt in my twenties.",
    "I used to cut myself.",
    "I self harmed in my teens and it still affects me.",
    "I have a long history of self-harm.",
    "As a kid I used to think about suicide, and I was depressed for a long time.",
    "I thought about killing myself a lot back in school.",
    "I had suicidal thoughts back in college.",
    # words that sound like recovery but are not
    "I used to cut myself, it helped me feel something.",
    "I tried to kill myself in 2019 and I'm not doing ok.",
    "I tried to kill myself in 2019. I no longer talk to my family.",
)

#: History put behind the author, someone else's past, negation, and everyday
#: words that look like it: none of these is a crisis.
NOT_HISTORY: tuple[str, ...] = (
    "I was suicidal years ago and I'm in a much better place now.",
    "I used to self-harm as a teenager, but I've been clean for six years.",
    "I attempted suicide in 2015. Therapy really helped and I'm doing well.",
    "I used to think about dying a lot, things got so much better.",
    "I have never attempted suicide.",
    "My brother attempted suicide last year, how do I support him?",
    "Veterans who attempted suicide deserve better care.",
    "I would do anything to stop a suicide attempt.",
    "I cut myself chopping onions, ouch.",
    "I used to cut my own hair, now I go to a barber.",
    "I nearly killed it at karaoke last night.",
)


@pytest.mark.parametrize("line", HISTORY)
def test_a_past_told_without_recovery_is_the_gentle_tier(line: str) -> None:
    verdict = screen(line)
    assert (verdict.crisis, verdict.crisis_severity) == (True, 1)
    assert "crisis:history" in verdict.reasons
    assert verdict.action == "flag"


@pytest.mark.parametrize("line", NOT_HISTORY)
def test_recovery_other_people_and_negation_are_not_history(line: str) -> None:
    verdict = screen(line)
    assert not verdict.crisis, verdict.reasons


def test_present_crisis_language_keeps_its_own_severity() -> None:
    verdict = screen("I attempted suicide two years ago and I want to die again tonight.")
    assert verdict.crisis_severity >= 3
    assert "crisis:history" not in verdict.reasons


def test_batch_matches_single() -> None:
    lines = HISTORY + NOT_HISTORY
    assert screen_many(lines) == [screen(line) for line in lines]


#: A past told with the recovery after it, by a peer to support someone, or a
#: question put to the reader about their own urges: none is the author's crisis.
SUPPORTERS_SCOPE: tuple[str, ...] = (
    "we have all felt suicidal at times and made it through",
    "i was suicidal in my twenties but i came out the other side",
    "i have been suicidal before and it passed",
    "i used to cut too, what helped me was drawing on my arm",
    "i used to hurt myself as well, you are not alone",
    "how are the urges to cut today?",
    "are the thoughts of suicide any quieter this week?",
)


@pytest.mark.parametrize("line", SUPPORTERS_SCOPE)
def test_a_past_with_recovery_and_a_question_to_the_reader_are_not_crisis(line: str) -> None:
    verdict = screen(line)
    assert not verdict.crisis, verdict.reasons


#: The same past, but back now or not survivable this time: still a crisis.
STILL_CRISIS: tuple[tuple[str, int], ...] = (
    ("i was suicidal two years ago and it is back", 3),
    ("i have been suicidal before and it passed, i am scared it is back now", 3),
    ("i used to cut and now i have started again", 3),
    ("i quit self harming for months but i slipped again tonight", 3),
    ("pulled through it before but i don't think i can this time", 2),
    ("i have felt suicidal for weeks", 3),
    ("i want to cut. are the urges ever going to stop?", 2),
)


@pytest.mark.parametrize(("line", "severity"), STILL_CRISIS)
def test_a_past_that_is_back_stays_a_crisis(line: str, severity: int) -> None:
    verdict = screen(line)
    assert verdict.crisis
    assert verdict.crisis_severity >= severity, verdict.reasons


@pytest.mark.parametrize(
    "line",
    [
        "honestly you all are the only reason i am still here",
        "my dog is the only thing keeping me going",
        "this group is the only reason i'm still breathing",
    ],
)
def test_the_only_reason_i_am_alive_is_the_gentle_tier(line: str) -> None:
    verdict = screen(line)
    assert (verdict.crisis, verdict.crisis_severity) == (True, 1), verdict.reasons
    assert "crisis:hopelessness" in verdict.reasons


@pytest.mark.parametrize(
    "line",
    ["tea is the only reason i am still awake", "the only thing keeping me at work is lunch"],
)
def test_the_only_reason_look_alikes_stay_quiet(line: str) -> None:
    assert not screen(line).crisis
