"""Care first (issue 14): private check-ins, resources sent privately, care
outcomes and the escalation of crisis items nobody has acknowledged.

Every moderator action here changes state, writes one audit row in the same
transaction and flushes; the route commits once. What people should see is sent
after that commit (the outbox), and notifications are stored in the same
transaction through ``notifications.service.notify``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

import crisis
from accounts.models import Role, User
from db import db, utcnow
from i18n import DEFAULT_LOCALE, N_, StoredText, is_supported
from moderation import audit, outbox, payloads
from moderation.guards import ModerationError
from moderation.models import AuditEntry, QueueItem, QueueKind, QueueStatus
from moderation.queue import ack_minutes, announce_update, close_with_outcome, tell_moderators
from notifications import service as notifications
from profiles.service import get_profile
from rooms import admin as room_admin
from rooms import broadcast
from rooms import care as rooms_care
from rooms import payloads as room_payloads
from rooms.guards import ChatError
from rooms.models import Message, Room, RoomStatus

CARE_OUTCOMES = ("followed_up", "no_reply", "referred")
CARE_OUTCOME_LABELS = {
    "followed_up": _l("Followed up"),
    "no_reply": _l("No reply"),
    "referred": _l("Referred to other help"),
}
MAX_BODY = 2000
REPLIES_FILE = Path(__file__).resolve().parent / "care_replies.json"

OVERDUE_TEXT = N_(
    "A crisis item has waited longer than it should for a moderator. Could you take a look?"
)
CHECKIN_TEXT = N_("A moderator would like to check in with you privately.")
RESOURCES_TEXT = N_("The moderators sent you some places to find support, privately.")
#: The private line with the person's crisis resources: the words are shown in each
#: reader's language; the list itself in the person's own (their choice on /account,
#: else English: a moderator's request says nothing about the person's browser).
RESOURCES_LINE = N_(
    "The moderators wanted you to have these, just in case. They are free, "
    "confidential and there to listen. If you are in immediate danger, please call "
    "your local emergency number.\n\n%(resources)s"
)


# -- ready-made first messages -------------------------------------------------------


@dataclass(frozen=True)
class CareReply:
    id: str
    label: str
    body: str


@lru_cache(maxsize=4)
def _load_replies(path: str) -> dict[str, tuple[CareReply, ...]]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or "en" not in raw:
        raise ValueError(f"{path}: expected an object with at least an 'en' list")
    replies: dict[str, tuple[CareReply, ...]] = {}
    for locale, entries in raw.items():
        if locale.startswith("_"):
            continue  # comments for operators
        if not isinstance(entries, list) or not entries:
            raise ValueError(f"{path}: {locale!r} should be a non-empty list")
        items = []
        for index, entry in enumerate(entries):
            fields = {
                key: entry.get(key) if isinstance(entry, dict) else None
                for key in ("id", "label", "body")
            }
            if not all(isinstance(v, str) and v.strip() for v in fields.values()):
                raise ValueError(f"{path}: {locale}[{index}] needs id, label and body")
            if len(str(fields["body"])) > MAX_BODY:
                raise ValueError(f"{path}: {locale}[{index}] body is over {MAX_BODY} characters")
            items.append(CareReply(**fields))  # type: ignore[arg-type]  # checked above
        replies[locale] = tuple(items)
    return replies


def care_replies(locale: str | None = None) -> tuple[CareReply, ...]:
    """The ready-made first messages for ``locale`` (falls back to English)."""
    replies = _load_replies(str(REPLIES_FILE))
    language = (locale or "en").split("-")[0].split("_")[0].lower()
    return replies.get(language) or replies["en"]


# -- who an item is about ---------------------------------------------------------------


def person_for(item: QueueItem) -> User:
    """The person a crisis item or a concern is about; others are not for check-ins."""
    if item.kind == QueueKind.CRISIS and item.message_id is not None:
        message = db.session.get(Message, item.message_id)
        person_id = message.author_id if message is not None else None
    elif item.kind == QueueKind.CONCERN:
        about = item.target_key.rsplit(":", 1)[-1]
        person_id = int(about) if about.isdigit() and int(about) else None
        if person_id is None:
            raise ModerationError(
                409,
                "no_person",
                _l(
                    "This concern is about the room, not one person, so there is nobody "
                    "to check in with privately. Watch the room instead."
                ),
            )
    else:
        raise ModerationError(
            409,
            "not_care_item",
            _l("Private check-ins are for crisis items and concerns about a person."),
        )
    person = db.session.get(User, person_id) if person_id is not None else None
    if person is None or not person.is_active:
        raise ModerationError(404, "not_found", _l("That account no longer exists."))
    return person


def care_person_id(item: QueueItem) -> int | None:
    """The person a crisis item or a person-concern is about (None for other items)."""
    try:
        return person_for(item).id
    except ModerationError:
        return None


def _check_body(body: object) -> str:
    if not isinstance(body, str) or not body.strip():
        raise ModerationError(400, "invalid", _l("Please write a first message."), "body")
    text = body.strip()
    if len(text) > MAX_BODY:
        raise ModerationError(
            400,
            "too_long",
            _l("A message can be up to %(limit)s characters.", limit=MAX_BODY),
            "body",
        )
    if "\x00" in text:
        raise ModerationError(
            400, "invalid", _l("That message has characters we can't store."), "body"
        )
    return text


def _open_room(person: User, *, by: User) -> tuple[Room, bool]:
    if person.id == by.id:
        raise ModerationError(400, "invalid", _l("You can't open a check-in with yourself."))
    try:
        return rooms_care.open_or_reuse(person, by=by)
    except ChatError as problem:
        raise ModerationError(409, problem.code, problem.message) from None


def _link_item(item: QueueItem | None, room: Room, *, by: User) -> None:
    """A check-in from an item acknowledges it (someone is on it) and links the room."""
    if item is None:
        return
    item.care_room_id = room.id
    if item.status == QueueStatus.OPEN:
        item.status = QueueStatus.ACKNOWLEDGED
        item.acknowledged_at = utcnow()
        item.acknowledged_by_id = by.id
    if item.assigned_to_id is None:
        item.assigned_to_id = by.id
    db.session.flush()
    announce_update(item)


def _tell_person(person_id: int, room_id: int, text: str) -> None:
    """The person hears of it live (notice) and finds the room first on /groups."""
    # No room_id: the notice shows in whichever room page the person has open.
    outbox.after_commit(
        lambda: broadcast.notice(
            user_id=person_id, level="info", code="moderator_checkin", text=text
        )
    )


def _broadcast_later(message: Message) -> None:
    payload = room_payloads.message(message)
    outbox.after_commit(lambda: broadcast.message(payload))


def checkin(
    person: User, body: object, *, by: User, item: QueueItem | None = None
) -> tuple[Room, AuditEntry]:
    """Check in privately: open (or reuse) the person's care room and post ``body``
    as the moderators. The person is notified (``moderator_checkin``)."""
    text = _check_body(body)
    if item is not None and not item.is_open:
        raise ModerationError(409, "conflict", _l("That item is already closed."))
    room, created = _open_room(person, by=by)
    message = room_admin.post_as_moderators(room, text, by=by)
    _link_item(item, room, by=by)
    entry = audit.record(
        by,
        "care_checkin",
        "user",
        person.id,
        text[:500],
        room_id=room.id,
        message_id=message.id,
        queue_item_id=item.id if item else None,
        room_created=created,
    )
    _notify(person.id, room.id, CHECKIN_TEXT)
    _broadcast_later(message)
    return room, entry


def resources_for(person: User) -> list[dict[str, str]]:
    """The crisis lines for this person: their region's first (from their profile's
    time zone; a moderator's request says nothing about where the person is), then
    the international ones."""
    profile = get_profile(person.id)
    region = crisis.region_for(timezone=profile.timezone if profile is not None else None)
    return [
        {"name": r.name, "contact": r.contact, "url": r.url, "region": r.region}
        for r in crisis.resources_for_region(region)
    ]


def resources_line(person: User) -> StoredText:
    with force_locale(person.locale if is_supported(person.locale) else DEFAULT_LOCALE):
        lines = [
            f"• {resource['name']}: {resource['contact']} ({resource['url']})"
            for resource in resources_for(person)
        ]
    return StoredText(RESOURCES_LINE, {"resources": "\n".join(lines)})


def resources_text(person: User) -> str:
    """The resources line as stored (English words, the person's list)."""
    return resources_line(person).english()


def send_resources(
    person: User, *, by: User, item: QueueItem | None = None
) -> tuple[Room, AuditEntry]:
    """A private system line with the person's crisis resources in their care room
    (opened if needed). Nothing is posted anywhere else."""
    if item is not None and not item.is_open:
        raise ModerationError(409, "conflict", _l("That item is already closed."))
    room, created = _open_room(person, by=by)
    line = rooms_care.post_system_line(room, resources_line(person))
    _link_item(item, room, by=by)
    entry = audit.record(
        by,
        "care_resources",
        "user",
        person.id,
        room_id=room.id,
        message_id=line.id,
        queue_item_id=item.id if item else None,
        room_created=created,
    )
    _notify(person.id, room.id, RESOURCES_TEXT)
    _broadcast_later(line)
    return room, entry


def close_care_room(room: Room, outcome: object, *, by: User) -> AuditEntry:
    """A moderator closes a care room with an outcome; the items it was opened from
    are resolved with the same outcome."""
    if not isinstance(outcome, str) or outcome not in CARE_OUTCOMES:
        raise ModerationError(
            400, "invalid", _l("Choose an outcome: followed_up, no_reply or referred."), "outcome"
        )
    if not room.is_care:
        raise ModerationError(409, "not_care_room", _l("Only private check-ins close this way."))
    if room.status == RoomStatus.CLOSED:
        raise ModerationError(409, "room_closed", _l("This check-in is already closed."))
    line = rooms_care.close(room, text=rooms_care.CLOSED_BY_MODERATOR_TEXT, outcome=outcome)
    items = list(
        db.session.scalars(
            select(QueueItem).where(
                QueueItem.care_room_id == room.id,
                QueueItem.status.in_((QueueStatus.OPEN, QueueStatus.ACKNOWLEDGED)),
            )
        )
    )

    for item in items:
        # The outcome describes the check-in with the person, so it labels the message
        # the check-in was opened for; crisis items raised on what they said inside the
        # check-in ("i'm exhausted") are closed with it but teach the screener nothing.
        close_with_outcome(item, outcome, by=by, label=item.room_id != room.id)
    entry = audit.record(
        by,
        "close_care_room",
        "room",
        room.id,
        outcome=outcome,
        person_id=room.care_for_id,
        queue_item_ids=[i.id for i in items],
    )
    _broadcast_later(line)
    room_id = room.id
    outbox.after_commit(
        lambda: broadcast.notice(
            room_id=room_id,
            level="info",
            code="room_closed",
            text=StoredText(rooms_care.CLOSED_BY_MODERATOR_TEXT),
        )
    )
    return entry


def close_by_member(room: Room, person: User) -> Message:
    """The person closes their own care room ("I'm okay for now, thank you").

    Not a moderator action, so no audit row; the moderators see the closing line.
    """
    try:
        line = rooms_care.close_by_member(room, person)
    except ChatError as problem:
        status = 403 if problem.code == "forbidden" else 409
        raise ModerationError(status, problem.code, problem.message) from None
    _broadcast_later(line)
    room_id = room.id
    outbox.after_commit(
        lambda: broadcast.notice(
            room_id=room_id,
            level="info",
            code="room_closed",
            text=StoredText(rooms_care.CLOSED_BY_MEMBER_TEXT),
        )
    )
    return line


def on_care_room_joined(sender: Any, *, room_id: int, moderator_id: int, **_: Any) -> None:
    """``signals.care_room_joined``: one audit row per moderator who joins."""
    moderator = db.session.get(User, moderator_id)
    if moderator is not None:
        audit.record(moderator, "join_care_room", "room", room_id)


# -- escalation ---------------------------------------------------------------------------


def escalate_overdue(app: Flask) -> list[int]:
    """Alert every moderator and admin once about each overdue item. Commits.

    Each item is claimed with ``UPDATE … WHERE escalated_at IS NULL`` so that,
    with several server processes, exactly one of them alerts.
    """
    minutes = ack_minutes(app)
    if minutes <= 0:
        return []
    now = utcnow()
    due = list(
        db.session.scalars(
            select(QueueItem.id).where(
                QueueItem.status == QueueStatus.OPEN,
                QueueItem.severity >= 3,
                QueueItem.escalated_at.is_(None),
                QueueItem.created_at <= now - timedelta(minutes=minutes),
            )
        )
    )
    claimed: list[QueueItem] = []
    for item_id in due:
        result = db.session.execute(
            update(QueueItem)
            .where(QueueItem.id == item_id, QueueItem.escalated_at.is_(None))
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            item = db.session.get(QueueItem, item_id)
            if item is not None:
                db.session.refresh(item)
                claimed.append(item)
    if not claimed:
        db.session.rollback()
        return []
    team = [
        u.id
        for u in db.session.scalars(select(User).where(User.role.in_((Role.MODERATOR, Role.ADMIN))))
        if u.is_active and not u.is_banned()
    ]
    for item in claimed:
        _notify_team(team, item)
    db.session.commit()
    for item in claimed:
        tell_moderators("queue_item", payloads.queue_item(item, overdue=True))
    return [item.id for item in claimed]


def _notify_team(user_ids: list[int], item: QueueItem) -> None:
    # One fixed sentence, translated when each moderator reads it (a stored sentence
    # with numbers in it would never match a translation); the item page they are
    # sent to shows the severity and how long it has waited.
    _notify_many(
        user_ids,
        "crisis_overdue",
        OVERDUE_TEXT,
        f"/mod/items/{item.id}",
        f"crisis_overdue:{item.id}",
    )


def _notify(person_id: int, room_id: int, text: str) -> None:
    """Tell the person: a ``moderator_checkin`` notification linking to the care room
    (stored in this transaction; delivered live and by push after the commit), plus
    the live notice for the room page they may have open."""
    notifications.notify([person_id], "moderator_checkin", text, f"/rooms/{room_id}")
    _tell_person(person_id, room_id, text)


def _notify_many(user_ids: list[int], kind: str, text: str, url: str, dedupe_key: str) -> None:
    """Alert the team about an overdue item: one notification each (pushed to their
    devices); ``dedupe_key`` keeps it to one per item even if two processes race."""
    notifications.notify(user_ids, kind, text, url, dedupe_key=dedupe_key)
