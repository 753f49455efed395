"""The label-ceiling bench's arithmetic, on self-written posts (no shared data)."""

from __future__ import annotations

import pytest

from bench.label_ceiling import (
    Labelled,
    OperatingPoint,
    best_recall_within,
    cheapest_reaching,
    measure,
    operating_points,
)

POSTS = [
    Labelled("one", 1, suicidal=True),
    Labelled("two", 1, suicidal=True),
    Labelled("three", 1),
    Labelled("four", 1),
    Labelled("five", 0),
    Labelled("six", 0),
]


def test_operating_points_count_each_group_at_each_cut() -> None:
    scores = [0.9, 0.3, 0.7, 0.6, 0.8, 0.1]
    ordinary = [0.2, 0.65, 0.95, 0.05]

    low, high = operating_points(scores, POSTS, ordinary, thresholds=(0.5, 0.85))

    assert low == OperatingPoint(0.5, 0.75, 0.5, 0.5, 0.5)
    assert high == OperatingPoint(0.85, 0.25, 0.5, 0.0, 0.25)


def _point(threshold: float, recall: float, ordinary: float) -> OperatingPoint:
    return OperatingPoint(threshold, recall, 0.0, 0.0, ordinary)


POINTS = [_point(0.2, 0.97, 0.40), _point(0.5, 0.90, 0.05), _point(0.8, 0.70, 0.02)]


@pytest.mark.parametrize(("cap", "expected"), [(0.03, 0.8), (0.05, 0.5), (1.0, 0.2), (0.01, None)])
def test_best_recall_within_keeps_to_the_false_alarm_cap(
    cap: float, expected: float | None
) -> None:
    point = best_recall_within(POINTS, cap)
    assert (point.threshold if point else None) == expected


@pytest.mark.parametrize(("floor", "expected"), [(0.95, 0.2), (0.9, 0.5), (0.5, 0.8), (0.99, None)])
def test_cheapest_reaching_pays_the_fewest_false_alarms(
    floor: float, expected: float | None
) -> None:
    point = cheapest_reaching(POINTS, floor)
    assert (point.threshold if point else None) == expected


def test_measure_learns_a_separable_vocabulary() -> None:
    sad = ["I feel so low and hopeless tonight", "everything feels hopeless and heavy"]
    calm = ["the garden looks lovely this morning", "we walked the dog in the park"]
    train = [Labelled(t, 1) for t in sad * 5] + [Labelled(t, 0) for t in calm * 5]
    test = [Labelled("so hopeless and low", 1), Labelled("a lovely walk in the park", 0)]

    points = measure(train, test, ordinary=["the dog loves the garden"])

    middle = next(p for p in points if p.threshold == 0.5)
    assert (middle.recall, middle.label0_false_alarms, middle.ordinary_false_alarms) == (1, 0, 0)
