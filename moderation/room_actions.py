"""What moderators do in a room: remove a message, pause, resume or close it, and
post as "Hearth moderators".

Each writes exactly one audit entry in the same transaction and flushes; the
caller commits once, and the room hears of it only after that commit (the outbox).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from accounts.models import User
from moderation import audit, outbox, queue
from moderation.guards import MAX_REASON, ModerationError, check_reason
from moderation.models import AuditEntry, ReportOutcome
from rooms import admin as room_admin
from rooms import broadcast
from rooms import payloads as room_payloads
from rooms.models import Message, Room, RoomStatus


def _tell(user_id: int, code: str, text: str, *, room_id: int | None = None) -> None:
    """After commit: a calm ``notice`` to the person's open /chat sockets."""
    outbox.after_commit(
        lambda: broadcast.notice(
            user_id=user_id, room_id=room_id, level="warning", code=code, text=text
        )
    )


def remove_message(message: Message, *, by: User, reason: str) -> AuditEntry:
    """Remove a message for everyone; its open queue item is resolved with it."""
    reason = check_reason(reason)
    if message.is_removed:
        raise ModerationError(409, "conflict", _l("That message has already been removed."))
    room_admin.remove_message(message, by=by)
    item = queue.open_item_for(queue.message_key(message.id))
    details: dict[str, Any] = {"room_id": message.room_id, "author_id": message.author_id}
    if item is not None:
        queue.close_with_outcome(item, ReportOutcome.ACTIONED, by=by)
        details["queue_item_id"] = item.id
    entry = audit.record(by, "remove_message", "message", message.id, reason, **details)
    room_id, message_id = message.room_id, message.id
    outbox.after_commit(lambda: broadcast.message_removed(room_id, message_id))
    if message.author_id is not None:
        _tell(
            message.author_id,
            "message_removed",
            "A moderator removed one of your messages because it didn't fit the "
            "community guidelines. You're welcome to keep talking.",
            room_id=room_id,
        )
    return entry


_ROOM_ACTIONS = {
    "pause_room": (
        RoomStatus.PAUSED,
        (RoomStatus.OPEN, RoomStatus.FORMING),
        "The moderators have paused this room for a little while. Take a breath; "
        "it will open again soon.",
    ),
    "resume_room": (
        RoomStatus.OPEN,
        (RoomStatus.PAUSED,),
        "The room is open again. Welcome back.",
    ),
    "close_room": (
        RoomStatus.CLOSED,
        (RoomStatus.OPEN, RoomStatus.PAUSED, RoomStatus.FORMING),
        "The moderators have closed this room. Thank you for the time you spent here.",
    ),
}


def _set_room(action: str, room: Room, *, by: User, reason: str) -> AuditEntry:
    reason = check_reason(reason)
    status, allowed_from, text = _ROOM_ACTIONS[action]
    if room.status not in allowed_from:
        raise ModerationError(
            409, "conflict", _l("The room is %(status)s.", status=room.status.value)
        )
    previous = room.status
    room_admin.set_room_status(room, status, by=by)
    entry = audit.record(
        by, action, "room", room.id, reason, previous=previous.value, status=status.value
    )
    room_id = room.id
    code = {"pause_room": "room_paused", "resume_room": "room_resumed"}.get(action, "room_closed")
    outbox.after_commit(
        lambda: broadcast.notice(room_id=room_id, level="info", code=code, text=text)
    )
    return entry


def pause_room(room: Room, *, by: User, reason: str) -> AuditEntry:
    """Pause a room: members can read, nobody can post until it resumes."""
    return _set_room("pause_room", room, by=by, reason=reason)


def resume_room(room: Room, *, by: User, reason: str) -> AuditEntry:
    return _set_room("resume_room", room, by=by, reason=reason)


def close_room(room: Room, *, by: User, reason: str) -> AuditEntry:
    return _set_room("close_room", room, by=by, reason=reason)


def post_as_moderators(room: Room, body: str, *, by: User) -> tuple[AuditEntry, Message]:
    """Post in a room as the neutral "Hearth moderators" identity."""
    body = (body or "").strip()
    if not body or len(body) > 2000:
        raise ModerationError(400, "invalid", _l("A message is 1 to 2000 characters."), "body")
    if room.status == RoomStatus.CLOSED:
        raise ModerationError(409, "conflict", _l("The room is closed."))
    message = room_admin.post_as_moderators(room, body, by=by)
    entry = audit.record(
        by, "post_as_moderators", "room", room.id, body[:MAX_REASON], message_id=message.id
    )
    payload = room_payloads.message(message)
    outbox.after_commit(lambda: broadcast.message(payload))
    return entry, message
