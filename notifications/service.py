"""Creating, listing and reading notifications.

``notify`` adds rows inside the caller's transaction (flush, never commit); the
dispatcher delivers them live once that transaction commits.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from accounts.models import User
from db import db, utcnow
from errors import Text
from i18n import N_
from notifications import dispatch
from notifications.models import (
    DEDUPE_KEY_MAX,
    TEXT_MAX,
    URL_MAX,
    Notification,
    NotificationKind,
    SocketPresence,
)

#: Most ids one "mark read" request may name.
MAX_IDS = 500
#: Largest page of the list.
MAX_LIMIT = 100
DEFAULT_LIMIT = 50

KINDS = frozenset(kind.value for kind in NotificationKind)
#: Each kind in words, where a person reads the kinds (the export page).
KIND_LABELS: dict[str, Text] = {
    NotificationKind.GROUP_PROPOSED: _l("A group was suggested"),
    NotificationKind.PROPOSAL_EXPIRING: _l("A suggestion is running out"),
    NotificationKind.GROUP_OPENED: _l("A group opened"),
    NotificationKind.GROUP_CHANGED: _l("A group changed"),
    NotificationKind.ROOM_ACTIVITY: _l("New in a room"),
    NotificationKind.REPORT_OUTCOME: _l("What happened with a report"),
    NotificationKind.MODERATOR_CHECKIN: _l("A moderator checked in with you"),
    NotificationKind.CHECKIN_DUE: _l("A check-in is ready"),
    NotificationKind.CRISIS_OVERDUE: _l("An urgent item waited too long"),
}

#: A process's presence rows count while refreshed within this long (it refreshes
#: them every ``PRESENCE_REFRESH``; rows of a process that died stop counting).
PRESENCE_TTL = timedelta(minutes=2)
PRESENCE_REFRESH = timedelta(seconds=30)
#: At most one room_activity notice per room and person in this window.
ROOM_ACTIVITY_WINDOW = timedelta(hours=2)
#: Never the room's name or anyone's words: this may show on a lock screen.
ROOM_ACTIVITY_TEXT = N_("There are new messages in one of your rooms, whenever you're ready.")


class NotificationError(Exception):
    """A request the notifications service refuses; rendered as a CONTRACT error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _checked(kind: str, text: str, url: str, dedupe_key: str | None) -> NotificationKind:
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
        raise ValueError(f"notification text must be 1..{TEXT_MAX} characters")
    # Same-site paths only: "/groups", never "//elsewhere" or "https://…".
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//"):
        raise ValueError("notification url must be a same-site path")
    if len(url) > URL_MAX or "\\" in url:
        raise ValueError("notification url is not a plain same-site path")
    if dedupe_key is not None and not 0 < len(dedupe_key) <= DEDUPE_KEY_MAX:
        raise ValueError(f"dedupe_key must be 1..{DEDUPE_KEY_MAX} characters")
    return NotificationKind(kind)


def notify(
    user_ids: Iterable[int],
    kind: str,
    text: str,
    url: str,
    *,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Store one notification per person (flush only, in the caller's transaction).

    With ``dedupe_key``, a person who already has a row with that key gets no new one
    (also when another process inserts it at the same moment). Delivery starts after
    the caller commits.
    """
    checked = _checked(kind, text, url, dedupe_key)
    ids = sorted({int(user_id) for user_id in user_ids})
    if not ids:
        return []
    text = text.strip()
    now = utcnow()
    if dedupe_key is None:
        rows = [
            Notification(user_id=user_id, kind=checked, text=text, url=url, created_at=now)
            for user_id in ids
        ]
        db.session.add_all(rows)
        db.session.flush()
    else:
        rows = _insert_deduplicated(ids, checked, text, url, dedupe_key, now)
    if rows:
        dispatch.wake_after_commit()
    return rows


def _insert_deduplicated(
    ids: list[int], kind: NotificationKind, text: str, url: str, key: str, now: Any
) -> list[Notification]:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    values = [
        {
            "user_id": user_id,
            "kind": kind,
            "text": text,
            "url": url,
            "created_at": now,
            "dedupe_key": key,
        }
        for user_id in ids
    ]
    statement = (
        insert(Notification)
        .values(values)
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(Notification.id)
    )
    new_ids = list(db.session.scalars(statement))
    if not new_ids:
        return []
    return list(
        db.session.scalars(
            select(Notification).where(Notification.id.in_(new_ids)).order_by(Notification.id)
        )
    )


def unread_count(user: User | int) -> int:
    user_id = user if isinstance(user, int) else user.id
    count = db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


def list_for(
    user: User, *, unread_only: bool = False, limit: int = DEFAULT_LIMIT
) -> list[Notification]:
    """The person's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    limit = max(1, min(int(limit), MAX_LIMIT))
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_read(user: User, ids: Sequence[int] | None = None, *, everything: bool = False) -> int:
    """Mark the given notifications (or all of them) read; returns how many changed.

    Every id must be one of the person's own notifications: otherwise nothing
    changes and a NotificationError (404) says so.
    """
    now = utcnow()
    if everything:
        result = db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.expire_all()
        return int(getattr(result, "rowcount", 0) or 0)
    wanted = sorted(set(ids or ()))
    if len(wanted) > MAX_IDS:
        raise NotificationError(
            400, "invalid", _l("Please mark at most %(limit)s at a time.", limit=MAX_IDS)
        )
    if not wanted:
        return 0
    own = set(
        db.session.scalars(
            select(Notification.id).where(
                Notification.user_id == user.id, Notification.id.in_(wanted)
            )
        )
    )
    if own != set(wanted):
        raise NotificationError(
            404, "not_found", _l("We couldn't find some of those notifications in your list.")
        )
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.id.in_(wanted),
            Notification.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)


def shown_text(row: Notification) -> str:
    """The row's text in the reader's language.

    Texts are stored in English, the msgid (one row per person, but written by
    whoever caused it, in their language), and looked up when read; a text the
    catalogue doesn't know (a moderator's own words) shows as written.
    """
    return str(gettext(row.text))


def payload(row: Notification) -> dict[str, Any]:
    """The CONTRACT §6.2 shape of one notification."""
    return {
        "id": row.id,
        "kind": row.kind.value,
        "text": shown_text(row),
        "url": row.url,
        "created_at": row.created_at.isoformat(),
        "read": row.read_at is not None,
    }


def export_for(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return [
        payload(row) | {"read_at": row.read_at.isoformat() if row.read_at else None} for row in rows
    ]


def delete_for(user: User) -> None:
    for model in (Notification, SocketPresence):
        db.session.execute(
            delete(model)
            .where(model.user_id == user.id)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()


# --- who has a socket open anywhere (for room_activity) ----------------------------


def holder() -> str:
    """This server process, as named in its presence rows."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _upsert_presence(user_id: int, now: Any) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(SocketPresence).values(
        user_id=user_id, holder=holder(), sockets=1, seen_at=now
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "holder"],
            set_={"sockets": SocketPresence.sockets + 1, "seen_at": now},
        )
    )


def socket_opened(user_id: int) -> None:
    """A /chat socket of this person opened in this process (flush only)."""
    _upsert_presence(user_id, utcnow())


def socket_closed(user_id: int) -> None:
    """One of this person's sockets in this process closed (flush only)."""
    me = holder()
    db.session.execute(
        update(SocketPresence)
        .where(SocketPresence.user_id == user_id, SocketPresence.holder == me)
        .values(sockets=SocketPresence.sockets - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(SocketPresence)
        .where(
            SocketPresence.user_id == user_id,
            SocketPresence.holder == me,
            SocketPresence.sockets <= 0,
        )
        .execution_options(synchronize_session=False)
    )


def refresh_presence() -> None:
    """Keep this process's presence rows counting; drop long-dead processes' rows."""
    now = utcnow()
    db.session.execute(
        update(SocketPresence)
        .where(SocketPresence.holder == holder())
        .values(seen_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        delete(SocketPresence)
        .where(SocketPresence.seen_at < now - 10 * PRESENCE_TTL)
        .execution_options(synchronize_session=False)
    )


def connected_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Who among ``user_ids`` has a /chat socket open in any live server process."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    alive = utcnow() - PRESENCE_TTL
    return set(
        db.session.scalars(
            select(SocketPresence.user_id).where(
                SocketPresence.user_id.in_(ids),
                SocketPresence.sockets > 0,
                SocketPresence.seen_at >= alive,
            )
        )
    )


def room_activity(
    room_id: int, member_ids: Iterable[int], *, author_id: int | None
) -> list[Notification]:
    """A new message in a room: tell the members who have no socket open anywhere, at
    most once per room per ``ROOM_ACTIVITY_WINDOW`` each, never with the message."""
    now = utcnow()
    url = f"/rooms/{int(room_id)}"
    candidates = sorted(set(member_ids) - {author_id})
    if not candidates:
        return []
    recent = exists().where(
        Notification.user_id == User.id,
        Notification.kind == NotificationKind.ROOM_ACTIVITY,
        Notification.url == url,
        Notification.created_at > now - ROOM_ACTIVITY_WINDOW,
    )
    online = exists().where(
        and_(
            SocketPresence.user_id == User.id,
            SocketPresence.sockets > 0,
            SocketPresence.seen_at >= now - PRESENCE_TTL,
        )
    )
    away = list(
        db.session.scalars(select(User.id).where(User.id.in_(candidates), ~recent, ~online))
    )
    if not away:
        return []
    # The window's bucket in the key makes two processes racing on the same message
    # insert one row, not two.
    bucket = int(now.timestamp() // ROOM_ACTIVITY_WINDOW.total_seconds())
    return notify(
        away,
        NotificationKind.ROOM_ACTIVITY.value,
        ROOM_ACTIVITY_TEXT,
        url,
        dedupe_key=f"room_activity:{int(room_id)}:{bucket}",
    )
