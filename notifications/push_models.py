"""Web Push subscriptions: one row per browser (endpoint) that asked for pushes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db import Base, utcnow

#: Browsers' endpoints are a few hundred characters; the API refuses longer ones.
ENDPOINT_MAX = 2048


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
