"""Sanctions on a person: warn, mute, take out of a room, ban and unban.

Each changes state, writes exactly one audit entry in the same transaction and
flushes; the route or socket handler commits once. What the person should hear
is sent through ``signals.member_sanctioned`` only after that commit. The acting
moderator is always the keyword-only ``by``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import signals
from accounts import service as accounts_service
from accounts.models import BAN_FOREVER, Role, User
from db import db, utcnow
from moderation import audit, outbox
from moderation.guards import ModerationError, check_reason
from moderation.models import AuditEntry, Sanction, SanctionKind
from rooms import admin as room_admin
from rooms.models import Membership, Room

#: A year: the longest timed mute or ban (longer is a permanent ban).
MAX_DURATION_MINUTES = 525_600


def _minutes(duration_minutes: int) -> timedelta:
    if (
        isinstance(duration_minutes, bool)
        or not isinstance(duration_minutes, int)
        or not 0 < duration_minutes <= MAX_DURATION_MINUTES
    ):
        raise ModerationError(400, "invalid", _l("Duration must be 1 to 525600 minutes."))
    return timedelta(minutes=duration_minutes)


def can_sanction(actor: User, target: User) -> bool:
    """Moderators sanction members; only admins sanction moderators and admins."""
    if actor.id == target.id:
        return False
    return target.role == Role.MEMBER or actor.role == Role.ADMIN


def _require_sanctionable(actor: User, target: User) -> None:
    if not target.is_active:
        raise ModerationError(404, "not_found", _l("That account no longer exists."))
    if not can_sanction(actor, target):
        raise ModerationError(
            403, "forbidden", _l("Only an admin can take this action on a member of the team.")
        )


def _until_text(until: datetime | None) -> str:
    if until is None or until >= BAN_FOREVER:
        return "until further notice"
    return "until " + until.strftime("%d %b %Y, %H:%M UTC")


def _sanctioned(
    user: User,
    kind: SanctionKind,
    room_id: int | None,
    until: datetime | None,
    reason: str,
    text: str,
) -> None:
    """After commit: ``signals.member_sanctioned``. Rooms tells the person (``notice``
    or ``removed``) and closes what the sanction closes (a ban disconnects every socket).
    ``text`` is the calm sentence for the person, saying what happened and until when."""
    user_id = user.id
    outbox.after_commit(
        lambda: signals.member_sanctioned.send(
            None,
            user_id=user_id,
            kind=kind.value,
            room_id=room_id,
            until=until,
            reason=reason,
            text=text,
        )
    )


def _add_sanction(
    user: User,
    kind: SanctionKind,
    *,
    by: User,
    reason: str,
    ends_at: datetime | None = None,
    room: Room | None = None,
) -> Sanction:
    sanction = Sanction(
        user_id=user.id,
        kind=kind,
        room_id=room.id if room else None,
        reason=reason,
        starts_at=utcnow(),
        ends_at=ends_at,
        created_by_id=by.id,
    )
    db.session.add(sanction)
    db.session.flush()
    return sanction


def warn(user: User, *, by: User, reason: str, room: Room | None = None) -> AuditEntry:
    """A written warning: recorded, and the person is told why."""
    reason = check_reason(reason)
    _require_sanctionable(by, user)
    sanction = _add_sanction(user, SanctionKind.WARN, by=by, reason=reason, room=room)
    entry = audit.record(
        by,
        "warn",
        "user",
        user.id,
        reason,
        sanction_id=sanction.id,
        room_id=room.id if room else None,
    )
    text = (
        f"A moderator sent you a gentle reminder: {reason} Please take a moment with the "
        "community guidelines."
    )
    _sanctioned(user, SanctionKind.WARN, room.id if room else None, None, reason, text)
    return entry


def mute(user: User, duration_minutes: int, *, by: User, reason: str) -> AuditEntry:
    """Mute site-wide for ``duration_minutes``: the person can read but not post."""
    reason = check_reason(reason)
    length = _minutes(duration_minutes)
    _require_sanctionable(by, user)
    until = utcnow() + length
    accounts_service.set_mute(user, until)
    sanction = _add_sanction(user, SanctionKind.MUTE, by=by, reason=reason, ends_at=until)
    entry = audit.record(
        by,
        "mute",
        "user",
        user.id,
        reason,
        sanction_id=sanction.id,
        duration_minutes=duration_minutes,
        until=until.isoformat(),
    )
    text = (
        f"A moderator has paused your posting {_until_text(until)}: {reason} "
        "You can still read along."
    )
    _sanctioned(user, SanctionKind.MUTE, None, until, reason, text)
    return entry


def remove_from_room(user: User, room: Room, *, by: User, reason: str) -> AuditEntry:
    """Take someone out of one room; they keep their account and other rooms."""
    reason = check_reason(reason)
    _require_sanctionable(by, user)
    membership = db.session.scalars(
        select(Membership).where(
            Membership.room_id == room.id,
            Membership.user_id == user.id,
            Membership.left_at.is_(None),
        )
    ).first()
    if membership is None:
        raise ModerationError(409, "conflict", _l("That person isn't in this room."))
    room_admin.remove_member(room, user, by=by)
    sanction = _add_sanction(user, SanctionKind.REMOVE_FROM_ROOM, by=by, reason=reason, room=room)
    entry = audit.record(
        by,
        "remove_from_room",
        "user",
        user.id,
        reason,
        sanction_id=sanction.id,
        room_id=room.id,
    )
    text = f"A moderator took you out of this room: {reason}"
    _sanctioned(user, SanctionKind.REMOVE_FROM_ROOM, room.id, None, reason, text)
    return entry


def ban(user: User, duration_minutes: int | None = None, *, by: User, reason: str) -> AuditEntry:
    """Ban for ``duration_minutes`` or, with None, until further notice.

    Every login session ends, so open pages and sockets lose access at once.
    """
    reason = check_reason(reason)
    until = BAN_FOREVER if duration_minutes is None else utcnow() + _minutes(duration_minutes)
    _require_sanctionable(by, user)
    accounts_service.set_ban(user, until)
    accounts_service.end_all_sessions(user)
    sanction = _add_sanction(
        user,
        SanctionKind.BAN,
        by=by,
        reason=reason,
        ends_at=None if duration_minutes is None else until,
    )
    entry = audit.record(
        by,
        "ban",
        "user",
        user.id,
        reason,
        sanction_id=sanction.id,
        duration_minutes=duration_minutes,
        until=None if duration_minutes is None else until.isoformat(),
    )
    text = f"Your account has been suspended {_until_text(until)}: {reason}"
    _sanctioned(user, SanctionKind.BAN, None, until, reason, text)
    outbox.after_commit(lambda: signals.sessions_ended.send(user, user=user, session_key=None))
    return entry


def unban(user: User, *, by: User, reason: str) -> AuditEntry:
    """Lift a ban early; the ban sanctions are marked lifted."""
    reason = check_reason(reason)
    _require_sanctionable(by, user)
    if not user.is_banned():
        raise ModerationError(409, "conflict", _l("That account isn't banned."))
    accounts_service.set_ban(user, None)
    now = utcnow()
    lifted = db.session.scalars(
        select(Sanction).where(
            Sanction.user_id == user.id,
            Sanction.kind == SanctionKind.BAN,
            Sanction.lifted_at.is_(None),
        )
    ).all()
    for sanction in lifted:
        sanction.lifted_at = now
        sanction.lifted_by_id = by.id
    db.session.flush()
    return audit.record(by, "unban", "user", user.id, reason, sanction_ids=[s.id for s in lifted])
