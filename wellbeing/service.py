"""Check-ins, their reminders, and after-meeting feedback: validation and state changes.

Services flush, never commit; the route (or the periodic loop) commits once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accounts.models import User
from db import db, utcnow
from i18n import N_
from notifications import service as notifications
from rooms.models import Membership, Room, RoomKind, RoomStatus
from wellbeing import outcomes
from wellbeing.models import NOTE_MAX, Checkin, CheckinSettings, MeetAgain, RoomFeedback

#: A check-in is offered again this long after the last one, never sooner.
CHECKIN_INTERVAL = timedelta(days=14)
#: Longest snooze one request may ask for.
MAX_SNOOZE_DAYS = 30
#: After-meeting feedback is offered once a person has been in a room this long.
FEEDBACK_AFTER = timedelta(days=1)
#: Never a score or a word about feelings: this may show on a lock screen.
CHECKIN_DUE_TEXT = N_("A two-minute check-in is ready for you, whenever you like.")
CHECKIN_DUE_URL = "/me/wellbeing"


class WellbeingError(Exception):
    """A request the service refuses; rendered as a CONTRACT error."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields


# --- check-ins ------------------------------------------------------------------------


ITEM_NAMES = ("companionship", "left_out", "isolated")


def validate_items(value: object) -> tuple[int, int, int]:
    """Exactly three answers, each 1 (hardly ever), 2 (some of the time) or 3 (often)."""
    if not isinstance(value, list) or len(value) != 3:
        raise WellbeingError(
            400,
            "invalid",
            _l("Please answer all three questions."),
            {"items": _l("Send exactly three answers, each 1, 2 or 3.")},
        )
    fields: dict[str, str] = {}
    for index, answer in enumerate(value):
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 3:
            fields[f"items.{index}"] = "Choose hardly ever (1), some of the time (2) or often (3)."
    if fields:
        raise WellbeingError(400, "invalid", _l("Some answers weren't one of the choices."), fields)
    return value[0], value[1], value[2]


def settings_for(user_id: int) -> CheckinSettings | None:
    return db.session.get(CheckinSettings, user_id)


def _settings_row(user_id: int, now: datetime) -> CheckinSettings:
    row = settings_for(user_id)
    if row is None:
        row = CheckinSettings(user_id=user_id, enabled=True, updated_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            # Two first answers at once (a double tap): use the row the other made.
            found = db.session.get(CheckinSettings, user_id, populate_existing=True)
            if found is None:
                raise
            row = found
    return row


def history(user_id: int) -> list[Checkin]:
    """The person's check-ins, oldest first."""
    return list(
        db.session.scalars(
            select(Checkin).where(Checkin.user_id == user_id).order_by(Checkin.at, Checkin.id)
        )
    )


def due_at(row: CheckinSettings | None) -> datetime | None:
    """When the next check-in is offered (None: now, for someone never asked)."""
    if row is None:
        return None
    moments = [m for m in (row.next_due_at, row.snoozed_until) if m is not None]
    return max(moments) if moments else None


def is_due(row: CheckinSettings | None, now: datetime) -> bool:
    if row is None:
        return True
    if not row.enabled:
        return False
    when = due_at(row)
    return when is None or when <= now


def record_checkin(user: User, items: object, *, now: datetime | None = None) -> Checkin:
    """Store a check-in and schedule the next one 14 days later.

    A score of 9 changes nothing else: answers never create a moderator item.
    """
    companionship, left_out, isolated = validate_items(items)
    now = now or utcnow()
    checkin = Checkin(
        user_id=user.id,
        at=now,
        companionship=companionship,
        left_out=left_out,
        isolated=isolated,
        score=companionship + left_out + isolated,
    )
    db.session.add(checkin)
    row = _settings_row(user.id, now)
    row.next_due_at = now + CHECKIN_INTERVAL
    row.snoozed_until = None
    row.updated_at = now
    db.session.flush()
    return checkin


def skip_checkin(user: User, *, now: datetime | None = None) -> CheckinSettings:
    """Not today (the setup step's "Skip"): offer it again in 14 days."""
    now = now or utcnow()
    row = _settings_row(user.id, now)
    if row.next_due_at is None or row.next_due_at < now + CHECKIN_INTERVAL:
        row.next_due_at = now + CHECKIN_INTERVAL
    row.updated_at = now
    db.session.flush()
    return row


def validate_settings(body: object) -> tuple[bool, int | None]:
    if not isinstance(body, dict):
        raise WellbeingError(
            400,
            "invalid",
            _l('Send a JSON object, for example {"enabled": true, "snooze_days": 7}.'),
        )
    fields: dict[str, str] = {}
    unknown = set(body) - {"enabled", "snooze_days"}
    for key in sorted(map(str, unknown)):
        fields[key] = "Not a known field."
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        fields["enabled"] = "Use true or false."
    snooze = body.get("snooze_days")
    if snooze is not None and (
        isinstance(snooze, bool)
        or not isinstance(snooze, int)
        or not 1 <= snooze <= MAX_SNOOZE_DAYS
    ):
        fields["snooze_days"] = f"Use a whole number of days from 1 to {MAX_SNOOZE_DAYS}."
    if fields:
        raise WellbeingError(400, "invalid", _l("Those settings didn't look right."), fields)
    assert isinstance(enabled, bool)
    return enabled, snooze


def update_settings(
    user: User, enabled: bool, snooze_days: int | None = None, *, now: datetime | None = None
) -> CheckinSettings:
    """Switch reminders on or off, or snooze the next one by some days."""
    now = now or utcnow()
    row = _settings_row(user.id, now)
    row.enabled = enabled
    if snooze_days is not None:
        base = max(now, due_at(row) or now)
        row.snoozed_until = base + timedelta(days=snooze_days)
    row.updated_at = now
    db.session.flush()
    return row


def checkin_payload(checkin: Checkin) -> dict[str, Any]:
    return {"at": checkin.at.isoformat(), "items": checkin.items, "score": checkin.score}


def state_payload(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """``GET /api/v1/checkins``: the person's own schedule and history."""
    now = now or utcnow()
    row = settings_for(user.id)
    when = due_at(row)
    return {
        "due": is_due(row, now),
        "next_due_at": when.isoformat() if when else None,
        "enabled": row.enabled if row else True,
        "history": [checkin_payload(c) for c in history(user.id)],
    }


#: How far back a due check-in is still reminded of (a server down longer than this
#: skips that reminder; the check-in is still offered on the page).
REMINDER_WINDOW = timedelta(days=7)


def send_due_notices(*, now: datetime | None = None) -> int:
    """Notify everyone whose check-in became due (``checkin_due``); flushes.

    The dedupe key names the due moment, so each due date notifies once however
    often the loop runs and from however many processes; a snooze makes a new one.
    """
    now = now or utcnow()
    # Only check-ins that fell due within REMINDER_WINDOW: everyone older was told
    # then, so the pass stays the size of a week's reminders, not of everyone who
    # ever let one lapse (and takes no SQLite write lock for them every tick).
    recent = now - REMINDER_WINDOW
    rows = db.session.scalars(
        select(CheckinSettings).where(
            CheckinSettings.enabled.is_(True),
            CheckinSettings.next_due_at <= now,
            or_(
                CheckinSettings.next_due_at >= recent,
                CheckinSettings.snoozed_until >= recent,
            ),
        )
    )
    sent = 0
    for row in rows:
        when = due_at(row)
        if when is None or when > now:
            continue
        made = notifications.notify(
            [row.user_id],
            "checkin_due",
            CHECKIN_DUE_TEXT,
            CHECKIN_DUE_URL,
            dedupe_key=f"checkin_due:{when.strftime('%Y-%m-%dT%H:%M')}",
        )
        sent += len(made)
    return sent


def group_join_dates(user_id: int) -> list[datetime]:
    """When the person joined each group room (care rooms are not groups)."""
    return list(
        db.session.scalars(
            select(Membership.joined_at)
            .join(Room, Room.id == Membership.room_id)
            .where(Membership.user_id == user_id, Room.kind == RoomKind.GROUP)
            .order_by(Membership.joined_at)
        )
    )


# --- after-meeting feedback ----------------------------------------------------------


def week_start(moment: datetime) -> date:
    """Monday (UTC) of the week ``moment`` falls in."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _member_of(room: Room, user: User) -> Membership | None:
    return db.session.scalars(
        select(Membership).where(
            Membership.room_id == room.id,
            Membership.user_id == user.id,
            Membership.left_at.is_(None),
        )
    ).first()


def validate_feedback(body: object) -> tuple[int, MeetAgain, str | None]:
    if not isinstance(body, dict):
        raise WellbeingError(
            400,
            "invalid",
            _l('Send a JSON object, for example {"at_ease": 4, "meet_again": "yes"}.'),
        )
    fields: dict[str, str] = {}
    for key in sorted(map(str, set(body) - {"at_ease", "meet_again", "note"})):
        fields[key] = "Not a known field."
    at_ease = body.get("at_ease")
    if isinstance(at_ease, bool) or not isinstance(at_ease, int) or not 1 <= at_ease <= 5:
        fields["at_ease"] = "Choose a number from 1 to 5."
    meet_again = body.get("meet_again")
    if meet_again not in {m.value for m in MeetAgain}:
        fields["meet_again"] = "Choose yes, not sure or no."
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        fields["note"] = "The note must be text."
    elif isinstance(note, str) and len(note.strip()) > NOTE_MAX:
        fields["note"] = f"Please keep the note to {NOTE_MAX} characters."
    elif isinstance(note, str) and "\x00" in note:
        fields["note"] = "The note has a character we can't store; please remove it."
    if fields:
        raise WellbeingError(400, "invalid", _l("Some answers weren't one of the choices."), fields)
    assert isinstance(at_ease, int)
    assert isinstance(meet_again, str)
    cleaned = note.strip() if isinstance(note, str) else None
    return at_ease, MeetAgain(meet_again), cleaned or None


def _room_for(user: User, room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None:
        raise WellbeingError(404, "not_found", _l("We couldn't find that room."))
    if _member_of(room, user) is None:
        raise WellbeingError(403, "not_member", _l("You're not a member of this room."))
    return room


def give_feedback(
    user: User, room_id: int, body: object, *, now: datetime | None = None
) -> tuple[RoomFeedback, bool]:
    """Store (or replace, within the same week) the person's answer for the room.

    Returns the row and whether it is new. Not a member → 403; closed room → 409.
    """
    room = _room_for(user, room_id)
    if room.kind != RoomKind.GROUP:
        raise WellbeingError(
            409, "not_a_group", _l("The after-meeting questions are for group rooms only.")
        )
    if room.status == RoomStatus.CLOSED:
        raise WellbeingError(
            409, "room_closed", _l("This room has closed. Thank you for being part of it.")
        )
    at_ease, meet_again, note = validate_feedback(body)
    now = now or utcnow()
    week = week_start(now)
    row = _feedback_row(user.id, room.id, week)
    created = row is None
    if row is None:
        row = RoomFeedback(
            user_id=user.id,
            room_id=room.id,
            week_start=week,
            created_at=now,
            at_ease=at_ease,
            meet_again=meet_again,
            note=note,
            updated_at=now,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            # The same answer sent twice at once (a double tap): the other one is
            # stored, so this one becomes a change of it.
            row = _feedback_row(user.id, room.id, week)
            if row is None:
                raise
            created = False
    row.at_ease = at_ease
    row.meet_again = meet_again
    row.note = note
    row.updated_at = now
    db.session.flush()
    return row, created


def _feedback_row(user_id: int, room_id: int, week: date) -> RoomFeedback | None:
    return db.session.scalars(
        select(RoomFeedback).where(
            RoomFeedback.user_id == user_id,
            RoomFeedback.room_id == room_id,
            RoomFeedback.week_start == week,
        )
    ).first()


def feedback_payload(row: RoomFeedback) -> dict[str, Any]:
    return {
        "room_id": row.room_id,
        "week_start": row.week_start.isoformat(),
        "at_ease": row.at_ease,
        "meet_again": row.meet_again.value,
        "note": row.note,
        "updated_at": row.updated_at.isoformat(),
    }


def feedback_state(user: User, room_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """Whether the card should show in the room: after the first day, once a week."""
    room = _room_for(user, room_id)
    now = now or utcnow()
    membership = _member_of(room, user)
    assert membership is not None
    week = week_start(now)
    current = db.session.scalars(
        select(RoomFeedback).where(
            RoomFeedback.user_id == user.id,
            RoomFeedback.room_id == room.id,
            RoomFeedback.week_start == week,
        )
    ).first()
    asking = (
        room.status == RoomStatus.OPEN
        and room.kind == RoomKind.GROUP
        and now - membership.joined_at >= FEEDBACK_AFTER
    )
    return {
        "due": asking and current is None,
        "week_start": week.isoformat(),
        "current": feedback_payload(current) if current else None,
    }


def feedback_notes(room_id: int, *, limit: int = 50) -> list[dict[str, Any]]:
    """The private notes left for moderators on a room's feedback, newest first.

    Only the note and its week: not who wrote it, and not their answers.
    """
    rows = db.session.execute(
        select(RoomFeedback.week_start, RoomFeedback.note, RoomFeedback.updated_at)
        .where(RoomFeedback.room_id == room_id, RoomFeedback.note.is_not(None))
        .order_by(RoomFeedback.updated_at.desc(), RoomFeedback.id.desc())
        .limit(limit)
    )
    return [
        {"week_start": week.isoformat(), "note": note, "updated_at": at.isoformat()}
        for week, note, at in rows
    ]


# --- for matching -------------------------------------------------------------------


@dataclass(frozen=True)
class _Tally:
    at_ease: float
    yes: float


def group_outcomes(session: Session) -> list[tuple[list[int], float]]:
    """How well each group worked, for the matching model's labels.

    One entry per group room with any after-meeting feedback: the ids of everyone
    who was a member of it (also those who left), and an outcome in [0, 1], the mean
    of two parts: the average at-ease answer rescaled ((at_ease - 1) / 4) and the
    share of answers saying they'd meet again ("yes"). Rooms are ordered by id.
    Only this function gives matching the feedback, and only per room. Demo
    answers (``make run``'s simulated ones) never teach the real model.
    """
    answers: dict[int, list[_Tally]] = defaultdict(list)
    rows = session.execute(
        select(RoomFeedback.room_id, RoomFeedback.at_ease, RoomFeedback.meet_again)
        .join(Room, Room.id == RoomFeedback.room_id)
        .where(Room.kind == RoomKind.GROUP, RoomFeedback.is_demo.is_(False))
    )
    for room_id, at_ease, meet_again in rows:
        answers[room_id].append(
            _Tally((at_ease - 1) / 4, 1.0 if meet_again == MeetAgain.YES else 0.0)
        )
    if not answers:
        return []
    members: dict[int, list[int]] = defaultdict(list)
    for room_id, user_id in session.execute(
        select(Membership.room_id, Membership.user_id)
        .where(Membership.room_id.in_(answers))
        .order_by(Membership.user_id)
    ):
        members[room_id].append(user_id)
    result: list[tuple[list[int], float]] = []
    for room_id in sorted(answers):
        tallies = answers[room_id]
        ease = sum(t.at_ease for t in tallies) / len(tallies)
        yes = sum(t.yes for t in tallies) / len(tallies)
        result.append((members[room_id], (ease + yes) / 2))
    return result


# --- export and deletion ------------------------------------------------------------


def export_for(user: User) -> dict[str, Any]:
    row = settings_for(user.id)
    feedback = db.session.scalars(
        select(RoomFeedback)
        .where(RoomFeedback.user_id == user.id)
        .order_by(RoomFeedback.week_start, RoomFeedback.room_id)
    )
    return {
        "checkins": [checkin_payload(c) for c in history(user.id)],
        "checkin_settings": {
            "enabled": row.enabled,
            "next_due_at": row.next_due_at.isoformat() if row.next_due_at else None,
            "snoozed_until": row.snoozed_until.isoformat() if row.snoozed_until else None,
        }
        if row
        else None,
        "room_feedback": [feedback_payload(f) for f in feedback],
    }


def delete_for(user: User) -> None:
    """Remove every check-in, setting and feedback answer of the person."""
    db.session.execute(delete(Checkin).where(Checkin.user_id == user.id))
    db.session.execute(delete(CheckinSettings).where(CheckinSettings.user_id == user.id))
    db.session.execute(delete(RoomFeedback).where(RoomFeedback.user_id == user.id))
    db.session.flush()


# --- outcomes for operators -----------------------------------------------------------


def outcomes_document(*, min_group: int, now: datetime | None = None) -> dict[str, Any]:
    """Load the rows the aggregates need and hand them to the pure ``outcomes`` module.

    Person ids are replaced by throwaway keys before they leave this function's
    loop, so nothing downstream could print one by mistake.
    """
    now = now or utcnow()
    keys: dict[int, int] = {}

    def key(user_id: int) -> int:
        return keys.setdefault(user_id, len(keys))

    checkins = [
        outcomes.CheckinPoint(key(user_id), at, score)
        for user_id, at, score in db.session.execute(
            select(Checkin.user_id, Checkin.at, Checkin.score)
        )
    ]
    joins: dict[int, datetime] = {}
    for user_id, joined_at in db.session.execute(
        select(Membership.user_id, Membership.joined_at)
        .join(Room, Room.id == Membership.room_id)
        .where(Room.kind == RoomKind.GROUP)
    ):
        person = key(user_id)
        if person not in joins or joined_at < joins[person]:
            joins[person] = joined_at
    feedback = [
        outcomes.FeedbackPoint(key(user_id), week, at_ease, meet_again.value)
        for user_id, week, at_ease, meet_again in db.session.execute(
            select(
                RoomFeedback.user_id,
                RoomFeedback.week_start,
                RoomFeedback.at_ease,
                RoomFeedback.meet_again,
            )
        )
    ]
    document = outcomes.aggregate(checkins, joins, feedback, now=now, min_group=min_group)
    document["includes_demo_data"] = bool(
        db.session.scalar(select(Checkin.id).where(Checkin.is_demo.is_(True)).limit(1))
        or db.session.scalar(select(RoomFeedback.id).where(RoomFeedback.is_demo.is_(True)).limit(1))
    )
    return document
