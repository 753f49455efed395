"""Wellbeing: private loneliness check-ins, their schedule, and after-meeting feedback.

Health-related data: nothing outside this package reads these rows one by one
(DESIGN.md); matching gets room-level outcomes through ``service.group_outcomes``
and operators get k-anonymous aggregates through ``outcomes``.
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
    SmallInteger,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from db import Base, utcnow, value_enum


class MeetAgain(enum.StrEnum):
    YES = "yes"
    NOT_SURE = "not_sure"
    NO = "no"


#: Longest private note to moderators on a feedback card.
NOTE_MAX = 500


class Checkin(Base):
    """One answer to the Three-Item Loneliness Scale (Hughes et al., 2004)."""

    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint("companionship BETWEEN 1 AND 3", name="companionship_range"),
        CheckConstraint("left_out BETWEEN 1 AND 3", name="left_out_range"),
        CheckConstraint("isolated BETWEEN 1 AND 3", name="isolated_range"),
        CheckConstraint("score BETWEEN 3 AND 9", name="score_range"),
        Index("ix_checkins_user_id_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: "How often do you feel that you lack companionship?" 1 hardly ever … 3 often.
    companionship: Mapped[int] = mapped_column(SmallInteger)
    #: "How often do you feel left out?"
    left_out: Mapped[int] = mapped_column(SmallInteger)
    #: "How often do you feel isolated from others?"
    isolated: Mapped[int] = mapped_column(SmallInteger)
    #: The sum, 3 (least lonely) to 9; stored so aggregates never recompute it.
    score: Mapped[int] = mapped_column(SmallInteger)
    #: Seeded by ``flask seed-demo``: simulated, never a real person's answer.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def items(self) -> list[int]:
        return [self.companionship, self.left_out, self.isolated]


class CheckinSettings(Base):
    """Whether and when a person is reminded to check in (one row per person who
    has answered, skipped or changed a setting; no row: never asked yet)."""

    __tablename__ = "checkin_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Fourteen days after the last check-in (or after skipping it at setup).
    next_due_at: Mapped[datetime | None]
    #: A snooze moves the reminder later, never earlier.
    snoozed_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomFeedback(Base):
    """A person's after-meeting answer for one room and one week (changeable that week)."""

    __tablename__ = "room_feedback"
    __table_args__ = (
        UniqueConstraint("user_id", "room_id", "week_start"),
        CheckConstraint("at_ease BETWEEN 1 AND 5", name="at_ease_range"),
        Index("ix_room_feedback_room_id", "room_id"),
        Index("ix_room_feedback_week_start", "week_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    #: Monday (UTC) of the week the answer belongs to.
    week_start: Mapped[date] = mapped_column(Date)
    #: "Did you feel at ease in this group?" 1 (not at all) … 5 (completely).
    at_ease: Mapped[int] = mapped_column(SmallInteger)
    meet_again: Mapped[MeetAgain] = mapped_column(value_enum(MeetAgain, "meet_again"))
    #: Optional private note to moderators (never shown to other members).
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
