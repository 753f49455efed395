"""Crisis patterns added to raise recall, and the look-alikes they must leave alone.

Every sentence here was written for these tests; none comes from a data set.
"""

from __future__ import annotations

import pytest

from moderation.screening import screen, screen_many


@pytest.mark.parametrize(
    ("text", "minimum"),
    [
        # not safe with oneself
        ("I don't trust myself tonight", 3),
        ("i dont feel safe with myself right now", 3),
        ("I'm not safe right now.", 3),
        ("honestly scared of what i might do to myself", 3),
        # means at hand, plans, methods
        ("I've got the pills ready", 4),
        ("i have everything i need to end it", 4),
        ("I know exactly how I would do it", 4),
        ("been thinking of ways to die", 4),
        ("how many pills would kill me", 4),
        # passive wishes, said other ways
        ("wish i was dead", 2),
        ("better off dead tbh", 2),
        ("death can't come soon enough", 2),
        ("can i just die already", 2),
        ("I want to leave this world", 2),
        ("I'd be doing everyone a favour if I died", 2),
        ("i fantasize about dying", 2),
        ("I can't get the thought of dying out of my head", 2),
        ("why bother living", 2),
        ("there's no reason for me to stay", 2),
        ("my head keeps telling me to kill myself", 3),
        ("I attempted last year and I feel like doing it again", 3),
        ("i don't think i'll be here next week", 3),
        # self-harm now
        ("I've been self harming", 3),
        ("i self harmed last night", 3),
        ("I burned my arm on purpose", 3),
        ("im gonna relapse on sh", 2),
        ("I keep having thoughts of hurting myself", 2),
        # hopelessness, elliptical
        ("its too much, i cant anymore", 1),
        ("i don't want to keep going", 1),
        ("idk how much more i can take", 1),
        ("I'm barely holding on", 1),
        ("hanging on by a thread", 1),
        ("I've never felt this low", 1),
        ("fuck this life i want out", 1),
        ("i want to give up.", 1),
        ("I'm done trying", 1),
        ("i want this to be over", 1),
        ("my life seems pointless", 1),
        ("there's nothing left for me", 1),
        ("i should just disappear", 1),
        ("i just want to feel nothing", 1),
    ],
)
def test_new_crisis_phrasings_are_caught(text: str, minimum: int) -> None:
    verdict = screen(text)
    assert verdict.crisis, text
    assert verdict.crisis_severity >= minimum, (text, verdict.reasons)
    assert verdict.action == "flag"


@pytest.mark.parametrize(
    "text",
    [
        "i want to d!e",
        "i want to k!ll myself",
        "i w4nt t0 d1e",
        "i want to diee",
        "I wanna dieeeee",
        "im gonna kms",
        "i really wanna unalive rn",
    ],
)
def test_leetspeak_and_elongation(text: str) -> None:
    assert screen(text).crisis_severity >= 3, text


@pytest.mark.parametrize(
    "text",
    [
        "fucking kill me already",
        "this fucking life, i want to fucking die",
        "i'm so fucking worthless and i dont want to live",
        "screw it, I'm going to k*ll myself tonight",
    ],
)
def test_profane_crisis_is_flagged_not_held(text: str) -> None:
    verdict = screen(text)
    assert verdict.crisis, text
    assert verdict.action == "flag"


@pytest.mark.parametrize(
    "text",
    [
        # negation and history
        "I'm not safe to drive after that wine, getting a taxi",
        "I don't want to die, I want things to get better",
        "I was suicidal in high school but I'm doing better now",
        "I don't trust myself with chocolate in the house",
        "I don't trust myself to cook for ten people",
        # figures of speech and song lyrics
        "this homework is killing me",
        "my feet are killing me after that shift",
        "I'd rather die than sing karaoke",
        "I could sleep forever after that hike",
        "the chorus goes 'I'm barely holding on' and it's stuck in my head",
        # everyday uses of the same words
        "I'm going to end it with him tonight, the relationship is over",
        "I want out of this group chat lol",
        "I want out of my phone contract",
        "I give up on this crossword",
        "I can't go on the trip this weekend",
        "I want to disappear for a week to a cabin",
        "I'm going to jump in the shower",
        "I cut my finger chopping onions",
        "I'm done for the day, goodnight everyone",
        "won't be around tomorrow, I'm at a conference",
        "I don't think I'll be here next week, I'm on holiday",
        "there's nothing left for me to do today, so I'm off",
    ],
)
def test_look_alikes_are_not_crisis(text: str) -> None:
    assert not screen(text).crisis, (text, screen(text).reasons)


@pytest.mark.parametrize(
    "text",
    [
        "My friend said she wants to die, how do I help?",
        "my brother has been self harming and I don't know what to say",
        "he told me he wanted to kill himself last night, what do I do",
        "my sister keeps saying she is better off dead, I'm scared for her",
    ],
)
def test_supportive_third_person_is_not_the_authors_crisis(text: str) -> None:
    verdict = screen(text)
    assert not verdict.crisis, (text, verdict.reasons)
    assert verdict.action != "block"


def test_long_post_is_read_sentence_by_sentence() -> None:
    filler = "Work was fine and I walked the dog after lunch. " * 40
    verdict = screen(filler + "Honestly I don't trust myself tonight. " + filler)
    assert verdict.crisis_severity >= 3


def test_batch_matches_single() -> None:
    texts = ["i want to d!e", "this homework is killing me", "I've got the pills ready"]
    assert screen_many(texts) == [screen(t) for t in texts]
