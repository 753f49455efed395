"""Matching state: rounds, proposals and the people in them, cool-downs between
people who declined each other, meet-again answers, the round lock, and the
learned compatibility models."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import Base, utcnow, value_enum


class ProposalStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for enough people to accept
    CONFIRMED = "confirmed"  # quorum reached, the room is open
    CANCELLED = "cancelled"  # too many declined for a group to form
    EXPIRED = "expired"  # 48 h passed before quorum


class ProposalKind(enum.StrEnum):
    NEW_GROUP = "new_group"
    BACKFILL = "backfill"  # newcomers invited into an existing room below quorum


class Response(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class MatchRound(Base):
    __tablename__ = "match_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    #: NULL when the scheduler or the CLI started it.
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pool_size: Mapped[int] = mapped_column(Integer, default=0)
    groups_formed: Mapped[int] = mapped_column(Integer, default=0)
    people_grouped: Mapped[int] = mapped_column(Integer, default=0)
    people_waiting: Mapped[int] = mapped_column(Integer, default=0)
    #: Mean within-group similarity of the proposed groups.
    mean_score: Mapped[float] = mapped_column(Float, default=0.0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    #: The compatibility model the round used (NULL: today's similarity only).
    model_version: Mapped[int | None] = mapped_column(
        ForeignKey("match_models.id", ondelete="SET NULL")
    )


class MatchModel(Base):
    """One trained compatibility model: the artefact's file, the data it saw, the
    figures it was judged on, and whether the gate let it in. Rows are never
    deleted; at most one is active."""

    __tablename__ = "match_models"
    __table_args__ = (
        Index(
            "uq_match_models_one_active",
            "active",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    #: The model's version number.
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The joblib file's name under instance/models/.
    file_name: Mapped[str] = mapped_column(String(120))
    #: sha256 (first 16 hex digits) of the training groups and outcomes.
    data_hash: Mapped[str] = mapped_column(String(32))
    training_groups: Mapped[int] = mapped_column(Integer)
    training_pairs: Mapped[int] = mapped_column(Integer)
    held_back_groups: Mapped[int] = mapped_column(Integer)
    #: Rank correlation of this model's predictions with held-back outcomes.
    held_back_rho: Mapped[float] = mapped_column(Float)
    #: The then-active model's figure on the same held-back groups (NULL: none active).
    previous_rho: Mapped[float | None] = mapped_column(Float)
    #: Cross-validated rank correlation on the training groups (the trust gate).
    cv_rho: Mapped[float] = mapped_column(Float)
    #: JSON list of [plain words, share] of the heaviest learned effects.
    effects: Mapped[str] = mapped_column(Text, default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Why the gate activated it or kept the previous model.
    decision: Mapped[str] = mapped_column(String(300), default="")


class Proposal(Base):
    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_status_expires", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("match_rounds.id", ondelete="SET NULL"))
    kind: Mapped[ProposalKind] = mapped_column(
        value_enum(ProposalKind, "proposal_kind"), default=ProposalKind.NEW_GROUP
    )
    status: Mapped[ProposalStatus] = mapped_column(
        value_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.PENDING
    )
    name: Mapped[str] = mapped_column(String(80))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    #: JSON list of interest slugs all or most members share, most specific first.
    shared_interests: Mapped[str] = mapped_column(Text, default="[]")
    summary: Mapped[str] = mapped_column(String(300), default="")
    #: The summary's sentences as JSON, each its msgid and values (``i18n.StoredText``),
    #: to show in each reader's language; NULL on older rows (then ``summary`` is shown).
    summary_i18n: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    #: The room the group meets in (rooms owns it; matching never imports rooms).
    room_id: Mapped[int | None] = mapped_column(Integer)

    members: Mapped[list[ProposalMember]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalMember.id"
    )


class ProposalMember(Base):
    __tablename__ = "proposal_members"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    response: Mapped[Response] = mapped_column(
        value_enum(Response, "proposal_response"), default=Response.PENDING
    )
    responded_at: Mapped[datetime | None]
    #: True for people already in the room a backfill proposal would add to.
    is_existing_member: Mapped[bool] = mapped_column(default=False)

    proposal: Mapped[Proposal] = relationship(back_populates="members")


class MatchCooldown(Base):
    """Two people not to be proposed together again until ``until`` (someone declined)."""

    __tablename__ = "match_cooldowns"
    __table_args__ = (
        UniqueConstraint("user_low_id", "user_high_id"),
        CheckConstraint("user_low_id < user_high_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_low_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_high_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    until: Mapped[datetime]


class MeetAgainAnswer(Base):
    """A member's private answer after a room's first week (also kept for learning)."""

    __tablename__ = "meet_again_answers"
    __table_args__ = (
        UniqueConstraint("room_id", "user_id"),
        CheckConstraint("comfort IS NULL OR (comfort BETWEEN 1 AND 5)", name="comfort_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comfort: Mapped[int | None] = mapped_column(Integer)
    meet_again: Mapped[bool | None]
    skipped: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchLock(Base):
    """A lease that lets exactly one process run a matching round at a time."""

    __tablename__ = "match_locks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(120))
    until: Mapped[datetime | None]


class MatchSchedule(Base):
    """The matching schedule's shared state, one row for the whole installation.

    Every server process ticks; the one holding the round lock reads and updates
    this row, so the console shows the same next tick and last error from any process.
    """

    __tablename__ = "match_schedule"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    interval_minutes: Mapped[float] = mapped_column(Float, default=0.0)
    #: When the next scheduled round is due (NULL: as soon as a process ticks).
    next_round_at: Mapped[datetime | None]
    last_tick_at: Mapped[datetime | None]
    last_round_at: Mapped[datetime | None]
    last_round_id: Mapped[int | None] = mapped_column(Integer)
    #: Why the last failed round failed (cleared by the next round that succeeds).
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    #: host:pid of the process that last ticked.
    ticked_by: Mapped[str | None] = mapped_column(String(120))
