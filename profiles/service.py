"""Profile and waiting-pool services. They change state and flush; the caller commits.

Matching uses ``waiting_profiles``, ``remove_from_pool``, ``return_to_pool`` and
``record_wait_reason``; the pages and API use the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask_babel import gettext
from sqlalchemy import delete, or_, select

import signals
from accounts.models import User
from db import db, utcnow
from profiles.models import (
    AgeBand,
    Pace,
    PoolEntry,
    Profile,
    ProfileAvailability,
    ProfileAvoidedTopic,
    ProfileInterest,
    ProfileLanguage,
    ProfileReason,
    Slot,
    SupportStyle,
    TalkStyle,
)
from profiles.validation import (
    empty_document,
    missing_fields,
    validate_changes,
    validate_document,
)

Document = dict[str, Any]
_Row = TypeVar("_Row", ProfileInterest, ProfileReason, ProfileAvoidedTopic, ProfileLanguage)


class ProfileIncomplete(ValueError):
    """The profile lacks fields needed to wait for a group; ``missing`` names them."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("profile incomplete: " + ", ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class WaitingProfile:
    """One person in the waiting pool, as matching needs them."""

    user_id: int
    joined_at: datetime
    document: Document


# --- reading ---------------------------------------------------------------


def get_profile(user_id: int) -> Profile | None:
    return db.session.get(Profile, user_id)


def document_of(profile: Profile | None) -> Document:
    """The CONTRACT profile document for ``profile`` (defaults when None)."""
    if profile is None:
        return empty_document()
    return {
        "interests": [row.slug for row in profile.interests],
        "about": profile.about,
        "reasons": [row.slug for row in profile.reasons],
        "talk_style": profile.talk_style.value if profile.talk_style else None,
        "max_group_size": profile.max_group_size,
        "pace": profile.pace.value if profile.pace else None,
        "support_style": profile.support_style.value if profile.support_style else None,
        "avoid_topics": [row.slug for row in profile.avoided_topics],
        "languages": [row.code for row in profile.languages],
        "timezone": profile.timezone,
        "availability": [row.slot.value for row in profile.availability],
        "age_band": profile.age_band.value if profile.age_band else None,
    }


def get_document(user_id: int) -> Document:
    return document_of(get_profile(user_id))


def has_profile(user_id: int) -> bool:
    return get_profile(user_id) is not None


def profile_missing_fields(user_id: int) -> list[str]:
    """Fields still needed before ``user_id`` can join the pool."""
    return missing_fields(get_document(user_id))


def is_complete(user_id: int) -> bool:
    return not profile_missing_fields(user_id)


# --- writing ---------------------------------------------------------------


def _sync_slugs(
    rows: list[_Row], values: Sequence[str], make: Callable[[str], _Row], key: str
) -> None:
    """Make ``rows`` hold exactly ``values`` in order, reusing existing rows."""
    existing = {getattr(row, key): row for row in rows}
    wanted = []
    for position, value in enumerate(values):
        row = existing.get(value) or make(value)
        row.position = position
        wanted.append(row)
    rows[:] = wanted


def _sync_slots(profile: Profile, values: Sequence[str]) -> None:
    existing = {row.slot.value: row for row in profile.availability}
    wanted = []
    for position, value in enumerate(values):
        row = existing.get(value) or ProfileAvailability(slot=Slot(value))
        row.position = position
        wanted.append(row)
    profile.availability[:] = wanted


def _apply(profile: Profile, changes: Document) -> None:
    for name, value in changes.items():
        if name == "interests":
            _sync_slugs(profile.interests, value, lambda s: ProfileInterest(slug=s), "slug")
        elif name == "reasons":
            _sync_slugs(profile.reasons, value, lambda s: ProfileReason(slug=s), "slug")
        elif name == "avoid_topics":
            _sync_slugs(
                profile.avoided_topics, value, lambda s: ProfileAvoidedTopic(slug=s), "slug"
            )
        elif name == "languages":
            _sync_slugs(profile.languages, value, lambda c: ProfileLanguage(code=c), "code")
        elif name == "availability":
            _sync_slots(profile, value)
        elif name == "about":
            profile.about = value
        elif name == "talk_style":
            profile.talk_style = TalkStyle(value)
        elif name == "max_group_size":
            profile.max_group_size = value
        elif name == "pace":
            profile.pace = Pace(value)
        elif name == "support_style":
            profile.support_style = SupportStyle(value)
        elif name == "timezone":
            profile.timezone = value
        elif name == "age_band":
            profile.age_band = AgeBand(value)
    profile.updated_at = utcnow()


def _profile_for_update(user: User) -> Profile:
    profile = get_profile(user.id)
    if profile is None:
        profile = Profile(user_id=user.id, about="")
        db.session.add(profile)
    return profile


def save_profile(user: User, data: Any) -> Document:
    """Replace the whole profile with ``data`` (PUT). Raises ProfileInvalid.

    Nothing is changed when the document is invalid.
    """
    document = validate_document(data)
    profile = _profile_for_update(user)
    _apply(profile, document)
    db.session.flush()
    signals.profile_changed.send("profiles", user_id=user.id)
    return document_of(profile)


def patch_profile(user: User, data: Any) -> Document:
    """Change only the given fields (PATCH, one wizard step). Raises ProfileInvalid."""
    current = get_document(user.id)
    changes = validate_changes(data, current)
    profile = _profile_for_update(user)
    _apply(profile, changes)
    db.session.flush()
    signals.profile_changed.send("profiles", user_id=user.id)
    return document_of(profile)


# --- the waiting pool ------------------------------------------------------


def get_pool_entry(user_id: int) -> PoolEntry | None:
    return db.session.scalars(select(PoolEntry).where(PoolEntry.user_id == user_id)).first()


def join_pool(user: User) -> tuple[PoolEntry, bool]:
    """Start waiting for a group. Returns (entry, created); joining twice is harmless.

    Raises ProfileIncomplete naming the missing fields.
    """
    missing = profile_missing_fields(user.id)
    if missing:
        raise ProfileIncomplete(missing)
    entry = get_pool_entry(user.id)
    if entry is not None:
        return entry, False
    entry = PoolEntry(user_id=user.id, joined_at=utcnow())
    db.session.add(entry)
    db.session.flush()
    return entry, True


def leave_pool(user: User) -> bool:
    """Stop waiting. Returns whether the person was waiting."""
    entry = get_pool_entry(user.id)
    if entry is None:
        return False
    db.session.delete(entry)
    db.session.flush()
    return True


def pool_status(user_id: int) -> dict[str, Any]:
    """The body of ``GET /api/v1/pool``."""
    entry = get_pool_entry(user_id)
    if entry is None:
        return {"waiting": False, "since": None}
    status: dict[str, Any] = {"waiting": True, "since": entry.joined_at.isoformat()}
    if entry.last_reason_text:
        # Stored in English (a marked sentence), given in the reader's language.
        status["reason"] = gettext(entry.last_reason_text)
    return status


def waiting_profiles() -> list[WaitingProfile]:
    """Everyone waiting with an active, unbanned account and a complete profile,
    longest-waiting first."""
    now = utcnow()
    rows = db.session.execute(
        select(PoolEntry, Profile)
        .join(Profile, Profile.user_id == PoolEntry.user_id)
        .join(User, User.id == PoolEntry.user_id)
        .where(User.deleted_at.is_(None))
        .where(or_(User.banned_until.is_(None), User.banned_until <= now))
        .order_by(PoolEntry.joined_at, PoolEntry.id)
    ).all()
    waiting = []
    for entry, profile in rows:
        document = document_of(profile)
        if not missing_fields(document):
            waiting.append(WaitingProfile(entry.user_id, entry.joined_at, document))
    return waiting


def remove_from_pool(user_ids: Iterable[int]) -> int:
    """Take these people out of the pool (they were placed in a group); returns how many."""
    ids = list(set(user_ids))
    if not ids:
        return 0
    result = db.session.execute(delete(PoolEntry).where(PoolEntry.user_id.in_(ids)))
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def return_to_pool(
    user_id: int, reason: str | None = None, *, code: str | None = None
) -> PoolEntry | None:
    """Put someone back in the pool (declined, or their group did not form).

    ``reason`` is the kind text they see on /groups. Someone already waiting
    keeps their place. Deleted accounts and incomplete profiles are not returned.
    """
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or profile_missing_fields(user_id):
        return None
    entry = get_pool_entry(user_id)
    if entry is None:
        entry = PoolEntry(user_id=user_id, joined_at=utcnow())
        db.session.add(entry)
    if reason is not None or code is not None:
        entry.last_reason_code = code
        entry.last_reason_text = reason
    db.session.flush()
    return entry


def record_wait_reason(user_id: int, code: str, text: str) -> bool:
    """Remember why the latest round could not place ``user_id``; False if not waiting."""
    entry = get_pool_entry(user_id)
    if entry is None:
        return False
    entry.last_reason_code = code
    entry.last_reason_text = text
    entry.last_round_at = utcnow()
    db.session.flush()
    return True


# --- export and deletion -------------------------------------------------


def export_for(user: User) -> dict[str, Any]:
    """The profile section of the account export."""
    profile = get_profile(user.id)
    section: dict[str, Any] = document_of(profile)
    section["saved"] = profile is not None
    section["updated_at"] = profile.updated_at.isoformat() if profile else None
    entry = get_pool_entry(user.id)
    section["pool"] = {
        "waiting": entry is not None,
        "since": entry.joined_at.isoformat() if entry else None,
        "last_reason": entry.last_reason_text if entry else None,
        "last_round_at": entry.last_round_at.isoformat() if entry and entry.last_round_at else None,
    }
    return section


def delete_for(user: User) -> None:
    """Remove the person's profile and pool entry (account deletion)."""
    db.session.execute(delete(PoolEntry).where(PoolEntry.user_id == user.id))
    profile = get_profile(user.id)
    if profile is not None:
        db.session.delete(profile)
    db.session.flush()
