"""The pure outcomes aggregation: k-anonymity, closed weeks, no person keys out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from wellbeing.outcomes import CheckinPoint, FeedbackPoint, aggregate, csv_rows, week_start

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)  # a Wednesday
CLOSED = datetime(2026, 10, 5, 9, tzinfo=UTC)  # a Monday well before


def population(people: int) -> tuple[list[CheckinPoint], dict[int, datetime], list[FeedbackPoint]]:
    checkins, joins, feedback = [], {}, []
    for person in range(people):
        checkins.append(CheckinPoint(person, CLOSED, 8))
        checkins.append(CheckinPoint(person, CLOSED + timedelta(weeks=5), 5))
        joins[person] = CLOSED + timedelta(days=1)
        feedback.append(FeedbackPoint(person, week_start(CLOSED), 4, "yes"))
    return checkins, joins, feedback


def test_nine_people_are_suppressed_everywhere() -> None:
    document = aggregate(*population(9), now=NOW, min_group=10)
    assert document["people_checked_in"] == {"count": None, "suppressed": True}
    assert all(c["suppressed"] and c["count"] is None for c in document["first_scores"])
    assert all(c["suppressed"] for c in document["latest_scores"])
    assert document["score_change"]["in_group"]["mean_change"] is None
    assert document["score_change"]["in_group"]["suppressed"] is True
    [week] = document["feedback_by_week"]
    assert week["suppressed"] is True
    assert week["mean_at_ease"] is None


def test_twelve_people_show() -> None:
    document = aggregate(*population(12), now=NOW, min_group=10)
    assert document["people_checked_in"] == {"count": 12, "suppressed": False}
    bands = {c["band"]: c for c in document["first_scores"]}
    assert bands["7-9"]["count"] == 12
    latest = {c["band"]: c for c in document["latest_scores"]}
    assert latest["5-6"]["count"] == 12
    change = document["score_change"]["in_group"]
    assert (change["people"], change["mean_change"], change["suppressed"]) == (12, -3.0, False)
    assert document["score_change"]["waiting"]["suppressed"] is True
    [week] = document["feedback_by_week"]
    assert (week["people"], week["mean_at_ease"], week["share_meet_again"]) == (12, 4.0, 1.0)


def test_a_single_hidden_cell_beside_a_total_takes_another_with_it() -> None:
    checkins = [CheckinPoint(p, CLOSED, 8) for p in range(12)]
    checkins += [CheckinPoint(12 + p, CLOSED, 4) for p in range(3)]
    checkins += [CheckinPoint(20 + p, CLOSED, 6) for p in range(11)]
    document = aggregate(checkins, {}, [], now=NOW, min_group=10)
    bands = {c["band"]: c for c in document["first_scores"]}
    # 3-4 (3 people) is hidden; the total is shown, so 5-6 (11, the smaller) hides too.
    assert bands["3-4"]["suppressed"] is True
    assert bands["5-6"]["suppressed"] is True
    assert bands["7-9"]["count"] == 12


def test_only_closed_weeks_count() -> None:
    this_week = NOW - timedelta(days=1)
    checkins = [CheckinPoint(p, this_week, 5) for p in range(20)]
    feedback = [FeedbackPoint(p, week_start(this_week), 5, "yes") for p in range(20)]
    document = aggregate(checkins, {}, feedback, now=NOW, min_group=10)
    assert document["people_checked_in"]["suppressed"] is True
    assert document["feedback_by_week"] == []
    assert document["closed_before"] == "2026-11-30"


def test_change_needs_four_weeks_and_splits_by_two_weeks_in_a_group() -> None:
    checkins, joins = [], {}
    for p in range(10):  # in a group for long enough
        checkins += [CheckinPoint(p, CLOSED, 9), CheckinPoint(p, CLOSED + timedelta(weeks=4), 7)]
        joins[p] = CLOSED
    for p in range(10, 20):  # joined a group days before their latest check-in: waiting
        checkins += [CheckinPoint(p, CLOSED, 6), CheckinPoint(p, CLOSED + timedelta(weeks=4), 7)]
        joins[p] = CLOSED + timedelta(weeks=4) - timedelta(days=3)
    for p in range(20, 40):  # too close together to count
        checkins += [CheckinPoint(p, CLOSED, 9), CheckinPoint(p, CLOSED + timedelta(weeks=3), 3)]
    document = aggregate(checkins, joins, [], now=NOW, min_group=10)
    assert document["score_change"]["in_group"]["mean_change"] == -2.0
    assert document["score_change"]["waiting"]["mean_change"] == 1.0
    assert document["score_change"]["waiting"]["people"] == 10


def test_no_person_key_reaches_the_output() -> None:
    # Keys chosen so that any leak would show up as a distinctive number.
    checkins, joins, feedback = population(12)
    keyed = [CheckinPoint(987650 + c.person, c.at, c.score) for c in checkins]
    keyed_joins = {987650 + k: v for k, v in joins.items()}
    keyed_feedback = [FeedbackPoint(987650 + f.person, f.week_start, 4, "yes") for f in feedback]
    document = aggregate(keyed, keyed_joins, keyed_feedback, now=NOW, min_group=10)
    text = json.dumps(document) + json.dumps(csv_rows(document))
    assert "98765" not in text


def test_the_csv_has_the_same_cells() -> None:
    document = aggregate(*population(12), now=NOW, min_group=10)
    rows = csv_rows(document)
    assert rows[0] == ("section", "bucket", "people", "value", "suppressed")
    assert ("people_checked_in", "all", "12", "", "false") in rows
    assert ("score_change", "waiting", "", "", "true") in rows
    assert ("feedback_mean_at_ease", "2026-10-05", "12", "4.0", "false") in rows
