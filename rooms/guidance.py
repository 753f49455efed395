"""Guidance for peers (issue 14 §4): when a message in a group room raises a crisis
item, the other members see, at most once per room per day, a calm card saying
someone is having a hard time, that listening helps and that a moderator knows,
with a link to "When someone shares something hard".

The card never names the author and never says what was detected. "Once per day"
is a date on the room, claimed with a conditional UPDATE in the sender's
transaction, so it holds across restarts and across server processes.
"""

from __future__ import annotations

import random
from datetime import date

from flask import current_app, url_for
from sqlalchemy import or_, update

from db import db, utcnow
from rooms.models import Room, RoomKind

TITLE = "Someone here is having a hard time"
TEXT = (
    "Someone here is having a hard time. You don't need to fix it — listening helps. "
    "A moderator has been told."
)


def claim_peer_guidance(room: Room, *, today: date | None = None) -> bool:
    """True if this message is the room's first crisis of the (UTC) day, in which case
    the day is now taken. Care rooms have no peers, so never."""
    if room.kind != RoomKind.GROUP:
        return False
    today = today or utcnow().date()
    result = db.session.execute(
        update(Room)
        .where(
            Room.id == room.id,
            or_(Room.peer_guidance_on.is_(None), Room.peer_guidance_on < today),
        )
        .values(peer_guidance_on=today)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(room, ["peer_guidance_on"])
    return getattr(result, "rowcount", 0) == 1


def card() -> dict[str, str]:
    """The card's words and link (the room id is added by the payload)."""
    return {"title": TITLE, "text": TEXT, "url": url_for("pages.peer_guidance")}


def delay_seconds() -> float:
    """How long the card waits (``PEER_GUIDANCE_DELAY_SECONDS``): sent at once after
    the message, it would tell a small group whose message raised it."""
    low, high = current_app.config["PEER_GUIDANCE_DELAY_SECONDS"]
    return random.uniform(low, high) if high > 0 else 0.0  # noqa: S311  # not a secret
