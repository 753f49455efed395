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
    "are the thoughts of suicide any quieter this week?",
    "are your suicidal thoughts any better today?",
    "how are your urges to self harm this week?",
    "how bad are ur urges to cut today?",
    "i used to self harm too. what helped me was holding ice cubes",
    "i used to cut myself as well. it does get easier",
    "we have all been suicidal at some point and got through it",
    "most of us have felt suicidal and made it through, hang in there",
    # a later "but"/"though" that takes nothing back
    "i used to self harm but i got through it. it is hard but you can do it",
    "i tried to kill myself years ago but i recovered, however it took time",
    "i was suicidal as a teen but i made it through, although it was hard. hang in there",
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
    # a recovery before the phrase, negated, or someone else's is no history
    ("i made it through christmas but i have been wanting to die all week", 3),
    ("i was suicidal all week and i do not think i made it through", 3),
    ("i have been suicidal since the breakup, people say it passed for them", 3),
    ("everyone thinks i pulled through but i have been suicidal every day since", 3),
    ("i felt suicidal and got through it but now i want to die again", 3),
    ("i have been suicidal for months and it has not passed", 3),
    ("i was suicidal for weeks, my sister says it passed for her", 3),
    # a question with "i"/"my" in it is the author's own
    ("how bad are the urges to self harm supposed to get before i ask for help?", 2),
    ("are these urges to kill myself normal?", 3),
    # what keeps the author alive, named: ideation, as "the only thing stopping me"
    ("the only thing keeping me from ending it is my mum", 3),
    ("the only thing keeping me here is my cat", 3),
    ("the only reason i am still alive is my son", 3),
    ("my dog is the only thing keeping me alive", 3),
    ("honestly the only reason i'm still here is my little brother", 3),
)


@pytest.mark.parametrize(("line", "severity"), STILL_CRISIS)
def test_a_past_that_is_back_stays_a_crisis(line: str, severity: int) -> None:
    verdict = screen(line)
    assert verdict.crisis
    assert verdict.crisis_severity >= severity, verdict.reasons


#: A question about crisis words with neither "you" nor "i" in it may be the
#: author's own ("are these suicidal thoughts normal?") or put to the reader: it
#: stays a crisis, at the gentle tier.
OPEN_QUESTIONS: tuple[str, ...] = (
    "are these suicidal thoughts normal?",
    "any suicidal thoughts today?",
    "is the wanting to die ever going to stop?",
    "how strong are the urges to die supposed to get?",
    "how are the urges to cut today?",
    "are those thoughts of killing myself ever going away?",
)


@pytest.mark.parametrize("line", OPEN_QUESTIONS)
def test_a_question_not_put_to_the_reader_is_never_dropped(line: str) -> None:
    verdict = screen(line)
    assert verdict.crisis, verdict.reasons
    assert verdict.crisis_severity >= 1


#: A disclosed attempt or self-harm with support words that are not in its
#: sentence, or a bare "all of us": the history tier stands. An attempt or
#: overdose stays even with support in the same sentence.
HISTORY_WITH_SUPPORT_NEARBY: tuple[str, ...] = (
    "i tried to kill myself last year and nobody knows. all of us pretend to be fine",
    "i overdosed a few years back. hang in there everyone",
    "i tried to kill myself in 2019 and nobody knows, hang in there guys",
    "i attempted suicide when i was 19. sending love to all of you",
    "i used to cut myself. all of us are a mess here",
    "i tried to kill myself too. hang in there",
    "everyone thinks i pulled through but i was cutting myself last night",
    # "too" answers someone only when nothing later says it goes on
    "i used to self harm too. i still do",
    "i used to cut myself too, and i still do",
    "i used to self harm too, tonight i will again",
    "i used to think about suicide too, lately it is every day",
    # "to" is not "too"
    "i self harmed to feel something",
    "i used to self harm to feel something and i want to again",
    "history of self harm to be fair",
    # a recovery the author takes back
    "i attempted suicide in 2019, i was doing better for a while but not now",
    "i used to self harm. i was doing ok until last week",
    "i used to self harm, i was doing fine. it came back",
    "i had suicidal thoughts last year, everyone says i am doing better but i am not",
)


@pytest.mark.parametrize("line", HISTORY_WITH_SUPPORT_NEARBY)
def test_peer_support_elsewhere_does_not_put_away_a_disclosed_past(line: str) -> None:
    verdict = screen(line)
    assert verdict.crisis, verdict.reasons
    assert verdict.crisis_severity >= 1


@pytest.mark.parametrize(
    "line",
    [
        "honestly you all are the only reason i am still here",
        "you guys are the only reason i am still alive",
        "you lot are the only ones keeping me here",
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
