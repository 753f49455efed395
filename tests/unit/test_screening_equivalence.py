"""``screen_many`` asks the learned English layers only where they can change a
verdict; these tests hold it to the reference path that asks them everywhere.

The reference is the composition ``screen_many`` had before the layers were
gated: the TF-IDF model and the sentence encoder over every English message
(the encoder over every short one), then the same verdict rules. Every verdict
must be identical (severity, reasons, flags, score) on a broad self-written
corpus: ordinary chat, crisis chat lines, supporters' turns, the abuse layer's
training lines and every example of every lexicon, English and the others.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from bench.screening import ORDINARY_CHAT, crisis_chat_lines, supporter_turns
from moderation import abuse_model, crisis_model, multilingual
from moderation import screening as scr
from moderation import screening_lexicon as lex
from moderation.screening import DEFAULT_POLICY, ScreeningPolicy, Verdict, screen, screen_many


@pytest.fixture(autouse=True)
def _real_model() -> None:
    crisis_model.use_model_file(None)
    if crisis_model.available():
        return
    reason = f"the crisis model is not built: {crisis_model.status()['problem']}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}. `make test` builds it under CI; it must be there.")
    pytest.skip(reason)


def _corpus() -> list[str]:
    texts = [*ORDINARY_CHAT, *(line for _, line in crisis_chat_lines()), *supporter_turns()]
    texts += [line for _, line in abuse_model.read_lines()]
    for entry in lex.LEXICON.entries:
        texts += [*entry.must_match, *entry.must_not_match]
    for _, entry in multilingual.examples():
        texts += [*entry.must_match, *entry.must_not_match]
    return list(dict.fromkeys(texts))


def _reference(items: Sequence[str], policy: ScreeningPolicy) -> list[Verdict]:
    """Every learned opinion computed for every message, then the verdict rules."""
    scores = scr._profanity_scores([scr._model_text(t) for t in items])
    learned, abusive = scr._learned_english(items, policy)
    verdicts = [
        scr._verdict(t, s, policy, None, m, a)
        for t, s, m, a in zip(items, scores, learned, abusive, strict=True)
    ]
    return scr._with_crosslingual(items, verdicts, policy)


def _batches(texts: Sequence[str], size: int = 64) -> list[list[str]]:
    return [list(texts[i : i + size]) for i in range(0, len(texts), size)]


def test_the_gated_layers_give_the_reference_verdicts() -> None:
    corpus = _corpus()
    assert len(corpus) > 1000
    for batch in _batches(corpus):
        assert screen_many(batch) == _reference(batch, DEFAULT_POLICY)


def test_the_gates_skip_work_on_ordinary_chat_and_crisis_lines() -> None:
    """The gating is not vacuous: many lines need no encoder for the abuse layer and
    the crisis lexicon's own finds need no learned crisis opinion."""
    corpus = _corpus()
    scores = scr._profanity_scores([scr._model_text(t) for t in corpus])
    readings = [scr._read(t, s, DEFAULT_POLICY) for t, s in zip(corpus, scores, strict=True)]
    assert sum(not r.signals.learned for r in readings) > len(corpus) / 2
    assert sum(not r.crisis_model_speaks(DEFAULT_POLICY) for r in readings) > 100


@pytest.mark.parametrize(
    "policy",
    [
        ScreeningPolicy(abuse_model=False),
        ScreeningPolicy(abuse_rules=False),
        ScreeningPolicy(crisis_min_severity=2, flag_third_party_concern=True),
        ScreeningPolicy(hold_threshold=0.5, flag_threshold=0.3),
    ],
)
def test_other_policies_give_the_reference_verdicts(policy: ScreeningPolicy) -> None:
    corpus = _corpus()[::3]
    for batch in _batches(corpus):
        assert screen_many(batch, policy=policy) == _reference(batch, policy)


def test_screen_agrees_with_screen_many() -> None:
    corpus = _corpus()[::7]
    assert [screen(t) for t in corpus] == screen_many(corpus)
