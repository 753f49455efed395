"""Care rooms: a private room between one person and the moderators (issue 14).

A care room is an ordinary room of kind ``care``, so it reuses everything /chat
does (durable, idempotent sends, catch-up, screening). Its members are the person
it is for and the moderators who joined; nobody else may join (``not_member``).
Moderation opens and closes them through these functions and writes the audit
rows; rooms never imports moderation. Like every service here they flush and the
caller commits once.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import signals
from accounts.models import User
from db import db, utcnow
from i18n import N_, StoredText
from rooms import queries, texts
from rooms.guards import ChatError
from rooms.membership import add_member
from rooms.models import Membership, Message, MessageKind, Room, RoomKind, RoomStatus

CARE_ROOM_NAME = "A private check-in with the moderators"
#: Replaces the person's handle in moderator and system lines once they delete their account.
FORMER_MEMBER_TEXT = N_("a former member")
#: Closing lines, shown in each reader's language (``rooms.texts``).
CLOSED_BY_MEMBER_TEXT = N_(
    "Closed from your side: “I'm okay for now, thank you.” The moderators are glad you "
    "let them know. You can always reach out again through the crisis help page."
)
CLOSED_BY_MODERATOR_TEXT = N_(
    "The moderators have closed this check-in. Thank you for talking with us. "
    "If things get hard again, crisis help is always one tap away."
)


def open_care_room_for(person: User | int) -> Room | None:
    """The person's care room that is not closed, if any."""
    person_id = person if isinstance(person, int) else person.id
    return db.session.scalars(
        select(Room)
        .where(
            Room.kind == RoomKind.CARE,
            Room.care_for_id == person_id,
            Room.status != RoomStatus.CLOSED,
        )
        .order_by(Room.id.desc())
    ).first()


def care_rooms_of(person: User | int) -> list[Room]:
    """Every care room ever opened for the person, newest first."""
    person_id = person if isinstance(person, int) else person.id
    return list(
        db.session.scalars(
            select(Room)
            .where(Room.kind == RoomKind.CARE, Room.care_for_id == person_id)
            .order_by(Room.id.desc())
        )
    )


def open_or_reuse(person: User, *, by: User) -> tuple[Room, bool]:
    """The person's open care room, or a new one; ``by`` (a moderator) is a member.

    Returns (room, created).
    """
    if not person.is_active:
        raise ChatError("invalid", _l("That account no longer exists."))
    room = open_care_room_for(person)
    created = room is None
    if room is None:
        room = Room(
            name=CARE_ROOM_NAME,
            status=RoomStatus.OPEN,
            opened_at=utcnow(),
            kind=RoomKind.CARE,
            care_for_id=person.id,
        )
        db.session.add(room)
        db.session.flush()
        add_member(room, person)
    elif queries.membership_of(room, person) is None:
        add_member(room, person)
    add_member(room, by)
    return room, created


def join_as_moderator(room: Room, moderator: User) -> Membership | None:
    """A moderator joins a care room (any moderator may). Returns the new membership,
    or None if they were already in.

    Fires ``signals.care_room_joined`` so moderation writes the audit row in this
    same transaction.
    """
    if not room.is_care or not moderator.is_moderator:
        raise ChatError("not_member", _l("You're not a member of this room."))
    if room.status == RoomStatus.CLOSED:
        return None
    if queries.membership_of(room, moderator) is not None:
        return None
    membership = add_member(room, moderator)
    signals.care_room_joined.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
        room_id=room.id,
        moderator_id=moderator.id,
    )
    return membership


def post_system_line(room: Room, body: str | StoredText) -> Message:
    """A private line from Hearth in the care room (e.g. crisis resources). A
    ``StoredText`` is shown in each reader's language, a string as written."""
    english, body_i18n = texts.stored_fields(body)
    line = Message(
        room_id=room.id,
        author_id=None,
        kind=MessageKind.SYSTEM,
        body=english.strip()[:2000],
        body_i18n=body_i18n,
    )
    db.session.add(line)
    db.session.flush()
    return line


def close(room: Room, *, text: str, outcome: str | None = None) -> Message:
    """Close a care room with a calm closing line (a msgid); returns that line."""
    if not room.is_care:
        raise ChatError("invalid", _l("Only private check-ins can be closed this way."))
    if room.status == RoomStatus.CLOSED:
        raise ChatError("room_closed", _l("This check-in is already closed."))
    line = post_system_line(room, StoredText(text))
    room.care_outcome = outcome
    room.status = RoomStatus.CLOSED
    room.closed_at = utcnow()
    room.round_message_id = None
    db.session.flush()
    return line


def close_by_member(room: Room, person: User) -> Message:
    """The person closes their own care room: "I'm okay for now, thank you"."""
    if not room.is_care or room.care_for_id != person.id:
        raise ChatError("forbidden", _l("Only the person this check-in is for can close it."))
    return close(room, text=CLOSED_BY_MEMBER_TEXT)


def sort_care_first(rooms: list[tuple[Room, int]]) -> list[tuple[Room, int]]:
    """Open care rooms lead the /groups list; the rest keep their order."""
    return sorted(
        rooms, key=lambda pair: 0 if pair[0].is_care and pair[0].status != RoomStatus.CLOSED else 1
    )


# --- deleted accounts (issue 14 §5) ---------------------------------------------


def _handle_pattern(handle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@]){re.escape(handle)}(?!\w)", re.IGNORECASE)


def forget_person(user: User) -> dict[str, Any]:
    """Before an account is deleted: moderator and system lines that name the person
    (in every room they were in, care rooms included) say "a former member"
    instead, and their care rooms close. Their own messages are handled by
    ``rooms.account_data.delete_for`` (shown as "former member")."""
    rewritten = 0
    closed = 0
    if user.handle:
        pattern = _handle_pattern(user.handle)
        room_ids = select(Membership.room_id).where(Membership.user_id == user.id)
        care_ids = select(Room.id).where(Room.care_for_id == user.id)
        lines = db.session.scalars(
            select(Message).where(
                Message.kind.in_((MessageKind.MODERATOR, MessageKind.SYSTEM, MessageKind.PROMPT)),
                Message.room_id.in_(room_ids) | Message.room_id.in_(care_ids),
            )
        )
        for line in lines:
            new_body = pattern.sub(FORMER_MEMBER_TEXT, line.body)
            source = texts.stored_text(line)
            if source is not None:
                # A value naming them becomes "a former member" in each reader's language.
                params = {
                    name: (FORMER_MEMBER_TEXT,)
                    if isinstance(value, str) and pattern.fullmatch(value)
                    else value
                    for name, value in source.params.items()
                }
                if params != dict(source.params):
                    line.body_i18n = StoredText(source.msgid, params).to_json()
            if new_body != line.body:
                line.body = new_body
                rewritten += 1
    for room in care_rooms_of(user):
        if room.status != RoomStatus.CLOSED:
            room.status = RoomStatus.CLOSED
            room.closed_at = utcnow()
            room.round_message_id = None
            closed += 1
    db.session.flush()
    return {"rewritten": rewritten, "closed": closed}
