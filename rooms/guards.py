"""The checks before a member acts, and the error they raise.

Anything a member may not do raises :class:`ChatError` carrying a CONTRACT error
code and a kind message; socket handlers and routes turn it into their answer.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from accounts.models import User
from rooms.constants import MAX_BODY, MAX_CLIENT_MSG_ID
from rooms.models import Membership, Room, RoomStatus
from rooms.queries import membership_of


class ChatError(Exception):
    """A request the member may not make now; ``code`` is a CONTRACT error code."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def require_member(room: Room, user: User) -> Membership:
    membership = membership_of(room, user)
    if membership is None:
        raise ChatError("not_member", _l("You're not a member of this room."))
    return membership


def require_viewer(room: Room, user: User) -> Membership | None:
    """The membership, or None for a moderator who isn't a member; else not_member."""
    membership = membership_of(room, user)
    if membership is None and not user.is_moderator:
        raise ChatError("not_member", _l("You're not a member of this room."))
    return membership


def require_writable(room: Room) -> None:
    if room.status == RoomStatus.CLOSED:
        raise ChatError("room_closed", _l("This room has closed. Thank you for being part of it."))
    if room.status == RoomStatus.PAUSED:
        raise ChatError(
            "room_paused", _l("The moderators have paused this room for a moment. It will be back.")
        )
    if room.status == RoomStatus.FORMING:
        raise ChatError("room_paused", _l("This room hasn't opened yet. It will open soon."))


def require_may_post(user: User) -> None:
    if user.is_banned():
        raise ChatError("banned", _l("Your account can't take part right now."))
    if user.is_muted():
        until = user.muted_until
        raise ChatError(
            "muted",
            _l("A moderator has paused your posting for a little while. You can still read."),
            until=until.isoformat() if until else None,
        )


def validate_body(body: object) -> str:
    if not isinstance(body, str):
        raise ChatError("invalid", _l("A message needs some text."))
    text = body.strip()
    if not text:
        raise ChatError("invalid", _l("A message needs some text."))
    if len(text) > MAX_BODY:
        raise ChatError(
            "too_long",
            _l(
                "Messages can be up to %(limit)s characters. Maybe split it in two?", limit=MAX_BODY
            ),
        )
    if "\x00" in text:
        raise ChatError("invalid", _l("That message contains characters we can't store."))
    return text


def validate_client_msg_id(value: object) -> str:
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= MAX_CLIENT_MSG_ID
        or not all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    ):
        raise ChatError("invalid", _l("client_msg_id must be a UUID string."))
    return value
