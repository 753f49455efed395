"""The matching panel on the moderator console (/mod/), served by matching itself.

moderation never imports matching: its console template includes
``matching/_console_panel.html``, which calls the ``matching_console_panel()``
template global defined here. ``GET /mod/matching`` returns the same fragment for the
console's live refresh (``matching_panel`` on /mod after every round).
"""

from __future__ import annotations

import json
from datetime import datetime
from statistics import median
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from accounts.models import User
from db import db, utcnow
from i18n import N_
from matching import learned, scheduler
from matching.grouping import WAIT_REASONS
from matching.models import MatchRound, Proposal, ProposalStatus, Response
from matching.service import why_summary
from profiles import localized
from profiles.models import PoolEntry

RECENT_ROUNDS = 5
OPEN_PROPOSALS = 20


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return 0.0
    rank = max(1, -(-int(share * 100) * len(values) // 100))
    return values[min(rank, len(values)) - 1]


def _words(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60} min"
    return f"{hours // 24} days"


#: Why someone came back to the pool, in the moderators' words (the person's own
#: words are the longer texts stored beside the code).
_RETURN_REASONS: dict[str, str] = {
    "declined": N_("Said no to a suggested group."),
    "group_did_not_form": N_("Their suggested group didn't come together."),
    "proposal_expired": N_("Their suggested group didn't come together."),
    "wants_new_group": N_("Asked for a new group."),
    "room_quiet": N_("Their room went quiet."),
}
_FIRST_ROUND_REASON = N_("Waiting for their first round.")


def panel_data(now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    entries = db.session.execute(select(PoolEntry.joined_at, PoolEntry.last_reason_code)).all()
    waits = sorted(max(0.0, (now - joined).total_seconds()) for joined, _ in entries)
    reasons: dict[str, int] = {}
    for _, code in entries:
        key = code or "not_yet_in_a_round"
        reasons[key] = reasons.get(key, 0) + 1
    reason_rows = [
        {
            "code": code,
            "text": gettext(
                WAIT_REASONS.get(code) or _RETURN_REASONS.get(code) or _FIRST_ROUND_REASON
            ),
            "count": count,
        }
        for code, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    ]
    rounds = db.session.scalars(
        select(MatchRound)
        .order_by(MatchRound.started_at.desc(), MatchRound.id.desc())
        .limit(RECENT_ROUNDS)
    ).all()
    starters = {
        user.id: user.display_handle
        for user in db.session.scalars(
            select(User).where(User.id.in_({r.started_by_id for r in rounds if r.started_by_id}))
        )
    }
    labels = localized.labels()
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.status == ProposalStatus.PENDING)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(OPEN_PROPOSALS)
    ).all()
    member_ids = {m.user_id for p in proposals for m in p.members}
    handles = (
        {
            user.id: user.display_handle
            for user in db.session.scalars(select(User).where(User.id.in_(member_ids)))
        }
        if member_ids
        else {}
    )
    open_count = db.session.scalar(
        select(func.count(Proposal.id)).where(Proposal.status == ProposalStatus.PENDING)
    )
    return {
        "pool": {
            "size": len(waits),
            "median": _words(median(waits)) if waits else None,
            "p90": _words(_percentile(waits, 0.9)) if waits else None,
            "longest": _words(waits[-1]) if waits else None,
            "reasons": reason_rows,
        },
        "rounds": [
            {
                "id": r.id,
                "started_at": r.started_at,
                "duration_ms": r.duration_ms,
                "pool_size": r.pool_size,
                "groups_formed": r.groups_formed,
                "people_grouped": r.people_grouped,
                "people_waiting": r.people_waiting,
                "mean_score": round(float(r.mean_score or 0), 3),
                "started_by": starters.get(r.started_by_id) if r.started_by_id else None,
                "model_version": r.model_version,
            }
            for r in rounds
        ],
        "proposals": [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind.value,
                "score": round(float(p.score or 0), 3),
                "why": {
                    "shared_interests": [
                        labels.get(s, s) for s in json.loads(p.shared_interests or "[]")
                    ][:5],
                    "summary": why_summary(p),
                },
                "expires_at": p.expires_at,
                "members": [
                    {
                        "handle": handles.get(m.user_id, "former member"),
                        "response": m.response.value,
                        "existing": m.is_existing_member,
                    }
                    for m in p.members
                    if m.response is not Response.EXPIRED
                ],
            }
            for p in proposals
        ],
        "open_proposals": int(open_count or 0),
        "schedule": scheduler.state(),
        "model": learned.describe(learned.active_row()),
    }
