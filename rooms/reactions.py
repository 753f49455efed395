"""Reactions on messages: toggling one and counting them per message."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from accounts.models import User
from db import db
from rooms.constants import REACTION_KINDS
from rooms.guards import ChatError
from rooms.models import Message, Reaction, ReactionKind


def reaction_counts(message_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    if not message_ids:
        return counts
    rows = db.session.execute(
        select(Reaction.message_id, Reaction.kind, func.count())
        .where(Reaction.message_id.in_(message_ids))
        .group_by(Reaction.message_id, Reaction.kind)
    )
    for message_id, kind, n in rows:
        counts.setdefault(message_id, {})[str(kind.value)] = int(n)
    return counts


def toggle_reaction(message: Message, user: User, kind: object) -> tuple[bool, dict[str, int]]:
    """Add or take back ``kind`` on ``message``; returns (now on?, the counts)."""
    if not isinstance(kind, str) or kind not in REACTION_KINDS:
        raise ChatError("invalid", _l("That reaction isn't one of heart, me_too, hug or thanks."))
    if message.held or message.is_removed:
        raise ChatError("invalid", _l("That message can't take reactions."))
    reaction_kind = ReactionKind(kind)
    existing = db.session.scalars(
        select(Reaction).where(
            Reaction.message_id == message.id,
            Reaction.user_id == user.id,
            Reaction.kind == reaction_kind,
        )
    ).first()
    if existing is not None:
        db.session.delete(existing)
        on = False
    else:
        db.session.add(Reaction(message_id=message.id, user_id=user.id, kind=reaction_kind))
        on = True
    db.session.flush()
    return on, reaction_counts([message.id]).get(message.id, {})
