"""Lines from the safety review of the de/it/nl lexicons, through the whole screener.

Section A: crises an earlier tree flagged that a later narrowing silenced; each must stay
flagged at least at the severity it had, and by a lexicon, not only by the cross-lingual
layer (whose point can move with a retrain).
"""

from __future__ import annotations

import time

import pytest

from moderation import multilingual as ml
from moderation.screening import screen

#: (text, the severity the earlier tree gave it)
REGRESSIONS = [
    # Italian "nn" is "not", but not inside "nn reggo più" (I can't take it any more).
    ("nn reggo piu voglio morire", 3),
    ("nn reggo piu mi ammazzo stanotte", 4),
    # A bare "suicido" with a time is a plan; "se/si suicido" is someone else's.
    ("stanotte suicido", 4),
    ("domani suicido", 4),
    ("ho deciso, suicido stasera", 4),
    # "farmacia" elsewhere in the message is not a prescription taken as told.
    ("ho preso tutte le pillole, quelle della farmacia", 4),
    # "op aarde", "in dit leven", "bij jullie": the world left, not a workplace.
    ("vannacht ben ik er niet meer op aarde", 4),
    ("na vanavond ben ik er niet meer op deze wereld", 4),
    ("morgen ben ik er niet meer in dit leven", 4),
    ("morgen ben ik er niet meer bij jullie", 4),
]


@pytest.mark.parametrize(("text", "severity"), REGRESSIONS)
def test_a_crisis_the_earlier_tree_flagged_is_still_flagged(text: str, severity: int) -> None:
    verdict = screen(text)
    assert verdict.crisis, text
    assert verdict.crisis_severity >= severity, (text, verdict.reasons)
    assert ml.detect(text).severity >= severity, text


@pytest.mark.parametrize("text", ["el cantante se suicido", "lui si suicido ieri"])
def test_someone_elses_suicide_is_not_the_authors_plan(text: str) -> None:
    assert ml.detect(text).severity < 4


@pytest.mark.parametrize("code", ["de", "it", "nl"])
def test_no_pattern_looks_to_the_end_of_the_message(code: str) -> None:
    """A ``(?!.*word)`` check rescans the rest of the message at every match: quadratic on
    a long paste. Exclusions look within a bounded window (``[^.!?]{0,60}``) instead."""
    for _, entry in ml.examples([code]):
        assert ".*" not in entry.regex.pattern, entry.id
        assert ".+" not in entry.regex.pattern, entry.id


def test_a_long_paste_of_pill_talk_screens_in_linear_time() -> None:
    # 99 kB of "took all the pills" with the old exclusion word at the very end: each
    # match used to rescan the rest of the message (16 s); a bounded window does not.
    text = "ho preso tutte le pillole " * 3800 + " farmacia"
    started = time.perf_counter()
    assert ml.detect(text).severity == 4
    assert time.perf_counter() - started < 5
