"""Rooms: small group rooms, their members, messages and reactions.

Table names are part of the contract with moderation (it references them by
foreign key): ``rooms``, ``memberships``, ``personal_mutes``, ``messages``,
``reactions``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from db import Base, utcnow, value_enum


class RoomStatus(enum.StrEnum):
    FORMING = "forming"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class RoomKind(enum.StrEnum):
    #: A matched group of peers.
    GROUP = "group"
    #: A private check-in: one person and the moderators (issue 14).
    CARE = "care"


class Seat(enum.StrEnum):
    LISTENING = "listening"
    SHARING = "sharing"


class MessageKind(enum.StrEnum):
    USER = "user"
    MODERATOR = "moderator"
    PROMPT = "prompt"
    SYSTEM = "system"


class ReactionKind(enum.StrEnum):
    HEART = "heart"
    ME_TOO = "me_too"
    HUG = "hug"
    THANKS = "thanks"


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (CheckConstraint("slow_mode_seconds >= 0", name="slow_mode_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[RoomStatus] = mapped_column(
        value_enum(RoomStatus, "room_status"),
        default=RoomStatus.FORMING,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: Moderators can slow a busy room down: one message per member per this many seconds.
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0)
    #: The matching proposal this room grew from (no FK: rooms never depend on matching).
    origin_proposal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: The prompt message of the check-in round in progress, if any (members may pass).
    round_message_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[RoomKind] = mapped_column(
        value_enum(RoomKind, "room_kind"), default=RoomKind.GROUP, server_default="group"
    )
    #: For a care room: the person it is for (their moderators are members too).
    care_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: How a moderator closed a care room: followed_up, no_reply or referred
    #: (NULL while open, or when the person closed it themselves).
    care_outcome: Mapped[str | None] = mapped_column(String(16))
    #: The (UTC) day the other members last got the peer guidance card after a crisis
    #: message here: at most once per room per day (rooms/guidance.py).
    peer_guidance_on: Mapped[date | None] = mapped_column(Date)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="room", cascade="all, delete-orphan"
    )

    @property
    def is_writable(self) -> bool:
        return self.status == RoomStatus.OPEN

    @property
    def is_care(self) -> bool:
        return self.kind == RoomKind.CARE

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.name!r} {self.status.value}>"


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("room_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The quiet seat: "listening" is participation too; nobody is nudged to share.
    seat: Mapped[Seat] = mapped_column(value_enum(Seat, "room_seat"), default=Seat.SHARING)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when the member leaves or is removed; the row stays for history and export.
    left_at: Mapped[datetime | None]
    #: Private to the member (unread counts on /groups); never shown to others.
    last_read_message_id: Mapped[int | None] = mapped_column(Integer)

    room: Mapped[Room] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class PersonalMute(Base):
    """One member hides another member's messages, for themselves only."""

    __tablename__ = "personal_mutes"
    __table_args__ = (
        UniqueConstraint("room_id", "user_id", "muted_user_id"),
        CheckConstraint("user_id != muted_user_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    muted_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("author_id", "client_msg_id"),
        Index("ix_messages_room_id_id", "room_id", "id"),
    )

    #: Increasing, so it orders a room's messages and serves as the catch-up cursor.
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    #: NULL for prompts and system lines; kept (tombstoned user) when an account is deleted.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[MessageKind] = mapped_column(
        value_enum(MessageKind, "message_kind"), default=MessageKind.USER
    )
    #: Plain text, never HTML; rendered with textContent only. For a line Hearth wrote,
    #: the English (exports, and clients that read only this).
    body: Mapped[str] = mapped_column(Text)
    #: For a prompt or system line Hearth wrote: its msgid and values as JSON
    #: (``i18n.StoredText``), so each reader sees it in their own language. NULL for
    #: people's own words and for lines written before this existed.
    body_i18n: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Held for review by screening: stored, shown to its author only until a moderator decides.
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The sender's idempotency key: a retried send returns the stored message.
    client_msg_id: Mapped[str | None] = mapped_column(String(64))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Reaction(Base):
    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("user_id", "message_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ReactionKind] = mapped_column(value_enum(ReactionKind, "reaction_kind"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
