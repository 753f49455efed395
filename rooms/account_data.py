"""What rooms hold about a person: their export, and what goes when they leave Hearth."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select

from accounts.models import User
from db import db
from rooms.models import Membership, Message, MessageKind, PersonalMute, Reaction


def export_for(user: User) -> dict[str, Any]:
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    messages = db.session.scalars(
        select(Message)
        .where(Message.author_id == user.id, Message.kind == MessageKind.USER)
        .order_by(Message.id)
    )
    return {
        "memberships": [
            {
                "room_id": m.room_id,
                "room_name": m.room.name,
                "seat": m.seat.value,
                "joined_at": m.joined_at.isoformat(),
                "left_at": m.left_at.isoformat() if m.left_at else None,
            }
            for m in memberships
        ],
        "messages": [
            {
                "id": m.id,
                "room_id": m.room_id,
                "body": m.body,
                "created_at": m.created_at.isoformat(),
                "removed": m.removed_at is not None,
                "held": m.held,
            }
            for m in messages
        ],
    }


def delete_for(user: User) -> None:
    """Remove the user's memberships, mutes and reactions; their messages stay, shown
    as written by "former member"."""
    db.session.execute(delete(Reaction).where(Reaction.user_id == user.id))
    db.session.execute(
        delete(PersonalMute).where(
            or_(PersonalMute.user_id == user.id, PersonalMute.muted_user_id == user.id)
        )
    )
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    db.session.flush()
