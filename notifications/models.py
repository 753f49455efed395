"""The notification store: one row per person and notice."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
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
#: Browsers' push endpoints are a few hundred characters; the API refuses longer ones.
ENDPOINT_MAX = 2048


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


class SocketPresence(Base):
    """How many /chat sockets a person has open in one server process.

    Lets any process ask "is this person connected anywhere?" (room_activity is only
    for people who are not). Each process refreshes ``seen_at`` of its own rows while
    it runs; rows of a process that died stop counting after ``PRESENCE_TTL``.
    """

    __tablename__ = "socket_presence"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: "<hostname>:<pid>" of the server process holding the sockets.
    holder: Mapped[str] = mapped_column(String(120), primary_key=True)
    sockets: Mapped[int] = mapped_column(Integer, default=0)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class PushSubscription(Base):
    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The push service URL; a capability, unique per browser profile and site.
    endpoint: Mapped[str] = mapped_column(String(ENDPOINT_MAX), unique=True)
    #: The browser's P-256 public key (base64url, uncompressed point) and auth secret
    #: (base64url, 16 bytes): RFC 8291 encrypts each push to them.
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_success_at: Mapped[datetime | None]
    #: Failed attempts since the last success (reset by a success).
    failure_count: Mapped[int] = mapped_column(default=0)
    #: While the push service is failing: pushes for this browser wait until then.
    next_attempt_at: Mapped[datetime | None]
