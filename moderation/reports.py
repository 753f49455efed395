"""Reports and concerns from members, and the reporter's outcome notices.

Rooms hands reports and concerns over through signals (``moderation.receivers``);
each is stored and gathered on its target's one open queue item.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accounts.models import User
from db import db, utcnow
from moderation import audit, queue, wording
from moderation.guards import ModerationError, check_reason
from moderation.models import AuditEntry, Concern, OutcomeNotice, QueueKind, Report
from rooms.models import Message, Room

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


class ConcernRateLimited(ModerationError):
    """Raised when someone raises concerns faster than CONCERN_LIMIT per hour."""

    def __init__(self) -> None:
        super().__init__(
            429,
            "rate_limited",
            "Thank you for caring. You've raised several concerns recently; "
            "a moderator will look at them soon.",
        )


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
        key, excerpt = queue.message_key(message.id), message.body
    else:
        key, excerpt = queue.room_key(room.id), note or wording.ROOM_REPORTED
    item, _created = queue.open_or_bump(
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
    queue.announce(item)
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
    item, _created = queue.open_or_bump(
        kind=QueueKind.CONCERN,
        severity=CONCERN_SEVERITY,
        room_id=room.id,
        message_id=None,
        target_key=queue.concern_key(room.id, about.id if about else None),
        excerpt=f"Concern {about_text}: {note}" if note else f"Concern {about_text}.",
        count=1,
    )
    queue.announce(item)
    return concern


def mark_concern_bad_faith(concern: Concern, *, by: User, reason: str) -> AuditEntry:
    """Mark a concern as raised in bad faith (visible to moderators only)."""
    reason = check_reason(reason)
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
