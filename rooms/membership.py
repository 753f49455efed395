"""A member's place in a room: joining, seat, personal mutes, reading, leaving.

These flush; the caller commits once.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import signals
from accounts.models import User
from db import db, utcnow
from profiles.models import Profile, TalkStyle
from rooms.guards import ChatError
from rooms.models import Membership, PersonalMute, Room, Seat
from rooms.queries import active_memberships, latest_message_id, muted_handles


def starting_seat(user_id: int) -> Seat:
    """The seat a new member starts in: someone whose profile says "I like to listen
    first" starts listening, so nobody has to opt out of a sharing seat they never chose."""
    style = db.session.scalar(select(Profile.talk_style).where(Profile.user_id == user_id))
    return Seat.LISTENING if style == TalkStyle.LISTEN_FIRST else Seat.SHARING


def add_member(room: Room, user: User, *, seat: Seat | None = None) -> Membership:
    """Add ``user`` to ``room`` (or bring a former member back, seat as they left it).

    Without ``seat`` a new member starts from their profile's talk style."""
    membership = db.session.scalars(
        select(Membership).where(Membership.room_id == room.id, Membership.user_id == user.id)
    ).first()
    if membership is None:
        membership = Membership(room=room, user=user, seat=seat or starting_seat(user.id))
        db.session.add(membership)
    elif membership.left_at is not None:
        membership.left_at = None
        membership.joined_at = utcnow()
    db.session.flush()
    return membership


def set_seat(membership: Membership, seat: object) -> Seat:
    if not isinstance(seat, str) or seat not in {s.value for s in Seat}:
        raise ChatError("invalid", _l('A seat is "listening" or "sharing".'))
    membership.seat = Seat(seat)
    db.session.flush()
    return membership.seat


def set_personal_mute(room: Room, user: User, handle: object, muted: object) -> list[str]:
    """Hide (or show again) a member's messages for ``user`` only; returns the mute list."""
    if not isinstance(handle, str) or not handle.strip() or not isinstance(muted, bool):
        raise ChatError("invalid", _l("Tell us whom to mute (handle) and whether (muted)."))
    target = next(
        (
            m.user
            for m in active_memberships(room)
            if m.user.handle and m.user.handle.lower() == handle.strip().lower()
        ),
        None,
    )
    if target is None:
        raise ChatError("invalid", _l("There's no member with that handle in this room."))
    if target.id == user.id:
        raise ChatError("invalid", _l("You can't mute yourself."))
    existing = db.session.scalars(
        select(PersonalMute).where(
            PersonalMute.room_id == room.id,
            PersonalMute.user_id == user.id,
            PersonalMute.muted_user_id == target.id,
        )
    ).first()
    if muted and existing is None:
        db.session.add(PersonalMute(room_id=room.id, user_id=user.id, muted_user_id=target.id))
    elif not muted and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    return muted_handles(room.id, user.id)


def leave_room(membership: Membership) -> None:
    """The member leaves; matching hears of it (``signals.member_left_room``) to tell
    the others and, below three members, offer to invite newcomers."""
    membership.left_at = utcnow()
    db.session.flush()
    room = membership.room
    signals.member_left_room.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
        room_id=room.id,
        name=room.name,
        user_id=membership.user_id,
        remaining_member_ids=[m.user_id for m in active_memberships(room.id)],
        kind=room.kind.value,
    )


def mark_read(membership: Membership, message_id: int | None = None) -> None:
    latest = message_id if message_id is not None else latest_message_id(membership.room_id)
    if latest is not None and (membership.last_read_message_id or 0) < latest:
        membership.last_read_message_id = latest
        db.session.flush()
