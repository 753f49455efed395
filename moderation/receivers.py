"""Signal receivers: how rooms and accounts reach moderation without importing it.

They run inside the sender's transaction, add rows and flush; the sender commits.
What moderators should see live is queued on the outbox and sent after that commit.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

import signals
from accounts.export_view import ExportWords
from accounts.models import User
from db import db
from moderation import audit, care, labels, model_store
from moderation.guards import ModerationError
from moderation.models import Concern, QueueItem, QueueKind, Report, Sanction
from moderation.queue import flag_message
from moderation.reports import ConcernRateLimited, file_report, raise_concern
from rooms.guards import ChatError
from rooms.models import Message, Room

MAX_NOTE = 500

log = logging.getLogger("hearth.moderation")


def on_message_flagged(
    sender: Any,
    *,
    message_id: int,
    room_id: int,
    verdict: Any,
    author_id: int | None = None,
    **_: Any,
) -> int | None:
    """Screening flagged a message: open its queue item. Returns the item id."""
    message = db.session.get(Message, message_id)
    if message is None:
        return None
    return flag_message(message, verdict).id


def _note(note: str | None) -> str | None:
    if note is not None and len(note.strip()) > MAX_NOTE:
        raise ChatError("too_long", _l("Notes can be up to %(limit)s characters.", limit=MAX_NOTE))
    return note


def on_report_filed(
    sender: Any,
    *,
    reporter_id: int,
    room_id: int,
    reason: str,
    message_id: int | None = None,
    note: str | None = None,
    **_: Any,
) -> int | None:
    """A member reported a message: store it and gather it on the open queue item."""
    reporter = db.session.get(User, reporter_id)
    room = db.session.get(Room, room_id)
    message = db.session.get(Message, message_id) if message_id is not None else None
    if reporter is None or room is None:
        return None
    try:
        report = file_report(reporter, room, message, reason, _note(note))
    except ModerationError as problem:
        raise ChatError("invalid", problem.message) from None
    return report.id


def on_concern_raised(
    sender: Any,
    *,
    reporter_id: int,
    room_id: int,
    about_user_id: int | None = None,
    note: str | None = None,
    **_: Any,
) -> int | None:
    """A member is worried about someone: a concern item for moderators, nothing else.

    Beyond the hourly limit it raises ChatError("rate_limited"), which the /chat
    handler answers as is.
    """
    reporter = db.session.get(User, reporter_id)
    room = db.session.get(Room, room_id)
    about = db.session.get(User, about_user_id) if about_user_id is not None else None
    if reporter is None or room is None:
        return None
    try:
        concern = raise_concern(reporter, room, about, _note(note))
    except ConcernRateLimited as limited:
        raise ChatError("rate_limited", limited.message) from None
    return concern.id


def on_recent_crisis_language(sender: Any, *, user: User, since: datetime, **_: Any) -> bool:
    """Answer ``signals.recent_crisis_language``: did the person's own messages raise a
    crisis item since ``since``? Read-only."""
    found = db.session.scalar(
        select(QueueItem.id)
        .join(Message, QueueItem.message_id == Message.id)
        .where(
            QueueItem.kind == QueueKind.CRISIS,
            Message.author_id == user.id,
            QueueItem.created_at >= since,
        )
        .limit(1)
    )
    return found is not None


def on_collect_export(sender: Any, *, user: User, **_: Any) -> tuple[str, Any]:
    """The reports and concerns the person filed, and sanctions about them."""
    reports = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    )
    concerns = db.session.scalars(
        select(Concern).where(Concern.reporter_id == user.id).order_by(Concern.id)
    )
    sanctions = db.session.scalars(
        select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.id)
    )

    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    # Health-related data about the person (GDPR Art. 15): the crisis items their own
    # messages raised and the concern flags others raised about them, with how each
    # ended. Never who raised a concern or what they wrote.
    about_me = db.session.scalars(
        select(QueueItem)
        .outerjoin(Message, QueueItem.message_id == Message.id)
        .where(
            ((QueueItem.kind == QueueKind.CRISIS) & (Message.author_id == user.id))
            | (
                (QueueItem.kind == QueueKind.CONCERN)
                & QueueItem.target_key.like(f"concern:%:{user.id}")
            )
        )
        .order_by(QueueItem.id)
    )

    return (
        "moderation",
        {
            "flags_about_me": [
                {
                    "kind": item.kind.value,
                    "room_id": item.room_id,
                    "severity": item.severity,
                    "created_at": iso(item.created_at),
                    "status": item.status.value,
                    "outcome": item.outcome,
                    "resolved_at": iso(item.resolved_at),
                }
                for item in about_me
            ],
            "reports_filed": [
                {
                    "room_id": r.room_id,
                    "message_id": r.message_id,
                    "reason": r.reason,
                    "note": r.note,
                    "created_at": iso(r.created_at),
                    "outcome": r.outcome.value if r.outcome else None,
                }
                for r in reports
            ],
            "concerns_raised": [
                {"room_id": c.room_id, "note": c.note, "created_at": iso(c.created_at)}
                for c in concerns
            ],
            # Moderators' "crisis or not" decisions kept to teach the screener: how
            # many of the person's messages carry one, never who decided.
            "messages_labelled_for_screening": labels.count_for_author(user.id),
            "sanctions": [
                {
                    "kind": s.kind.value,
                    "room_id": s.room_id,
                    "reason": s.reason,
                    "starts_at": iso(s.starts_at),
                    "ends_at": iso(s.ends_at),
                    "lifted_at": iso(s.lifted_at),
                }
                for s in sanctions
            ],
        },
    )


def on_account_deleting(sender: User, *, user: User, **_: Any) -> None:
    """Drop the free-text notes the person wrote in reports and concerns, and the
    screening labels on their messages (copies of their words).

    The reports themselves stay (without a note) so moderation history and the
    audit log keep making sense; the author shows as "former member".
    """
    if labels.forget_author(db.session(), user.id):
        model_store.retire_learned_models(user.id)
    db.session.execute(update(Report).where(Report.reporter_id == user.id).values(note=None))
    db.session.execute(update(Concern).where(Concern.reporter_id == user.id).values(note=None))
    db.session.flush()


def on_sessions_ended(
    sender: Any, *, user: User | None = None, session_key: str | None = None, **_: Any
) -> None:
    """Logout closes that login's consoles; a ban or deletion closes all of them."""
    from moderation import events

    if user is not None:
        events.disconnect_sessions(user.id, session_key)


def on_describe_export(sender: Any, **_: Any) -> ExportWords:
    """The care outcomes a flag about the person can close with, in words."""
    return ExportWords(values={(None, "outcome"): care.CARE_OUTCOME_LABELS})


def connect() -> None:
    signals.message_flagged.connect(on_message_flagged)
    signals.report_filed.connect(on_report_filed)
    signals.concern_raised.connect(on_concern_raised)
    signals.collect_export.connect(on_collect_export)
    signals.account_deleting.connect(on_account_deleting)
    signals.moderators_online.connect(on_moderators_online)
    signals.sessions_ended.connect(on_sessions_ended)
    signals.care_room_joined.connect(care.on_care_room_joined)
    signals.moderator_acted.connect(on_moderator_acted)
    signals.recent_crisis_language.connect(on_recent_crisis_language)
    signals.periodic_work.connect(on_periodic_work)
    signals.describe_export.connect(on_describe_export)


def on_periodic_work(sender: Any, *, now: datetime, **_: Any) -> bool:
    """Each pass of a serving process's periodic loop: start a learning run when one
    is due (``SCREENING_LEARN_HOURS``; one process per period). True when started."""
    try:
        return model_store.start_scheduled(sender, now) is not None
    except Exception:  # the other periodic work must still run; tried again next pass
        db.session.rollback()
        log.exception("Could not start the scheduled screening learn")
        return False


def on_moderator_acted(
    sender: Any,
    *,
    action: str,
    target_type: str,
    target_id: int,
    details: dict[str, Any] | None = None,
    **_: Any,
) -> int | None:
    """Answer ``signals.moderator_acted``: the audit entry for an action taken elsewhere."""
    if not isinstance(sender, User):
        return None
    return audit.record(sender, action, target_type, target_id, **(details or {})).id


def on_moderators_online(sender: Any, **_: Any) -> int:
    """Answer ``signals.moderators_online``: consoles open in this process."""
    from moderation import events

    return events.moderators_online()
