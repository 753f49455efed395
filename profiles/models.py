"""Profiles: the profile document stored relationally, and the waiting pool.

A Profile row is 1:1 with a user. Lists in the document (interests, reasons,
avoided topics, languages, availability) are child rows with a ``position`` so
the document reads back in the order the person gave it. Slugs are checked
against the taxonomy data file by ``profiles.validation``, not by foreign keys:
the taxonomy is data that can grow without a migration.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import Base, utcnow, value_enum


class TalkStyle(enum.StrEnum):
    LISTEN_FIRST = "listen_first"
    SHARE_SOME = "share_some"
    TALK_FREELY = "talk_freely"


class Pace(enum.StrEnum):
    LIVE = "live"
    SLOW = "slow"


class SupportStyle(enum.StrEnum):
    JUST_LISTEN = "just_listen"
    OPEN_TO_ADVICE = "open_to_advice"


class AgeBand(enum.StrEnum):
    AGE_18_24 = "18-24"
    AGE_25_34 = "25-34"
    AGE_35_49 = "35-49"
    AGE_50_64 = "50-64"
    AGE_65_PLUS = "65+"


class Slot(enum.StrEnum):
    WEEKDAY_MORNING = "weekday_morning"
    WEEKDAY_AFTERNOON = "weekday_afternoon"
    WEEKDAY_EVENING = "weekday_evening"
    WEEKEND_MORNING = "weekend_morning"
    WEEKEND_AFTERNOON = "weekend_afternoon"
    WEEKEND_EVENING = "weekend_evening"


class Profile(Base):
    __tablename__ = "profiles"
    __table_args__ = (
        CheckConstraint(
            "max_group_size IS NULL OR (max_group_size >= 3 AND max_group_size <= 6)",
            name="group_size_range",
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: Free text, trimmed, at most 500 characters; never contact details.
    about: Mapped[str] = mapped_column(Text, default="")
    talk_style: Mapped[TalkStyle | None] = mapped_column(value_enum(TalkStyle, "talk_style"))
    max_group_size: Mapped[int | None]
    pace: Mapped[Pace | None] = mapped_column(value_enum(Pace, "pace"))
    support_style: Mapped[SupportStyle | None] = mapped_column(
        value_enum(SupportStyle, "support_style")
    )
    #: IANA name, e.g. "Europe/Berlin".
    timezone: Mapped[str | None] = mapped_column(String(64))
    age_band: Mapped[AgeBand | None] = mapped_column(value_enum(AgeBand, "age_band"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    interests: Mapped[list[ProfileInterest]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileInterest.position", lazy="selectin"
    )
    reasons: Mapped[list[ProfileReason]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileReason.position", lazy="selectin"
    )
    avoided_topics: Mapped[list[ProfileAvoidedTopic]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileAvoidedTopic.position", lazy="selectin"
    )
    languages: Mapped[list[ProfileLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileLanguage.position", lazy="selectin"
    )
    availability: Mapped[list[ProfileAvailability]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileAvailability.position", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Profile user={self.user_id}>"


class ProfileInterest(Base):
    __tablename__ = "profile_interests"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class ProfileReason(Base):
    __tablename__ = "profile_reasons"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class ProfileAvoidedTopic(Base):
    __tablename__ = "profile_avoided_topics"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class ProfileLanguage(Base):
    __tablename__ = "profile_languages"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    #: ISO 639-1 code, e.g. "en".
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class ProfileAvailability(Base):
    __tablename__ = "profile_availability"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[Slot] = mapped_column(value_enum(Slot, "availability_slot"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class PoolEntry(Base):
    """A person waiting to be matched. The row exists exactly while they wait."""

    __tablename__ = "pool_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Why the latest round could not place them (matching.grouping.WAIT_REASONS key).
    last_reason_code: Mapped[str | None] = mapped_column(String(64))
    #: The kind words shown to the person for that reason.
    last_reason_text: Mapped[str | None] = mapped_column(String(500))
    last_round_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<PoolEntry user={self.user_id} since={self.joined_at.isoformat()}>"
