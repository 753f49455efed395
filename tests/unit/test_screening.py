"""Unit tests for the pure screening module (crisis, offensive, contact details).

Every line here was written for these tests; none comes from a data set.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.screening import ORDINARY_CHAT
from moderation.screening import (
    EXPLANATIONS,
    FLAG_THRESHOLD,
    HOLD_THRESHOLD,
    ScreeningPolicy,
    Verdict,
    explanation_for,
    screen,
    screen_many,
)

ACTIONS = {"allow", "flag", "hold", "block"}

# --- crisis corpus --------------------------------------------------------------

#: Self-written crisis lines across kinds and spellings. None may be missed,
#: held or blocked.
CRISIS_LINES: tuple[str, ...] = (
    "I want to kill myself.",
    "i want to die",
    "I just want to die tbh",
    "I want to f***ing die",
    "I want to fucking die, I'm so done",
    "honestly i wanna d1e",
    "I want to diiiie",
    "su1cide is the only way out for me",
    "feeling suicidal again tonight",
    "Suicidal thoughts all day, every day.",
    "im suicidal",
    "I've been thinking about killing myself a lot.",
    "I can't stop thinking about suicide",
    "gonna kms",
    "kms fr",
    "I want to unalive myself",
    "Been thinking about ending it all.",
    "I'm going to end it tonight.",
    "I've decided to kill myself this weekend.",
    "I've been saving my pills for a while now.",
    "I have enough pills saved up to do it.",
    "I took all my pills, I'm sorry.",
    "I just swallowed a whole bottle of sleeping pills",
    "How many paracetamol would it take to die?",
    "what's the most painless way to kill myself",
    "I bought a rope today.",
    "I'm standing on the bridge and I'm ready to jump.",
    "I cut too deep and the bleeding won't stop.",
    "This is my last message, thank you all for everything.",
    "By the time you read this I'll be gone.",
    "I won't be here tomorrow. Please take care of my cat.",
    "Goodbye everyone. I love you all. I'm sorry for everything.",
    "I've written my suicide note.",
    "I don't want to wake up tomorrow.",
    "I hope I don't wake up.",
    "I wish I was dead.",
    "I wish I'd never been born.",
    "Everyone would be better off without me.",
    "my family would be happier without me",
    "Nobody would even notice if I was gone.",
    "I'm a burden to everyone around me.",
    "I don't want to be here anymore.",
    "I don't want to exist anymore.",
    "There's no reason to keep living.",
    "What's the point of living?",
    "I'm so tired of being alive.",
    "I don't want to live anymore",
    "I want to go to sleep and never wake up.",
    "I have the urge to cut myself again.",
    "I've been cutting again.",
    "I relapsed and cut last night.",
    "I burned myself on purpose with a lighter.",
    "I keep hurting myself and I can't stop.",
    "I feel completely hopeless.",
    "I can't do this anymore.",
    "Nothing is ever going to get better.",
    "I hate myself so much.",
    "I'm worthless.",
    "I give up on life.",
    "I'm better off dead.",
    "I'd rather be dead than go on like this.",
    "sometimes I think about jumping in front of a train",
    "I might as well kill myself.",
    "I should just kill myself lol",
    "please someone kill me",
    "I'M GOING TO KILL MYSELF",
    "I’m going to kill myself",
    "I don’t want to be alive anymore",
    "I want to die but I'm scared",
    "I'm not okay, I want to die.",
    "I don't know why but I feel suicidal",
    "Anyone else feel like they want to die every night?",
    "every day I think about dying",
    "i want to k i l l myself",
    "I want to kil myself",
    "I'm thinking of taking my own life",
    "my plan is to overdose tonight",
    "I want it all to end.",
    "i can't keep living like this",
    "I just want to disappear forever.",
)


@pytest.mark.parametrize("line", CRISIS_LINES)
def test_crisis_corpus_is_never_missed_held_or_blocked(line: str) -> None:
    verdict = screen(line)
    assert verdict.crisis, line
    assert verdict.crisis_severity >= 1
    assert verdict.action == "flag"
    assert "crisis" in verdict.reasons


def test_crisis_corpus_size_and_batch() -> None:
    assert len(CRISIS_LINES) >= 50
    verdicts = screen_many(CRISIS_LINES)
    assert all(v.crisis and v.action not in {"hold", "block"} for v in verdicts)


# --- severity -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "severity"),
    [
        ("I've been saving my pills.", 4),
        ("I'm going to kill myself tonight.", 4),
        ("I took 30 pills an hour ago.", 4),
        ("I have a plan to end my life.", 4),
        ("I want to kill myself.", 3),
        ("I'm suicidal.", 3),
        ("I cut myself again last night.", 3),
        ("I wish I was dead.", 2),
        ("Everyone would be better off without me.", 2),
        ("I really want to hurt myself right now.", 2),
        ("I feel so hopeless.", 1),
        ("I can't take this anymore.", 1),
    ],
)
def test_severity_levels(line: str, severity: int) -> None:
    verdict = screen(line)
    assert verdict.crisis
    assert verdict.crisis_severity == severity, verdict


def test_ideation_with_means_escalates_to_four() -> None:
    assert screen("I want to die. I have the pills right here.").crisis_severity == 4


def test_reason_names_the_kind() -> None:
    assert "crisis:means" in screen("I've been stockpiling my meds.").reasons
    assert (
        "crisis:goodbye" in screen("This is my last message, thank you all for everything.").reasons
    )
    assert "crisis:self_harm" in screen("I want to cut myself").reasons


# --- negation, third person, figures of speech ------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "I'm not suicidal anymore, just tired.",
        "I'm not suicidal, just having a rough week.",
        "I don't want to die, I just want to feel better.",
        "I would never kill myself, don't worry.",
        "I'm not going to hurt myself.",
        "I used to self-harm but I've been clean for two years.",
        "I no longer want to die, therapy helped.",
    ],
)
def test_negated_crisis_language_is_not_a_crisis(line: str) -> None:
    verdict = screen(line)
    assert not verdict.crisis, verdict
    assert verdict.action == "allow"


@pytest.mark.parametrize(
    "line",
    [
        "My friend said she wanted to die, how do I help?",
        "My brother told me he wants to kill himself. What should I do?",
        "She keeps saying she is suicidal and I'm scared for her.",
        'My roommate texted me "I want to die" last night, how do I support him?',
    ],
)
def test_helper_worried_about_someone_else_is_not_the_author_in_crisis(line: str) -> None:
    # Decision (documented in the module docstring): the author is a helper,
    # not the person at risk. crisis stays False, but the verdict says so.
    verdict = screen(line)
    assert not verdict.crisis
    assert verdict.third_party_concern
    assert "third_party_concern" in verdict.reasons
    assert verdict.action == "allow"
    assert explanation_for(verdict) == EXPLANATIONS["third_party_concern"]


def test_policy_can_flag_third_party_concern() -> None:
    policy = ScreeningPolicy(flag_third_party_concern=True)
    verdict = screen("My friend said she wanted to die, how do I help?", policy=policy)
    assert verdict.action == "flag"
    assert not verdict.crisis


@pytest.mark.parametrize(
    "line",
    [
        "This traffic is killing me.",
        "I'd kill for a coffee.",
        "My phone died.",
        "I nearly died laughing.",
        "I want to dye my hair blue.",
        "I'm dying to see that film.",
        "Suicide rates among veterans are a real problem.",
        "My sister will kill me if I'm late.",
        "I'm so tired of this weather.",
        "Last message from me tonight, see you tomorrow!",
        "I ran 10 kms today.",
    ],
)
def test_figures_of_speech_and_topics_are_not_a_crisis(line: str) -> None:
    assert not screen(line).crisis, line


def test_ordinary_chat_false_alarm_rate_is_low() -> None:
    verdicts = screen_many(ORDINARY_CHAT)
    alarms = [t for t, v in zip(ORDINARY_CHAT, verdicts, strict=True) if v.crisis]
    assert len(ORDINARY_CHAT) >= 150
    assert len(alarms) / len(ORDINARY_CHAT) <= 0.03, alarms


# --- crisis beats everything --------------------------------------------------------


def test_profane_crisis_is_flagged_not_held() -> None:
    verdict = screen("I want to f***ing die, fuck everything")
    assert verdict.crisis
    assert verdict.action == "flag"


def test_crisis_with_contact_details_is_flagged_and_reports_both() -> None:
    verdict = screen("I want to kill myself, text me on 555 123 4567")
    assert verdict.crisis
    assert verdict.contact_details
    assert verdict.action == "flag"
    assert "crisis" in verdict.reasons
    assert "contact_details" in verdict.reasons


def test_crisis_with_targeted_abuse_is_still_flagged() -> None:
    verdict = screen("fuck you all, I'm going to kill myself")
    assert verdict.crisis
    assert verdict.offensive
    assert verdict.action == "flag"


@pytest.mark.parametrize(
    "line", ["wish i could just die in my sleep", "i want to just die", "i'd rather just die"]
)
def test_a_wish_to_die_is_not_read_as_abuse(line: str) -> None:
    verdict = screen(line)
    assert verdict.crisis
    assert not verdict.offensive, verdict.reasons


# --- offensive language -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "I'm so f***ing tired of this.",
        "This week has been shit.",
        "Fuck, I forgot my keys again.",
        "I'm such an idiot, I missed the bus.",
        "Damn, this printer is a piece of junk.",
        "That gig was fucking brilliant.",
        "You're not stupid, you're doing your best.",
        "You are not a burden.",
        "Please don't kill yourself, we care about you.",
    ],
)
def test_venting_and_self_directed_swearing_pass(line: str) -> None:
    verdict = screen(line)
    assert verdict.action == "allow", verdict
    assert not verdict.offensive


@pytest.mark.parametrize(
    "line",
    [
        "You're a stupid bitch.",
        "fuck you, nobody wants you here",
        "kill yourself",
        "kys loser",
        "Shut the fuck up, you pathetic idiot.",
        "Everyone in this group is a fucking loser.",
        "I hope you die.",
        "why don't you just die",
        "go die",
    ],
)
def test_targeted_abuse_is_held(line: str) -> None:
    verdict = screen(line)
    assert verdict.offensive
    assert verdict.action == "hold", verdict
    assert "offensive" in verdict.reasons


def test_thresholds_are_exposed_and_adjustable() -> None:
    assert 0 < FLAG_THRESHOLD < HOLD_THRESHOLD <= 1
    line = "You're so annoying."
    default = screen(line)
    strict = screen(line, policy=ScreeningPolicy(flag_threshold=0.1, hold_threshold=0.2))
    lenient = screen(
        line, policy=ScreeningPolicy(flag_threshold=0.99, hold_threshold=1.0, targeted_floor=0.0)
    )
    assert strict.action == "hold"
    assert lenient.action == "allow"
    assert default.action in {"flag", "hold"}


# --- contact details -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "email me at sam.smith@example.com",
        "my email is sam dot smith at gmail dot com",
        "samsmith (at) outlook (dot) com",
        "call me on 07700 900123",
        "text me at 555-123-4567",
        "my number is five five five one two three four",
        "ring me: double seven zero, zero nine zero, zero one two three",
        "my number is 555 l23 4567",
        "find me at sam-writes.net",
        "instagram.com/sammy_22",
        "t.me/sammy",
        "add me on insta",
        "Add me on snap: sammy_22",
        "@sammy_22 on twitter",
        "dm me",
        "let's move this to discord",
        "what's your whatsapp?",
        "my number is in my bio",
        "hit me up on telegram",
    ],
)
def test_contact_details_are_blocked(line: str) -> None:
    verdict = screen(line)
    assert verdict.contact_details, line
    assert verdict.action == "block"
    assert "contact_details" in verdict.reasons
    assert explanation_for(verdict) == EXPLANATIONS["contact_details"]


@pytest.mark.parametrize(
    "line",
    [
        "If you're struggling, call 988 or text HOME to 741741.",
        "Samaritans are on 116 123, day or night.",
        "In the UK you can call 111 or 999 in an emergency.",
        "The old US lifeline was 1-800-273-8255.",
        "See 988lifeline.org or samaritans.org for more.",
        "Meet at 10:30 on 12/05/2024, tickets are $1,200.",
        "I was born in 1994 and moved in 2019 2020.",
        "It took 3-4 weeks and cost 250 pounds.",
        "Population is 1 000 000 people.",
        "Count with me: 1 2 3 4 5 6 7 8",
        "I deleted instagram and feel better.",
        "My phone died at 5pm.",
        "I'm at home, call it a night.",
        "Chapter 11, page 245, line 12.",
    ],
)
def test_crisis_lines_times_and_ordinary_numbers_are_not_contact_details(line: str) -> None:
    verdict = screen(line)
    assert not verdict.contact_details, line
    assert verdict.action == "allow"


def test_known_handles_are_mentions_not_contact_details() -> None:
    policy = ScreeningPolicy(known_handles=frozenset({"river_fox"}))
    assert screen("@river_fox thanks for that", policy=policy).action == "allow"
    assert screen("@river_fox thanks for that").contact_details


# --- shape, API and explanations -------------------------------------------------------------


def test_verdict_is_frozen_and_serialisable() -> None:
    verdict = screen("hello there")
    assert isinstance(verdict, Verdict)
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.action = "block"  # type: ignore[misc]
    assert hash(verdict) == hash(screen("hello there"))
    data = json.loads(json.dumps(verdict.to_dict()))
    assert data["action"] == "allow"
    assert set(data) >= {
        "crisis",
        "crisis_severity",
        "offensive",
        "contact_details",
        "action",
        "reasons",
    }


def test_allow_has_no_reasons_or_explanation() -> None:
    verdict = screen("Good morning everyone!")
    assert verdict == Verdict(
        crisis=False,
        crisis_severity=0,
        offensive=False,
        contact_details=False,
        action="allow",
        reasons=[],
        offensive_score=verdict.offensive_score,
        language="en",
    )
    assert verdict.explanation is None


def test_explanations_are_short_and_calm() -> None:
    assert {"contact_details", "held_for_review", "crisis"} <= set(EXPLANATIONS)
    for text in EXPLANATIONS.values():
        assert 20 < len(text) < 400
        assert "!" not in text
    assert explanation_for(screen("you're a stupid bitch")) == EXPLANATIONS["held_for_review"]
    assert explanation_for(screen("I want to die")) == EXPLANATIONS["crisis"]


def test_screen_many_equals_screen_one_by_one() -> None:
    texts = [*CRISIS_LINES[:10], *ORDINARY_CHAT[:20], "you're a stupid bitch", "dm me", "", "   "]
    assert screen_many(texts) == [screen(t) for t in texts]


def test_screen_many_accepts_any_iterable_and_empty() -> None:
    assert screen_many([]) == []
    assert [v.action for v in screen_many(t for t in ("hi", "dm me"))] == ["allow", "block"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_screen_never_raises_and_returns_valid_fields(text: str) -> None:
    verdict = screen(text)
    assert verdict.action in ACTIONS
    assert 0 <= verdict.crisis_severity <= 4
    assert verdict.crisis == (verdict.crisis_severity > 0)
    assert 0.0 <= verdict.offensive_score <= 1.0
    assert all(isinstance(r, str) for r in verdict.reasons)
    if verdict.crisis:
        assert verdict.action == "flag"
    elif verdict.contact_details:
        assert verdict.action == "block"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), max_size=8))
def test_screen_many_never_raises(texts: list[str]) -> None:
    assert len(screen_many(texts)) == len(texts)


PROFANITY_SAMPLES = [
    "hello there, how was your day?",
    "you are a stupid idiot",
    "this week has been shit shit shit",
    "fuck off",
    "",
    "!!! ???",
    "Café au lait, naïve résumé, ça va?",
    "I hate hate HATE mondays, honestly what a damn mess",
    "The quick brown fox jumps over the lazy dog " * 20,
    "stfu n00b, go away loser",
    "thank you all, this group feels like a warm kitchen",
]


def test_profanity_fast_paths_match_the_library() -> None:
    from profanity_check import predict_prob

    from moderation.screening import _LinearProfanity, _profanity_model

    model = _profanity_model()
    assert isinstance(model, _LinearProfanity), "the fast scorer reproduces the library"
    expected = [float(p) for p in predict_prob(PROFANITY_SAMPLES)]
    one_by_one = [model([text])[0] for text in PROFANITY_SAMPLES]
    batched = model(PROFANITY_SAMPLES)  # more than FEW: the vectorizer path
    assert len(PROFANITY_SAMPLES) > _LinearProfanity.FEW
    assert one_by_one == pytest.approx(expected, abs=1e-9)
    assert batched == pytest.approx(expected, abs=1e-9)
