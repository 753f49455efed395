"""Distress scoring (severity 1) and the broader crisis phrasings.

Every line here was written for these tests; none comes from a data set.
"""

from __future__ import annotations

import pytest

from moderation import screening_lexicon as lex
from moderation.screening import screen, screen_many

#: Strong first-person distress: at least the gentle tier (severity 1).
DISTRESS: tuple[str, ...] = (
    "I hate myself so much",
    "I'm so alone",
    "Nothing will ever get better",
    "I can't do this anymore",
    "I cry every night",
    "I feel so empty inside",
    "There's no reason to keep going",
    "I feel numb all the time",
    "I feel like such a failure at everything, nobody would even care",
    "I've been feeling really down lately, I can't get out of bed and I don't enjoy anything",
    "I don't know why I bother anymore",
    "I feel like I'm just existing, not living",
    "Honestly I feel like a ghost in my own life",
    "I have no friends and my family doesn't talk to me. I feel so lonely",
    "I've been crying for hours and I can't stop",
    "I'm so depressed I can barely function",
    "Everything feels pointless lately",
    "I'm a complete mess and I ruin everything",
    "Nobody ever texts me first, I feel invisible and so alone",
    "I'm drowning and no one notices",
    "I'm so sick of feeling like this",
    "I hate who I've become",
    "i have nothing and no one, whats the point",
    "Work is awful, I'm exhausted, drained and miserable, and nobody cares",
    "I haven't talked to anyone in weeks",
    "I don't have a single friend",
    "No one ever wants to hang out with me",
    "Everyone has someone except me",
    "I've been isolating for months and I don't see the point of anything",
    "I don't belong in this world",
)

#: Sad, tired or lonely talk that is not strong distress, plus negation, other
#: people and history: none of these is a crisis.
NOT_DISTRESS: tuple[str, ...] = (
    "I'm so tired after that hike, lovely day though",
    "I feel so lonely without my cat, she's at the vet overnight",
    "I'm alone at home tonight, anyone want to chat?",
    "I give up on this crossword",
    "I cried at the end of that film, so good",
    "I'm exhausted from moving house but it's done",
    "Feeling a bit down about the rain but the soup helped",
    "I was so depressed last winter but therapy helped a lot",
    "My friend feels worthless and I don't know how to help her",
    "I don't feel hopeless anymore, things are looking up",
    "He said he hates himself, what do I say?",
    "My sister is so lonely since the divorce",
    "I used to cry every night but it's much better now",
    "The character in the book is empty inside, great writing",
    "I'm not depressed, just tired",
    "I'm so done with this week",
    "I'm a mess in the mornings before coffee",
    "I have no energy today, might nap",
    "I'm struggling with this knitting pattern",
    "I'm so tired of this weather, it makes everything feel heavier.",
)

#: Suicidal or self-harm language said indirectly: severity 2 or more.
INDIRECT_CRISIS: tuple[str, ...] = (
    "I came close to killing myself last weekend",
    "Last spring I attempted to end it and the thoughts are back",
    "I keep thinking about driving off the road on the way home",
    "I'm scared of what I might do to myself tonight",
    "I don't trust myself around knives right now",
    "I can't hold on much longer",
    "I've had enough of life",
    "There's no way out except death",
    "I can't wait to die",
    "I punched the wall until my knuckles bled",
    "I have a bottle of vodka and my sleeping pills",
    "I want to jump.",
    "I'm going to do it this time",
    "My family would be better off with the life insurance money",
    "I don't want to do this life thing anymore",
    "I want out of this life",
    "Some days I want to give up and jump off something high",
    "I can't see any way forward except ending it",
    "I don't care if I live or die",
    "What's the least painful way to go",
    "I keep looking at the train tracks",
    "I stopped taking my meds so I can save them up",
    "I wish I had the courage to end it",
    "I'm not going to make it to my birthday",
    "I'm ready to leave this world",
)


@pytest.mark.parametrize("line", DISTRESS)
def test_strong_distress_gets_at_least_the_gentle_tier(line: str) -> None:
    verdict = screen(line)
    assert verdict.crisis, line
    assert verdict.crisis_severity >= 1
    assert verdict.action == "flag"


@pytest.mark.parametrize("line", NOT_DISTRESS)
def test_everyday_low_mood_is_not_distress(line: str) -> None:
    assert not screen(line).crisis, line


@pytest.mark.parametrize("line", INDIRECT_CRISIS)
def test_indirect_crisis_language_is_severity_two_or_more(line: str) -> None:
    verdict = screen(line)
    assert verdict.crisis_severity >= 2, (line, verdict.reasons)
    assert verdict.action == "flag"


def test_distress_alone_is_labelled_and_stays_severity_one() -> None:
    verdict = screen("I'm so alone and I cry every night.")
    assert verdict.crisis_severity == 1
    assert "crisis:distress" in verdict.reasons


def test_one_weak_cue_is_not_enough() -> None:
    # A single ordinary low-mood word never reaches the threshold alone.
    assert all(w < lex.DISTRESS_THRESHOLD for w, _, _ in lex.DISTRESS_CUES[-5:])
    assert not screen("I feel anxious about tomorrow's interview.").crisis


def test_distress_in_a_long_post_is_found_per_sentence() -> None:
    post = (
        "Long day at work and the bus was late again. Dinner was fine. "
        "I don't know, lately I feel so empty and I cry every night. "
        "Anyway, the cat says hi."
    )
    assert screen(post).crisis_severity == 1


def test_third_person_and_negated_distress_in_one_post() -> None:
    post = (
        "My brother says he feels worthless and cries every night. "
        "I'm not hopeless about it, we're getting him help."
    )
    verdict = screen(post)
    assert not verdict.crisis


def test_batch_matches_single() -> None:
    lines = DISTRESS + NOT_DISTRESS + INDIRECT_CRISIS
    assert screen_many(lines) == [screen(t) for t in lines]
