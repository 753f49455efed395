"""Outcome aggregates for operators, k-anonymous by construction (PURE: no Flask,
no SQLAlchemy; plain dataclasses in, a JSON-ready dict out).

Rules (issue 16, CONTRACT §6.6, docs/privacy.md):
- every count, mean or share covers a bucket of people; a bucket of fewer than
  ``min_group`` people is ``None`` with ``"suppressed": True``;
- a distribution never has exactly one suppressed non-empty cell beside a shown
  total (it could be recovered by subtraction): the next smallest cell is then
  suppressed too;
- only closed weeks count (answers given before the Monday of the current UTC
  week), so two views a minute apart cannot isolate one new answer;
- the input carries opaque person keys only to count distinct people; no key,
  id or handle ever reaches the output.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

#: Check-ins at least this far apart count as "a change over time".
CHANGE_SPAN = timedelta(weeks=4)
#: "Has been in a group" means a group membership this long before the latest check-in.
IN_GROUP_FOR = timedelta(weeks=2)
#: Score bands of the Three-Item Loneliness Scale (3..9): coarse enough that small
#: communities can still see a shape.
SCORE_BANDS = (("3-4", 3, 4), ("5-6", 5, 6), ("7-9", 7, 9))
#: How many closed weeks of feedback the view shows.
FEEDBACK_WEEKS = 12


@dataclass(frozen=True)
class CheckinPoint:
    person: int
    at: datetime
    score: int


@dataclass(frozen=True)
class FeedbackPoint:
    person: int
    week_start: date
    at_ease: int
    meet_again: str


def week_start(moment: datetime | date) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def _cell(people: int, value: Any, min_group: int) -> dict[str, Any]:
    if people < min_group:
        return {"people": None, "value": None, "suppressed": True}
    return {"people": people, "value": value, "suppressed": False}


def _distribution(scores: Iterable[int], min_group: int) -> list[dict[str, Any]]:
    counts = dict.fromkeys((label for label, _, _ in SCORE_BANDS), 0)
    for score in scores:
        for label, low, high in SCORE_BANDS:
            if low <= score <= high:
                counts[label] += 1
    cells = [{"band": label, **_cell(count, count, min_group)} for label, count in counts.items()]
    hidden = [c for c in cells if c["suppressed"] and counts[c["band"]] > 0]
    shown = [c for c in cells if not c["suppressed"]]
    if len(hidden) == 1 and shown:
        # One hidden cell beside a known total is no secret: hide the smallest shown too.
        smallest = min(shown, key=lambda c: c["people"])
        smallest.update(people=None, value=None, suppressed=True)
    for cell in cells:
        cell["count"] = cell.pop("value")
        del cell["people"]
    return cells


def aggregate(
    checkins: Sequence[CheckinPoint],
    group_joins: dict[int, datetime],
    feedback: Sequence[FeedbackPoint],
    *,
    now: datetime,
    min_group: int = 10,
) -> dict[str, Any]:
    """The outcomes document. ``group_joins`` maps a person key to their first
    group membership; keys are never copied into the result."""
    closed_before = week_start(now)
    by_person: dict[int, list[CheckinPoint]] = defaultdict(list)
    for point in checkins:
        if week_start(point.at) < closed_before:
            by_person[point.person].append(point)
    for points in by_person.values():
        points.sort(key=lambda p: p.at)

    firsts = [points[0].score for points in by_person.values()]
    latests = [points[-1].score for points in by_person.values()]

    changes: dict[str, list[int]] = {"in_group": [], "waiting": []}
    for person, points in by_person.items():
        first, latest = points[0], points[-1]
        if latest.at - first.at < CHANGE_SPAN:
            continue
        joined = group_joins.get(person)
        split = (
            "in_group" if joined is not None and latest.at - joined >= IN_GROUP_FOR else "waiting"
        )
        changes[split].append(latest.score - first.score)

    def mean(values: Sequence[float]) -> float:
        return round(sum(values) / len(values), 2)

    change_cells = {
        split: _cell(len(values), mean(values) if values else None, min_group)
        for split, values in changes.items()
    }
    for cell in change_cells.values():
        cell["mean_change"] = cell.pop("value")

    weeks: dict[date, list[FeedbackPoint]] = defaultdict(list)
    for answer in feedback:
        if answer.week_start < closed_before:
            weeks[answer.week_start].append(answer)
    first_week = closed_before - timedelta(weeks=FEEDBACK_WEEKS)
    feedback_rows: list[dict[str, Any]] = []
    for week in sorted(w for w in weeks if w >= first_week):
        answers = weeks[week]
        people = len({a.person for a in answers})
        if people < min_group:
            feedback_rows.append(
                {
                    "week_start": week.isoformat(),
                    "people": None,
                    "mean_at_ease": None,
                    "share_meet_again": None,
                    "suppressed": True,
                }
            )
            continue
        feedback_rows.append(
            {
                "week_start": week.isoformat(),
                "people": people,
                "mean_at_ease": mean([a.at_ease for a in answers]),
                "share_meet_again": round(
                    sum(1 for a in answers if a.meet_again == "yes") / len(answers), 2
                ),
                "suppressed": False,
            }
        )

    people_cell = _cell(len(by_person), len(by_person), min_group)
    return {
        "min_group": min_group,
        "closed_before": closed_before.isoformat(),
        "people_checked_in": {
            "count": people_cell["value"],
            "suppressed": people_cell["suppressed"],
        },
        "first_scores": _distribution(firsts, min_group),
        "latest_scores": _distribution(latests, min_group),
        "score_change": change_cells,
        "feedback_by_week": feedback_rows,
    }


CSV_HEADER = ("section", "bucket", "people", "value", "suppressed")


def csv_rows(document: dict[str, Any]) -> list[tuple[str, ...]]:
    """The same aggregates as CSV rows (suppressed cells say so; no per-person rows)."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    rows: list[tuple[str, ...]] = [CSV_HEADER]
    people = document["people_checked_in"]
    rows.append(
        ("people_checked_in", "all", text(people["count"]), "", str(people["suppressed"]).lower())
    )
    for section in ("first_scores", "latest_scores"):
        for cell in document[section]:
            rows.append(
                (section, cell["band"], text(cell["count"]), "", str(cell["suppressed"]).lower())
            )
    for split, cell in document["score_change"].items():
        rows.append(
            (
                "score_change",
                split,
                text(cell["people"]),
                text(cell["mean_change"]),
                str(cell["suppressed"]).lower(),
            )
        )
    for week in document["feedback_by_week"]:
        for key in ("mean_at_ease", "share_meet_again"):
            rows.append(
                (
                    f"feedback_{key}",
                    week["week_start"],
                    text(week["people"]),
                    text(week[key]),
                    str(week["suppressed"]).lower(),
                )
            )
    return rows
