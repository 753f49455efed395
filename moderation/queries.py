"""Read-only views for the console and the moderator API: item details, rooms
overview, member pages, the audit log and statistics."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from accounts.models import User
from db import db, utcnow
from moderation import care, payloads
from moderation.models import (
    OPEN_STATUSES,
    AuditEntry,
    Concern,
    QueueItem,
    QueueKind,
    Report,
    Sanction,
    ScreeningLabel,
)
from moderation.queue import is_overdue
from moderation.reports import bad_faith_count
from rooms import care as rooms_care
from rooms import queries as room_queries
from rooms.models import Membership, Message, MessageKind, Room, RoomStatus

#: Filters the audit log page accepts.
AUDIT_PAGE = 100


def _handle(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.display_handle if user else None


def _concerns_for(item: QueueItem) -> list[Concern]:
    if item.kind != QueueKind.CONCERN:
        return []
    _prefix, room_id, about = item.target_key.split(":")
    query = select(Concern).where(
        Concern.room_id == int(room_id),
        Concern.created_at >= item.created_at - timedelta(seconds=1),
    )
    if int(about):
        query = query.where(Concern.about_user_id == int(about))
    else:
        query = query.where(Concern.about_user_id.is_(None))
    if item.resolved_at is not None:
        query = query.where(Concern.created_at <= item.resolved_at)
    return list(db.session.scalars(query.order_by(Concern.id)))


def item_json(item: QueueItem) -> dict[str, Any]:
    """The queue row plus what a moderator needs to judge it at a glance.

    Concern items list who raised them with each person's bad-faith count, so a
    pattern of bad-faith flags is visible right where it matters.
    """
    extra: dict[str, Any] = {}
    concerns = _concerns_for(item)
    if concerns:
        extra["concerns"] = [
            {
                "id": c.id,
                "reporter": _handle(c.reporter_id),
                "reporter_id": c.reporter_id,
                "about": _handle(c.about_user_id),
                "note": c.note,
                "bad_faith": c.bad_faith,
                "reporter_bad_faith_count": bad_faith_count(c.reporter_id),
                "created_at": c.created_at.isoformat(),
            }
            for c in concerns
        ]
    if item.message_id is not None:
        message = db.session.get(Message, item.message_id)
        if message is not None:
            extra["author"] = _handle(message.author_id)
            extra["author_id"] = message.author_id
            extra["message_removed"] = message.is_removed
            extra["held"] = bool(message.held)
    room = db.session.get(Room, item.room_id)
    extra["room_name"] = room.name if room else None
    extra["assigned_to"] = _handle(item.assigned_to_id)
    person_id = care.care_person_id(item)
    extra["care_person_id"] = person_id
    extra["care_person"] = _handle(person_id)
    extra["care_room_id"] = item.care_room_id
    extra["overdue"] = is_overdue(item)
    extra["outcome"] = item.outcome
    return payloads.queue_item(item, **extra)


def _context_message(message: Message, focus: int | None) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": _handle(message.author_id)
        if message.kind.value == "user"
        else message.kind.value,
        "author_id": message.author_id,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "removed": message.is_removed,
        "held": bool(message.held),
        "focus": message.id == focus,
    }


def item_detail(item: QueueItem) -> dict[str, Any]:
    """The item, the message in context (five before), its reports."""
    data = item_json(item)
    context: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    if item.message_id is not None:
        message = db.session.get(Message, item.message_id)
        if message is not None:
            context = [
                _context_message(m, item.message_id)
                for m in room_queries.room_context(message, before=5)
            ]
        rows = db.session.scalars(
            select(Report).where(Report.message_id == item.message_id).order_by(Report.id)
        )
        reports = [
            {
                "id": r.id,
                "reporter": _handle(r.reporter_id),
                "reason": r.reason,
                "note": r.note,
                "created_at": r.created_at.isoformat(),
                "outcome": r.outcome.value if r.outcome else None,
            }
            for r in rows
        ]
    data["context"] = context
    data["reports"] = reports
    return data


def rooms_overview() -> list[dict[str, Any]]:
    """Open and paused rooms with live activity, members online and open items."""
    open_counts: dict[int, int] = dict(
        db.session.execute(  # type: ignore[arg-type]  # rows are (room_id, count) pairs
            select(QueueItem.room_id, func.count())
            .where(QueueItem.status.in_(OPEN_STATUSES))
            .group_by(QueueItem.room_id)
        ).all()
    )
    member_counts: dict[int, int] = dict(
        db.session.execute(  # type: ignore[arg-type]  # rows are (room_id, count) pairs
            select(Membership.room_id, func.count())
            .where(Membership.left_at.is_(None))
            .group_by(Membership.room_id)
        ).all()
    )
    rooms = db.session.scalars(
        select(Room)
        .where(Room.status.in_((RoomStatus.OPEN, RoomStatus.PAUSED, RoomStatus.FORMING)))
        .order_by(Room.id)
    )
    result: list[dict[str, Any]] = []
    for room in rooms:
        activity = room_queries.room_activity(room)
        result.append(
            {
                "id": room.id,
                "name": room.name,
                "status": room.status.value,
                "members": int(member_counts.get(room.id, 0)),
                "online": activity["online"],
                "messages_last_hour": activity["messages_last_hour"],
                "open_items": int(open_counts.get(room.id, 0)),
            }
        )
    result.sort(key=lambda r: (-int(r["open_items"]), -int(r["messages_last_hour"]), r["id"]))
    return result


#: The member page lists this many of the person's latest messages, each with the
#: "this was a crisis" mark (a miss a moderator noticed becomes a label and an item).
MEMBER_RECENT_MESSAGES = 20


def member_summary(user: User) -> dict[str, Any]:
    """Everything a moderator weighs about one member."""
    reports_about = list(
        db.session.execute(
            select(Report, Message)
            .join(Message, Report.message_id == Message.id)
            .where(Message.author_id == user.id)
            .order_by(Report.id.desc())
            .limit(100)
        ).all()
    )
    reports_filed = list(
        db.session.scalars(
            select(Report)
            .where(Report.reporter_id == user.id)
            .order_by(Report.id.desc())
            .limit(100)
        )
    )
    sanctions = list(
        db.session.scalars(
            select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.id.desc())
        )
    )
    concerns_raised = list(
        db.session.scalars(
            select(Concern).where(Concern.reporter_id == user.id).order_by(Concern.id.desc())
        )
    )
    care_rooms = rooms_care.care_rooms_of(user)
    care_room_ids = [room.id for room in care_rooms]
    history = list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                ((AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id))
                | (
                    (AuditEntry.target_type == "room")
                    & AuditEntry.target_id.in_(care_room_ids)
                    & AuditEntry.action.in_(("close_care_room", "join_care_room"))
                )
            )
            .order_by(AuditEntry.id.desc())
            .limit(100)
        )
    )
    care_items = list(
        db.session.scalars(
            select(QueueItem)
            .outerjoin(Message, QueueItem.message_id == Message.id)
            .where(
                ((QueueItem.kind == QueueKind.CRISIS) & (Message.author_id == user.id))
                | (
                    (QueueItem.kind == QueueKind.CONCERN)
                    & QueueItem.target_key.like(f"concern:%:{user.id}")
                )
            )
            .order_by(QueueItem.id.desc())
            .limit(100)
        )
    )
    rooms = list(
        db.session.execute(
            select(Room, Membership)
            .join(Membership, Membership.room_id == Room.id)
            .where(Membership.user_id == user.id)
            .order_by(Room.id)
        ).all()
    )
    recent_messages = list(
        db.session.execute(
            select(Message, ScreeningLabel.positive)
            .outerjoin(ScreeningLabel, ScreeningLabel.message_id == Message.id)
            .where(Message.author_id == user.id, Message.kind == MessageKind.USER)
            .order_by(Message.id.desc())
            .limit(MEMBER_RECENT_MESSAGES)
        ).all()
    )
    return {
        "user": user,
        "recent_messages": [(message, labelled) for message, labelled in recent_messages],
        "reports_about": reports_about,
        "reports_filed": reports_filed,
        "sanctions": sanctions,
        "concerns_raised": concerns_raised,
        "bad_faith_count": bad_faith_count(user.id),
        "history": history,
        "care_items": care_items,
        "care_rooms": care_rooms,
        "rooms": [(room, membership) for room, membership in rooms if not room.is_care],
        "messages_total": db.session.scalar(
            select(func.count()).select_from(Message).where(Message.author_id == user.id)
        ),
        "handles": {
            u: _handle(u)
            for u in {s.created_by_id for s in sanctions} | {e.actor_id for e in history}
        },
    }


def audit_log(
    *,
    action: str | None = None,
    actor_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    before_id: int | None = None,
) -> list[AuditEntry]:
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id:
        query = query.where(AuditEntry.target_id == target_id)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE)))


def audit_details(entry: AuditEntry) -> dict[str, Any]:
    try:
        details = json.loads(entry.details or "{}")
    except ValueError:
        details = {}
    return details if isinstance(details, dict) else {}


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def _per_day(rows: Any, days: list[str]) -> list[int]:
    counts: Counter[str] = Counter()
    for day, count in rows:
        counts[_day(day)] += int(count)
    return [counts.get(day, 0) for day in days]


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return round(ordered[index], 1)


def statistics(days: int = 14) -> dict[str, Any]:
    """Chart data for the last ``days`` days (UTC dates)."""
    today = utcnow().date()
    labels = [(today - timedelta(days=offset)).isoformat() for offset in range(days - 1, -1, -1)]
    since = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), utcnow().tzinfo)

    def by_day(column: Any, *where: Any) -> list[int]:
        day = func.date(column)
        rows = db.session.execute(
            select(day, func.count()).where(column >= since, *where).group_by(day)
        ).all()
        return _per_day(rows, labels)

    ack_seconds = [
        (acked - created).total_seconds()
        for created, acked in db.session.execute(
            select(QueueItem.created_at, QueueItem.acknowledged_at).where(
                QueueItem.acknowledged_at.is_not(None), QueueItem.created_at >= since
            )
        ).all()
    ]
    open_now = db.session.scalar(
        select(func.count()).select_from(QueueItem).where(QueueItem.status.in_(OPEN_STATUSES))
    )
    return {
        "days": labels,
        "messages": by_day(Message.created_at),
        "items_opened": by_day(QueueItem.created_at),
        "items_resolved": by_day(QueueItem.resolved_at),
        "crisis_items": by_day(QueueItem.created_at, QueueItem.kind == QueueKind.CRISIS),
        "open_now": int(open_now or 0),
        "ack_seconds": {
            "p50": _percentile(ack_seconds, 0.5),
            "p90": _percentile(ack_seconds, 0.9),
            "count": len(ack_seconds),
        },
    }
