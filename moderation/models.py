"""Moderation as data: reports, concerns, the queue, sanctions and the audit log.

Integrity lives in the database where it can: one open queue item per target is
a partial unique index, severities and lengths are check constraints. The audit
log is append-only; ``moderation.audit`` refuses any update or delete of it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db import Base, utcnow, value_enum
from rooms.constants import REPORT_REASONS as ROOM_REPORT_REASONS

#: The closed list of report reasons is the rooms package's (the report dialog
#: offers it); the database holds the same list as a check constraint.
REPORT_REASONS = tuple(ROOM_REPORT_REASONS)
_REASONS_SQL = "reason IN (" + ", ".join(f"'{r}'" for r in REPORT_REASONS) + ")"


class ReportOutcome(enum.StrEnum):
    #: A moderator acted on what was reported.
    ACTIONED = "actioned"
    #: Looked at; nothing against the guidelines this time.
    NO_ACTION = "no_action"


class QueueKind(enum.StrEnum):
    CRISIS = "crisis"
    REPORT = "report"
    CONCERN = "concern"
    FILTER = "filter"


class QueueStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"

    @property
    def is_open(self) -> bool:
        return self in (QueueStatus.OPEN, QueueStatus.ACKNOWLEDGED)


OPEN_STATUSES = (QueueStatus.OPEN, QueueStatus.ACKNOWLEDGED)
_OPEN_SQL = "status IN ('open', 'acknowledged')"


class LabelSource(enum.StrEnum):
    #: A moderator closed a crisis queue item about the message.
    OUTCOME = "outcome"
    #: A moderator marked a delivered message "this was a crisis" (or not).
    MARKED = "marked"


_LABEL_SOURCES_SQL = "source IN (" + ", ".join(f"'{s.value}'" for s in LabelSource) + ")"


class SanctionKind(enum.StrEnum):
    WARN = "warn"
    MUTE = "mute"
    BAN = "ban"
    REMOVE_FROM_ROOM = "remove_from_room"


class Report(Base):
    """A member's report of one message (or of a room when the message is gone)."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("length(note) <= 500", name="note_length"),
        CheckConstraint(_REASONS_SQL, name="reason_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: NULL when the report is about the room rather than one message.
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    #: One of REPORT_REASONS.
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    outcome: Mapped[ReportOutcome | None] = mapped_column(
        value_enum(ReportOutcome, "report_outcome")
    )


class Concern(Base):
    """ "I'm worried about someone / this room": never shown to, or acted on, the person."""

    __tablename__ = "concerns"
    __table_args__ = (CheckConstraint("length(note) <= 500", name="note_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    about_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set by a moderator who judged the concern raised in bad faith; the count
    #: per reporter is shown on the member page and with new concerns.
    bad_faith: Mapped[bool] = mapped_column(default=False)


class QueueItem(Base):
    """Something a moderator should look at. One open item per target."""

    __tablename__ = "queue_items"
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 4", name="severity_range"),
        CheckConstraint("report_count >= 0", name="report_count_positive"),
        Index(
            "uq_queue_items_open_target",
            "target_key",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_queue_items_status_severity", "status", "severity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[QueueKind] = mapped_column(value_enum(QueueKind, "queue_kind"))
    #: 1..4, 4 most urgent (crisis language at its strongest).
    severity: Mapped[int] = mapped_column(Integer)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    #: What the item is about, e.g. ``message:12`` or ``concern:3:7``; at most one
    #: open item per key, so repeated reports gather on one item.
    target_key: Mapped[str] = mapped_column(String(64))
    #: A short plain-text excerpt for the console (never HTML).
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[QueueStatus] = mapped_column(
        value_enum(QueueStatus, "queue_status"), default=QueueStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When the item was re-sent to every moderator for waiting unacknowledged.
    realerted_at: Mapped[datetime | None]
    #: When moderators and admins were alerted (notification, push) because a
    #: severity ≥ 3 item waited longer than CRISIS_ACK_MINUTES unacknowledged.
    escalated_at: Mapped[datetime | None]
    #: How the item was closed: actioned, no_action, or a care outcome
    #: (followed_up, no_reply, referred).
    outcome: Mapped[str | None] = mapped_column(String(16))
    #: The care room a moderator opened from this item to check in privately.
    care_room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"), index=True)
    #: Reports (or concerns) that gathered on this item.
    report_count: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_open(self) -> bool:
        return self.status.is_open


class Sanction(Base):
    """A warning, mute, ban or removal; ``ends_at`` NULL means until further notice."""

    __tablename__ = "sanctions"
    __table_args__ = (
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[SanctionKind] = mapped_column(value_enum(SanctionKind, "sanction_kind"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    reason: Mapped[str] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AuditEntry(Base):
    """One moderator action. Append-only: never updated, never deleted."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: NULL for Hearth itself (a scheduled or command-line model activation).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: The action kind, e.g. ``ban`` or ``ack_item``.
    action: Mapped[str] = mapped_column(String(32), index=True)
    #: ``message``, ``user``, ``room``, ``queue_item``, ``concern`` or ``screening_model``.
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500), default="")
    #: JSON object text with the particulars (duration, room, until ...).
    details: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutcomeNotice(Base):
    """A short, calm note to a reporter about what came of their report."""

    __tablename__ = "outcome_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set once the notice was shown on a page (moderation/notices.py); the live
    #: copy to open sockets does not count, as nobody may have been looking.
    delivered_at: Mapped[datetime | None]


class ScreeningLabel(Base):
    """A moderator's decision about one message, kept to retrain the screener.

    It holds a copy of the message text, so it is personal data: one row per
    message (a later decision replaces the earlier one), and it leaves with the
    author's account (``moderation.labels.forget_author``; the FK cascade covers
    a hard delete of the user row).
    """

    __tablename__ = "screening_labels"
    __table_args__ = (CheckConstraint(_LABEL_SOURCES_SQL, name="source_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: NULL once the message itself is gone (its room was deleted); the text stays
    #: only as long as the author's account does.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), unique=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The message text as it was screened: what a retrained model learns from.
    text: Mapped[str] = mapped_column(Text)
    #: ISO 639-1 code the screener detected, or "und".
    language: Mapped[str] = mapped_column(String(8), default="und", server_default="und")
    #: True: crisis language a moderator confirmed; False: judged not a concern.
    positive: Mapped[bool] = mapped_column(Boolean)
    #: One of LabelSource.
    source: Mapped[str] = mapped_column(String(16))
    #: Whether the screener raised crisis on the message (False on a marked miss).
    screener_flagged: Mapped[bool] = mapped_column(Boolean)
    queue_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_items.id", ondelete="SET NULL")
    )
    labelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScreeningModel(Base):
    """A learned English crisis model trained by ``flask screening learn``.

    Every run that trained leaves a row with its figures and the gate's reason;
    an activated one keeps its pipeline in ``blob`` so every process can load it.
    At most one row is active (a partial unique index); with none, screening uses
    the base model file built at setup.
    """

    __tablename__ = "screening_models"
    __table_args__ = (
        Index(
            "uq_screening_models_one_active",
            "active",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``<recipe>-l<training labels>-<training data sha256 prefix>``.
    version: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    trained_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    #: joblib bytes of ``{"model", "meta"}``; NULL for refused and long-replaced models.
    blob: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Training data sha256, label counts used, dev and held-back figures for the
    #: old and the new model, and the gate's reason.
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ScreeningLearnLease(Base):
    """The one learning run at a time, and when the schedule last started one."""

    __tablename__ = "screening_learn_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: ``host:pid`` of the process running ``learn`` (NULL when none is).
    holder: Mapped[str | None] = mapped_column(String(120))
    until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    #: "activated <version>: ..." or "kept <version>: ..." of the last run.
    last_result: Mapped[str | None] = mapped_column(String(1000))
