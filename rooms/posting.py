"""Posting a member's message: pace, screening, holding, and exactly-once delivery.

The service checks and flushes; the caller commits once and broadcasts after.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

import signals
from accounts.models import User
from db import db, utcnow
from extensions import limiter
from notifications import service as notes
from profiles.models import ProfileLanguage
from rooms.guards import (
    ChatError,
    require_may_post,
    require_member,
    require_writable,
    validate_body,
    validate_client_msg_id,
)
from rooms.models import Membership, Message, MessageKind, Room

#: Why a message with contact details or a link was refused, told to its author in
#: the language they read in (the same words as ``moderation.screening.EXPLANATIONS``,
#: whose English stays the screening's own).
CONTACT_DETAILS_TEXT = _l(
    "To keep everyone safe, Hearth doesn't allow phone numbers, emails, social "
    "handles, links to profiles or chat apps, or moving the chat elsewhere. Your "
    "message wasn't sent; you're welcome to say it another way."
)
LINKS_BLOCKED_TEXT = _l(
    "To keep everyone safe, links can't be shared in this community. Your message "
    "wasn't sent; you're welcome to describe what you wanted to share instead."
)
#: Told to the author when their message waits for a moderator.
HELD_TEXT = _l(
    "Your message is waiting for a moderator before the group sees it. This helps keep "
    "the room kind for everyone. Thank you for your patience."
)


# --- rate limits -------------------------------------------------------------------

_SEND_LIMIT_KEY = "hearth-chat-send"


def _send_retry_after(user_id: int) -> int | None:
    """Hit the per-user send limit; None if allowed, else seconds until a slot frees.

    It uses the app limiter's storage (memory, or Redis via RATELIMIT_STORAGE_URI),
    so the limit holds across processes.
    """
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    item = parse(str(config.get("RATELIMIT_CHAT_SEND", "10 per 20 seconds")))
    strategy = MovingWindowRateLimiter(limiter.storage)
    if strategy.hit(item, _SEND_LIMIT_KEY, str(user_id)):
        return None
    stats = strategy.get_window_stats(item, _SEND_LIMIT_KEY, str(user_id))
    return max(1, math.ceil(stats.reset_time - time.time()))


def _slow_mode_retry_after(room: Room, user: User, now: datetime) -> int | None:
    if room.slow_mode_seconds <= 0 or user.is_moderator:
        return None
    last = db.session.scalar(
        select(func.max(Message.created_at)).where(
            Message.room_id == room.id,
            Message.author_id == user.id,
            Message.kind == MessageKind.USER,
        )
    )
    if last is None:
        return None
    wait = (last + timedelta(seconds=room.slow_mode_seconds) - now).total_seconds()
    return math.ceil(wait) if wait > 0 else None


@dataclass
class PostResult:
    message: Message
    #: False when this was a retry and the original message is returned.
    created: bool
    verdict: Any = None
    held: bool = False
    crisis: bool = False
    flagged: bool = False
    notes: list[str] = field(default_factory=list)


def _profile_languages(user_id: int) -> list[str]:
    """The author's profile languages, first choice first (a prior for screening)."""
    rows = db.session.execute(
        select(ProfileLanguage.code)
        .where(ProfileLanguage.user_id == user_id)
        .order_by(ProfileLanguage.position, ProfileLanguage.code)
    )
    return [str(code) for code in rows.scalars()]


def _screen(body: str, languages: Sequence[str] = ()) -> Any:
    # Imported on first use: if screening cannot load, sends fail (server_error,
    # logged) instead of taking the whole site down, and nothing goes unscreened.
    from moderation import screening

    link_policy = current_app.config.get("LINK_POLICY", "block_contact")
    return screening.screen(
        body,
        policy=screening.ScreeningPolicy(link_policy=link_policy),
        languages=list(languages) or None,
    )


def post_message(
    room: Room,
    author: User,
    body: object,
    client_msg_id: object,
    *,
    membership: Membership | None = None,
    now: datetime | None = None,
) -> PostResult:
    """Store a member's message, exactly once per ``client_msg_id``.

    Order: membership → room status → ban/mute → body → slow mode and rate limit →
    screening → insert. Blocked text (contact details) is refused and nothing is
    stored; text over the hold threshold is stored held (``result.held``); crisis
    language is always delivered (unless the operator's ``CRISIS_POLICY`` is "hold")
    and marks ``result.crisis`` so the author gets the crisis resources.
    ``membership`` is the author's active membership when the caller has just loaded it.

    Idempotency rests on the unique (author_id, client_msg_id) index rather than a
    look-up before every insert: a retry of a stored message fails the insert
    (``DuplicateSend``; the caller rolls back and asks ``find_retry``), and a retry
    that would be refused now (the rate limit, say) is answered with the original
    instead, so an acknowledged message is never reported as failed.
    """
    now = now or utcnow()
    if (
        membership is None
        or membership.left_at is not None
        or (membership.room_id, membership.user_id) != (room.id, author.id)
    ):
        membership = require_member(room, author)
    require_writable(room)
    require_may_post(author)
    key = validate_client_msg_id(client_msg_id)
    try:
        text = validate_body(body)
        _require_pace(room, author, now)
        verdict = _screen(text, _profile_languages(author.id))
        if not verdict.crisis and (verdict.action == "block" or verdict.contact_details):
            links = "contact_details:any_link" in verdict.reasons
            raise ChatError(
                "contact_details", LINKS_BLOCKED_TEXT if links else CONTACT_DETAILS_TEXT
            )
    except ChatError:
        existing = _find_by_client_id(author.id, key)
        if existing is not None:
            return _retry_result(existing, room)
        raise

    held = False
    flagged = False
    crisis = bool(verdict.crisis)
    if crisis:
        held = current_app.config.get("CRISIS_POLICY", "deliver") == "hold"
        flagged = True
    elif verdict.action == "hold":
        held = flagged = True
    elif verdict.action == "flag":
        flagged = True

    message = Message(
        room_id=room.id,
        author_id=author.id,
        kind=MessageKind.USER,
        body=text,
        created_at=now,
        held=held,
        client_msg_id=key,
    )
    author_id = author.id  # read before a failed flush expires the instance
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError as clash:
        # A retry, or another request with the same key that won the race. The
        # transaction is spoilt; the caller rolls back and asks ``find_retry``.
        raise DuplicateSend(author_id, key) from clash
    membership.last_read_message_id = message.id
    if not held:
        notes.room_activity(room.id, _active_member_ids(room.id), author_id=author_id)
    if flagged:
        signals.message_flagged.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
            message_id=message.id,
            room_id=room.id,
            author_id=author.id,
            verdict=verdict,
        )
    return PostResult(message, True, verdict, held=held, crisis=crisis, flagged=flagged)


_ACTIVE_MEMBER_IDS = select(Membership.user_id).where(
    Membership.room_id == bindparam("room_id"), Membership.left_at.is_(None)
)


def _active_member_ids(room_id: int) -> list[int]:
    return list(db.session.scalars(_ACTIVE_MEMBER_IDS, {"room_id": room_id}))


def _require_pace(room: Room, author: User, now: datetime) -> None:
    """Slow mode first (the room's choice), then the per-member send limit."""
    wait = _slow_mode_retry_after(room, author, now)
    if wait is not None:
        raise ChatError(
            "rate_limited",
            _l(
                "This room is in slow mode for now. You can send again in %(wait)s seconds.",
                wait=wait,
            ),
            retry_after=wait,
        )
    wait = _send_retry_after(author.id)
    if wait is not None:
        raise ChatError(
            "rate_limited",
            _l(
                "That's a lot of messages at once. You can send again in %(wait)s seconds.",
                wait=wait,
            ),
            retry_after=wait,
        )


class DuplicateSend(Exception):
    """The insert clashed on (author_id, client_msg_id); roll back, then ``find_retry``."""

    def __init__(self, author_id: int, client_msg_id: str) -> None:
        super().__init__(client_msg_id)
        self.author_id = author_id
        self.client_msg_id = client_msg_id


def find_retry(room: Room, clash: DuplicateSend) -> PostResult | None:
    """After a rolled-back DuplicateSend: the message that won, if it exists."""
    existing = _find_by_client_id(clash.author_id, clash.client_msg_id)
    return _retry_result(existing, room) if existing is not None else None


def _find_by_client_id(author_id: int, key: str) -> Message | None:
    return db.session.scalars(
        select(Message).where(Message.author_id == author_id, Message.client_msg_id == key)
    ).first()


def _retry_result(existing: Message, room: Room) -> PostResult:
    if existing.room_id != room.id:
        raise ChatError("invalid", _l("That client_msg_id was already used for another message."))
    return PostResult(existing, False, held=bool(existing.held))
