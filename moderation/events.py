"""The ``/mod`` Socket.IO namespace: the moderator console's live channel.

Server → client: ``queue_item``, ``queue_update``, ``room_activity`` and, for a
watched room, its ``message`` events (rooms.broadcast relays them to
``watch:<room_id>``). Client → server: ``ack_item {id}`` and
``watch_room {room_id}`` / ``unwatch_room {room_id}``; each answers through its
acknowledgement ``{"ok": true, ...}`` or ``{"ok": false, "error": {...}}``.

Only moderators connect, and the role is checked again on every event (the
session is reloaded per event, so a demoted or banned moderator loses access at
once). Every connected console sits in the Socket.IO room ``moderators`` and in
``moderators:lang:<code>`` for the language it reads (``i18n.current_language`` when
it connected): a ``queue_item``'s excerpt Hearth wrote reaches each console in it.

Re-alerts: one background task per app (started on the first console
connection, ending when the last one goes) re-sends severity ≥ 3 items left
unacknowledged for ``MOD_REALERT_SECONDS`` and sends ``room_activity``.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, request, session
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room
from sqlalchemy import func, select

from accounts.routes import SESSION_KEY
from db import db, is_id, utcnow
from extensions import socketio
from i18n import LANGUAGES, current_language
from moderation import payloads, wording
from moderation.guards import ModerationError
from moderation.models import QueueItem, QueueStatus
from moderation.queue import ack_item
from rooms import broadcast
from rooms import payloads as room_payloads
from rooms import queries as room_queries
from rooms.models import Message, Room, RoomStatus

log = logging.getLogger(__name__)

NAMESPACE = "/mod"
MODERATORS_ROOM = "moderators"

_lock = threading.Lock()
#: sid -> (user id, login session key, id of the app) of this process's console sockets.
_consoles: dict[str, tuple[int, str | None, int]] = {}
#: id(app) of apps whose background task is running.
_loops: set[int] = set()


def moderators_online() -> int:
    """How many moderators have the console open (this process's view)."""
    with _lock:
        return len({user_id for user_id, _key, _app in _consoles.values()})


def emit_to_moderators(event: str, payload: dict[str, Any]) -> None:
    """Send to every open console (across processes with a message queue); a
    ``queue_item`` with its excerpt in the language each console reads."""
    if event != "queue_item":
        socketio.emit(event, payload, to=MODERATORS_ROOM, namespace=NAMESPACE)
        return
    for code in LANGUAGES:
        with force_locale(code):
            shown = wording.excerpt(payload["kind"], payload["excerpt"])
        socketio.emit(
            event,
            {**payload, "excerpt": shown},
            to=broadcast.language_room(MODERATORS_ROOM, code),
            namespace=NAMESPACE,
        )


def _is_moderator() -> bool:
    return bool(current_user.is_authenticated and current_user.is_moderator)


def _denied() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return payloads.error("not_authenticated", _l("Please log in again."))
    return payloads.error("forbidden", _l("This is for moderators."))


def _int_field(data: Any, name: str) -> int | None:
    if not isinstance(data, dict):
        return None
    value = data.get(name)
    return value if is_id(value) else None


class ModNamespace(Namespace):
    """``/mod``: moderators only."""

    def on_connect(self, auth: Any = None) -> None:
        """A console connects; refused unless the session is a moderator's."""
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("not_authenticated")
        if not current_user.is_moderator:
            raise ConnectionRefusedError("forbidden")
        session_key = session.get(SESSION_KEY)
        with _lock:
            _consoles[request.sid] = (  # type: ignore[attr-defined]
                current_user.id,
                session_key if isinstance(session_key, str) else None,
                id(current_app._get_current_object()),  # type: ignore[attr-defined]
            )
        join_room(MODERATORS_ROOM)
        join_room(broadcast.language_room(MODERATORS_ROOM, current_language()))
        _ensure_background_task(current_app._get_current_object())  # type: ignore[attr-defined]

    def on_disconnect(self, reason: Any = None) -> None:
        with _lock:
            _consoles.pop(request.sid, None)  # type: ignore[attr-defined]

    def on_ack_item(self, data: Any = None) -> dict[str, Any]:
        """Client: ``{id}``. Marks the item acknowledged; every console gets ``queue_update``."""
        if not _is_moderator():
            return _denied()
        item_id = _int_field(data, "id")
        if item_id is None:
            return payloads.error("invalid", _l("Which item? Send {id}."))
        item = db.session.get(QueueItem, item_id)
        if item is None:
            return payloads.error("not_found", _l("That item doesn't exist."))
        try:
            ack_item(item, by=current_user._get_current_object())
        except ModerationError as problem:
            db.session.rollback()
            return payloads.error(problem.code, problem.message)
        db.session.commit()
        return payloads.ok(item=payloads.queue_item(item))

    def on_watch_room(self, data: Any = None) -> dict[str, Any]:
        """Client: ``{room_id}``. Receive that room's ``message`` events, read-only.

        The ack carries the room and its latest messages so the view starts full.
        """
        if not _is_moderator():
            return _denied()
        room_id = _int_field(data, "room_id")
        if room_id is None:
            return payloads.error("invalid", _l("Which room? Send {room_id}."))
        room = db.session.get(Room, room_id)
        if room is None:
            return payloads.error("not_found", _l("That room doesn't exist."))
        join_room(broadcast.mod_watch_room(room_id))
        recent = list(
            db.session.scalars(
                select(Message)
                .where(Message.room_id == room_id)
                .order_by(Message.id.desc())
                .limit(50)
            )
        )
        recent.reverse()
        return payloads.ok(
            room={"id": room.id, "name": room.name, "status": room.status.value},
            messages=[_watch_message(m) for m in recent],
            activity=room_queries.room_activity(room),
        )

    def on_unwatch_room(self, data: Any = None) -> dict[str, Any]:
        """Client: ``{room_id}``. Stop receiving that room's messages."""
        if not _is_moderator():
            return _denied()
        room_id = _int_field(data, "room_id")
        if room_id is None:
            return payloads.error("invalid", _l("Which room? Send {room_id}."))
        leave_room(broadcast.mod_watch_room(room_id))
        return payloads.ok()


def _watch_message(message: Message) -> dict[str, Any]:
    data = room_payloads.message(message)
    # Moderators see what members cannot: held messages and removed text.
    data["body"] = message.body
    data["held"] = bool(message.held)
    return data


def disconnect_sessions(user_id: int, session_key: str | None) -> None:
    """Close this process's consoles of one login (or, without a key, all the user's)."""
    with _lock:
        sids = [
            sid
            for sid, (uid, key, _app) in _consoles.items()
            if uid == user_id and (session_key is None or key == session_key)
        ]
    for sid in sids:
        socketio.server.disconnect(sid, namespace=NAMESPACE)


# -- background task -----------------------------------------------------------------


def _ensure_background_task(app: Flask) -> None:
    with _lock:
        if id(app) in _loops:
            return
        _loops.add(id(app))
    socketio.start_background_task(_background_loop, app)


def _background_loop(app: Flask) -> None:
    interval = float(app.config.get("MOD_REALERT_CHECK_SECONDS", 15))
    interval = min(interval, float(app.config.get("MOD_REALERT_SECONDS", 120)))
    while True:
        socketio.sleep(max(interval, 0.05))
        with _lock:
            if not any(app_id == id(app) for _u, _k, app_id in _consoles.values()):
                _loops.discard(id(app))
                return
        with app.app_context():
            try:
                realert_due(app)
                send_room_activity()
            except Exception:  # keep alerting even if one round fails
                log.exception("moderation background round failed")
                db.session.rollback()
            finally:
                db.session.remove()


def realert_due(app: Flask) -> list[int]:
    """Re-send severity ≥ 3 items unacknowledged for MOD_REALERT_SECONDS. Commits."""
    age = timedelta(seconds=float(app.config.get("MOD_REALERT_SECONDS", 120)))
    now = utcnow()
    items = list(
        db.session.scalars(
            select(QueueItem)
            .where(
                QueueItem.status == QueueStatus.OPEN,
                QueueItem.severity >= 3,
                QueueItem.realerted_at.is_(None),
                QueueItem.created_at <= now - age,
            )
            .order_by(QueueItem.severity.desc(), QueueItem.created_at)
        )
    )
    if not items:
        db.session.rollback()
        return []
    for item in items:
        item.realerted_at = now
    db.session.commit()
    for item in items:
        emit_to_moderators("queue_item", payloads.queue_item(item))
    return [item.id for item in items]


def send_room_activity() -> None:
    """``room_activity`` for every room that is open or talked in the last hour."""
    since = utcnow() - timedelta(hours=1)
    busy = select(Message.room_id).where(Message.created_at >= since).distinct()
    rooms = db.session.scalars(
        select(Room)
        .where((Room.status == RoomStatus.OPEN) | Room.id.in_(busy))
        .order_by(Room.id)
        .limit(500)
    )
    for room in rooms:
        emit_to_moderators("room_activity", room_queries.room_activity(room))
    db.session.rollback()


def open_item_count() -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(QueueItem)
            .where(QueueItem.status.in_((QueueStatus.OPEN, QueueStatus.ACKNOWLEDGED)))
        )
        or 0
    )


def init_app(app: Flask) -> None:
    socketio.on_namespace(ModNamespace(NAMESPACE))
