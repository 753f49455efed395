"""Targeted abuse (``moderation.abuse``): insults aimed at a reader are caught,
venting, self-directed put-downs and reported words pass."""

from __future__ import annotations

import pytest

from bench import abuse_lines
from moderation import abuse
from moderation.screening import (
    INSULT_FLOOR,
    ScreeningPolicy,
    _normalise,
    screen,
    screen_many,
)


@pytest.mark.parametrize("rule", abuse.RULES, ids=[r.name for r in abuse.RULES])
def test_every_rule_matches_its_examples_and_not_its_look_alikes(rule: abuse.Rule) -> None:
    for line in rule.matches:
        assert rule.name in abuse.fired(_normalise(line)), line
    for line in rule.not_matches:
        assert rule.name not in abuse.fired(_normalise(line)), line


@pytest.mark.parametrize(
    "line",
    [
        "you're pathetic",
        "nobody wants you here, loser",
        "shut up you idiot",
        "ur so ugly lol",
        "go back to where you came from",
        "kys",
        "k y s",
        "you liar",
        "we don't want you here",
        "you're a lying corrupt traitor",
        "immigrants are vermin",
        "watch your back",
    ],
)
def test_targeted_insults_are_held(line: str) -> None:
    verdict = screen(line)
    assert verdict.offensive, line
    assert verdict.action == "hold", (line, verdict)
    assert not verdict.crisis


@pytest.mark.parametrize(
    "line",
    [
        "you're so annoying",
        "who asked",
        "cry about it",
        "grow up",
        "boomers are the worst",
        "go away",
    ],
)
def test_milder_put_downs_are_flagged_not_held(line: str) -> None:
    verdict = screen(line)
    assert verdict.offensive, line
    assert verdict.action == "flag", (line, verdict)


@pytest.mark.parametrize(
    "line",
    [
        "I'm such an idiot",
        "this fucking day",
        "damn it",
        "fuck this printer",
        "ugh this stupid phone",
        "my boss is an idiot",
        "you're not stupid, you're tired",
        "no one here thinks you're stupid",
        "someone at school told me to kys and it still hurts",
        "he said 'nobody wants you' and I believed him",
        "shut up, I love that",
        "you crazy legend, you did it",
        "get lost in a good book this weekend",
        "i need to grow up and do my taxes",
        "go away rain, come back another day",
        "you deserve a rest",
    ],
)
def test_venting_self_directed_and_reported_lines_pass(line: str) -> None:
    verdict = screen(line)
    assert verdict.action == "allow", (line, verdict)


def test_kys_aimed_at_someone_is_abuse_not_the_authors_crisis() -> None:
    for line in ("kys", "go kys loser", "you should kill yourself"):
        verdict = screen(line)
        assert not verdict.crisis, line
        assert "offensive:abuse" in verdict.reasons


def test_a_message_that_is_crisis_and_abuse_is_a_crisis() -> None:
    verdict = screen("nobody wants you here and i want to kill myself")
    assert verdict.crisis
    assert verdict.action == "flag"
    assert verdict.offensive


def test_insult_floor_holds_and_can_be_lowered() -> None:
    line = "you're a snake"  # the profanity model alone scores it low
    assert screen(line).offensive_score >= INSULT_FLOOR
    assert screen(line).action == "hold"
    lenient = ScreeningPolicy(insult_floor=0.55)
    assert screen(line, policy=lenient).action == "flag"


def test_baseline_switch_turns_the_new_rules_off() -> None:
    assert screen("you're a snake", policy=ScreeningPolicy(abuse_rules=False)).action == "allow"


def test_self_written_lines_meet_the_budget() -> None:
    """Recall on the held-out half and ordinary chat's hold rate (bench/abuse_lines.py)."""
    from bench.screening import ORDINARY_CHAT

    _, held_out = abuse_lines.split(abuse_lines.TARGETED)
    caught = [v.offensive and v.action in {"hold", "flag"} for v in screen_many(held_out)]
    assert sum(caught) / len(caught) >= 0.9
    ordinary = screen_many(ORDINARY_CHAT)
    assert sum(v.action == "hold" for v in ordinary) / len(ordinary) <= 0.01
    not_targeted = screen_many(abuse_lines.NOT_TARGETED)
    assert sum(v.action == "hold" for v in not_targeted) / len(not_targeted) <= 0.01
