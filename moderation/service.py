"""Moderation services: sanctions, room actions and the queue.

Each action changes state, writes exactly one audit entry in the same
transaction and flushes; the route or socket handler commits once. Everything
people should see (notices, removals, queue updates) is queued on the outbox and
sent only after that commit. The acting moderator is always the keyword-only
``by``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

import signals
from accounts import service as accounts_service
from accounts.models import BAN_FOREVER, Role, User
from db import db, utcnow
from i18n import N_
from moderation import audit, labels, language, outbox, payloads, wording
from moderation.models import (
    OPEN_STATUSES,
    AuditEntry,
    Concern,
    LabelSource,
    OutcomeNotice,
    QueueItem,
    QueueKind,
    QueueStatus,
    Report,
    ReportOutcome,
    Sanction,
    SanctionKind,
)
from notifications import service as notifications
from rooms import admin as room_admin
from rooms import broadcast
from rooms import payloads as room_payloads
from rooms.models import Membership, Message, Room, RoomStatus

#: A year: the longest timed mute or ban (longer is a permanent ban).
MAX_DURATION_MINUTES = 525_600
MAX_REASON = 500
MAX_EXCERPT = 280

#: Severity of a new report item by reason; more reports raise it.
REPORT_SEVERITY = {
    "self_harm_risk": 3,
    "harassment": 2,
    "hate": 2,
    "sexual_content": 2,
}
CONCERN_SEVERITY = 3
CONCERN_LIMIT = 5
CONCERN_WINDOW = timedelta(hours=1)

OUTCOME_TEXT = {
    ReportOutcome.ACTIONED: N_(
        "Thank you for your report. A moderator looked at it and took care of it."
    ),
    ReportOutcome.NO_ACTION: N_(
        "Thank you for your report. A moderator looked at it and found it within "
        "the guidelines this time. Thanks for looking out for the group."
    ),
}


class ModerationError(Exception):
    """An action that cannot be done; ``status``/``code`` follow the CONTRACT errors."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


class ConcernRateLimited(ModerationError):
    """Raised when someone raises concerns faster than CONCERN_LIMIT per hour."""

    def __init__(self) -> None:
        super().__init__(
            429,
            "rate_limited",
            "Thank you for caring. You've raised several concerns recently; "
            "a moderator will look at them soon.",
        )


# -- helpers -----------------------------------------------------------------


def _emit_later(callback: Callable[[], Any]) -> None:
    outbox.after_commit(callback)


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(400, "invalid", _l("Please give a reason."), "reason")
    if len(reason) > MAX_REASON:
        raise ModerationError(400, "invalid", _l("Please keep the reason under 500 characters."))
    return reason


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


def _tell(user_id: int, code: str, text: str, *, room_id: int | None = None) -> None:
    """After commit: a calm ``notice`` to the person's open /chat sockets."""
    _emit_later(
        lambda: broadcast.notice(
            user_id=user_id, room_id=room_id, level="warning", code=code, text=text
        )
    )


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
    _emit_later(
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


def _queue_update(item: QueueItem) -> None:
    payload = {"id": item.id, "status": item.status.value}
    _emit_later(lambda: _emit_mod("queue_update", payload))


def _emit_mod(event: str, payload: dict[str, Any]) -> None:
    from moderation import events  # sockets live one layer up; imported late

    events.emit_to_moderators(event, payload)


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


# -- actions on messages ---------------------------------------------------------


def remove_message(message: Message, *, by: User, reason: str) -> AuditEntry:
    """Remove a message for everyone; its open queue item is resolved with it."""
    reason = _check_reason(reason)
    if message.is_removed:
        raise ModerationError(409, "conflict", _l("That message has already been removed."))
    room_admin.remove_message(message, by=by)
    item = open_item_for(_message_key(message.id))
    details: dict[str, Any] = {"room_id": message.room_id, "author_id": message.author_id}
    if item is not None:
        item.outcome = ReportOutcome.ACTIONED.value
        _close_item(item, QueueStatus.RESOLVED, ReportOutcome.ACTIONED, by=by)
        details["queue_item_id"] = item.id
    entry = audit.record(by, "remove_message", "message", message.id, reason, **details)
    room_id, message_id = message.room_id, message.id
    _emit_later(lambda: broadcast.message_removed(room_id, message_id))
    if message.author_id is not None:
        _tell(
            message.author_id,
            "message_removed",
            "A moderator removed one of your messages because it didn't fit the "
            "community guidelines. You're welcome to keep talking.",
            room_id=room_id,
        )
    return entry


# -- sanctions --------------------------------------------------------------------


def warn(user: User, *, by: User, reason: str, room: Room | None = None) -> AuditEntry:
    """A written warning: recorded, and the person is told why."""
    reason = _check_reason(reason)
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
    reason = _check_reason(reason)
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
    reason = _check_reason(reason)
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
    reason = _check_reason(reason)
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
    _emit_later(lambda: signals.sessions_ended.send(user, user=user, session_key=None))
    return entry


def unban(user: User, *, by: User, reason: str) -> AuditEntry:
    """Lift a ban early; the ban sanctions are marked lifted."""
    reason = _check_reason(reason)
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


# -- rooms --------------------------------------------------------------------------

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
    reason = _check_reason(reason)
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
    _emit_later(lambda: broadcast.notice(room_id=room_id, level="info", code=code, text=text))
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
    _emit_later(lambda: broadcast.message(payload))
    return entry, message


# -- the queue --------------------------------------------------------------------


def _message_key(message_id: int) -> str:
    return f"message:{message_id}"


def _room_key(room_id: int) -> str:
    return f"room:{room_id}"


def _concern_key(room_id: int, about_user_id: int | None) -> str:
    return f"concern:{room_id}:{about_user_id or 0}"


def open_item_for(target_key: str) -> QueueItem | None:
    return db.session.scalars(
        select(QueueItem).where(
            QueueItem.target_key == target_key, QueueItem.status.in_(OPEN_STATUSES)
        )
    ).first()


def open_items(
    *, kind: str | None = None, severity: int | None = None, room_id: int | None = None
) -> list[QueueItem]:
    """Open items, most severe first, then oldest first."""
    query = select(QueueItem).where(QueueItem.status.in_(OPEN_STATUSES))
    if kind:
        query = query.where(QueueItem.kind == QueueKind(kind))
    if severity:
        query = query.where(QueueItem.severity == severity)
    if room_id:
        query = query.where(QueueItem.room_id == room_id)
    query = query.order_by(QueueItem.severity.desc(), QueueItem.created_at, QueueItem.id)
    items = list(db.session.scalars(query))
    minutes = ack_minutes()
    return sorted(items, key=lambda item: not is_overdue(item, minutes))  # stable


def ack_minutes(app: Flask | None = None) -> float:
    """CRISIS_ACK_MINUTES: how long a severity ≥ 3 item may wait unacknowledged."""
    config = (app or current_app).config
    return float(config.get("CRISIS_ACK_MINUTES", 5))


def is_overdue(item: QueueItem, minutes: float | None = None) -> bool:
    """A severity ≥ 3 item still unacknowledged after CRISIS_ACK_MINUTES."""
    limit = ack_minutes() if minutes is None else minutes
    return (
        item.status == QueueStatus.OPEN
        and item.severity >= 3
        and limit > 0
        and item.created_at <= utcnow() - timedelta(minutes=limit)
    )


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_EXCERPT else text[: MAX_EXCERPT - 1] + "…"


def _open_or_bump(
    *,
    kind: QueueKind,
    severity: int,
    room_id: int,
    message_id: int | None,
    target_key: str,
    excerpt: str,
    count: int = 0,
) -> tuple[QueueItem, bool]:
    """The one open item for ``target_key``, created or updated. Returns (item, created)."""
    severity = max(1, min(4, severity))
    item = open_item_for(target_key)
    if item is not None:
        item.severity = max(item.severity, severity)
        item.report_count += count
        if kind == QueueKind.CRISIS:
            item.kind = kind
        db.session.flush()
        return item, False
    item = QueueItem(
        kind=kind,
        severity=severity,
        room_id=room_id,
        message_id=message_id,
        target_key=target_key,
        excerpt=_excerpt(excerpt),
        status=QueueStatus.OPEN,
        report_count=count,
        created_at=utcnow(),
    )
    db.session.add(item)
    db.session.flush()
    return item, True


def _announce(item: QueueItem) -> None:
    room = db.session.get(Room, item.room_id)
    payload = payloads.queue_item(item, room_name=room.name if room else None)
    _emit_later(lambda: _emit_mod("queue_item", payload))


def _keep_with_care_room(item: QueueItem, message: Message) -> None:
    room = db.session.get(Room, message.room_id)
    if room is not None and room.is_care and item.care_room_id is None:
        item.care_room_id = room.id  # a crisis inside a check-in belongs with it
        db.session.flush()


def flag_message(message: Message, verdict: Any) -> QueueItem:
    """Screening flagged ``message``: open (or update) its queue item.

    Crisis language makes a crisis item with the verdict's severity; a held
    message is a filter item of severity 2; anything else flagged is severity 1.
    """
    if verdict.crisis:
        kind, severity = QueueKind.CRISIS, max(1, int(verdict.crisis_severity))
    elif verdict.action in ("hold", "block"):
        kind, severity = QueueKind.FILTER, 2
    else:
        kind, severity = QueueKind.FILTER, 1
    item, _created = _open_or_bump(
        kind=kind,
        severity=severity,
        room_id=message.room_id,
        message_id=message.id,
        target_key=_message_key(message.id),
        excerpt=message.body,
    )
    _keep_with_care_room(item, message)
    _announce(item)
    return item


#: Severity of the crisis item a "this was a crisis" mark opens: a person a
#: moderator judged at risk ranks with the screener's strong crisis language and
#: is escalated the same way if nobody acknowledges it.
MARKED_CRISIS_SEVERITY = 3


def mark_crisis(message: Message, crisis: bool, *, by: User) -> tuple[AuditEntry, QueueItem | None]:
    """A moderator says whether a delivered message was a crisis ("this was a crisis").

    Records a ``marked`` label (replacing any earlier one). A positive mark is
    also a person possibly at risk whom the screener missed, so it opens a crisis
    item for the message (or raises the open item on it to a crisis) so that they
    get care. A negative mark only records the label; it closes nothing.
    """
    if not labels.labellable(message):
        raise ModerationError(
            409,
            "not_labellable",
            _l("Only a member's own message can be marked, while their account exists."),
        )
    assert message.author_id is not None  # labellable() checked it
    flagged = labels.screener_flagged(message.id)
    item: QueueItem | None = None
    if crisis:
        item, _created = _open_or_bump(
            kind=QueueKind.CRISIS,
            severity=MARKED_CRISIS_SEVERITY,
            room_id=message.room_id,
            message_id=message.id,
            target_key=_message_key(message.id),
            excerpt=message.body,
        )
        _keep_with_care_room(item, message)
        _announce(item)
    labels.record_label(
        db.session(),
        message_id=message.id,
        author_id=message.author_id,
        text=message.body,
        positive=crisis,
        source=LabelSource.MARKED,
        screener_flagged=flagged,
        language=language.identify(message.body),
        queue_item_id=item.id if item is not None else None,
        labelled_by_id=by.id,
    )
    entry = audit.record(
        by,
        "label_message",
        "message",
        message.id,
        crisis=crisis,
        screener_flagged=flagged,
        room_id=message.room_id,
        queue_item_id=item.id if item is not None else None,
    )
    return entry, item


def file_report(
    reporter: User, room: Room, message: Message | None, reason: str, note: str | None
) -> Report:
    """Store a member's report and gather it on the target's one open queue item."""
    from moderation.models import REPORT_REASONS

    if reason not in REPORT_REASONS:
        raise ModerationError(400, "invalid", _l("Please choose one of the reasons."), "reason")
    note = (note or "").strip()[:500] or None
    report = Report(
        reporter_id=reporter.id,
        message_id=message.id if message else None,
        room_id=room.id,
        reason=reason,
        note=note,
        created_at=utcnow(),
    )
    db.session.add(report)
    db.session.flush()
    if message is not None:
        key, excerpt = _message_key(message.id), message.body
    else:
        key, excerpt = _room_key(room.id), note or wording.ROOM_REPORTED
    item, _created = _open_or_bump(
        kind=QueueKind.REPORT,
        severity=REPORT_SEVERITY.get(reason, 1),
        room_id=room.id,
        message_id=message.id if message else None,
        target_key=key,
        excerpt=excerpt,
        count=1,
    )
    if item.report_count >= 3:
        item.severity = max(item.severity, 2)
        db.session.flush()
    _announce(item)
    return report


def concerns_recently(reporter_id: int, now: datetime | None = None) -> int:
    since = (now or utcnow()) - CONCERN_WINDOW
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Concern)
            .where(Concern.reporter_id == reporter_id, Concern.created_at >= since)
        )
        or 0
    )


def bad_faith_count(reporter_id: int) -> int:
    """How many of this person's concerns moderators judged raised in bad faith."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Concern)
            .where(Concern.reporter_id == reporter_id, Concern.bad_faith.is_(True))
        )
        or 0
    )


def raise_concern(reporter: User, room: Room, about: User | None, note: str | None) -> Concern:
    """Record a concern for the moderators. Never tells or touches the person it is about.

    Raises ConcernRateLimited beyond CONCERN_LIMIT concerns an hour.
    """
    if concerns_recently(reporter.id) >= CONCERN_LIMIT:
        raise ConcernRateLimited()
    note = (note or "").strip()[:500] or None
    concern = Concern(
        reporter_id=reporter.id,
        room_id=room.id,
        about_user_id=about.id if about else None,
        note=note,
        created_at=utcnow(),
    )
    db.session.add(concern)
    db.session.flush()
    # Stored in English (the queue item's shape); moderation.wording shows it translated.
    about_text = f"about {about.display_handle}" if about else "about the room"
    item, _created = _open_or_bump(
        kind=QueueKind.CONCERN,
        severity=CONCERN_SEVERITY,
        room_id=room.id,
        message_id=None,
        target_key=_concern_key(room.id, about.id if about else None),
        excerpt=f"Concern {about_text}: {note}" if note else f"Concern {about_text}.",
        count=1,
    )
    _announce(item)
    return concern


def _get_item(item_id: int) -> QueueItem:
    item = db.session.get(QueueItem, item_id)
    if item is None:
        raise ModerationError(404, "not_found", _l("That queue item doesn't exist."))
    return item


def ack_item(item: QueueItem, *, by: User) -> AuditEntry:
    """A moderator has seen the item and is on it."""
    if item.status != QueueStatus.OPEN:
        raise ModerationError(
            409, "conflict", _l("That item is already %(status)s.", status=item.status.value)
        )
    item.status = QueueStatus.ACKNOWLEDGED
    item.acknowledged_at = utcnow()
    item.acknowledged_by_id = by.id
    if item.assigned_to_id is None:
        item.assigned_to_id = by.id
    db.session.flush()
    _queue_update(item)
    return audit.record(by, "ack_item", "queue_item", item.id)


def assign_item(item: QueueItem, assignee: User, *, by: User) -> AuditEntry:
    if not item.is_open:
        raise ModerationError(409, "conflict", _l("That item is closed."))
    if not assignee.is_active or not assignee.has_role(Role.MODERATOR):
        raise ModerationError(400, "invalid", _l("Items go to moderators only."), "assignee")
    item.assigned_to_id = assignee.id
    db.session.flush()
    _queue_update(item)
    return audit.record(by, "assign_item", "queue_item", item.id, assignee_id=assignee.id)


def _reports_for(item: QueueItem) -> list[Report]:
    query = select(Report).where(Report.resolved_at.is_(None))
    if item.message_id is not None:
        query = query.where(Report.message_id == item.message_id)
    elif item.target_key.startswith("room:"):
        query = query.where(Report.room_id == item.room_id, Report.message_id.is_(None))
    else:
        return []
    return list(db.session.scalars(query))


def _close_item(
    item: QueueItem, status: QueueStatus, outcome: ReportOutcome, *, by: User, label: bool = True
) -> list[Report]:
    now = utcnow()
    item.status = status
    item.resolved_at = now
    item.resolved_by_id = by.id
    if item.acknowledged_at is None:
        item.acknowledged_at = now
        item.acknowledged_by_id = by.id
    # A crisis item's outcome is also a screening label, with no extra click; the
    # calling action's audit entry (resolve, care room close, removal) covers it.
    if label:
        labels.label_closed_item(item, by=by)
    reports = _reports_for(item)
    text = OUTCOME_TEXT[outcome]
    told: set[int] = set()
    for report in reports:
        report.resolved_at = now
        report.outcome = outcome
        if report.reporter_id in told:
            continue
        told.add(report.reporter_id)
        db.session.add(
            OutcomeNotice(
                user_id=report.reporter_id,
                report_id=report.id,
                room_id=report.room_id,
                text=text,
                created_at=now,
            )
        )
    notifications.notify(
        told,
        "report_outcome",
        text,
        "/groups",
        dedupe_key=f"report_outcome:{item.id}",
    )
    db.session.flush()
    _queue_update(item)
    room_id = item.room_id
    for reporter_id in told:
        _emit_later(_deliver_notice(reporter_id, room_id, text))
    return reports


def _deliver_notice(user_id: int, room_id: int, text: str) -> Callable[[], None]:
    def deliver() -> None:
        broadcast.notice(
            user_id=user_id, room_id=room_id, level="info", code="report_outcome", text=text
        )

    return deliver


def resolve_item(
    item: QueueItem,
    outcome: ReportOutcome | str,
    *,
    by: User,
    reason: str = "",
) -> AuditEntry:
    """Close an item: ``actioned`` or a care outcome (``followed_up``, ``no_reply``,
    ``referred``) resolves it, ``no_action`` dismisses it.

    Reporters get a short, calm note of the outcome (stored, and sent live).
    """
    value = outcome.value if isinstance(outcome, ReportOutcome) else outcome
    if value not in OUTCOMES:
        raise ModerationError(400, "invalid", _l("Unknown outcome."), "outcome")
    if not item.is_open:
        raise ModerationError(409, "conflict", _l("That item is already closed."))
    reports = close_with_outcome(item, value, by=by)
    return audit.record(
        by,
        "resolve_item",
        "queue_item",
        item.id,
        reason.strip()[:MAX_REASON],
        outcome=item.outcome,
        status=item.status.value,
        report_ids=[r.id for r in reports],
    )


#: Care outcomes (issue 14) close an item as resolved; reporters hear "actioned".
CARE_OUTCOMES = ("followed_up", "no_reply", "referred")
OUTCOMES = (*(o.value for o in ReportOutcome), *CARE_OUTCOMES)


def close_with_outcome(
    item: QueueItem, outcome: ReportOutcome | str, *, by: User, label: bool = True
) -> list[Report]:
    """Close an open item with ``actioned``, ``no_action`` or a care outcome (no audit
    row of its own: the calling action writes it). ``label=False``: the outcome says
    nothing about this item's message, so it records no screening label."""
    value = outcome.value if isinstance(outcome, ReportOutcome) else outcome
    if value not in OUTCOMES:
        raise ModerationError(400, "invalid", _l("Unknown outcome."), "outcome")
    report_outcome = ReportOutcome.NO_ACTION if value == "no_action" else ReportOutcome.ACTIONED
    status = QueueStatus.DISMISSED if value == "no_action" else QueueStatus.RESOLVED
    item.outcome = value
    return _close_item(item, status, report_outcome, by=by, label=label)


def mark_concern_bad_faith(concern: Concern, *, by: User, reason: str) -> AuditEntry:
    """Mark a concern as raised in bad faith (visible to moderators only)."""
    reason = _check_reason(reason)
    if concern.bad_faith:
        raise ModerationError(409, "conflict", _l("That concern is already marked."))
    concern.bad_faith = True
    db.session.flush()
    return audit.record(
        by,
        "mark_concern_bad_faith",
        "concern",
        concern.id,
        reason,
        reporter_id=concern.reporter_id,
    )


def pending_notices(user: User) -> list[OutcomeNotice]:
    """Outcome notices the person has not seen yet (shown on their next visit)."""
    return list(
        db.session.scalars(
            select(OutcomeNotice)
            .where(OutcomeNotice.user_id == user.id, OutcomeNotice.delivered_at.is_(None))
            .order_by(OutcomeNotice.id)
        )
    )


def mark_notices_delivered(notices: Iterable[OutcomeNotice]) -> None:
    now = utcnow()
    for notice in notices:
        notice.delivered_at = now
    db.session.flush()
