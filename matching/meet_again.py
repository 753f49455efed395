"""Meet again: after a room's first week, each member is asked privately (and may
skip) how comfortable they felt and whether they would meet this group again.

When everyone who answered says yes, the room simply continues. Someone who would
rather not is put back in the waiting pool for a new group, without anyone else
being told. Answers are kept for learning better matches later. Flushes only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import signals
from accounts.models import User
from db import db, utcnow
from i18n import N_
from matching.models import MeetAgainAnswer
from profiles import service as profiles

ASK_AFTER = timedelta(days=7)
_NEW_GROUP_REASON = N_(
    "Thanks for telling us. You're in the waiting pool for a new group; you can keep "
    "or leave your current room, whichever feels right."
)


class CheckinError(ValueError):
    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


def _rooms_of(user: User) -> list[dict[str, Any]]:
    rooms: list[dict[str, Any]] = []
    for _receiver, value in signals.collect_room_ages.send(user, user=user):
        rooms.extend(value or [])
    return rooms


def due_checkins(user: User, now: datetime | None = None) -> list[dict[str, Any]]:
    """Rooms open for a week or more that the person has not been asked about yet."""
    now = now or utcnow()
    answered = set(
        db.session.scalars(
            select(MeetAgainAnswer.room_id).where(MeetAgainAnswer.user_id == user.id)
        )
    )
    return [
        {"room_id": room["room_id"], "name": room["name"]}
        for room in _rooms_of(user)
        if room["opened_at"] is not None
        and room["opened_at"] <= now - ASK_AFTER
        and room["room_id"] not in answered
    ]


def validate_answer(body: Any) -> tuple[int | None, bool | None, bool]:
    """(comfort, meet_again, skipped) from a JSON body, or CheckinError naming the field."""
    if not isinstance(body, dict):
        raise CheckinError(400, _l("Send a JSON object."))
    unknown = sorted(set(body) - {"comfort", "meet_again", "skip"})
    if unknown:
        raise CheckinError(
            400, _l("Unexpected fields."), {key: _l("Not a known field.") for key in unknown}
        )
    skip = body.get("skip", False)
    if not isinstance(skip, bool):
        raise CheckinError(
            400, _l("skip must be true or false."), {"skip": _l("Must be true or false.")}
        )
    comfort = body.get("comfort")
    if comfort is not None and (
        isinstance(comfort, bool) or not isinstance(comfort, int) or not 1 <= comfort <= 5
    ):
        raise CheckinError(
            400, _l("comfort is a whole number from 1 to 5."), {"comfort": _l("Choose 1 to 5.")}
        )
    meet_again = body.get("meet_again")
    if meet_again is not None and not isinstance(meet_again, bool):
        raise CheckinError(
            400, _l("meet_again must be true or false."), {"meet_again": _l("Must be yes or no.")}
        )
    if not skip and comfort is None and meet_again is None:
        raise CheckinError(
            400,
            _l("Answer a question or choose to skip."),
            {"comfort": _l("Answer, or skip this.")},
        )
    return (None, None, True) if skip else (comfort, meet_again, False)


def record_answer(user: User, room_id: int, body: Any) -> MeetAgainAnswer:
    comfort, meet_again, skipped = validate_answer(body)
    if room_id not in {room["room_id"] for room in _rooms_of(user)}:
        raise CheckinError(404, _l("We couldn't find that room among yours."))
    answer = db.session.scalars(
        select(MeetAgainAnswer).where(
            MeetAgainAnswer.room_id == room_id, MeetAgainAnswer.user_id == user.id
        )
    ).first()
    if answer is None:
        answer = MeetAgainAnswer(room_id=room_id, user_id=user.id)
        db.session.add(answer)
    answer.comfort, answer.meet_again, answer.skipped = comfort, meet_again, skipped
    answer.answered_at = utcnow()
    if meet_again is False:
        profiles.return_to_pool(user.id, _NEW_GROUP_REASON, code="wants_new_group")
    db.session.flush()
    return answer


def room_decision(room_id: int) -> str:
    """``continuing`` when everyone who answered would meet again; ``open`` otherwise."""
    answers = [
        a.meet_again
        for a in db.session.scalars(
            select(MeetAgainAnswer).where(MeetAgainAnswer.room_id == room_id)
        )
        if not a.skipped and a.meet_again is not None
    ]
    return "continuing" if answers and all(answers) else "open"


def export_for(user: User) -> list[dict[str, Any]]:
    return [
        {
            "room_id": a.room_id,
            "comfort": a.comfort,
            "meet_again": a.meet_again,
            "skipped": a.skipped,
            "answered_at": a.answered_at.isoformat(),
        }
        for a in db.session.scalars(
            select(MeetAgainAnswer).where(MeetAgainAnswer.user_id == user.id)
        )
    ]


def anonymise_for(user: User) -> None:
    """Keep the ratings for learning, without the person."""
    for answer in db.session.scalars(
        select(MeetAgainAnswer).where(MeetAgainAnswer.user_id == user.id)
    ):
        answer.user_id = None
    db.session.flush()
