"""Quorum and backfill: a room that has fallen below three active members is
offered to compatible waiting people, after its own members opt in.

Phase 1 (``plan_backfills``): for each such room, its remaining members are asked
whether they would welcome newcomers. Phase 2 (``fill_backfills``): once they
all said yes, the next round invites compatible people from the pool; each one
who accepts joins the room at once. Nobody is left alone: a room with one
active member puts that person back in the pool, first in line, while the room
stays open for them. Services flush; the caller commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

import signals
from db import db
from i18n import N_
from matching.fill import choose_newcomers, newcomers_wanted
from matching.grouping import Candidate
from matching.models import (
    MatchCooldown,
    Proposal,
    ProposalKind,
    ProposalMember,
    ProposalStatus,
    Response,
)
from profiles import service as profiles

_ALONE_REASON = N_(
    "Your room has gone quiet, so you're back in the waiting pool, first in line. "
    "The room stays open for you."
)
#: Stored in English, shown in each reader's language (``service.why_summary``).
BACKFILL_SUMMARY = N_(
    "A few people have moved on from this room. Would you like us to invite some "
    "new people who share your interests?"
)


def _app() -> Any:
    return current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug proxy


def _open_backfill(room_id: int) -> Proposal | None:
    return db.session.scalars(
        select(Proposal).where(
            Proposal.kind == ProposalKind.BACKFILL,
            Proposal.room_id == room_id,
            Proposal.status.in_([ProposalStatus.PENDING, ProposalStatus.CONFIRMED]),
        )
    ).first()


def plan_backfills(*, now: datetime, lifetime: Any) -> list[int]:
    """Ask the members of rooms below quorum whether to invite newcomers.

    Returns the ids of people to notify after commit.
    """
    notify: list[int] = []
    rooms: list[dict[str, Any]] = []
    for _receiver, value in signals.collect_rooms_below_quorum.send(_app(), now=now):
        rooms.extend(value or [])
    for room in rooms:
        # Everyone still in the room is asked, quiet or not: it is their room.
        notify.extend(
            plan_backfill(
                room["room_id"], room["name"], room["member_ids"], now=now, lifetime=lifetime
            )
        )
    db.session.flush()
    return notify


def plan_backfill(
    room_id: int, name: str, member_ids: list[int], *, now: datetime, lifetime: Any
) -> list[int]:
    """Offer one room below quorum newcomers: its members are asked first.

    Someone left alone goes back to the pool, first in line (the room stays open for
    them). Returns the members asked (nobody when an offer is already open).
    """
    staying = list(member_ids)
    if len(staying) == 1:
        profiles.return_to_pool(staying[0], _ALONE_REASON, code="room_quiet")
    if not staying or _open_backfill(room_id) is not None:
        return []
    proposal = Proposal(
        kind=ProposalKind.BACKFILL,
        name=str(name)[:80],
        summary=BACKFILL_SUMMARY,
        created_at=now,
        expires_at=now + lifetime,
        room_id=room_id,
    )
    proposal.members = [ProposalMember(user_id=uid, is_existing_member=True) for uid in staying]
    db.session.add(proposal)
    db.session.flush()
    return staying


def _ready_to_fill(proposal: Proposal) -> bool:
    existing = [m for m in proposal.members if m.is_existing_member]
    newcomers = [m for m in proposal.members if not m.is_existing_member]
    return (
        bool(existing)
        and all(m.response is Response.ACCEPTED for m in existing)
        and not any(m.response is Response.PENDING for m in newcomers)
    )


def fill_backfills(
    candidates: dict[int, Candidate],
    *,
    kept_apart: set[tuple[int, int]],
    to_candidate: Any,
    now: datetime,
    lifetime: Any,
) -> set[int]:
    """Invite waiting people into rooms whose members agreed.

    ``candidates`` is the waiting pool by user id; returns the people invited
    (out of the pool now, so not available for new groups this round).
    """
    invited: set[int] = set()
    proposals = db.session.scalars(
        select(Proposal).where(
            Proposal.kind == ProposalKind.BACKFILL, Proposal.status == ProposalStatus.PENDING
        )
    ).all()
    for proposal in proposals:
        if not _ready_to_fill(proposal):
            continue
        in_room = [m.user_id for m in proposal.members if m.response is Response.ACCEPTED]
        existing = [to_candidate(uid, profiles.get_document(uid)) for uid in in_room]
        available = [c for uid, c in candidates.items() if uid not in invited]
        chosen = choose_newcomers(
            existing, available, want=newcomers_wanted(existing), kept_apart=kept_apart
        )
        for user_id in chosen:
            proposal.members.append(ProposalMember(user_id=int(user_id)))
            invited.add(int(user_id))
        if chosen:
            # Newcomers get the full time to answer.
            proposal.expires_at = now + lifetime
    if invited:
        profiles.remove_from_pool(invited)
    db.session.flush()
    return invited


def kept_apart_pairs(user_ids: list[int], now: datetime) -> set[tuple[int, int]]:
    rows = db.session.execute(
        select(MatchCooldown.user_low_id, MatchCooldown.user_high_id).where(
            MatchCooldown.until > now,
            MatchCooldown.user_low_id.in_(user_ids) | MatchCooldown.user_high_id.in_(user_ids),
        )
    ).all()
    return {(low, high) for low, high in rows}
