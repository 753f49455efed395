"""Simulated check-ins and after-meeting feedback for ``flask seed-demo``.

Every row is marked ``is_demo`` and the outcomes page says so. The numbers are
made up to give the charts a shape: people in a group drift slightly less lonely
over their check-ins, people still waiting stay about where they were.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from accounts.models import User
from db import db, utcnow
from rooms.models import Membership, Room, RoomKind
from wellbeing.models import Checkin, CheckinSettings, MeetAgain, RoomFeedback
from wellbeing.service import CHECKIN_INTERVAL, week_start

#: How far back the simulated history reaches.
HISTORY_WEEKS = 12
#: Closed weeks of simulated feedback.
FEEDBACK_WEEKS = 6


def _items_for(score: int, rng: random.Random) -> tuple[int, int, int]:
    """Three answers in 1..3 that add up to ``score`` (3..9)."""
    items = [1, 1, 1]
    for _ in range(score - 3):
        choices = [i for i in range(3) if items[i] < 3]
        items[rng.choice(choices)] += 1
    return items[0], items[1], items[2]


def seed(sender: Any, members: Sequence[User] = (), **_: Any) -> str | None:
    """Simulated wellbeing history for the demo members (``demo.population`` calls it
    once the demo rooms exist); flushes."""
    rng = sender if isinstance(sender, random.Random) else random.Random(0)  # noqa: S311  # demo data
    now = utcnow()
    ids = [m.id for m in members]
    if not ids:
        return None
    in_group = {
        user_id: room_id
        for user_id, room_id in db.session.execute(
            select(Membership.user_id, Membership.room_id)
            .join(Room, Room.id == Membership.room_id)
            .where(Membership.user_id.in_(ids), Room.kind == RoomKind.GROUP)
        )
    }
    # The demo rooms stand for groups that have met for a while: their members joined
    # them at the start of the simulated history.
    joined = now - timedelta(weeks=FEEDBACK_WEEKS + 2)
    for membership in db.session.scalars(
        select(Membership).where(Membership.user_id.in_(list(in_group)))
    ):
        membership.joined_at = joined
    checkins = feedback = 0
    for user_id in ids:
        count = rng.randint(1, HISTORY_WEEKS // 2)
        score = rng.randint(4, 9)
        first = now - timedelta(weeks=2 * count) + timedelta(hours=rng.randint(0, 48))
        at = first
        for _index in range(count):
            items = _items_for(score, rng)
            db.session.add(
                Checkin(
                    user_id=user_id,
                    at=at,
                    companionship=items[0],
                    left_out=items[1],
                    isolated=items[2],
                    score=sum(items),
                    is_demo=True,
                )
            )
            checkins += 1
            drift = -1 if user_id in in_group and at > joined else 0
            score = max(3, min(9, score + drift + rng.choice((-1, 0, 0, 1))))
            at = at + CHECKIN_INTERVAL
        # ``at`` is now 14 days after the last simulated check-in: the next one due.
        db.session.add(CheckinSettings(user_id=user_id, enabled=True, next_due_at=at))
    this_week = week_start(now)
    for user_id, room_id in in_group.items():
        for weeks_ago in range(1, FEEDBACK_WEEKS + 1):
            week = this_week - timedelta(weeks=weeks_ago)
            at_ease = rng.choice((3, 4, 4, 5, 5, 2))
            meet_again = rng.choice(
                (MeetAgain.YES, MeetAgain.YES, MeetAgain.YES, MeetAgain.NOT_SURE)
            )
            db.session.add(
                RoomFeedback(
                    user_id=user_id,
                    room_id=room_id,
                    week_start=week,
                    at_ease=at_ease,
                    meet_again=meet_again,
                    is_demo=True,
                )
            )
            feedback += 1
    db.session.flush()
    return (
        f"Wellbeing: {checkins} simulated check-ins and {feedback} feedback answers "
        "(marked as demo; see /mod/outcomes as demo_admin)."
    )
