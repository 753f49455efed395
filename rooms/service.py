"""Room services: they check, change state and flush; the caller commits once.

Socket handlers, routes, the CLI, signal receivers and the moderation package
call these. Anything a member may not do raises :class:`ChatError` carrying a
CONTRACT error code and a kind message.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import and_, bindparam, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

import signals
from accounts.models import User
from db import db, utcnow
from extensions import limiter
from i18n import N_, StoredText
from notifications import service as notes
from profiles.models import Profile, ProfileLanguage, TalkStyle
from rooms import texts
from rooms.constants import (
    HISTORY_PAGE,
    LATEST_ON_JOIN,
    MAX_BODY,
    MAX_CLIENT_MSG_ID,
    MAX_NOTE,
    REACTION_KINDS,
    REPORT_REASONS,
)
from rooms.models import (
    Membership,
    Message,
    MessageKind,
    PersonalMute,
    Reaction,
    ReactionKind,
    Room,
    RoomStatus,
    Seat,
)

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
#: The room's line when someone passes a round (shown in each reader's language).
PASSED_TEXT = N_("%(handle)s is listening this round.")
HELD_TEXT = _l(
    "Your message is waiting for a moderator before the group sees it. This helps keep "
    "the room kind for everyone. Thank you for your patience."
)


class ChatError(Exception):
    """A request the member may not make now; ``code`` is a CONTRACT error code."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


# --- reading -----------------------------------------------------------------------


def get_room(room_id: int) -> Room | None:
    return db.session.get(Room, room_id)


def get_message(message_id: int) -> Message | None:
    return db.session.get(Message, message_id)


def membership_of(room: Room | int, user: User | int) -> Membership | None:
    """The user's active membership of the room, or None."""
    room_id = room if isinstance(room, int) else room.id
    user_id = user if isinstance(user, int) else user.id
    return db.session.scalars(
        select(Membership).where(
            Membership.room_id == room_id,
            Membership.user_id == user_id,
            Membership.left_at.is_(None),
        )
    ).first()


# Built once: the send path runs this for every message, and constructing the
# statement (and its cache key) cost more than executing it.
_MEMBER_CONTEXT = (
    select(User, Room, Membership)
    .select_from(User)
    .outerjoin(Room, Room.id == bindparam("room_id"))
    .outerjoin(
        Membership,
        and_(
            Membership.room_id == Room.id,
            Membership.user_id == User.id,
            Membership.left_at.is_(None),
        ),
    )
    .where(User.id == bindparam("user_id"))
)


def member_context(
    user_id: int, room_id: int
) -> tuple[User | None, Room | None, Membership | None]:
    """The user, the room and the user's active membership of it, in one query.

    Every chat event needs all three, re-checked; asking once instead of three
    times matters on the send path.
    """
    row = db.session.execute(_MEMBER_CONTEXT, {"user_id": user_id, "room_id": room_id}).first()
    if row is None:
        return None, None, None
    return row[0], row[1], row[2]


def can_view(room: Room, user: User) -> bool:
    """Members of the room and moderators may read it."""
    return user.is_moderator or membership_of(room, user) is not None


def active_memberships(room: Room | int) -> list[Membership]:
    room_id = room if isinstance(room, int) else room.id
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.room_id == room_id, Membership.left_at.is_(None))
            .order_by(Membership.joined_at, Membership.id)
        )
    )


def muted_user_ids(room_id: int, user_id: int) -> set[int]:
    """Whom ``user_id`` has personally muted in this room."""
    return set(
        db.session.scalars(
            select(PersonalMute.muted_user_id).where(
                PersonalMute.room_id == room_id, PersonalMute.user_id == user_id
            )
        )
    )


def muted_handles(room_id: int, user_id: int) -> list[str]:
    ids = muted_user_ids(room_id, user_id)
    if not ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(ids)))
    return sorted(user.display_handle for user in users)


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


def _visible_to(viewer: User, room_id: int) -> Any:
    """The SQL condition for messages ``viewer`` may see in the room.

    Held messages are shown only to their author; personally muted members'
    messages are left out for the one who muted them.
    """
    condition = and_(
        Message.room_id == room_id,
        or_(Message.held.is_(False), Message.author_id == viewer.id),
    )
    muted = muted_user_ids(room_id, viewer.id)
    if muted:
        condition = and_(
            condition, or_(Message.author_id.is_(None), Message.author_id.not_in(muted))
        )
    return condition


def history(
    room: Room, viewer: User, *, after_id: int | None = None, limit: int = HISTORY_PAGE
) -> tuple[list[Message], bool]:
    """Messages for ``viewer``: after ``after_id`` (oldest first, at most ``limit``)
    or, without it, the latest ``LATEST_ON_JOIN``.

    ``has_more`` is true when newer messages exist beyond the returned batch, so the
    client pages on with the history API. Removed messages come back as
    placeholders (see ``payloads.message``).
    """
    condition = _visible_to(viewer, room.id)
    if after_id is None:
        latest = list(
            db.session.scalars(
                select(Message).where(condition).order_by(Message.id.desc()).limit(LATEST_ON_JOIN)
            )
        )
        latest.reverse()
        return latest, False
    rows = list(
        db.session.scalars(
            select(Message)
            .where(condition, Message.id > after_id)
            .order_by(Message.id)
            .limit(limit + 1)
        )
    )
    return rows[:limit], len(rows) > limit


def latest_message_id(room_id: int) -> int | None:
    return db.session.scalar(select(func.max(Message.id)).where(Message.room_id == room_id))


def round_text(room: Room) -> str | None:
    """The open round's question, in the reader's language."""
    if room.round_message_id is None:
        return None
    prompt = db.session.get(Message, room.round_message_id)
    return texts.shown_body(prompt) if prompt is not None else None


def room_context(message: Message, before: int = 5) -> list[Message]:
    """The message with up to ``before`` earlier ones (for a moderator's review)."""
    earlier = list(
        db.session.scalars(
            select(Message)
            .where(Message.room_id == message.room_id, Message.id < message.id)
            .order_by(Message.id.desc())
            .limit(before)
        )
    )
    earlier.reverse()
    return [*earlier, message]


def room_activity(room: Room) -> dict[str, int]:
    """``{"room_id", "messages_last_hour", "online"}`` for the moderator console."""
    from rooms import broadcast  # the socket registry lives with the broadcasts

    since = utcnow() - timedelta(hours=1)
    count = db.session.scalar(
        select(func.count())
        .select_from(Message)
        .where(Message.room_id == room.id, Message.created_at >= since)
    )
    return {
        "room_id": room.id,
        "messages_last_hour": int(count or 0),
        "online": len(broadcast.online_user_ids(room.id)),
    }


def unread_count(membership: Membership) -> int:
    """Messages from others the member hasn't opened the room for yet (private to them)."""
    user = membership.user
    condition = and_(
        _visible_to(user, membership.room_id),
        Message.removed_at.is_(None),
        or_(Message.author_id.is_(None), Message.author_id != user.id),
    )
    if membership.last_read_message_id is not None:
        condition = and_(condition, Message.id > membership.last_read_message_id)
    return int(db.session.scalar(select(func.count()).select_from(Message).where(condition)) or 0)


def member_rooms(user: User) -> list[tuple[Room, int]]:
    """The user's active rooms with their unread counts, newest first."""
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id, Membership.left_at.is_(None))
        .order_by(Membership.joined_at.desc())
    )
    return [(m.room, unread_count(m)) for m in memberships]


# --- checks ------------------------------------------------------------------------


def require_member(room: Room, user: User) -> Membership:
    membership = membership_of(room, user)
    if membership is None:
        raise ChatError("not_member", _l("You're not a member of this room."))
    return membership


def require_viewer(room: Room, user: User) -> Membership | None:
    """The membership, or None for a moderator who isn't a member; else not_member."""
    membership = membership_of(room, user)
    if membership is None and not user.is_moderator:
        raise ChatError("not_member", _l("You're not a member of this room."))
    return membership


def require_writable(room: Room) -> None:
    if room.status == RoomStatus.CLOSED:
        raise ChatError("room_closed", _l("This room has closed. Thank you for being part of it."))
    if room.status == RoomStatus.PAUSED:
        raise ChatError(
            "room_paused", _l("The moderators have paused this room for a moment. It will be back.")
        )
    if room.status == RoomStatus.FORMING:
        raise ChatError("room_paused", _l("This room hasn't opened yet. It will open soon."))


def require_may_post(user: User) -> None:
    if user.is_banned():
        raise ChatError("banned", _l("Your account can't take part right now."))
    if user.is_muted():
        until = user.muted_until
        raise ChatError(
            "muted",
            _l("A moderator has paused your posting for a little while. You can still read."),
            until=until.isoformat() if until else None,
        )


def validate_body(body: object) -> str:
    if not isinstance(body, str):
        raise ChatError("invalid", _l("A message needs some text."))
    text = body.strip()
    if not text:
        raise ChatError("invalid", _l("A message needs some text."))
    if len(text) > MAX_BODY:
        raise ChatError(
            "too_long",
            _l(
                "Messages can be up to %(limit)s characters. Maybe split it in two?", limit=MAX_BODY
            ),
        )
    if "\x00" in text:
        raise ChatError("invalid", _l("That message contains characters we can't store."))
    return text


def validate_client_msg_id(value: object) -> str:
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= MAX_CLIENT_MSG_ID
        or not all(c.isascii() and (c.isalnum() or c in "-_") for c in value)
    ):
        raise ChatError("invalid", _l("client_msg_id must be a UUID string."))
    return value


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


# --- posting -----------------------------------------------------------------------


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


# --- reactions, seats, rounds, mutes -----------------------------------------------


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


def set_seat(membership: Membership, seat: object) -> Seat:
    if not isinstance(seat, str) or seat not in {s.value for s in Seat}:
        raise ChatError("invalid", _l('A seat is "listening" or "sharing".'))
    membership.seat = Seat(seat)
    db.session.flush()
    return membership.seat


def pass_round(room: Room, user: User) -> Message | None:
    """Pass on the open round: a calm system line, once per round. None if already passed."""
    if room.round_message_id is None:
        raise ChatError("invalid", _l("There's no round going right now."))
    already = db.session.scalar(
        select(Message.id).where(
            Message.room_id == room.id,
            Message.kind == MessageKind.SYSTEM,
            Message.author_id == user.id,
            Message.id > room.round_message_id,
            Message.client_msg_id.is_(None),
        )
    )
    if already is not None:
        return None
    body, body_i18n = texts.stored_fields(StoredText(PASSED_TEXT, {"handle": user.display_handle}))
    line = Message(
        room_id=room.id,
        author_id=user.id,
        kind=MessageKind.SYSTEM,
        body=body,
        body_i18n=body_i18n,
    )
    db.session.add(line)
    db.session.flush()
    return line


def set_personal_mute(room: Room, user: User, handle: object, muted: object) -> list[str]:
    """Hide (or show again) a member's messages for ``user`` only; returns the mute list."""
    if not isinstance(handle, str) or not handle.strip() or not isinstance(muted, bool):
        raise ChatError("invalid", _l("Tell us whom to mute (handle) and whether (muted)."))
    target = next(
        (
            m.user
            for m in active_memberships(room)
            if m.user.handle and m.user.handle.lower() == handle.strip().lower()
        ),
        None,
    )
    if target is None:
        raise ChatError("invalid", _l("There's no member with that handle in this room."))
    if target.id == user.id:
        raise ChatError("invalid", _l("You can't mute yourself."))
    existing = db.session.scalars(
        select(PersonalMute).where(
            PersonalMute.room_id == room.id,
            PersonalMute.user_id == user.id,
            PersonalMute.muted_user_id == target.id,
        )
    ).first()
    if muted and existing is None:
        db.session.add(PersonalMute(room_id=room.id, user_id=user.id, muted_user_id=target.id))
    elif not muted and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    return muted_handles(room.id, user.id)


def leave_room(membership: Membership) -> None:
    """The member leaves; matching hears of it (``signals.member_left_room``) to tell
    the others and, below three members, offer to invite newcomers."""
    membership.left_at = utcnow()
    db.session.flush()
    room = membership.room
    signals.member_left_room.send(
        current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
        room_id=room.id,
        name=room.name,
        user_id=membership.user_id,
        remaining_member_ids=[m.user_id for m in active_memberships(room.id)],
        kind=room.kind.value,
    )


def mark_read(membership: Membership, message_id: int | None = None) -> None:
    latest = message_id if message_id is not None else latest_message_id(membership.room_id)
    if latest is not None and (membership.last_read_message_id or 0) < latest:
        membership.last_read_message_id = latest
        db.session.flush()


# --- reports and concerns ----------------------------------------------------------


def _stored_id(results: Iterable[tuple[Any, Any]]) -> int | None:
    for _receiver, value in results:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def validate_note(note: object) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise ChatError("invalid", _l("A note should be text."))
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise ChatError("too_long", _l("Notes can be up to %(limit)s characters.", limit=MAX_NOTE))
    return text or None


def file_report(reporter: User, message: Message, reason: object, note: object) -> int:
    """Hand a report to moderation (``signals.report_filed``); returns its stored id."""
    if not isinstance(reason, str) or reason not in REPORT_REASONS:
        raise ChatError("invalid", _l("Please pick one of the listed reasons."))
    text = validate_note(note)
    report_id = _stored_id(
        signals.report_filed.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
            reporter_id=reporter.id,
            message_id=message.id,
            room_id=message.room_id,
            reason=reason,
            note=text,
        )
    )
    if report_id is None:
        raise ChatError(
            "server_error",
            _l("Reports can't be taken right now. Please try again soon, or use the help page."),
        )
    db.session.flush()
    return report_id


def raise_concern(reporter: User, room: Room, about_handle: object, note: object) -> int:
    """Tell moderators someone may need care. Never notifies or acts on that person."""
    about_user_id: int | None = None
    if about_handle is not None:
        if not isinstance(about_handle, str):
            raise ChatError("invalid", _l("about_handle should be a member's handle."))
        wanted = about_handle.strip().lower()
        if wanted:
            about = next(
                (
                    m.user
                    for m in active_memberships(room)
                    if m.user.handle and m.user.handle.lower() == wanted
                ),
                None,
            )
            if about is None:
                raise ChatError("invalid", _l("There's no member with that handle in this room."))
            about_user_id = about.id
    text = validate_note(note)
    concern_id = _stored_id(
        signals.concern_raised.send(
            current_app._get_current_object(),  # type: ignore[attr-defined]  # werkzeug LocalProxy
            reporter_id=reporter.id,
            room_id=room.id,
            about_user_id=about_user_id,
            note=text,
        )
    )
    if concern_id is None:
        raise ChatError(
            "server_error",
            _l("We couldn't pass this on right now. Please try again soon, or use the help page."),
        )
    db.session.flush()
    return concern_id


# --- creating rooms and members ----------------------------------------------------


def starting_seat(user_id: int) -> Seat:
    """The seat a new member starts in: someone whose profile says "I like to listen
    first" starts listening, so nobody has to opt out of a sharing seat they never chose."""
    style = db.session.scalar(select(Profile.talk_style).where(Profile.user_id == user_id))
    return Seat.LISTENING if style == TalkStyle.LISTEN_FIRST else Seat.SHARING


def add_member(room: Room, user: User, *, seat: Seat | None = None) -> Membership:
    """Add ``user`` to ``room`` (or bring a former member back, seat as they left it).

    Without ``seat`` a new member starts from their profile's talk style."""
    membership = db.session.scalars(
        select(Membership).where(Membership.room_id == room.id, Membership.user_id == user.id)
    ).first()
    if membership is None:
        membership = Membership(room=room, user=user, seat=seat or starting_seat(user.id))
        db.session.add(membership)
    elif membership.left_at is not None:
        membership.left_at = None
        membership.joined_at = utcnow()
    db.session.flush()
    return membership


def create_room(
    name: str,
    members: Sequence[User],
    *,
    opening_prompt: str | StoredText | None = None,
    origin_proposal_id: int | None = None,
    status: RoomStatus = RoomStatus.OPEN,
) -> Room:
    """Open a room for ``members``; with ``opening_prompt`` the first round starts."""
    clean = " ".join(name.split())[:80] or "A quiet room"
    now = utcnow()
    room = Room(
        name=clean,
        status=status,
        opened_at=now if status == RoomStatus.OPEN else None,
        origin_proposal_id=origin_proposal_id,
    )
    db.session.add(room)
    db.session.flush()
    for user in members:
        add_member(room, user)
    if opening_prompt:
        start_round(room, opening_prompt, started_by=None)
    db.session.flush()
    return room


def start_round(room: Room, text: str | StoredText, *, started_by: User | None) -> Message:
    """Post a gentle check-in prompt; members may answer or pass. A ``StoredText``
    (Hearth's own prompts) is shown in each reader's language; a string as written.

    The caller broadcasts ``prompt`` and ``message`` after committing.
    """
    english, body_i18n = texts.stored_fields(text)
    body = " ".join(english.split())[:MAX_BODY]
    if not body:
        raise ChatError("invalid", _l("A round needs a prompt."))
    prompt = Message(
        room_id=room.id,
        author_id=None,
        kind=MessageKind.PROMPT,
        body=body,
        body_i18n=body_i18n,
    )
    db.session.add(prompt)
    db.session.flush()
    room.round_message_id = prompt.id
    db.session.flush()
    return prompt


# --- moderation's entry points (they flush; moderation commits and audits) ---------


def remove_message(message: Message, *, by: User) -> Message:
    """Take a message out of the room; it stays a placeholder ("removed")."""
    if message.removed_at is None:
        message.removed_at = utcnow()
        message.removed_by_id = by.id
    db.session.flush()
    return message


def set_room_status(room: Room, status: RoomStatus | str, *, by: User) -> Room:
    """Pause, resume (open) or close a room."""
    new = RoomStatus(status)
    room.status = new
    if new == RoomStatus.OPEN and room.opened_at is None:
        room.opened_at = utcnow()
    if new == RoomStatus.CLOSED:
        room.closed_at = utcnow()
        room.round_message_id = None
    db.session.flush()
    return room


def remove_member(room: Room, user: User, *, by: User) -> Membership | None:
    """Take a member out of the room (broadcast ``removed`` after committing)."""
    membership = membership_of(room, user)
    if membership is not None:
        membership.left_at = utcnow()
    db.session.flush()
    return membership


def set_slow_mode(room: Room, seconds: int, *, by: User) -> Room:
    """One message per member per ``seconds`` (0 turns slow mode off; max one hour)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 <= seconds <= 3600:
        raise ChatError("invalid", _l("Slow mode is 0 to 3600 seconds."))
    room.slow_mode_seconds = seconds
    db.session.flush()
    return room


def post_as_moderators(room: Room, body: str, *, by: User) -> Message:
    """A message from the moderation team, shown as "Hearth moderators"."""
    text = validate_body(body)
    message = Message(room_id=room.id, author_id=by.id, kind=MessageKind.MODERATOR, body=text)
    db.session.add(message)
    db.session.flush()
    return message


# --- account data ------------------------------------------------------------------


def export_for(user: User) -> dict[str, Any]:
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    messages = db.session.scalars(
        select(Message)
        .where(Message.author_id == user.id, Message.kind == MessageKind.USER)
        .order_by(Message.id)
    )
    return {
        "memberships": [
            {
                "room_id": m.room_id,
                "room_name": m.room.name,
                "seat": m.seat.value,
                "joined_at": m.joined_at.isoformat(),
                "left_at": m.left_at.isoformat() if m.left_at else None,
            }
            for m in memberships
        ],
        "messages": [
            {
                "id": m.id,
                "room_id": m.room_id,
                "body": m.body,
                "created_at": m.created_at.isoformat(),
                "removed": m.removed_at is not None,
                "held": m.held,
            }
            for m in messages
        ],
    }


def delete_for(user: User) -> None:
    """Remove the user's memberships, mutes and reactions; their messages stay, shown
    as written by "former member"."""
    db.session.execute(delete(Reaction).where(Reaction.user_id == user.id))
    db.session.execute(
        delete(PersonalMute).where(
            or_(PersonalMute.user_id == user.id, PersonalMute.muted_user_id == user.id)
        )
    )
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    db.session.flush()
