"""Reading rooms: who is in one, what a member may see, and what's unread.

Queries only; nothing here changes state.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select

from accounts.models import User
from db import db, utcnow
from rooms.constants import HISTORY_PAGE, LATEST_ON_JOIN
from rooms.models import Membership, Message, PersonalMute, Room


def get_room(room_id: int) -> Room | None:
    return db.session.get(Room, room_id)


def get_message(message_id: int) -> Message | None:
    return db.session.get(Message, message_id)


def membership_of(room: Room | int, user: User | int) -> Membership | None:
    """The user's active membership of the room, or None."""
    room_id = room if isinstance(room, int) else room.id
    user_id = user if isinstance(user, int) else user.id
    return db.session.scalars(
        select(Membership).where(
            Membership.room_id == room_id,
            Membership.user_id == user_id,
            Membership.left_at.is_(None),
        )
    ).first()


# Built once: the send path runs this for every message, and constructing the
# statement (and its cache key) cost more than executing it.
_MEMBER_CONTEXT = (
    select(User, Room, Membership)
    .select_from(User)
    .outerjoin(Room, Room.id == bindparam("room_id"))
    .outerjoin(
        Membership,
        and_(
            Membership.room_id == Room.id,
            Membership.user_id == User.id,
            Membership.left_at.is_(None),
        ),
    )
    .where(User.id == bindparam("user_id"))
)


def member_context(
    user_id: int, room_id: int
) -> tuple[User | None, Room | None, Membership | None]:
    """The user, the room and the user's active membership of it, in one query.

    Every chat event needs all three, re-checked; asking once instead of three
    times matters on the send path.
    """
    row = db.session.execute(_MEMBER_CONTEXT, {"user_id": user_id, "room_id": room_id}).first()
    if row is None:
        return None, None, None
    return row[0], row[1], row[2]


def can_view(room: Room, user: User) -> bool:
    """Members of the room and moderators may read it."""
    return user.is_moderator or membership_of(room, user) is not None


def active_memberships(room: Room | int) -> list[Membership]:
    room_id = room if isinstance(room, int) else room.id
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.room_id == room_id, Membership.left_at.is_(None))
            .order_by(Membership.joined_at, Membership.id)
        )
    )


def muted_user_ids(room_id: int, user_id: int) -> set[int]:
    """Whom ``user_id`` has personally muted in this room."""
    return set(
        db.session.scalars(
            select(PersonalMute.muted_user_id).where(
                PersonalMute.room_id == room_id, PersonalMute.user_id == user_id
            )
        )
    )


def muted_handles(room_id: int, user_id: int) -> list[str]:
    ids = muted_user_ids(room_id, user_id)
    if not ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(ids)))
    return sorted(user.display_handle for user in users)


def _visible_to(viewer: User, room_id: int) -> Any:
    """The SQL condition for messages ``viewer`` may see in the room.

    Held messages are shown only to their author; personally muted members'
    messages are left out for the one who muted them.
    """
    condition = and_(
        Message.room_id == room_id,
        or_(Message.held.is_(False), Message.author_id == viewer.id),
    )
    muted = muted_user_ids(room_id, viewer.id)
    if muted:
        condition = and_(
            condition, or_(Message.author_id.is_(None), Message.author_id.not_in(muted))
        )
    return condition


def history(
    room: Room, viewer: User, *, after_id: int | None = None, limit: int = HISTORY_PAGE
) -> tuple[list[Message], bool]:
    """Messages for ``viewer``: after ``after_id`` (oldest first, at most ``limit``)
    or, without it, the latest ``LATEST_ON_JOIN``.

    ``has_more`` is true when newer messages exist beyond the returned batch, so the
    client pages on with the history API. Removed messages come back as
    placeholders (see ``payloads.message``).
    """
    condition = _visible_to(viewer, room.id)
    if after_id is None:
        latest = list(
            db.session.scalars(
                select(Message).where(condition).order_by(Message.id.desc()).limit(LATEST_ON_JOIN)
            )
        )
        latest.reverse()
        return latest, False
    rows = list(
        db.session.scalars(
            select(Message)
            .where(condition, Message.id > after_id)
            .order_by(Message.id)
            .limit(limit + 1)
        )
    )
    return rows[:limit], len(rows) > limit


def latest_message_id(room_id: int) -> int | None:
    return db.session.scalar(select(func.max(Message.id)).where(Message.room_id == room_id))


def room_context(message: Message, before: int = 5) -> list[Message]:
    """The message with up to ``before`` earlier ones (for a moderator's review)."""
    earlier = list(
        db.session.scalars(
            select(Message)
            .where(Message.room_id == message.room_id, Message.id < message.id)
            .order_by(Message.id.desc())
            .limit(before)
        )
    )
    earlier.reverse()
    return [*earlier, message]


def room_activity(room: Room) -> dict[str, int]:
    """``{"room_id", "messages_last_hour", "online"}`` for the moderator console."""
    from rooms import broadcast  # the socket registry lives with the broadcasts

    since = utcnow() - timedelta(hours=1)
    count = db.session.scalar(
        select(func.count())
        .select_from(Message)
        .where(Message.room_id == room.id, Message.created_at >= since)
    )
    return {
        "room_id": room.id,
        "messages_last_hour": int(count or 0),
        "online": len(broadcast.online_user_ids(room.id)),
    }


def unread_count(membership: Membership) -> int:
    """Messages from others the member hasn't opened the room for yet (private to them)."""
    user = membership.user
    condition = and_(
        _visible_to(user, membership.room_id),
        Message.removed_at.is_(None),
        or_(Message.author_id.is_(None), Message.author_id != user.id),
    )
    if membership.last_read_message_id is not None:
        condition = and_(condition, Message.id > membership.last_read_message_id)
    return int(db.session.scalar(select(func.count()).select_from(Message).where(condition)) or 0)


def member_rooms(user: User) -> list[tuple[Room, int]]:
    """The user's active rooms with their unread counts, newest first."""
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id, Membership.left_at.is_(None))
        .order_by(Membership.joined_at.desc())
    )
    return [(m.room, unread_count(m)) for m in memberships]
