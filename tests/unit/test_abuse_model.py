"""The learned targeted-abuse layer (``moderation.abuse_model``): insults in everyday
words aimed at a reader are flagged (never held), while support, banter, venting,
self-directed put-downs and reported or negated insults pass."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import abuse_lines
from moderation import abuse_model
from moderation.screening import ScreeningPolicy, _normalise, screen, screen_many

# Written for these tests (not training lines, not bench lines): put-downs the rules'
# word lists don't hold.
EVERYDAY_PUT_DOWNS = (
    "nobody in their right mind would ever want to be around you",
    "everyone is sick of hearing you moan",
    "you are the reason everyone is leaving",
)
# Second person, but not aimed at the reader as abuse; and no second person at all.
NOT_AIMED = (
    "you matter so much to all of us",
    "you are not a burden, never think that",
    "thank you for being so patient with me",
    "no way, you passed?! you absolute legend",
    "my brother told me you're worthless when i was a kid",
    "nobody will ever love me, that's how it feels",
    "i'm such a muppet, left my wallet at home again",
    "this stupid bus is late again",
)


def test_training_file_parses_and_has_both_kinds() -> None:
    lines = abuse_model.read_lines()
    labels = {label for label, _ in lines}
    assert labels == {0, 1}
    assert min(sum(1 for lab, _ in lines if lab == k) for k in (0, 1)) >= 100


def test_no_benchmark_line_is_a_training_line() -> None:
    def fold(text: str) -> str:
        return " ".join(re.findall(r"\w+", text.casefold()))

    bench = {
        fold(t)
        for name in (
            "TARGETED",
            "NOT_TARGETED",
            "HELD_OUT_TARGETED",
            "HELD_OUT_NOT_TARGETED",
            "FRESH_TARGETED",
            "FRESH_NOT_TARGETED",
        )
        for t in getattr(abuse_lines, name)
    }
    assert [t for _, t in abuse_model.read_lines() if fold(t) in bench] == []


def test_a_bad_training_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "abuse.tsv"
    bad.write_text("# comment\n1\tyou are awful\n2\tnot a label\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"abuse.tsv:3"):
        abuse_model.read_lines(bad)


def test_point_is_within_the_budget_on_out_of_fold_predictions() -> None:
    info = abuse_model.status()
    assert abuse_model.MIN_POINT <= info["point"] < 1.0
    assert info["out_of_fold"]["false_alarms"] <= abuse_model.NEGATIVE_BUDGET
    assert info["out_of_fold"]["recall"] > 0.3
    assert len(info["data_sha256"]) == 64


@pytest.mark.parametrize("line", EVERYDAY_PUT_DOWNS)
def test_everyday_put_downs_are_flagged_not_held(line: str) -> None:
    learned = screen(line)
    rules_only = screen(line, policy=ScreeningPolicy(abuse_model=False))
    assert rules_only.action == "allow", (line, rules_only)  # the rules miss it
    assert learned.action == "flag", (line, learned)
    assert learned.offensive
    assert "offensive:learned" in learned.reasons
    assert not learned.crisis


@pytest.mark.parametrize("line", NOT_AIMED)
def test_support_banter_venting_and_reported_words_pass(line: str) -> None:
    verdict = screen(line)
    assert "offensive:learned" not in verdict.reasons, (line, verdict)


def test_switching_the_layer_off_restores_the_rules_alone() -> None:
    off = screen_many(EVERYDAY_PUT_DOWNS, policy=ScreeningPolicy(abuse_model=False))
    assert all("offensive:learned" not in v.reasons for v in off)


def test_addresses_reader_scopes_negation_and_reported_words() -> None:
    assert abuse_model.addresses_reader(_normalise("you're the worst"))
    assert not abuse_model.addresses_reader(_normalise("he said you're the worst"))
    assert not abuse_model.addresses_reader(_normalise("nobody thinks you're the worst"))
    assert not abuse_model.addresses_reader(_normalise("i'm the worst at this"))


def test_ordinary_chat_is_not_flagged_by_the_layer() -> None:
    from bench.screening import ORDINARY_CHAT, supporter_turns

    lines = list(ORDINARY_CHAT) + supporter_turns()
    raised = [
        t
        for t, v in zip(lines, screen_many(lines), strict=True)
        if "offensive:learned" in v.reasons
    ]
    assert len(raised) <= 0.01 * len(lines), raised


def test_probabilities_are_finite_for_odd_vectors() -> None:
    model = abuse_model.load()
    odd = np.array([[np.nan] * 512, [1e30] * 512, [0.0] * 512])
    assert all(0.0 <= p <= 1.0 for p in model.probabilities(np.nan_to_num(odd)))
    assert abuse_model.probabilities(np.zeros((0, 512))) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=120), min_size=1, max_size=6))
def test_screening_with_the_layer_never_raises(texts: list[str]) -> None:
    verdicts = screen_many(["you " + t for t in texts])
    assert len(verdicts) == len(texts)
    assert all(v.action in {"allow", "flag", "hold", "block"} for v in verdicts)
