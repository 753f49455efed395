"""How alive each room is, for matching's backfill and meet-again questions.

Answered through signals (matching never imports rooms): which open rooms have
fallen below three members who still take part, and how old a person's rooms are.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from accounts.models import User
from db import db, utcnow
from rooms.models import Membership, Message, MessageKind, Room, RoomKind, RoomStatus

QUORUM = 3
#: A member who has neither joined nor written for this long has "gone quiet".
QUIET_AFTER = timedelta(days=7)


def _recent_authors(room_id: int, since: datetime) -> set[int]:
    rows = db.session.scalars(
        select(Message.author_id)
        .where(Message.room_id == room_id, Message.kind == MessageKind.USER)
        .where(Message.created_at >= since, Message.author_id.is_not(None))
        .group_by(Message.author_id)
    )
    return {int(author) for author in rows if author is not None}


def rooms_below_quorum(now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or utcnow()
    since = now - QUIET_AFTER
    rooms = db.session.scalars(
        select(Room).where(
            Room.status == RoomStatus.OPEN,
            Room.opened_at <= since,
            Room.kind == RoomKind.GROUP,  # care rooms are never refilled with peers
        )
    ).all()
    found = []
    for room in rooms:
        members = db.session.execute(
            select(Membership.user_id, Membership.joined_at)
            .join(User, User.id == Membership.user_id)
            .where(Membership.room_id == room.id, Membership.left_at.is_(None))
            .where(User.deleted_at.is_(None))
        ).all()
        writers = _recent_authors(room.id, since)
        active = [uid for uid, joined in members if joined >= since or uid in writers]
        if len(active) < QUORUM:
            found.append(
                {
                    "room_id": room.id,
                    "name": room.name,
                    "opened_at": room.opened_at,
                    "active_member_ids": sorted(active),
                    "member_ids": sorted(uid for uid, _ in members),
                }
            )
    return found


def room_ages(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Room.id, Room.name, Room.opened_at)
        .join(Membership, Membership.room_id == Room.id)
        .where(Membership.user_id == user.id, Membership.left_at.is_(None))
        .where(Room.status == RoomStatus.OPEN, Room.opened_at.is_not(None))
        .where(Room.kind == RoomKind.GROUP)
        .order_by(Room.opened_at)
    ).all()
    return [{"room_id": rid, "name": name, "opened_at": opened} for rid, name, opened in rows]


def on_collect_rooms_below_quorum(
    sender: Any, now: datetime | None = None, **_: Any
) -> list[dict[str, Any]]:
    return rooms_below_quorum(now)


def on_collect_room_ages(sender: Any, user: User | None = None, **_: Any) -> list[dict[str, Any]]:
    return room_ages(user if user is not None else sender)
