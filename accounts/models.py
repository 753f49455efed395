"""Accounts: pseudonymous users and their roles."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from db import Base, utcnow, value_enum


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]

    def includes(self, other: Role) -> bool:
        """admin ⊇ moderator ⊇ member."""
        return self.rank >= other.rank


_ROLE_RANK = {Role.MEMBER: 0, Role.MODERATOR: 1, Role.ADMIN: 2}

FORMER_MEMBER = "former member"

#: "Until further notice": far enough away to never pass, valid in every database.
BAN_FOREVER = datetime(9999, 12, 31, tzinfo=UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("(deleted_at IS NULL) = (handle IS NOT NULL)", name="handle_iff_active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The pseudonym as the person typed it; NULL once the account is deleted.
    handle: Mapped[str | None] = mapped_column(String(24))
    #: Lower-cased handle: uniqueness is case-insensitive, and deleted accounts free theirs.
    handle_key: Mapped[str | None] = mapped_column(String(24), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[Role] = mapped_column(
        value_enum(Role, "user_role"),
        default=Role.MEMBER,
    )
    #: Part of the login cookie: rotating it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    #: Site-wide sanctions, set by moderation services; the Sanction rows keep the history.
    #: A ban with no end is stored as BAN_FOREVER.
    muted_until: Mapped[datetime | None]
    banned_until: Mapped[datetime | None]
    #: The interface language the person chose on /account ("en", "es", "de");
    #: NULL means "as my browser asks" (Accept-Language).
    locale: Mapped[str | None] = mapped_column(String(8))

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def display_handle(self) -> str:
        return self.handle or FORMER_MEMBER

    def is_banned(self, now: datetime | None = None) -> bool:
        return self.banned_until is not None and self.banned_until > (now or utcnow())

    def is_muted(self, now: datetime | None = None) -> bool:
        return self.muted_until is not None and self.muted_until > (now or utcnow())

    def has_role(self, role: Role) -> bool:
        return self.role.includes(role)

    @property
    def is_moderator(self) -> bool:
        return self.has_role(Role.MODERATOR)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.handle!r} {self.role.value}>"
