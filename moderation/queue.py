"""The moderation queue: one open item per target, opened by screening, reports,
concerns and a moderator's "this was a crisis" mark, then acknowledged, assigned
and closed with an outcome the reporters hear about.

A moderator's action on an item (acknowledge, assign, resolve, mark) writes its
one audit entry here in the same transaction; everything flushes and the caller
commits once. Updates to the consoles go out only after that commit (the outbox).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import Role, User
from db import db, utcnow
from i18n import N_
from moderation import audit, labels, language, outbox, payloads
from moderation.guards import MAX_REASON, ModerationError
from moderation.models import (
    OPEN_STATUSES,
    AuditEntry,
    LabelSource,
    OutcomeNotice,
    QueueItem,
    QueueKind,
    QueueStatus,
    Report,
    ReportOutcome,
)
from notifications import service as notifications
from rooms import broadcast
from rooms.models import Message, Room

MAX_EXCERPT = 280

#: What the reporters hear when their report's item closes.
OUTCOME_TEXT = {
    ReportOutcome.ACTIONED: N_(
        "Thank you for your report. A moderator looked at it and took care of it."
    ),
    ReportOutcome.NO_ACTION: N_(
        "Thank you for your report. A moderator looked at it and found it within "
        "the guidelines this time. Thanks for looking out for the group."
    ),
}


def announce_update(item: QueueItem) -> None:
    """After commit: the consoles hear the item's new status."""
    payload = {"id": item.id, "status": item.status.value}
    outbox.after_commit(lambda: tell_moderators("queue_update", payload))


def tell_moderators(event: str, payload: dict[str, Any]) -> None:
    """Send ``event`` to the moderators' consoles now (callers queue it after commit)."""
    from moderation import events  # sockets live one layer up; imported late

    events.emit_to_moderators(event, payload)


# One open item per target: these keys name the target.


def message_key(message_id: int) -> str:
    return f"message:{message_id}"


def room_key(room_id: int) -> str:
    return f"room:{room_id}"


def concern_key(room_id: int, about_user_id: int | None) -> str:
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


def open_or_bump(
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


def announce(item: QueueItem) -> None:
    """After commit: the consoles hear of a new or raised item."""
    room = db.session.get(Room, item.room_id)
    payload = payloads.queue_item(item, room_name=room.name if room else None)
    outbox.after_commit(lambda: tell_moderators("queue_item", payload))


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
    item, _created = open_or_bump(
        kind=kind,
        severity=severity,
        room_id=message.room_id,
        message_id=message.id,
        target_key=message_key(message.id),
        excerpt=message.body,
    )
    _keep_with_care_room(item, message)
    announce(item)
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
        item, _created = open_or_bump(
            kind=QueueKind.CRISIS,
            severity=MARKED_CRISIS_SEVERITY,
            room_id=message.room_id,
            message_id=message.id,
            target_key=message_key(message.id),
            excerpt=message.body,
        )
        _keep_with_care_room(item, message)
        announce(item)
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
    announce_update(item)
    return audit.record(by, "ack_item", "queue_item", item.id)


def assign_item(item: QueueItem, assignee: User, *, by: User) -> AuditEntry:
    if not item.is_open:
        raise ModerationError(409, "conflict", _l("That item is closed."))
    if not assignee.is_active or not assignee.has_role(Role.MODERATOR):
        raise ModerationError(400, "invalid", _l("Items go to moderators only."), "assignee")
    item.assigned_to_id = assignee.id
    db.session.flush()
    announce_update(item)
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
    announce_update(item)
    room_id = item.room_id
    for reporter_id in told:
        outbox.after_commit(_deliver_notice(reporter_id, room_id, text))
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
