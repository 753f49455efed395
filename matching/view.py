"""What /groups says: one coherent story of where the person stands.

Waiting (since when, what happens next and when the next round is), a suggestion
to answer (its deadline in the person's own time zone), rooms, and rooms left
behind (shown without a link: their page would refuse them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext, ngettext

import i18n
from accounts.models import User
from db import utcnow
from matching import meet_again, scheduler, service
from matching.models import ProposalStatus
from profiles import service as profiles


def groups_view(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    zone = service.timezone_of(user.id)
    locale = i18n.current_language()
    entry = profiles.get_pool_entry(user.id)
    rooms = service.member_rooms(user)
    in_rooms = {room["id"] for room in rooms}
    proposals: list[dict[str, Any]] = []
    left: list[dict[str, Any]] = []
    for proposal in service.proposals_for(user):
        payload = service.proposal_payload(proposal, user)
        if (
            proposal.status is ProposalStatus.CONFIRMED
            and payload["your_response"] == "accepted"
            and proposal.room_id not in in_rooms
        ):
            # They were in this group's room and left it: no link to a page that refuses them.
            left.append({"name": proposal.name, "room_id": proposal.room_id})
            continue
        local, relative = service.when_text(proposal.expires_at, zone, now=now, locale=locale)
        payload["deadline"] = {"local": local, "relative": relative}
        # A backfill offer to people already in the room asks about *their* group.
        payload["about_your_room"] = payload["kind"] == "backfill" and proposal.room_id in in_rooms
        proposals.append(payload)
    to_answer = [p for p in proposals if p["your_response"] == "pending"]
    said_yes = [p for p in proposals if p["your_response"] == "accepted" and not p["room_id"]]
    waiting: dict[str, Any] | None = None
    if entry is not None:
        since_local, _ = service.when_text(entry.joined_at, zone, now=now, locale=locale)
        waiting = {
            "since_local": since_local,
            "waited": waited_for(entry.joined_at, now),
            # Stored in English (a marked sentence), shown in the reader's language.
            "reason": gettext(entry.last_reason_text) if entry.last_reason_text else None,
        }
    schedule = scheduler.state()
    next_round: dict[str, str | None] | None = None
    if schedule["enabled"] and schedule["next_round_at"]:
        when = datetime.fromisoformat(schedule["next_round_at"])
        if when > now:
            local, relative = service.when_text(when, zone, now=now, locale=locale)
            next_round = {"local": local, "relative": relative}
        else:
            next_round = {"local": None, "relative": gettext("in a moment")}
    missing = profiles.profile_missing_fields(user.id)
    if waiting is not None:
        story = "waiting"
    elif to_answer:
        story = "proposal"
    elif said_yes:
        story = "said_yes"
    elif missing:
        story = "setup"
    elif left and not rooms:
        story = "left"
    elif rooms:
        story = "in_rooms"
    else:
        story = "idle"
    return {
        "story": story,
        "waiting": waiting,
        "schedule": schedule,
        "next_round": next_round,
        "profile_complete": not missing,
        "proposals": proposals,
        "to_answer": to_answer,
        "rooms": rooms,
        "left_rooms": left,
        "checkins": meet_again.due_checkins(user),
        "timezone": zone,
    }


def waited_for(since: datetime, now: datetime | None = None) -> str:
    """How long someone has waited, in calm, rounded words."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    minutes = seconds // 60
    if minutes < 1:
        return str(gettext("less than a minute"))
    if minutes < 60:
        return str(ngettext("%(num)d minute", "%(num)d minutes", minutes))
    hours = minutes // 60
    if hours < 24:
        return str(ngettext("about %(num)d hour", "about %(num)d hours", hours))
    days = hours // 24
    return str(ngettext("%(num)d day", "%(num)d days", days))
