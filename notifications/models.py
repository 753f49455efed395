"""The notification store: one row per person and notice."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db import Base, utcnow, value_enum


class NotificationKind(enum.StrEnum):
    GROUP_PROPOSED = "group_proposed"
    PROPOSAL_EXPIRING = "proposal_expiring"
    GROUP_OPENED = "group_opened"
    GROUP_CHANGED = "group_changed"
    ROOM_ACTIVITY = "room_activity"
    REPORT_OUTCOME = "report_outcome"
    MODERATOR_CHECKIN = "moderator_checkin"
    CHECKIN_DUE = "checkin_due"
    #: To moderators and admins: a severity ≥ 3 item waited longer than
    #: CRISIS_ACK_MINUTES unacknowledged (added by the care work, issue 14).
    CRISIS_OVERDUE = "crisis_overdue"


#: Longest text kept; a notice is a sentence or two shown on lock screens.
TEXT_MAX = 300
URL_MAX = 300
DEDUPE_KEY_MAX = 120


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        # "At most one per X": NULL keys never collide, so plain notices are unaffected.
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_id_created", "user_id", "id"),
        Index("ix_notifications_undispatched", "dispatched_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        value_enum(NotificationKind, "notification_kind")
    )
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    url: Mapped[str] = mapped_column(String(URL_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    #: Set when a dispatcher claimed the row and sent it live (NULL: still in the outbox).
    dispatched_at: Mapped[datetime | None]
    dedupe_key: Mapped[str | None] = mapped_column(String(DEDUPE_KEY_MAX))
