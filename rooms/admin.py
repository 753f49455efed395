"""Opening rooms and the moderators' levers on them.

Moderation calls the levers; they flush, and moderation commits and writes the
audit entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from accounts.models import User
from db import db, utcnow
from i18n import StoredText
from rooms.guards import ChatError, validate_body
from rooms.membership import add_member
from rooms.models import Membership, Message, MessageKind, Room, RoomStatus
from rooms.queries import membership_of
from rooms.rounds import start_round


def create_room(
    name: str,
    members: Sequence[User],
    *,
    opening_prompt: str | StoredText | None = None,
    origin_proposal_id: int | None = None,
    status: RoomStatus = RoomStatus.OPEN,
) -> Room:
    """Open a room for ``members``; with ``opening_prompt`` the first round starts."""
    clean = " ".join(name.split())[:80] or "A quiet room"
    now = utcnow()
    room = Room(
        name=clean,
        status=status,
        opened_at=now if status == RoomStatus.OPEN else None,
        origin_proposal_id=origin_proposal_id,
    )
    db.session.add(room)
    db.session.flush()
    for user in members:
        add_member(room, user)
    if opening_prompt:
        start_round(room, opening_prompt, started_by=None)
    db.session.flush()
    return room


def remove_message(message: Message, *, by: User) -> Message:
    """Take a message out of the room; it stays a placeholder ("removed")."""
    if message.removed_at is None:
        message.removed_at = utcnow()
        message.removed_by_id = by.id
    db.session.flush()
    return message


def set_room_status(room: Room, status: RoomStatus | str, *, by: User) -> Room:
    """Pause, resume (open) or close a room."""
    new = RoomStatus(status)
    room.status = new
    if new == RoomStatus.OPEN and room.opened_at is None:
        room.opened_at = utcnow()
    if new == RoomStatus.CLOSED:
        room.closed_at = utcnow()
        room.round_message_id = None
    db.session.flush()
    return room


def remove_member(room: Room, user: User, *, by: User) -> Membership | None:
    """Take a member out of the room (broadcast ``removed`` after committing)."""
    membership = membership_of(room, user)
    if membership is not None:
        membership.left_at = utcnow()
    db.session.flush()
    return membership


def set_slow_mode(room: Room, seconds: int, *, by: User) -> Room:
    """One message per member per ``seconds`` (0 turns slow mode off; max one hour)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= 3600:
        raise ChatError("invalid", _l("Slow mode is 0 to 3600 seconds."))
    room.slow_mode_seconds = seconds
    db.session.flush()
    return room


def post_as_moderators(room: Room, body: str, *, by: User) -> Message:
    """A message from the moderation team, shown as "Hearth moderators"."""
    text = validate_body(body)
    message = Message(room_id=room.id, author_id=by.id, kind=MessageKind.MODERATOR, body=text)
    db.session.add(message)
    db.session.flush()
    return message
